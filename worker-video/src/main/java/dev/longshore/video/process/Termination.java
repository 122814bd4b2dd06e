package dev.longshore.video.process;

/** How a supervised process ended. */
public enum Termination {
    /** It exited by itself; see the exit code. */
    EXITED,
    /** Its progress stopped advancing for the stall timeout, so it was killed. */
    STALLED,
    /** It ran past its time limit, so it was killed. */
    TIMED_OUT,
    /** The job was cancelled (drain deadline) or its thread interrupted, so it was killed. */
    CANCELLED
}
