package dev.longshore.core.fleet;

import dev.longshore.core.WorkerControl;
import dev.longshore.core.WorkerExtension;
import dev.longshore.core.concurrent.BackgroundThread;
import dev.longshore.core.concurrent.PeriodicTask;
import dev.longshore.core.concurrent.Sleeper;
import dev.longshore.core.config.Durations;
import dev.longshore.core.metrics.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;

/**
 * Publishes the worker's metrics to CloudWatch ({@code WORKER_METRICS_NAMESPACE}) once per interval, all datums
 * in one PutMetricData call (see {@link CloudWatchDatums}), on its own thread ({@code worker-<name>-cloudwatch}).
 * A failed publish is logged (rate-limited) and its counts are carried into the next one; it never touches the
 * job threads. The client is built on the first publish, so a worker without region or credentials starts as
 * before and only this thread complains.
 *
 * <p>{@link #close()} runs after the drain (README: Health and metrics; docs/deploy.md, "Alarms and dashboard"):
 * it sends what changed since the last publish once more, within {@link #FINAL_PUBLISH_TIMEOUT}, so the jobs an
 * instance finished in its last minute still reach the dashboard at scale-in.
 */
final class CloudWatchPublisher implements WorkerExtension {
    private static final Logger log = LoggerFactory.getLogger(CloudWatchPublisher.class);
    /** CloudWatch's standard resolution: a finer interval would cost more and add nothing to scaling. */
    static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
    /** During an outage, one log line per this period. */
    static final Duration FAILURE_LOG_PERIOD = Duration.ofMinutes(10);
    /**
     * The last publish at shutdown: one PutMetricData takes well under a second when CloudWatch answers; past
     * this the counts are dropped rather than delay the exit (docker's default stop timeout is 10 s).
     */
    static final Duration FINAL_PUBLISH_TIMEOUT = Duration.ofSeconds(5);

    /** Where datums go; the SDK client in production. */
    interface Sink {
        void put(String namespace, List<MetricDatum> datums);
    }

    private final String namespace;
    private final String workerName;
    private final Supplier<Optional<String>> groupName;
    private final Sink sink;
    private final Clock clock;
    private final RateLimitedWarning failures;
    private final PeriodicTask schedule;
    private final AtomicBoolean finalPublishDone = new AtomicBoolean();
    private Metrics metrics;
    private MetricSample published;
    private final AtomicLong publishes = new AtomicLong();

    CloudWatchPublisher(String namespace, String workerName, Supplier<Optional<String>> groupName, Sink sink,
                        Duration interval, Clock clock) {
        this.namespace = namespace;
        this.workerName = workerName;
        this.groupName = groupName;
        this.sink = sink;
        this.clock = clock;
        this.failures = new RateLimitedWarning(log, FAILURE_LOG_PERIOD, clock);
        // Named after the worker it publishes for, the one whose control starts it (Fleet passes config.workerName()).
        // The real sleeper: close() wakes the wait at once.
        this.schedule = new PeriodicTask("worker-" + workerName + "-cloudwatch", interval, interval, clock,
                Sleeper.SYSTEM);
    }

    static Sink sdkSink(AwsClients clients) {
        return (namespace, datums) -> clients.cloudWatch().putMetricData(b -> b.namespace(namespace).metricData(datums));
    }

    @Override
    public void start(WorkerControl control) {
        this.metrics = control.metrics();
        synchronized (this) {
            published = MetricSample.zero(metrics);
        }
        schedule.start(this::announceOnThread, this::publishOnSchedule);
    }

    private void announceOnThread() {
        MDC.put("worker", workerName);
        log.info("publishing metrics to CloudWatch namespace {} every {}", namespace,
                Durations.format(schedule.interval()));
    }

    /** Always true: a failed publish carries its counts into the next one. */
    private boolean publishOnSchedule() {
        publishOnce();
        return true;
    }

    /** One PutMetricData with everything since the last successful publish; never throws. */
    boolean publishOnce() {
        return publish(false);
    }

    /** True when jobs finished since the last successful publish. */
    private synchronized boolean hasUnpublishedCounts() {
        MetricSample now = MetricSample.of(metrics);
        return !now.outcomes().equals(published.outcomes())
                || now.processing().count() != published.processing().count();
    }

    private synchronized boolean publish(boolean last) {
        MetricSample now = MetricSample.of(metrics);
        List<MetricDatum> datums;
        try {
            datums = CloudWatchDatums.between(published, now, dimensions(), clock.instant());
            sink.put(namespace, datums);
        } catch (RuntimeException e) {
            if (schedule.closed() && !last) {
                // cut short by close(): the last publish sends these counts
                return false;
            }
            if (last) {
                log.warn("last publish to CloudWatch namespace {} failed: {}; the counts since the previous publish "
                        + "are lost", namespace, ImdsInstanceMetadata.oneLine(e.getMessage()));
                return false;
            }
            failures.failure("publishing metrics to CloudWatch namespace " + namespace,
                    ImdsInstanceMetadata.oneLine(e.getMessage()) + " (counts carried into the next publish)");
            return false;
        }
        published = now;
        publishes.incrementAndGet();
        failures.success("publishing metrics to CloudWatch");
        return true;
    }

    private List<Dimension> dimensions() {
        List<Dimension> dims = new ArrayList<>(2);
        groupName.get().ifPresent(g -> dims.add(Dimension.builder().name("AutoScalingGroupName").value(g).build()));
        dims.add(Dimension.builder().name("WorkerName").value(workerName).build());
        return dims;
    }

    /** Publishes that failed since the last one that worked. */
    long failuresSinceLastSuccess() {
        return failures.failures();
    }

    /** Successful publishes so far (readable while a publish is under way). */
    long publishes() {
        return publishes.get();
    }

    @Override
    public void close() {
        // A publish stuck on an unreachable endpoint is abandoned: the SDK stops between attempts when interrupted.
        schedule.interruptAndClose(BackgroundThread.DEFAULT_CLOSE_WAIT);
        publishLast();
    }

    /**
     * Once, after the periodic thread stopped: sends the counts since the last publish, on a thread of its own so
     * an unreachable endpoint costs at most {@link #FINAL_PUBLISH_TIMEOUT}. Skipped when nothing finished since.
     */
    private void publishLast() {
        if (metrics == null || !finalPublishDone.compareAndSet(false, true)) {
            return;
        }
        // The check runs on the new thread too: a periodic publish stuck past the close wait still holds the monitor.
        Thread last = new Thread(() -> {
            MDC.put("worker", workerName);
            if (hasUnpublishedCounts() && publish(true)) {
                log.info("last metrics published to CloudWatch namespace {}", namespace);
            }
        }, "worker-" + workerName + "-cloudwatch-last");
        last.setDaemon(true);
        last.start();
        try {
            last.join(FINAL_PUBLISH_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (last.isAlive()) {
            last.interrupt();
            log.warn("last publish to CloudWatch namespace {} did not finish within {}; its counts are lost",
                    namespace, Durations.format(FINAL_PUBLISH_TIMEOUT));
        }
    }
}
