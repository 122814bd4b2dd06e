package dev.longshore.core;

/** The worker's life, in the order it moves through it (README: Signals, states and exit codes). */
public enum WorkerState {
    INIT, WARMING, READY, PAUSED, DRAINING, TERMINATED;

    /** Whether the state machine allows {@code this -> next}. */
    public boolean canMoveTo(WorkerState next) {
        return switch (this) {
            case INIT -> next == WARMING || next == DRAINING || next == TERMINATED;
            case WARMING -> next == READY || next == PAUSED || next == DRAINING || next == TERMINATED;
            case READY -> next == PAUSED || next == DRAINING;
            case PAUSED -> next == READY || next == DRAINING;
            case DRAINING -> next == TERMINATED;
            case TERMINATED -> false;
        };
    }
}
