package dev.longshore.local;

import static dev.longshore.local.UsageErrors.assertRejected;
import static dev.longshore.local.UsageErrors.assertScriptHelpLists;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        UsageErrors.Console console = assertRejected("run-local", what,
                (out, err) -> LocalRun.exec(args.split(" "), out, err));

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
        assertScriptHelpLists("run-local", LocalRun.USAGE);
    }
}
