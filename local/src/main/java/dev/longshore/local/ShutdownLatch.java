package dev.longshore.local;

import java.util.concurrent.CountDownLatch;

/**
 * How a local server process (SqsServerMain, LocalFleet) ends: its main thread waits on the latch, and SIGTERM or
 * Ctrl-C closes the server before releasing it, so the server's ports are freed before the JVM exits.
 */
public final class ShutdownLatch {
    private ShutdownLatch() {
    }

    /** Registers the shutdown hook (thread {@code threadName}) that runs {@code close}; returns the latch to await. */
    public static CountDownLatch closing(Runnable close, String threadName) {
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            close.run();
            stop.countDown();
        }, threadName));
        return stop;
    }
}
