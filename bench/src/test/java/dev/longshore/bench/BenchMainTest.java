package dev.longshore.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BenchMainTest {
    @Test
    void readsTheOptionsOfAQuickRunOfSomePeers() {
        BenchMain.Command c = BenchMain.parse(new String[] {"--quick", "--only", "longshore,sqs-consumer"});

        assertTrue(c.quick());
        assertEquals(List.of("longshore", "sqs-consumer"), c.only());
    }

    @Test
    void memoryAloneIsItsOwnRunAndDoesNotGoWithProfile() {
        assertTrue(BenchMain.parse(new String[] {"--memory"}).memory());
        assertTrue(BenchMain.parse(new String[] {"--memory", "--only", "longshore,worker-messaging"}).memory());
        assertThrows(BenchMain.UsageException.class, () -> BenchMain.parse(new String[] {"--memory", "--profile", "longshore"}));
    }

    @Test
    void theDrainMatrixHasIssue15sHeadlineOf40InFlightBesideFourAnd64() {
        assertEquals(List.of("no-op, C=4", "no-op, C=40", "no-op, C=64", "50 ms, C=4", "50 ms, C=64"),
                BenchMain.Drain.ALL.stream().map(BenchMain.Drain::label).toList());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--only longshore,kafka      | --only \"kafka\": expected one of longshore, raw-sdk-loop",
        "--profile nobody            | --profile \"nobody\"",
        "--replot nofile.md out.png  | --replot nofile.md: no such file",
        "--replot nofile.md          | --replot needs two values",
        "--only                      | --only needs a value",
        "--frobnicate                | unknown option --frobnicate",
        "stray                       | unexpected argument \"stray\""})
    void aMistakeIsAUsageErrorNamingIt(String args, String what) {
        BenchMain.UsageException e = assertThrows(BenchMain.UsageException.class,
                () -> BenchMain.parse(args.split(" ")));

        assertTrue(e.getMessage().startsWith(what), e.getMessage());
    }

    @Test
    void everyOptionInTheUsageIsInTheScriptsHelp() throws Exception {
        String script = Files.readString(Path.of("../scripts/bench"));
        for (String line : BenchMain.USAGE.split("\n")) {
            if (line.startsWith("  ")) {
                assertTrue(script.contains("# " + line), "scripts/bench --help lacks: " + line);
            }
        }
        assertTrue(script.contains("echo \"usage: " + BenchMain.USAGE.lines().findFirst().orElseThrow().substring(7)),
                "the script's synopsis is the JVM's");
    }
}
