package dev.longshore.core.runtime;

import dev.longshore.core.queue.QueueMessage;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A received message from receive until its outcome reached SQS. The phase decides who may act on it: once a
 * drain released it, a late outcome from its job is ignored, so a message is never both released and deleted.
 */
final class InFlightMessage {
    enum Phase {
        /** Received, waiting behind an earlier message of its FIFO group. */
        WAITING,
        /** Its job is running. */
        RUNNING,
        /** The job ended; its outcome (delete, retry delay, dead-letter) is being applied. */
        FINISHING,
        /** Given back to the queue unprocessed (drain, cancellation). */
        RELEASED
    }

    final QueueMessage message;
    final Instant receivedAt;
    /** Visibility asked for on receive; the heartbeat then keeps it at the estimator's value. */
    final int visibilitySeconds;
    final AtomicReference<Phase> phase;
    /** Whether this message still counts against the concurrency limit (until its job ends). */
    final java.util.concurrent.atomic.AtomicBoolean holdsSlot = new java.util.concurrent.atomic.AtomicBoolean(true);
    private volatile Instant visibleUntil;
    volatile JobContextImpl context;
    volatile Thread thread;
    /** The job's type once its body parsed; {@link dev.longshore.core.metrics.Metrics#UNKNOWN_TYPE} before. */
    volatile String jobType = dev.longshore.core.metrics.Metrics.UNKNOWN_TYPE;

    InFlightMessage(QueueMessage message, Instant receivedAt, int visibilitySeconds, Phase initial) {
        this.message = message;
        this.receivedAt = receivedAt;
        this.visibilitySeconds = visibilitySeconds;
        this.visibleUntil = receivedAt.plusSeconds(visibilitySeconds);
        this.phase = new AtomicReference<>(initial);
    }

    Instant visibleUntil() {
        return visibleUntil;
    }

    void visibleUntil(Instant until) {
        this.visibleUntil = until;
    }

    String id() {
        return message.messageId();
    }

    boolean isActive() {
        Phase p = phase.get();
        return p != Phase.RELEASED;
    }
}
