package dev.longshore.core;

/** Process exit codes (README: Signals, states and exit codes). */
public final class ExitCodes {
    /** Drained and stopped as asked. */
    public static final int OK = 0;
    /** Asks the supervisor (docker --restart on-failure) for a restart: GPU topology changed, GPU lost. */
    public static final int RESTART = 1;
    /** Invalid configuration; restarting will not help. */
    public static final int CONFIG = 2;

    private ExitCodes() {
    }
}
