package dev.longshore.local;

import static dev.longshore.local.UsageErrors.assertUsageError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LocalRunTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--jobs x               | --jobs \"x\": expected a whole number from 1 to 10000",
        "--jobs 0               | --jobs \"0\"",
        "--jobs                 | --jobs needs a value",
        "--jobs=99999999999     | --jobs \"99999999999\"",
        "--frobnicate           | unknown option --frobnicate",
        "extra                  | unexpected argument \"extra\""})
    void aBadArgumentIsOneLineAndTheSynopsisWithExitCodeTwo(String args, String what) throws Exception {
        UsageErrors.Console console = new UsageErrors.Console();

        int code = LocalRun.exec(args.split(" "), console.out, console.err);

        assertUsageError(code, console.out(), console.err(), "run-local", what);
        assertEquals("", console.out(), "nothing started");
    }

    @Test
    void helpListsTheOptions() throws Exception {
        UsageErrors.Console console = new UsageErrors.Console();

        assertEquals(0, LocalRun.exec(new String[] {"--help"}, console.out, console.err));
        assertTrue(console.out().startsWith("usage: scripts/run-local"), console.out());
    }

    @Test
    void everyOptionInTheUsageIsInTheScriptsHelp() throws Exception {
        String script = Files.readString(Path.of("../scripts/run-local"));
        for (String line : LocalRun.USAGE.split("\n")) {
            if (line.startsWith("  ")) {
                assertTrue(script.contains("# " + line), "scripts/run-local --help lacks: " + line);
            }
        }
    }
}
