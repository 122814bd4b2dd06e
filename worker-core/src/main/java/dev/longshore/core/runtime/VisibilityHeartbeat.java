package dev.longshore.core.runtime;

import dev.longshore.core.metrics.Metrics;
import dev.longshore.core.queue.QueueClient;
import dev.longshore.core.queue.QueueMessage;
import dev.longshore.core.queue.QueueUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every held message invisible for as long as its job runs: when less than half of the target
 * visibility (explicit, or derived from processing times) is left, it is set to the full target
 * (ChangeMessageVisibilityBatch, 10 at a time). This is what lets a job run far longer than the queue's
 * visibility timeout without a second delivery, and what takes a message from the short visibility asked on
 * receive to the derived one (README: How a message is handled).
 */
final class VisibilityHeartbeat implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(VisibilityHeartbeat.class);
    /** SQS counts 12 h from the first receive; stay a little short of it so the call is not refused. */
    static final Duration SQS_LIMIT = Duration.ofHours(12).minusSeconds(5);
    static final int BATCH = 10;
    /** How long an idle heartbeat waits for a message before looking at {@code running} again. */
    static final Duration IDLE_WAIT = Duration.ofMinutes(1);

    private final QueueClient sqs;
    private final String queueUrl;
    private final InFlightRegistry registry;
    private final Metrics metrics;
    private final Clock clock;
    private final VisibilityEstimator estimator;
    private volatile boolean running = true;

    VisibilityHeartbeat(PipelineParts parts) {
        this.sqs = parts.sqs();
        this.queueUrl = parts.queueUrl();
        this.registry = parts.registry();
        this.metrics = parts.metrics();
        this.clock = parts.clock();
        this.estimator = parts.estimator();
    }

    /** How often to look: a sixth of the visibility, between 100 ms and 5 s. */
    static Duration tick(int visibilitySeconds) {
        long ms = visibilitySeconds * 1000L / 6;
        return Duration.ofMillis(Math.max(100, Math.min(5000, ms)));
    }

    @Override
    public void run() {
        while (running) {
            try {
                // Nothing held, nothing to extend: sleep until a message arrives, so an idle worker has no
                // periodic wake-ups besides its long poll.
                if (!registry.awaitAny(IDLE_WAIT)) {
                    continue;
                }
                // Look often enough for the shorter of the two: a fresh message holds only the receive visibility.
                Thread.sleep(tick(Math.min(estimator.receiveSeconds(), estimator.seconds())).toMillis());
            } catch (InterruptedException e) {
                return;
            }
            try {
                extendDue(clock.instant());
            } catch (RuntimeException e) {
                log.warn("visibility heartbeat failed: {}", e.toString());
            }
        }
    }

    void stop() {
        running = false;
    }

    /** Which messages need an extension now to keep them at {@code targetSeconds}, and to how many seconds. */
    static Map<InFlightMessage, Integer> due(List<InFlightMessage> held, Instant now, int targetSeconds) {
        Map<InFlightMessage, Integer> out = new LinkedHashMap<>();
        for (InFlightMessage m : held) {
            if (!m.isActive()) {
                continue;
            }
            long leftMs = Duration.between(now, m.visibleUntil()).toMillis();
            if (leftMs > targetSeconds * 1000L / 2) {
                continue;
            }
            long allowed = Duration.between(now, m.receivedAt.plus(SQS_LIMIT)).toSeconds();
            int seconds = (int) Math.min(targetSeconds, allowed);
            if (seconds <= Math.max(0, leftMs / 1000)) {
                continue; // at SQS's 12 h ceiling: nothing more can be had
            }
            out.put(m, seconds);
        }
        return out;
    }

    void extendDue(Instant now) {
        Map<InFlightMessage, Integer> due = due(registry.snapshot(), now, estimator.seconds());
        if (due.isEmpty()) {
            return;
        }
        List<Map.Entry<InFlightMessage, Integer>> entries = new ArrayList<>(due.entrySet());
        for (int i = 0; i < entries.size(); i += BATCH) {
            extend(entries.subList(i, Math.min(entries.size(), i + BATCH)), now);
        }
    }

    /** Sets one message's visibility to {@code duration} from now at once (a handler asked for it). */
    void extendNow(InFlightMessage m, Duration duration) {
        Instant now = clock.instant();
        long allowed = Duration.between(now, m.receivedAt.plus(SQS_LIMIT)).toSeconds();
        int seconds = (int) Math.max(0, Math.min((duration.toMillis() + 999) / 1000, allowed));
        extend(List.of(Map.entry(m, seconds)), now);
    }

    private void extend(List<Map.Entry<InFlightMessage, Integer>> batch, Instant now) {
        Map<QueueMessage, Integer> request = new LinkedHashMap<>();
        for (var e : batch) {
            request.put(e.getKey().message, e.getValue());
        }
        Map<String, String> failed;
        try {
            failed = sqs.changeVisibilityBatch(queueUrl, request);
        } catch (QueueUnavailableException e) {
            log.warn("could not extend visibility of {} message(s): {}", batch.size(), e.getMessage());
            return;
        }
        for (var e : batch) {
            InFlightMessage m = e.getKey();
            String why = failed.get(m.id());
            if (why == null) {
                m.visibleUntil(now.plusSeconds(e.getValue()));
                metrics.visibilityExtensions().increment();
            } else if (m.isActive()) {
                log.warn("visibility extension refused for message {}: {} (it may be delivered again)", m.id(), why);
            }
        }
    }
}
