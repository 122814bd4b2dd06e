package dev.longshore.core.job;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The actions of {@link JobContext#onCancel} or {@link JobContext#onDrain}: an action added before the event runs
 * when it happens, one added after runs at once, each exactly once. For the runtime's context and test fakes.
 */
public final class OnceActions {
    private final Consumer<Runnable> runner;
    private final List<Runnable> waiting = new ArrayList<>();
    private volatile boolean happened;

    /** @param runner runs one action, e.g. catching and logging what it throws */
    public OnceActions(Consumer<Runnable> runner) {
        this.runner = runner;
    }

    public boolean happened() {
        return happened;
    }

    /** Runs {@code action} now when the event happened, else when it happens. Actions run outside the lock. */
    public void add(Runnable action) {
        boolean now;
        synchronized (this) {
            now = happened;
            if (!now) {
                waiting.add(action);
            }
        }
        if (now) {
            runner.accept(action);
        }
    }

    /** The event happened: runs the waiting actions, on this thread; nothing when it had happened already. */
    public void happen() {
        List<Runnable> toRun;
        synchronized (this) {
            if (happened) {
                return;
            }
            happened = true;
            toRun = List.copyOf(waiting);
            waiting.clear();
        }
        toRun.forEach(runner);
    }
}
