package dev.longshore.local.autoscale;

/**
 * One local instance's history, times in seconds since the controller was created (NaN until it happened).
 * Mutated only by {@link FleetController} under its lock; readers get copies.
 */
public final class FleetInstance {
    private final String id;
    private final boolean initial;
    private final double launchedAt;
    InstanceState state = InstanceState.BOOTING;
    WorkerHandle handle;
    double startedAt = Double.NaN;
    double readyAt = Double.NaN;
    double scaledInAt = Double.NaN;
    double drainStartedAt = Double.NaN;
    double endedAt = Double.NaN;
    int exitCode = -1;
    String lifecycleResult;
    String problem;

    FleetInstance(String id, boolean initial, double launchedAt) {
        this.id = id;
        this.initial = initial;
        this.launchedAt = launchedAt;
    }

    FleetInstance copy() {
        FleetInstance c = new FleetInstance(id, initial, launchedAt);
        c.state = state;
        c.startedAt = startedAt;
        c.readyAt = readyAt;
        c.scaledInAt = scaledInAt;
        c.drainStartedAt = drainStartedAt;
        c.endedAt = endedAt;
        c.exitCode = exitCode;
        c.lifecycleResult = lifecycleResult;
        c.problem = problem;
        c.handle = handle;
        return c;
    }

    public String id() {
        return id;
    }

    /** One of the instances at min before the load started (they count as warm). */
    public boolean initial() {
        return initial;
    }

    public InstanceState state() {
        return state;
    }

    public double launchedAt() {
        return launchedAt;
    }

    public double readyAt() {
        return readyAt;
    }

    public double scaledInAt() {
        return scaledInAt;
    }

    public double endedAt() {
        return endedAt;
    }

    public int exitCode() {
        return exitCode;
    }

    /** CONTINUE or ABANDON when the worker completed the lifecycle action, else null. */
    public String lifecycleResult() {
        return lifecycleResult;
    }

    /** What went wrong, or null. */
    public String problem() {
        return problem;
    }

    /** Jobs the worker has in flight now (read from it, so call this outside the controller's lock), -1 if unknown. */
    public int inFlight() {
        WorkerHandle h = handle;
        return h != null && state.alive() && state != InstanceState.BOOTING ? h.inFlight() : -1;
    }

    /** Launch until the worker was READY: the boot the planner should assume. */
    public double bootSeconds() {
        return readyAt - launchedAt;
    }

    /** Scale-in until the worker saw Terminated and stopped taking jobs (the planner's scale-in notice). */
    public double noticeSeconds() {
        return drainStartedAt - scaledInAt;
    }

    /** Scale-in until the worker completed the hook and exited. */
    public double drainSeconds() {
        return endedAt - scaledInAt;
    }

    /** Launch until it ended, or until {@code now} when it still runs. */
    public double lifetime(double now) {
        return (Double.isNaN(endedAt) ? now : endedAt) - launchedAt;
    }
}
