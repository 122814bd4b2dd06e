package dev.longshore.local;

import static dev.longshore.local.UsageErrors.assertNoStackTrace;
import static dev.longshore.local.UsageErrors.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command lines of SqsServerMain and LocalFleet: a port, given as --port N or N alone. */
class PortCommandTest {
    private static final String USAGE = "usage: Tool [--port N]\n  --port N  where it listens\n";

    private static PortCommand.Outcome check(UsageErrors.Console console, String... args) {
        return PortCommand.check("Tool", USAGE, 9401, args, console.out, console.err);
    }

    @Test
    void thePortComesFromTheOptionTheLoneArgumentOrTheDefault() {
        UsageErrors.Console console = new UsageErrors.Console();
        int free;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            free = s.getLocalPort();
        } catch (Exception e) {
            throw new AssertionError(e);
        }

        assertEquals(free, check(console, "--port", "" + free).port());
        assertEquals(free, check(console, "--port=" + free).port());
        assertEquals(free, check(console, "" + free).port());
        assertTrue(check(console, "" + free).listen());
        assertEquals("", console.err());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--port x      | --port \"x\": expected a whole number from 1 to 65535",
        "--port 70000  | --port \"70000\"",
        "x             | --port \"x\"",
        "--port        | --port needs a value",
        "--frobnicate  | unknown option --frobnicate",
        "1 2           | unexpected argument \"2\""})
    void aBadArgumentIsOneLineAndTheSynopsisWithExitCodeTwo(String args, String what) throws Exception {
        assertRejected("Tool", what, (out, err) -> {
            PortCommand.Outcome outcome = PortCommand.check("Tool", USAGE, 9401, args.split(" "), out, err);
            assertFalse(outcome.listen());
            return outcome.exitCode();
        });
    }

    @Test
    void aPortInUseIsOneLineAndExitCodeOne() throws Exception {
        UsageErrors.Console console = new UsageErrors.Console();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            PortCommand.Outcome outcome = check(console, "--port", "" + taken.getLocalPort());

            assertFalse(outcome.listen());
            assertEquals(1, outcome.exitCode());
            assertEquals(List.of("Tool: port " + taken.getLocalPort() + " on 127.0.0.1 is in use; stop what listens"
                    + " there or pass --port N"), console.err().lines().toList());
            assertNoStackTrace(console.out() + console.err());
        }
    }

    @Test
    void helpPrintsTheUsageAndExitsZero() {
        UsageErrors.Console console = new UsageErrors.Console();

        PortCommand.Outcome outcome = check(console, "--help");

        assertEquals(0, outcome.exitCode());
        assertEquals(USAGE, console.out());
    }

    @Test
    void theServersUsageTextsStartWithTheirSynopsis() {
        assertTrue(SqsServerMain.USAGE.startsWith("usage: SqsServerMain [--port N]"));
        assertTrue(dev.longshore.local.fleet.LocalFleet.USAGE.startsWith("usage: LocalFleet [--port N]"));
    }
}
