package dev.longshore.local;

import static dev.longshore.local.UsageErrors.assertUsageError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The scripts that check their own arguments before building or installing anything (run-local, scale-in, bench):
 * a mistake is one line naming it and the synopsis, exit 2, within seconds and without starting a JVM.
 */
class ScriptUsageTest {
    private static final Path SCRIPTS = Path.of("../scripts").toAbsolutePath().normalize();

    record Result(int code, String out, String err) {
    }

    static Result run(String script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPTS.resolve(script).toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("script-out", ".txt");
        Path err = Files.createTempFile("script-err", ".txt");
        try {
            Process p = new ProcessBuilder(command).redirectInput(new File("/dev/null")).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start();
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), script + " did not stop at the mistake");
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "run-local  | run-local | --jobs x             | --jobs \"x\": expected a whole number from 1 to 10000",
        "run-local  | run-local | --jobs=-3            | --jobs \"-3\"",
        "run-local  | run-local | --jobs               | --jobs needs a value",
        "run-local  | run-local | --frobnicate         | unknown option --frobnicate",
        "scale-in   | scale-in  | x                    | PORT \"x\": expected a whole number from 1 to 65535",
        "scale-in   | scale-in  | 70000                | PORT \"70000\"",
        "scale-in   | scale-in  | 9401 soon            | TIMEOUT \"soon\" is not a duration",
        "scale-in   | scale-in  | 9401 5m extra        | unexpected argument \"extra\"",
        "scale-in   | scale-in  | --port               | unknown option --port",
        "bench      | bench     | --frobnicate         | unknown option --frobnicate",
        "bench      | bench     | --only               | --only needs a value",
        "bench      | bench     | --replot table.md    | --replot needs two values"})
    void aMistakeIsOneLineAndTheSynopsisWithExitCodeTwo(String script, String tool, String args, String what)
            throws Exception {
        Result r = run(script, args.split(" "));

        assertUsageError(r.code(), r.out(), r.err(), tool, what);
        assertTrue(r.err().lines().toList().get(1).startsWith("usage: scripts/" + script), r.err());
        assertEquals("", r.out(), "nothing built, installed or started");
    }
}
