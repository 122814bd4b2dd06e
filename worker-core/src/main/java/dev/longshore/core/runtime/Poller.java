package dev.longshore.core.runtime;

import dev.longshore.core.WorkerState;
import dev.longshore.core.gate.GateStatus;
import dev.longshore.core.gate.ReceiveGate;
import dev.longshore.core.metrics.Metrics;
import dev.longshore.core.queue.QueueClient;
import dev.longshore.core.queue.QueueMessage;
import dev.longshore.core.queue.QueueUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receive loop: checks the gates, takes as many permits as there are free slots (at most 10), long-polls
 * for that many messages and hands them to the dispatcher. SQS errors put the worker in PAUSED and are retried
 * with a capped backoff; when SQS answers again the worker is READY again in the same process.
 */
final class Poller implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Poller.class);
    /** How often a closed gate is asked again: quick enough to resume promptly, cheap enough to be idle. */
    static final Duration GATE_RECHECK = Duration.ofSeconds(1);
    /**
     * How long an extra poller sleeps between looks while the queue is quiet. A full receive or the drain
     * (BurstSignal.wakeAll) wakes it at once, so it need not look every second: three extra pollers of a
     * 32-slot worker made its idle CPU (README: Performance).
     */
    static final Duration EXTRA_IDLE_WAIT = Duration.ofMinutes(1);
    /** How long to wait for a free slot before looking at gates and drain again. */
    private static final Duration PERMIT_WAIT = Duration.ofSeconds(1);
    /**
     * Bounds of the wait for slots about to free up, to receive a fuller batch (see InFlightRegistry). Jobs received
     * together end together, so waiting a little longer than one job lets slots that fell out of step join the
     * others again instead of each asking SQS for one message (a wait of exactly one mean job missed half of them:
     * the others had started a few milliseconds later); the upper bound caps what a long job can hold back.
     */
    static final Duration GATHER_MIN = Duration.ofMillis(5);
    static final Duration GATHER_MAX = Duration.ofSeconds(1);
    /** Extra pollers poll briefly: when the queue empties they go back to sleep within a second. */
    private static final int BURST_WAIT_SECONDS = 1;
    static final Duration BACKOFF_MIN = Duration.ofMillis(500);
    static final Duration BACKOFF_MAX = Duration.ofSeconds(30);
    /** Waits while SQS is unreachable: doubling from {@link #BACKOFF_MIN} to {@link #BACKOFF_MAX}, jittered. */
    static final Backoff SQS_BACKOFF = Backoff.jittered(BACKOFF_MIN, BACKOFF_MAX);

    private final QueueClient sqs;
    private final String queueUrl;
    private final InFlightRegistry registry;
    private final Dispatcher dispatcher;
    private final MessageProcessor processor;
    private final List<ReceiveGate> gates;
    private final StateMachine state;
    private final Metrics metrics;
    private final Clock clock;
    private final VisibilityEstimator visibility;
    private final int waitSeconds;
    private final BooleanSupplier draining;
    private final boolean primary;
    private final BurstSignal burst;
    private final Object wake = new Object();
    private volatile Instant lastLoop;

    /** The primary poller reports and probes SQS outages; extra pollers join only while receives come back full. */
    enum Role { PRIMARY, EXTRA }

    Poller(PipelineParts parts, Dispatcher dispatcher, MessageProcessor processor, List<ReceiveGate> gates,
           StateMachine state, int waitSeconds, Role role, BurstSignal burst) {
        this.sqs = parts.sqs();
        this.queueUrl = parts.queueUrl();
        this.registry = parts.registry();
        this.dispatcher = dispatcher;
        this.processor = processor;
        this.gates = List.copyOf(gates);
        this.state = state;
        this.metrics = parts.metrics();
        this.clock = parts.clock();
        this.visibility = parts.estimator();
        this.waitSeconds = waitSeconds;
        this.draining = parts.draining();
        this.primary = role == Role.PRIMARY;
        this.burst = burst;
        this.lastLoop = clock.instant();
    }

    Instant lastLoop() {
        return lastLoop;
    }

    /** Wakes the loop from a gate or backoff wait (drain). */
    void wake() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    @Override
    public void run() {
        int failures = 0;
        boolean sqsDown = false;
        while (!draining.getAsBoolean()) {
            lastLoop = clock.instant();
            if (!primary && !awaitBurst()) {
                continue;
            }
            GateStatus gate = checkGates();
            if (!gate.isOpen()) {
                if (primary) {
                    state.moveTo(WorkerState.PAUSED, gate.reason());
                }
                pause(GATE_RECHECK);
                continue;
            }
            if (!sqsDown && primary) {
                state.moveTo(WorkerState.READY, "");
            }
            int permits;
            try {
                permits = registry.acquireUpTo(10, PERMIT_WAIT, gatherWindow(visibility.meanProcessingTime()));
            } catch (InterruptedException e) {
                continue;
            }
            if (permits == 0) {
                continue;
            }
            List<QueueMessage> received;
            try {
                received = sqs.receive(queueUrl, permits, primary ? waitSeconds : Math.min(waitSeconds, BURST_WAIT_SECONDS),
                        visibility.receiveSeconds());
            } catch (QueueUnavailableException e) {
                registry.releasePermits(permits);
                if (draining.getAsBoolean()) {
                    break;
                }
                metrics.receiveErrors().increment();
                if (!primary) {
                    // The primary poller reports and probes the outage; extra pollers just stand down.
                    burst.quiet();
                    continue;
                }
                if (!sqsDown) {
                    log.warn("SQS unreachable, backing off: {}", e.getMessage());
                }
                sqsDown = true;
                state.moveTo(WorkerState.PAUSED, "SQS unreachable: " + e.getMessage());
                pause(SQS_BACKOFF.delay(++failures));
                continue;
            }
            if (sqsDown) {
                log.info("SQS reachable again");
                sqsDown = false;
                failures = 0;
                state.moveTo(WorkerState.READY, "");
            }
            registry.releasePermits(permits - received.size());
            log.debug("received {} message(s) for {} free slot(s)", received.size(), permits);
            if (received.isEmpty()) {
                burst.quiet();
                continue;
            }
            if (received.size() == permits && permits == 10) {
                burst.busy();
            }
            metrics.received().add(received.size());
            Instant receivedAt = clock.instant();
            if (draining.getAsBoolean()) {
                releaseLate(received, receivedAt);
                break;
            }
            dispatcher.dispatch(received, visibility.receiveSeconds(), receivedAt);
        }
        log.debug("poller stopped");
    }

    /** One and a half mean job times, between {@link #GATHER_MIN} and {@link #GATHER_MAX}. */
    static Duration gatherWindow(Duration meanJob) {
        Duration window = meanJob.plus(meanJob.dividedBy(2));
        return window.compareTo(GATHER_MIN) < 0 ? GATHER_MIN : window.compareTo(GATHER_MAX) > 0 ? GATHER_MAX : window;
    }

    /** Extra pollers sleep until a full receive says the queue is busy. */
    private boolean awaitBurst() {
        try {
            return burst.awaitBusy(EXTRA_IDLE_WAIT.toMillis()) && !draining.getAsBoolean();
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** A receive that was in flight when the drain began returned messages: give them straight back. */
    private void releaseLate(List<QueueMessage> received, Instant receivedAt) {
        List<InFlightMessage> late = new ArrayList<>(received.size());
        for (QueueMessage msg : received) {
            InFlightMessage m = new InFlightMessage(msg, receivedAt, visibility.receiveSeconds(), InFlightMessage.Phase.WAITING);
            registry.add(m);
            late.add(m);
        }
        processor.release(late, "received while draining");
    }

    private GateStatus checkGates() {
        for (ReceiveGate g : gates) {
            GateStatus s;
            try {
                s = g.check();
            } catch (RuntimeException e) {
                s = GateStatus.closed("gate check failed: " + e);
            }
            if (!s.isOpen()) {
                return s;
            }
        }
        return GateStatus.open();
    }

    private void pause(Duration d) {
        synchronized (wake) {
            if (draining.getAsBoolean()) {
                return;
            }
            try {
                wake.wait(Math.max(1, d.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Thread.interrupted();
    }
}
