package dev.longshore.core.process;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The signals the worker sends to child process groups, with their Linux numbers. */
public enum Signal {
    HUP(1), INT(2), KILL(9), USR1(10), USR2(12), TERM(15);

    private final int number;

    Signal(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** {@code SIGTERM} style, for log lines and result messages. */
    public String fullName() {
        return "SIG" + name();
    }

    /** The signal a shell-style exit status 128 + n stands for; empty for a plain exit code. */
    public static Optional<Signal> ofExitStatus(int exitStatus) {
        return exitStatus > 128 ? byNumber(exitStatus - 128) : Optional.empty();
    }

    public static Optional<Signal> byNumber(int n) {
        return Arrays.stream(values()).filter(s -> s.number == n).findFirst();
    }

    /** Parses {@code TERM}, {@code SIGTERM} or {@code term}; empty when it is none of these signals. */
    public static Optional<Signal> parse(String text) {
        String s = text.strip().toUpperCase(Locale.ROOT);
        String bare = s.startsWith("SIG") ? s.substring(3) : s;
        return Arrays.stream(values()).filter(v -> v.name().equals(bare)).findFirst();
    }
}
