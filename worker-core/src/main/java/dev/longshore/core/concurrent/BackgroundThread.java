package dev.longshore.core.concurrent;

import java.time.Duration;

/**
 * The one background thread of an extension (fleet features, GPU watchers, sweepers): a daemon, a pause that
 * {@link #close} cuts short, and a close that wakes the thread and waits a bounded time for it to end. The
 * extension that starts it owns it and closes it from its own close().
 */
public final class BackgroundThread {
    /**
     * How long close() waits, by default, for the thread to finish what it is doing (a metadata read, a call, a
     * sweep). Short: the threads are daemons that hold nothing worth waiting for, and every second here delays the
     * process exit.
     */
    public static final Duration DEFAULT_CLOSE_WAIT = Duration.ofSeconds(1);

    private final Object wake = new Object();
    private volatile boolean closed;
    private Thread thread;

    /**
     * Runs {@code body} on a daemon thread: it never keeps the JVM alive, the worker's drain decides the exit.
     * Does nothing and returns false when already started.
     */
    public synchronized boolean start(String name, Runnable body) {
        if (thread != null) {
            return false;
        }
        thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return true;
    }

    public synchronized boolean started() {
        return thread != null;
    }

    public boolean closed() {
        return closed;
    }

    /**
     * Waits {@code millis} (none when not positive) or until closed; false once closed. An interrupt counts as
     * a close, and the interrupt flag stays set for the code that runs after.
     */
    public boolean pause(long millis) {
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

    /**
     * Marks it closed, wakes it, and waits up to {@code wait} for it to end unless called from the thread itself.
     *
     * @return false when the thread is still running after {@code wait}, for the owner to log
     */
    public boolean close(Duration wait) {
        return close(wait, false);
    }

    /**
     * As {@link #close}, and also interrupts the thread, so that a remote call under way (one the SDK stops between
     * attempts when interrupted) or a blocking sleep is abandoned rather than waited for.
     */
    public boolean interruptAndClose(Duration wait) {
        return close(wait, true);
    }

    /**
     * Waits up to {@code timeout} for the thread to end by itself, without closing it (tests whose fake clock ends
     * the run). True when it ended or never started.
     */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        Thread t = thread();
        if (t == null) {
            return true;
        }
        t.join(timeout.toMillis());
        return !t.isAlive();
    }

    private boolean close(Duration wait, boolean interrupt) {
        closed = true;
        synchronized (wake) {
            wake.notifyAll();
        }
        Thread t = thread();
        if (t == null || t == Thread.currentThread()) {
            return true;
        }
        if (interrupt) {
            t.interrupt();
        }
        try {
            t.join(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !t.isAlive();
    }

    private synchronized Thread thread() {
        return thread;
    }
}
