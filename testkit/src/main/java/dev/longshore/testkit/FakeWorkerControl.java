package dev.longshore.testkit;

import dev.longshore.core.DrainReport;
import dev.longshore.core.WorkerControl;
import dev.longshore.core.WorkerState;
import dev.longshore.core.metrics.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A {@link WorkerControl} for extension tests: records what the extension asked (drains, with the clock's time),
 * lets the test set the in-flight count and finish the drain as the worker would.
 */
public final class FakeWorkerControl implements WorkerControl {
    public record Drain(String reason, Duration budget, int exitCode, Instant at) {
    }

    private final String workerName;
    private final Clock clock;
    private final Metrics metrics = new Metrics();
    private final AtomicInteger inflight = new AtomicInteger();
    private final List<Drain> drains = new CopyOnWriteArrayList<>();
    private final List<Consumer<DrainReport>> afterDrain = new CopyOnWriteArrayList<>();
    private final CompletableFuture<DrainReport> drain = new CompletableFuture<>();
    private final CountDownLatch drainAsked = new CountDownLatch(1);

    public FakeWorkerControl(String workerName, Clock clock) {
        this.workerName = workerName;
        this.clock = clock;
    }

    public FakeWorkerControl() {
        this("test", Clock.systemUTC());
    }

    @Override
    public WorkerState state() {
        return drains.isEmpty() ? WorkerState.READY : WorkerState.DRAINING;
    }

    @Override
    public String workerName() {
        return workerName;
    }

    @Override
    public Metrics metrics() {
        return metrics;
    }

    /** Like the worker, only the first drain counts; later calls get the same future. */
    @Override
    public synchronized CompletableFuture<DrainReport> drain(String reason, Duration budget, int exitCode) {
        if (drains.isEmpty()) {
            drains.add(new Drain(reason, budget, exitCode, clock.instant()));
            drainAsked.countDown();
        }
        return drain;
    }

    @Override
    public Duration drainTimeout() {
        return Duration.ofSeconds(30);
    }

    @Override
    public void onDrained(Consumer<DrainReport> step) {
        afterDrain.add(step);
    }

    @Override
    public int inflight() {
        return inflight.get();
    }

    public void setInflight(int count) {
        inflight.set(count);
    }

    public List<Drain> drains() {
        return List.copyOf(drains);
    }

    public boolean awaitDrain(Duration timeout) throws InterruptedException {
        return drainAsked.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** What the worker does when its drain is over: the after-drain steps, then the future. */
    public void finishDrain(DrainReport report) {
        afterDrain.forEach(s -> s.accept(report));
        drain.complete(report);
    }
}
