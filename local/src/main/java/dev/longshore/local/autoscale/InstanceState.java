package dev.longshore.local.autoscale;

/** Where a local instance is in its life. */
public enum InstanceState {
    /** Launched; the boot delay (standing in for EC2 start-up and the container pull) is running. */
    BOOTING,
    /** The boot delay is over and the worker JVM is starting; not yet receiving. */
    STARTING,
    /** The worker is READY and receives; it counts in the metric's denominator. */
    IN_SERVICE,
    /** Scaled in: lifecycle state Terminated; the worker drains and completes the hook. */
    DRAINING,
    /** The worker completed the hook with CONTINUE and exited 0. */
    TERMINATED,
    /** The worker exited some other way (reported as a problem). */
    FAILED;

    public boolean alive() {
        return this != TERMINATED && this != FAILED;
    }
}
