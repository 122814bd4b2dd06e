package dev.longshore.local.planner;

/**
 * What an instance is to the planner.
 *
 * @param concurrency   jobs it runs at once ({@code WORKER_CONCURRENCY})
 * @param bootSeconds   launch until its worker takes the first job (the design expects 60-180 s on EC2)
 * @param noticeSeconds scale-in until the worker sees {@code Terminated} and stops taking jobs (up to one
 *                      {@code WORKER_LIFECYCLE_POLL_INTERVAL}, 5 s by default: 2.5 s on average); it then finishes
 *                      what it runs and completes the hook, and billing stops
 * @param pricePerHour  on-demand price in USD; billed per second with a 60 s minimum, as EC2 Linux is
 */
public record InstanceModel(int concurrency, double bootSeconds, double noticeSeconds, double pricePerHour) {
    /** t4g.small on-demand in us-east-1, the messaging and AI CPU default. */
    public static final double DEFAULT_PRICE = 0.0168;
    public static final double DEFAULT_BOOT_SECONDS = 120;
    public static final double DEFAULT_NOTICE_SECONDS = 2.5;
    static final double MINIMUM_BILLED_SECONDS = 60;

    public InstanceModel {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be 1 or more, was " + concurrency);
        }
        if (!(bootSeconds >= 0) || !(noticeSeconds >= 0) || !(pricePerHour >= 0)) {
            throw new IllegalArgumentException("boot, notice and price must not be negative");
        }
    }

    /** What an instance alive for {@code seconds} costs. */
    public double cost(double seconds) {
        return Math.max(MINIMUM_BILLED_SECONDS, seconds) * pricePerHour / 3600;
    }
}
