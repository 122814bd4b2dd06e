package dev.longshore.core.gate;

import java.util.Objects;

/** Whether the worker may receive now, and if not, why (shown on the readiness endpoint). */
public record GateStatus(boolean isOpen, String reason) {
    private static final GateStatus OPEN = new GateStatus(true, "");

    public GateStatus {
        Objects.requireNonNull(reason, "reason");
        if (!isOpen && reason.isBlank()) {
            throw new IllegalArgumentException("a closed gate needs a reason");
        }
    }

    public static GateStatus open() {
        return OPEN;
    }

    public static GateStatus closed(String reason) {
        return new GateStatus(false, reason);
    }
}
