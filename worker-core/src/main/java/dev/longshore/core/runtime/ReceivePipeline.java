package dev.longshore.core.runtime;

import dev.longshore.core.DrainReport;
import dev.longshore.core.WorkerPlugin;
import dev.longshore.core.WorkerState;
import dev.longshore.core.config.ConfigException;
import dev.longshore.core.config.WorkerConfig;
import dev.longshore.core.metrics.Metrics;
import dev.longshore.core.queue.QueueAttributes;
import dev.longshore.core.queue.QueueClient;
import dev.longshore.core.queue.QueueNotFoundException;
import dev.longshore.core.queue.QueueUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The receive side of a worker: warm-up (queue URL, attributes, dead-letter queue), the poller, job threads,
 * visibility heartbeat and acknowledger, and the ordered drain that stops them. Threads are named
 * {@code worker-<name>-poller|visibility|acks|job-N} and all are stopped by {@link #drain}.
 */
public final class ReceivePipeline {
    private static final Logger log = LoggerFactory.getLogger(ReceivePipeline.class);
    /** How long deletes and visibility changes may take after the jobs ended, on top of the drain budget. */
    static final Duration FLUSH_GRACE = Duration.ofSeconds(10);
    /** A poller that has not looped for this long (beyond its long poll) is wedged. */
    static final Duration WEDGED_AFTER = Duration.ofSeconds(90);

    private final WorkerConfig config;
    private final WorkerPlugin plugin;
    private final QueueClient sqs;
    private final Metrics metrics;
    private final Clock clock;
    private final StateMachine states;
    private final DoubleSupplier random;
    private final Consumer<ConfigException> fatal;
    private final InFlightRegistry registry;
    private final VisibilityEstimator estimator;
    private final ExecutorService jobs;
    private volatile boolean draining;
    private volatile String queueUrl;
    private volatile Poller poller;
    private volatile MessageProcessor processor;
    private volatile Acknowledger acks;
    private volatile VisibilityHeartbeat heartbeat;
    private Thread pollerThread;
    private final List<Thread> ackThreads = new java.util.ArrayList<>();
    private Thread heartbeatThread;
    private final List<Thread> extraPollers = new java.util.ArrayList<>();
    private final List<Poller> extraPollerTasks = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final BurstSignal burst = new BurstSignal();
    /** Receives in flight at once under load: one per 10 slots, so a batch of 10 can be fetched for each. */
    static final int MAX_POLLERS = 8;
    private final Object warmUpWake = new Object();

    public ReceivePipeline(WorkerConfig config, WorkerPlugin plugin, QueueClient sqs, Metrics metrics, Clock clock,
                           StateMachine states, DoubleSupplier random, Consumer<ConfigException> fatal) {
        this.config = config;
        this.plugin = plugin;
        this.sqs = sqs;
        this.metrics = metrics;
        this.clock = clock;
        this.states = states;
        this.random = random;
        this.fatal = fatal;
        this.registry = new InFlightRegistry(config.concurrency());
        this.estimator = new VisibilityEstimator(config.visibilityTimeout(), config.receiveVisibility());
        this.jobs = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("worker-" + config.workerName() + "-job-", 1).factory());
    }

    public void start() {
        pollerThread = new Thread(this::warmUpThenPoll, "worker-" + config.workerName() + "-poller");
        pollerThread.start();
    }

    private void warmUpThenPoll() {
        MDC.put("worker", config.workerName());
        MDC.put("queue", config.queueLabel());
        int failures = 0;
        QueueAttributes attributes = null;
        DeadLetterRouter deadLetters = null;
        while (!draining) {
            try {
                String url = config.queueUrl().orElseGet(() -> sqs.queueUrl(config.queueName().get(), Optional.empty()));
                attributes = sqs.attributes(url);
                deadLetters = DeadLetterRouter.resolve(sqs, attributes);
                queueUrl = url;
                break;
            } catch (QueueNotFoundException e) {
                String variable = config.queueUrl().isPresent() ? "WORKER_QUEUE_URL" : "WORKER_QUEUE_NAME";
                fatal.accept(ConfigException.invalid(variable, config.queueLabel(),
                        "an existing SQS queue (" + e.getMessage() + ")"));
                return;
            } catch (QueueUnavailableException | IllegalStateException e) {
                metrics.receiveErrors().increment();
                states.moveTo(WorkerState.PAUSED, "SQS unreachable: " + e.getMessage());
                log.warn("cannot read queue {} yet: {}", config.queueLabel(), e.getMessage());
                synchronized (warmUpWake) {
                    if (draining) {
                        return;
                    }
                    try {
                        warmUpWake.wait(Math.max(1, Poller.SQS_BACKOFF.delay(++failures).toMillis()));
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }
        if (draining || attributes == null) {
            return;
        }
        MDC.put("queue", queueUrl);
        log.info("queue {} (fifo={}, visibility {} s, dead-letter queue {})", queueUrl, attributes.fifo(),
                attributes.visibilityTimeoutSeconds(), deadLetters.url().orElse("none"));
        RetryPolicy retry = new RetryPolicy(config.retryBaseDelay(), config.retryMaxDelay(), random);
        PipelineParts parts = new PipelineParts(config.workerName(), queueUrl, sqs, registry, metrics, clock, estimator,
                () -> draining);
        heartbeat = new VisibilityHeartbeat(parts);
        acks = new Acknowledger(sqs, queueUrl, metrics, registry::remove);
        processor = new MessageProcessor(parts, plugin.handler(), acks, deadLetters, retry, heartbeat);
        Dispatcher dispatcher = new Dispatcher(parts, jobs, processor, attributes.fifo());
        int waitSeconds = (int) config.receiveWait().toSeconds();
        poller = new Poller(parts, dispatcher, processor, plugin.gates(), states, waitSeconds, Poller.Role.PRIMARY,
                burst);
        for (int i = 1; i < pollerCount(config.concurrency()); i++) {
            Poller extra = new Poller(parts, dispatcher, processor, plugin.gates(), states, waitSeconds,
                    Poller.Role.EXTRA, burst);
            extraPollerTasks.add(extra);
            extraPollers.add(namedThread("poller-" + i, extra));
        }
        heartbeatThread = namedThread("visibility", heartbeat);
        // As many delete batches in flight as receives: one acknowledger thread would cap throughput at one
        // DeleteMessageBatch round trip per 10 messages.
        for (int i = 0; i < pollerCount(config.concurrency()); i++) {
            ackThreads.add(namedThread(i == 0 ? "acks" : "acks-" + i, acks));
        }
        synchronized (this) {
            if (draining) {
                return;
            }
            heartbeatThread.start();
            ackThreads.forEach(Thread::start);
            extraPollers.forEach(Thread::start);
        }
        poller.run();
    }

    private Thread namedThread(String role, Runnable body) {
        String worker = config.workerName();
        String queue = queueUrl;
        return new Thread(() -> {
            MDC.put("worker", worker);
            MDC.put("queue", queue);
            body.run();
        }, "worker-" + worker + "-" + role);
    }

    static int pollerCount(int concurrency) {
        return Math.max(1, Math.min(MAX_POLLERS, (concurrency + 9) / 10));
    }

    public int inflight() {
        return registry.size();
    }

    public boolean live() {
        Poller p = poller;
        if (p == null || draining) {
            return true;
        }
        Duration idle = Duration.between(p.lastLoop(), clock.instant());
        return idle.compareTo(WEDGED_AFTER.plus(config.receiveWait())) < 0;
    }

    /**
     * Stops receiving, waits up to {@code budget} for running jobs, releases what is left, flushes outcomes
     * and stops every thread. Called once, from the worker's drain thread.
     */
    public DrainReport drain(String reason, Duration budget, int exitCode) {
        Instant start = clock.instant();
        long doneBefore = metrics.succeeded().value() + metrics.retried().value() + metrics.deadLettered().value();
        // Counted from the metric, so messages a late receive returned (released by the pollers) are included.
        long releasedBefore = metrics.released().value();
        synchronized (this) {
            draining = true;
        }
        synchronized (warmUpWake) {
            warmUpWake.notifyAll();
        }
        sqs.abortReceives();
        Poller p = poller;
        if (p != null) {
            p.wake();
        }
        extraPollerTasks.forEach(Poller::wake);
        burst.wakeAll();
        MessageProcessor proc = processor;
        if (proc != null) {
            proc.release(waiting(), "worker is draining; not started");
            // Running jobs may tell their children to checkpoint (JobContext.onDrain).
            registry.snapshot().stream().map(m -> m.context).filter(java.util.Objects::nonNull)
                    .forEach(JobContextImpl::drainStarted);
            try {
                if (!registry.awaitNone(budget, InFlightMessage.Phase.RUNNING)) {
                    List<InFlightMessage> stillRunning = registry.snapshot().stream()
                            .filter(m -> m.phase.get() == InFlightMessage.Phase.RUNNING).toList();
                    log.warn("drain budget {} ms spent with {} job(s) running; cancelling them", budget.toMillis(),
                            stillRunning.size());
                    proc.release(stillRunning, "drain deadline passed; job cancelled");
                }
                // Messages a late receive returns are released by the pollers; wait for them to stop.
                joinQuietly(pollerThread, Duration.ofSeconds(2));
                for (Thread t : extraPollers) {
                    joinQuietly(t, Duration.ofSeconds(2));
                }
                if (!acks.flush(FLUSH_GRACE)) {
                    log.warn("{} delete(s) still pending after {} s; those messages will be delivered again",
                            acks.pendingCount(), FLUSH_GRACE.toSeconds());
                }
                registry.awaitEmpty(FLUSH_GRACE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            joinQuietly(pollerThread, Duration.ofSeconds(2));
        }
        stopThreads();
        long doneAfter = metrics.succeeded().value() + metrics.retried().value() + metrics.deadLettered().value();
        int released = (int) (metrics.released().value() - releasedBefore);
        return new DrainReport(reason, (int) (doneAfter - doneBefore), released,
                Duration.between(start, clock.instant()), exitCode);
    }

    private List<InFlightMessage> waiting() {
        return registry.snapshot().stream().filter(m -> m.phase.get() == InFlightMessage.Phase.WAITING).toList();
    }

    private void stopThreads() {
        if (heartbeat != null) {
            heartbeat.stop();
            heartbeatThread.interrupt();
            joinQuietly(heartbeatThread, Duration.ofSeconds(2));
        }
        if (acks != null) {
            acks.stop();
            ackThreads.forEach(Thread::interrupt);
            ackThreads.forEach(t -> joinQuietly(t, Duration.ofSeconds(2)));
        }
        jobs.shutdownNow();
        try {
            if (!jobs.awaitTermination(2, TimeUnit.SECONDS)) {
                log.warn("some job threads did not stop within 2 s of cancellation");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void joinQuietly(Thread t, Duration timeout) {
        if (t == null || t == Thread.currentThread()) {
            return;
        }
        try {
            t.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
