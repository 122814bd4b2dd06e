package dev.longshore.core.runtime;

import dev.longshore.core.WorkerState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The worker's state and, when not READY, why; every change is logged once. */
public final class StateMachine {
    private static final Logger log = LoggerFactory.getLogger(StateMachine.class);

    private WorkerState state = WorkerState.INIT;
    private String reason = "starting";

    public synchronized WorkerState state() {
        return state;
    }

    public synchronized String reason() {
        return reason;
    }

    /**
     * Moves to {@code next} if the state machine allows it; a PAUSED worker may also change its reason.
     *
     * @return false when the move is not allowed from the current state (e.g. READY after DRAINING)
     */
    public synchronized boolean moveTo(WorkerState next, String why) {
        if (next == state) {
            if (!why.equals(reason)) {
                log.info("state {}: {}", state, why);
                reason = why;
            }
            return true;
        }
        if (!state.canMoveTo(next)) {
            return false;
        }
        log.info("state {} -> {}{}", state, next, why.isEmpty() ? "" : ": " + why);
        state = next;
        reason = why;
        return true;
    }
}
