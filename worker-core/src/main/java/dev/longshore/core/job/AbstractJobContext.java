package dev.longshore.core.job;

import java.util.function.Consumer;

/**
 * The cancel and drain half of a {@link JobContext}, shared by the runtime's context and the test fake so both
 * keep the same rule: an action added before the event runs when it happens, one added after runs at once.
 */
public abstract class AbstractJobContext implements JobContext {
    private final OnceActions cancelActions;
    private final OnceActions drainActions;

    /** @param runner runs one cancel or drain action, e.g. catching and logging what it throws */
    protected AbstractJobContext(Consumer<Runnable> runner) {
        this.cancelActions = new OnceActions(runner);
        this.drainActions = new OnceActions(runner);
    }

    @Override
    public boolean isCancelled() {
        return cancelActions.happened();
    }

    @Override
    public void onCancel(Runnable action) {
        cancelActions.add(action);
    }

    @Override
    public boolean isDraining() {
        return drainActions.happened();
    }

    @Override
    public void onDrain(Runnable action) {
        drainActions.add(action);
    }

    /** The job is cancelled: runs its cancel actions, once. */
    protected void runCancelActions() {
        cancelActions.happen();
    }

    /** The worker drains: runs the drain actions, once. */
    protected void runDrainActions() {
        drainActions.happen();
    }
}
