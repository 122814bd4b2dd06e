package dev.longshore.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What every local tool prints for a mistake on its command line: exit 2, one line naming it, then the synopsis. */
public final class UsageErrors {
    /** stdout and stderr of one in-process command. */
    public static final class Console {
        private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        public final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
        public final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

        public String out() {
            return outBytes.toString(StandardCharsets.UTF_8);
        }

        public String err() {
            return errBytes.toString(StandardCharsets.UTF_8);
        }
    }

    /** A tool's in-process entry point: it writes to the streams it is given and returns its exit code. */
    @FunctionalInterface
    public interface Command {
        int exec(PrintStream out, PrintStream err) throws Exception;
    }

    private UsageErrors() {
    }

    /** Runs {@code command} and asserts {@link #assertUsageError}; returns its console for checks of its own. */
    public static Console assertRejected(String tool, String what, Command command) throws Exception {
        Console console = new Console();
        int code = command.exec(console.out, console.err);
        assertUsageError(code, console.out(), console.err(), tool, what);
        return console;
    }

    /**
     * Every option line of {@code usage} (the indented ones) stands in the --help comment of
     * {@code scripts/<script>}, which prints without starting a JVM, so the two cannot drift apart.
     */
    public static void assertScriptHelpLists(String script, String usage) throws IOException {
        String text = Files.readString(Path.of("../scripts/" + script));
        for (String line : usage.split("\n")) {
            if (line.startsWith("  ")) {
                assertTrue(text.contains("# " + line), "scripts/" + script + " --help lacks: " + line);
            }
        }
    }

    /**
     * Exit 2; stderr is exactly two lines: {@code tool: <problem naming what>} and the synopsis starting with
     * {@code usage:}; no stack trace anywhere.
     */
    public static void assertUsageError(int code, String stdout, String stderr, String tool, String what) {
        String all = stdout + stderr;
        assertEquals(2, code, all);
        List<String> lines = stderr.lines().toList();
        assertEquals(2, lines.size(), stderr);
        assertTrue(lines.get(0).startsWith(tool + ": ") && lines.get(0).contains(what), lines.get(0));
        assertTrue(lines.get(1).startsWith("usage: "), lines.get(1));
        assertNoStackTrace(all);
    }

    public static void assertNoStackTrace(String output) {
        assertFalse(output.contains("Exception") || output.contains("\tat "), output);
    }
}
