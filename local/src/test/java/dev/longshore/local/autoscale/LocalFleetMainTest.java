package dev.longshore.local.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.longshore.local.UsageErrors;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LocalFleetMainTest {
    private static LocalFleetMain.Settings parse(String... args) {
        return LocalFleetMain.Settings.parse(CommandLine.parse(args, Set.of("load", "arrivals", "processing",
                "concurrency", "min", "max", "target", "boot", "warmup", "period", "scale-out-periods",
                "scale-in-periods", "seed", "view", "out", "timeout", "root"), Set.of("poisson")));
    }

    @Test
    void defaultsAreTheDocumentedSmallBurst() {
        LocalFleetMain.Settings s = parse();
        assertEquals(120, s.workload().size());
        assertEquals(4, s.concurrency());
        assertEquals(0, s.policy().min());
        assertEquals(5, s.policy().max());
        assertEquals(4, s.policy().target(), "the target defaults to the concurrency");
        assertEquals(3, s.bootDelay());
        assertEquals(FleetView.Mode.LINES, s.view());
    }

    @Test
    void aMistakeIsAUsageErrorNamingTheOption() {
        CommandLine.UsageException e = assertThrows(CommandLine.UsageException.class, () -> parse("--view", "fancy"));
        assertTrue(e.getMessage().contains("--view"), e.getMessage());
        e = assertThrows(CommandLine.UsageException.class, () -> parse("--load", "many"));
        assertTrue(e.getMessage().startsWith("--load"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--min x              | --min \"x\": expected a whole number",
        "--boot soon          | --boot \"soon\" is not a duration",
        "--timeout 5 minutes  | unexpected argument \"minutes\"",
        "--out                | --out needs a value",
        "--arrivals nofile    | --arrivals nofile",
        "--frobnicate         | unknown option --frobnicate"})
    void aBadArgumentIsOneLineAndTheSynopsisWithExitCodeTwo(String args, String what) throws Exception {
        UsageErrors.assertRejected("local-fleet", what, (out, err) -> LocalFleetMain.exec(args.split(" "), out, err));
    }

    @Test
    void everyOptionInTheUsageIsInTheScriptsHelp() throws Exception {
        UsageErrors.assertScriptHelpLists("local-fleet", LocalFleetMain.USAGE);
    }

    /**
     * A whole run, real worker processes included: every job is delivered once to the local sink. The workers'
     * jar comes from the reactor (worker-messaging is packaged before this module's tests run).
     */
    @Test
    void aSmallRunDeliversEveryJobOnceThroughRealWorkers(@TempDir Path out) throws Exception {
        Path jar = Path.of("../worker-messaging/target/worker-messaging.jar");
        assumeTrue(Files.isRegularFile(jar), "worker-messaging is not packaged: " + jar.toAbsolutePath());
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int code = LocalFleetMain.exec(new String[] {"--root", "..", "--load", "8@0", "--processing", "const:200ms",
                "--min", "0", "--max", "1", "--boot", "0s", "--timeout", "90s", "--out", out.toString()},
                new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));
        String printed = stdout.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, printed + stderr.toString(StandardCharsets.UTF_8));
        assertTrue(printed.contains("8 sent, 8 done, 0 duplicates, 0 lost"), printed);
    }
}
