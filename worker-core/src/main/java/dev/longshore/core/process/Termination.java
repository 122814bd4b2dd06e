package dev.longshore.core.process;

/** How a supervised process ended. */
public enum Termination {
    /** It exited by itself (or was signalled from outside); see the exit code. */
    EXITED,
    /** It stopped advancing (no output, or no progress) for the stall timeout, so its group was ended. */
    STALLED,
    /** It ran past its time limit, so its group was ended. */
    TIMED_OUT,
    /** The job was cancelled (drain deadline) or its thread interrupted, so its group was ended. */
    CANCELLED
}
