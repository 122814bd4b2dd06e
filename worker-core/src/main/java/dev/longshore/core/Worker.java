package dev.longshore.core;

import dev.longshore.core.config.ConfigException;
import dev.longshore.core.config.Durations;
import dev.longshore.core.config.WorkerConfig;
import dev.longshore.core.health.HealthServer;
import dev.longshore.core.health.HealthSource;
import dev.longshore.core.metrics.Metrics;
import dev.longshore.core.queue.QueueClient;
import dev.longshore.core.runtime.ReceivePipeline;
import dev.longshore.core.runtime.StateMachine;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a worker is wired together: configuration, SQS client, the receive pipeline, health
 * endpoint, extensions. {@link #start()} returns once everything runs; {@link #awaitExitCode()} blocks until
 * the worker TERMINATED and says how the process should exit.
 */
public final class Worker implements WorkerControl, HealthSource, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);

    private final WorkerConfig config;
    private final WorkerPlugin plugin;
    private final QueueClient sqs;
    private final Metrics metrics;
    private final StateMachine states = new StateMachine();
    private final ReceivePipeline runtime;
    private final List<Consumer<DrainReport>> drainedSteps = new CopyOnWriteArrayList<>();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final Object drainLock = new Object();
    private CompletableFuture<DrainReport> drain;
    private volatile int exitCode = ExitCodes.OK;
    private volatile String fatalConfigError;
    private HealthServer health;

    public Worker(WorkerConfig config, WorkerPlugin plugin, QueueClient sqs, Metrics metrics, Clock clock) {
        this.config = Objects.requireNonNull(config);
        this.plugin = Objects.requireNonNull(plugin);
        this.sqs = Objects.requireNonNull(sqs);
        this.metrics = Objects.requireNonNull(metrics);
        this.runtime = new ReceivePipeline(config, plugin, sqs, metrics, clock, states,
                () -> ThreadLocalRandom.current().nextDouble(), this::warmUpFailed);
        metrics.bindState(states::state);
        metrics.bindInflight(runtime::inflight);
    }

    /**
     * Starts the health endpoint, the extensions and the receive loop (which resolves the queue first, retrying
     * while SQS is unreachable).
     *
     * @throws IOException when the health port cannot be bound
     */
    public void start() throws IOException {
        states.moveTo(WorkerState.WARMING, "resolving queue " + config.queueLabel());
        log.info("starting worker {}", config.describe());
        if (config.healthPort().isPresent()) {
            health = HealthServer.start(config.healthBind(), config.healthPort().getAsInt(), this, config.workerName());
        }
        for (WorkerExtension e : plugin.extensions()) {
            try {
                e.start(this);
            } catch (Exception ex) {
                throw new IllegalStateException("extension " + e.getClass().getSimpleName() + " failed to start: " + ex.getMessage(), ex);
            }
        }
        runtime.start();
    }

    /** Port the health endpoint is bound to (useful with WORKER_HEALTH_PORT=0), or -1 when off. */
    public int healthPort() {
        return health == null ? -1 : health.port();
    }

    private void warmUpFailed(ConfigException e) {
        fatalConfigError = e.getMessage();
        drain("configuration error", Duration.ZERO, ExitCodes.CONFIG);
    }

    /** The one-line configuration error found while warming up (queue does not exist), if any. */
    public String fatalConfigError() {
        return fatalConfigError;
    }

    @Override
    public CompletableFuture<DrainReport> drain(String reason, Duration budget, int exitCode) {
        synchronized (drainLock) {
            if (drain != null) {
                return drain;
            }
            this.exitCode = exitCode;
            drain = new CompletableFuture<>();
            CompletableFuture<DrainReport> result = drain;
            Thread t = new Thread(() -> runDrain(reason, budget, exitCode, result), "worker-" + config.workerName() + "-drain");
            t.start();
            return result;
        }
    }

    private void runDrain(String reason, Duration budget, int code, CompletableFuture<DrainReport> result) {
        log.info("drain initiated: {} (budget {}, exit code {})", reason, Durations.format(budget), code);
        states.moveTo(WorkerState.DRAINING, reason);
        DrainReport report;
        try {
            report = runtime.drain(reason, budget, code);
        } catch (RuntimeException e) {
            log.error("drain failed: {}", e.toString(), e);
            report = new DrainReport(reason, 0, 0, Duration.ZERO, code);
        }
        for (Consumer<DrainReport> step : drainedSteps) {
            try {
                step.accept(report);
            } catch (RuntimeException e) {
                log.error("after-drain step failed: {}", e.toString(), e);
            }
        }
        for (WorkerExtension e : plugin.extensions()) {
            try {
                e.close();
            } catch (RuntimeException ex) {
                log.warn("extension {} failed to close: {}", e.getClass().getSimpleName(), ex.toString());
            }
        }
        try {
            plugin.handler().close();
        } catch (RuntimeException e) {
            log.warn("handler failed to close: {}", e.toString());
        }
        states.moveTo(WorkerState.TERMINATED, reason);
        log.info("drain completed: {} finished, {} released, took {} ms; exit code {}",
                report.finished(), report.released(), report.took().toMillis(), code);
        result.complete(report);
        terminated.countDown();
    }

    /** Blocks until TERMINATED; returns the exit code the process should end with. */
    public int awaitExitCode() throws InterruptedException {
        terminated.await();
        return exitCode;
    }

    public boolean isTerminated() {
        return terminated.getCount() == 0;
    }

    public boolean isDraining() {
        synchronized (drainLock) {
            return drain != null;
        }
    }

    @Override
    public void close() {
        drain("closed", config.drainTimeout(), ExitCodes.OK);
        try {
            terminated.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (health != null) {
            health.close();
        }
        sqs.close();
    }

    // WorkerControl

    @Override
    public WorkerState state() {
        return states.state();
    }

    @Override
    public String workerName() {
        return config.workerName();
    }

    @Override
    public Metrics metrics() {
        return metrics;
    }

    @Override
    public Duration drainTimeout() {
        return config.drainTimeout();
    }

    @Override
    public void onDrained(Consumer<DrainReport> step) {
        drainedSteps.add(step);
    }

    @Override
    public int inflight() {
        return runtime.inflight();
    }

    // HealthSource

    @Override
    public String reason() {
        return states.reason();
    }

    @Override
    public boolean live() {
        return runtime.live();
    }

    @Override
    public String metricsText() {
        return metrics.prometheusText();
    }

    public WorkerConfig config() {
        return config;
    }
}
