package dev.longshore.ai.testing;

import dev.longshore.core.DrainReport;
import dev.longshore.core.WorkerControl;
import dev.longshore.core.WorkerState;
import dev.longshore.core.metrics.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Records what an extension asked of the worker. */
public final class FakeControl implements WorkerControl {
    public record Drain(String reason, Duration budget, int exitCode, Instant at) {
    }

    private final Clock clock;
    private final Metrics metrics = new Metrics();
    private final List<Drain> drains = new ArrayList<>();
    private final CountDownLatch drained = new CountDownLatch(1);

    public FakeControl(Clock clock) {
        this.clock = clock;
    }

    public FakeControl() {
        this(Clock.systemUTC());
    }

    @Override
    public WorkerState state() {
        return drains.isEmpty() ? WorkerState.READY : WorkerState.DRAINING;
    }

    @Override
    public String workerName() {
        return "ai";
    }

    @Override
    public Metrics metrics() {
        return metrics;
    }

    @Override
    public synchronized CompletableFuture<DrainReport> drain(String reason, Duration budget, int exitCode) {
        drains.add(new Drain(reason, budget, exitCode, clock.instant()));
        drained.countDown();
        return new CompletableFuture<>();
    }

    @Override
    public Duration drainTimeout() {
        return Duration.ofSeconds(30);
    }

    @Override
    public void onDrained(Consumer<DrainReport> step) {
    }

    @Override
    public int inflight() {
        return 0;
    }

    public synchronized List<Drain> drains() {
        return List.copyOf(drains);
    }

    public boolean awaitDrain(Duration timeout) throws InterruptedException {
        return drained.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
