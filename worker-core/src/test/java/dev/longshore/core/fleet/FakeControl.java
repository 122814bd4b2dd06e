package dev.longshore.core.fleet;

import dev.longshore.core.DrainReport;
import dev.longshore.core.WorkerControl;
import dev.longshore.core.WorkerState;
import dev.longshore.core.metrics.Metrics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** A {@link WorkerControl} that records drains and lets the test finish them and set the in-flight count. */
final class FakeControl implements WorkerControl {
    record Drain(String reason, Duration budget, int exitCode) {
    }

    final AtomicInteger inflight = new AtomicInteger();
    final Metrics metrics = new Metrics();
    final List<Drain> drains = new CopyOnWriteArrayList<>();
    private final List<Consumer<DrainReport>> steps = new CopyOnWriteArrayList<>();
    private final CompletableFuture<DrainReport> drain = new CompletableFuture<>();

    @Override
    public WorkerState state() {
        return drains.isEmpty() ? WorkerState.READY : WorkerState.DRAINING;
    }

    @Override
    public String workerName() {
        return "test";
    }

    @Override
    public Metrics metrics() {
        return metrics;
    }

    @Override
    public synchronized CompletableFuture<DrainReport> drain(String reason, Duration budget, int exitCode) {
        if (drains.isEmpty()) {
            drains.add(new Drain(reason, budget, exitCode));
        }
        return drain;
    }

    @Override
    public Duration drainTimeout() {
        return Duration.ofSeconds(30);
    }

    @Override
    public void onDrained(Consumer<DrainReport> step) {
        steps.add(step);
    }

    @Override
    public int inflight() {
        return inflight.get();
    }

    /** What the worker does when its drain is over: the after-drain steps, then the future. */
    void finishDrain(DrainReport report) {
        steps.forEach(s -> s.accept(report));
        drain.complete(report);
    }
}
