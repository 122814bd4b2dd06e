package dev.longshore.ai.runner;

import dev.longshore.core.process.Signal;
import java.time.Duration;
import java.util.Optional;

/** How a task process ended. */
public sealed interface RunOutcome {
    Duration took();

    /**
     * It exited by itself, or was killed by a signal from outside (exit status 128 + signal).
     *
     * @param drainSignalled whether the worker had sent it the drain signal (WORKER_AI_DRAIN_SIGNAL) before
     */
    record Exited(int exitCode, Duration took, boolean drainSignalled) implements RunOutcome {
        public Optional<Signal> signal() {
            return Signal.ofExitStatus(exitCode);
        }
    }

    /** It ran past its timeout; the whole process group was ended. */
    record TimedOut(Duration took) implements RunOutcome {
    }

    /** The job was cancelled (drain deadline); the whole process group was ended. */
    record Cancelled(Duration took) implements RunOutcome {
    }
}
