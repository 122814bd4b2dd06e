package dev.longshore.ai.runner;

import java.time.Duration;

/** How a task process ended. */
public sealed interface RunOutcome {
    Duration took();

    /** It exited by itself (or was killed by a signal from outside: 128 + signal). */
    record Exited(int exitCode, Duration took) implements RunOutcome {
    }

    /** It ran past its timeout; the whole tree was killed. */
    record TimedOut(Duration took) implements RunOutcome {
    }

    /** The job was cancelled (drain deadline); the whole tree was killed. */
    record Cancelled(Duration took) implements RunOutcome {
    }
}
