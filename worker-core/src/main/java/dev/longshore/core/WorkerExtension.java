package dev.longshore.core;

/** A component with its own thread(s) that watches something and may steer the worker (drain, restart). */
public interface WorkerExtension extends AutoCloseable {

    /** Starts the extension's threads; {@code control} stays valid until {@link #close()}. */
    void start(WorkerControl control) throws Exception;

    /** Stops the extension's threads; idempotent, bounded. */
    @Override
    void close();
}
