package dev.longshore.core.http;

import java.io.IOException;

/** A read gave up: either the server sent nothing for the stall timeout, or the whole deadline passed. */
final class FetchTimeout extends IOException {
    private final boolean stalled;

    FetchTimeout(boolean stalled, String message) {
        super(message);
        this.stalled = stalled;
    }

    boolean stalled() {
        return stalled;
    }
}
