package dev.longshore.core.fleet;

import java.time.Duration;

/**
 * The background thread of a fleet extension: a daemon, a pause that {@link #close} cuts short, and a close that
 * wakes the thread and waits a bounded time for it to end.
 */
final class FleetThread {
    private final Object wake = new Object();
    private volatile boolean closed;
    private Thread thread;

    /** Runs {@code body} on a daemon thread: it never keeps the JVM alive, the worker's drain decides the exit. */
    void start(String name, Runnable body) {
        thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    boolean closed() {
        return closed;
    }

    /**
     * Waits {@code millis} (none when not positive) or until closed; false once closed. An interrupt counts as
     * a close, and the interrupt flag stays set for the code that runs after.
     */
    boolean pause(long millis) {
        synchronized (wake) {
            if (closed) {
                return false;
            }
            if (millis <= 0) {
                return true;
            }
            try {
                wake.wait(millis);
            } catch (InterruptedException e) {
                closed = true;
                Thread.currentThread().interrupt();
            }
            return !closed;
        }
    }

    /** Marks it closed, wakes it, and waits up to {@code wait} for it to end unless called from the thread itself. */
    void close(Duration wait) {
        close(wait, false);
    }

    /**
     * As {@link #close}, and also interrupts the thread, so that a remote call under way (one the SDK stops between
     * attempts when interrupted) is abandoned rather than waited for.
     */
    void interruptAndClose(Duration wait) {
        close(wait, true);
    }

    private void close(Duration wait, boolean interrupt) {
        closed = true;
        synchronized (wake) {
            wake.notifyAll();
        }
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            if (interrupt) {
                t.interrupt();
            }
            try {
                t.join(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
