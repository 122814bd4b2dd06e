package dev.longshore.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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

    private UsageErrors() {
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
