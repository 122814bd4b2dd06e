package dev.longshore.local.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.local.UsageErrors;
import dev.longshore.local.autoscale.CommandLine;
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

class PlannerMainTest {
    @TempDir
    Path dir;

    private String run(String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Set<String> valued = Set.of("load", "arrivals", "processing", "concurrency", "min", "max", "target", "utilization", "boot",
                "warmup", "period", "scale-out-periods", "scale-in-periods", "notice", "price", "horizon", "seed",
                "chart", "activity", "against", "root");
        int code = PlannerMain.run(CommandLine.parse(args, valued, Set.of("poisson", "no-options")),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals(0, code);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsThePredictionTheChartAndTheOptions() throws Exception {
        String out = run("--root", dir.toString(), "--load", "100@0", "--processing", "const:60s", "--max", "5");
        assertTrue(out.contains("time to drain"), out);
        assertTrue(out.contains("first job waited 2m 00s"), out);
        assertTrue(out.contains("Min=1"), out);
        assertTrue(out.contains("max 101 = ceil(100/1)+1"), out);
        assertTrue(Files.size(dir.resolve("target/plan/plan.png")) > 5_000);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--against nofile     | --against",
        "--arrivals nofile    | --arrivals",
        "--min x              | --min \"x\": expected a whole number",
        "--horizon 1day       | --horizon \"1day\" is not a duration",
        "--price              | --price needs a value",
        "--frobnicate         | unknown option --frobnicate"})
    void aBadArgumentIsOneLineAndTheSynopsisWithExitCodeTwo(String args, String what) throws Exception {
        String[] withRoot = ("--root " + dir + " " + args).split(" ");

        UsageErrors.assertRejected("plan", what, (out, err) -> PlannerMain.exec(withRoot, out, err));
    }

    @Test
    void aMissingRunRecordSaysHowToMakeOne() {
        UsageErrors.Console console = new UsageErrors.Console();

        PlannerMain.exec(new String[] {"--root", dir.toString(), "--against", "nofile"}, console.out, console.err);

        assertTrue(console.err().startsWith("plan: --against " + dir.resolve("nofile") + " does not exist (run"
                + " scripts/local-fleet first"), console.err());
    }

    @Test
    void aMaxTooSmallForTheSteadyLoadIsFlaggedAndTheAdviceComesFromTheLoad() throws Exception {
        String out = run("--root", dir.toString(), "--load", "1/s@0-4h", "--processing", "const:30s",
                "--concurrency", "4", "--min", "1", "--max", "2");
        assertTrue(out.contains("max 2 is UNDERSIZED"), out);
        assertTrue(out.contains("so max 9-10"), out);
        assertTrue(out.contains("max 9 = steady 30/4+1"), out);
    }

    @Test
    void everyOptionInTheUsageIsInTheScriptsHelp() throws Exception {
        UsageErrors.assertScriptHelpLists("plan", PlannerMain.USAGE);
    }
}
