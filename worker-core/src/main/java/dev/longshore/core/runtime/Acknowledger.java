package dev.longshore.core.runtime;

import dev.longshore.core.metrics.Metrics;
import dev.longshore.core.queue.QueueClient;
import dev.longshore.core.queue.QueueMessage;
import dev.longshore.core.queue.QueueUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes finished messages in batches of up to 10, from one or more threads running {@link #run()}. A delete that fails as a whole (SQS unreachable) is tried
 * again, so a job that succeeded is never redelivered because of one lost call; at shutdown the queue is
 * flushed before the worker reports TERMINATED.
 */
final class Acknowledger implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Acknowledger.class);
    /** Short enough not to delay the permit, long enough to gather a batch under load. */
    private static final long LINGER_MS = 5;
    private static final long IDLE_WAIT_SECONDS = 60;
    private static final Duration RETRY_DELAY_MIN = Duration.ofMillis(200);
    private static final Duration RETRY_DELAY_MAX = Duration.ofSeconds(5);
    private static final Backoff RETRY_BACKOFF = Backoff.jittered(RETRY_DELAY_MIN, RETRY_DELAY_MAX);

    private final QueueClient sqs;
    private final String queueUrl;
    private final Metrics metrics;
    private final Consumer<InFlightMessage> onDeleted;
    private final LinkedBlockingQueue<InFlightMessage> pending = new LinkedBlockingQueue<>();
    private volatile boolean running = true;
    private final Object idle = new Object();
    private final java.util.concurrent.locks.ReentrantLock gatherLock = new java.util.concurrent.locks.ReentrantLock();
    private int busy;

    Acknowledger(QueueClient sqs, String queueUrl, Metrics metrics, Consumer<InFlightMessage> onDeleted) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.metrics = metrics;
        this.onDeleted = onDeleted;
    }

    void delete(InFlightMessage m) {
        pending.add(m);
    }

    @Override
    public void run() {
        int failures = 0;
        while (running || !pending.isEmpty()) {
            List<InFlightMessage> batch;
            try {
                // One thread gathers at a time, so batches fill up to 10 under load; sending happens outside the
                // lock, so several batches can be in flight at once.
                gatherLock.lockInterruptibly();
                try {
                    batch = gather();
                } finally {
                    gatherLock.unlock();
                }
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
                continue;
            }
            if (batch.isEmpty()) {
                continue;
            }
            boolean ok = deleteBatch(batch);
            markBusy(-1);
            if (ok) {
                failures = 0;
            } else {
                sleepQuietly(RETRY_BACKOFF.delay(++failures));
            }
        }
    }

    /** Waits for a first delete (blocking while idle: no periodic wake-ups), then lingers briefly for up to 10. */
    private List<InFlightMessage> gather() throws InterruptedException {
        List<InFlightMessage> batch = new ArrayList<>(VisibilityHeartbeat.BATCH);
        InFlightMessage first = pending.poll(IDLE_WAIT_SECONDS, TimeUnit.SECONDS);
        if (first == null) {
            return batch;
        }
        markBusy(1);
        batch.add(first);
        try {
            long lingerUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MS);
            while (batch.size() < VisibilityHeartbeat.BATCH) {
                long left = lingerUntil - System.nanoTime();
                InFlightMessage next = left > 0 ? pending.poll(left, TimeUnit.NANOSECONDS) : pending.poll();
                if (next == null) {
                    break;
                }
                batch.add(next);
            }
        } catch (InterruptedException e) {
            // Stopping: send what was gathered rather than dropping it.
            Thread.currentThread().interrupt();
        }
        return batch;
    }

    /** Returns false when the batch was put back because SQS could not be reached. */
    boolean deleteBatch(List<InFlightMessage> batch) {
        List<QueueMessage> messages = new ArrayList<>(batch.size());
        batch.forEach(m -> messages.add(m.message));
        Map<String, String> failed;
        try {
            failed = sqs.deleteBatch(queueUrl, messages);
        } catch (QueueUnavailableException e) {
            metrics.deleteErrors().add(batch.size());
            log.warn("delete of {} message(s) failed, will retry: {}", batch.size(), e.getMessage());
            pending.addAll(batch);
            return false;
        }
        for (InFlightMessage m : batch) {
            String why = failed.get(m.id());
            if (why != null) {
                // A refused receipt handle will not become valid by retrying; the message will reappear and the
                // handler's idempotency has to absorb it.
                metrics.deleteErrors().increment();
                log.warn("delete refused for message {}: {}", m.id(), why);
            }
            onDeleted.accept(m);
        }
        return true;
    }

    private void markBusy(int delta) {
        synchronized (idle) {
            busy += delta;
            idle.notifyAll();
        }
    }

    /** Waits until every queued delete was sent, or the timeout passes. */
    boolean flush(Duration timeout) throws InterruptedException {
        return MonitorWait.until(idle, timeout, Duration.ofMillis(20), () -> pending.isEmpty() && busy == 0);
    }

    int pendingCount() {
        return pending.size();
    }

    void stop() {
        running = false;
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
