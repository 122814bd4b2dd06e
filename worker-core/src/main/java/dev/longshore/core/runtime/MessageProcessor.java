package dev.longshore.core.runtime;

import dev.longshore.core.job.Job;
import dev.longshore.core.job.JobEnvelope;
import dev.longshore.core.job.JobHandler;
import dev.longshore.core.job.PermanentFailure;
import dev.longshore.core.job.RetryableFailure;
import dev.longshore.core.metrics.Metrics;
import dev.longshore.core.queue.QueueClient;
import dev.longshore.core.queue.QueueMessage;
import dev.longshore.core.queue.QueueUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one message through its handler and applies the outcome (README: How a message is handled): delete on
 * success, visibility backoff on a retryable failure (dead-letter queue when it was the last attempt the
 * RedrivePolicy allows), dead-letter queue on a permanent one. Nothing is acknowledged before the work is done,
 * and a message a drain already released is left alone whatever its job returns.
 */
final class MessageProcessor {
    private static final Logger log = LoggerFactory.getLogger(MessageProcessor.class);
    /** {@code longshore.error} of a message whose jobId this process already finished with another body. */
    static final String JOB_ID_REUSED = "job_id_reused";

    private final String workerName;
    private final String queueUrl;
    private final QueueClient sqs;
    private final JobHandler handler;
    private final Acknowledger acks;
    private final DeadLetterRouter deadLetters;
    private final RetryPolicy retry;
    private final InFlightRegistry registry;
    private final Metrics metrics;
    private final Clock clock;
    private final VisibilityEstimator estimator;
    private final VisibilityHeartbeat heartbeat;
    private final RecentJobs recent = new RecentJobs(10_000);
    private final java.util.function.BooleanSupplier draining;

    MessageProcessor(PipelineParts parts, JobHandler handler, Acknowledger acks, DeadLetterRouter deadLetters,
                     RetryPolicy retry, VisibilityHeartbeat heartbeat) {
        this.draining = parts.draining();
        this.workerName = parts.workerName();
        this.queueUrl = parts.queueUrl();
        this.sqs = parts.sqs();
        this.handler = handler;
        this.acks = acks;
        this.deadLetters = deadLetters;
        this.retry = retry;
        this.registry = parts.registry();
        this.metrics = parts.metrics();
        this.clock = parts.clock();
        this.estimator = parts.estimator();
        this.heartbeat = heartbeat;
        // Every type's success series exists from the start, so a dashboard shows the type before its first job.
        for (String type : handler.types()) {
            metrics.jobs().declare(type, "success", Metrics.NO_ERROR);
        }
    }

    /**
     * Processes a message whose phase the caller moved to RUNNING.
     *
     * @return true when the next message of the same FIFO group may run (success or dead-lettered); false when
     *         this one will be retried or was released, so later messages of its group must wait for it
     */
    boolean process(InFlightMessage m) {
        QueueMessage msg = m.message;
        // Job threads may come from a pool that never set these; every job line carries them (README: Health and metrics).
        String previousWorker = MDC.get("worker");
        String previousQueue = MDC.get("queue");
        MDC.put("worker", workerName);
        MDC.put("queue", queueUrl);
        MDC.put("messageId", msg.messageId());
        MDC.put("attempt", String.valueOf(msg.receiveCount()));
        m.thread = Thread.currentThread();
        JobContextImpl context = new JobContextImpl(workerName, m, heartbeat::extendNow, draining);
        m.context = context;
        Instant start = clock.instant();
        try {
            Job job;
            try {
                job = JobEnvelope.parse(msg.body(), handler.types(), msg.receiveCount(), msg.messageId(), msg.groupId());
            } catch (PermanentFailure bad) {
                JobEnvelope.peekJobId(msg.body()).ifPresent(id -> MDC.put("jobId", id));
                return deadLetter(m, bad, start);
            }
            MDC.put("jobId", job.id());
            MDC.put("jobType", job.type());
            m.jobType = job.type();
            switch (recent.check(job.id(), msg.body())) {
                case SAME_BODY -> {
                    if (m.phase.compareAndSet(InFlightMessage.Phase.RUNNING, InFlightMessage.Phase.FINISHING)) {
                        metrics.duplicatesSkipped().increment();
                        log.info("job {} already finished in this process; acknowledging the redelivery", job.id());
                        registry.releaseSlot(m);
                        acks.delete(m);
                    }
                    return true;
                }
                case DIFFERENT_BODY -> {
                    return deadLetter(m, new PermanentFailure(JOB_ID_REUSED, "jobId " + job.id()
                            + " already finished in this process with a different body; a new job needs a new jobId"),
                            start);
                }
                case NEW -> { }
            }
            log.debug("job started: type {}", job.type());
            try {
                handler.handle(job, context);
            } catch (PermanentFailure failure) {
                return deadLetter(m, failure, start);
            } catch (RetryableFailure failure) {
                return retryLater(m, failure, start);
            } catch (InterruptedException e) {
                return retryLater(m, RetryableFailure.fromUnexpected(e), start);
            } catch (Exception | LinkageError | AssertionError e) {
                return retryLater(m, RetryableFailure.fromUnexpected(e), start);
            }
            recent.add(job.id(), msg.body());
            if (!m.phase.compareAndSet(InFlightMessage.Phase.RUNNING, InFlightMessage.Phase.FINISHING)) {
                log.info("job finished after its message was released; another worker may run it again");
                return false;
            }
            Duration took = Duration.between(start, clock.instant());
            finished(m, "success", null, start);
            metrics.succeeded().increment();
            metrics.processingSeconds().observe(took.toNanos() / 1e9);
            estimator.observe(took);
            log.info("job succeeded in {} ms", took.toMillis());
            registry.releaseSlot(m);
            acks.delete(m);
            return true;
        } finally {
            m.thread = null;
            if (Thread.interrupted()) {
                log.debug("cleared interrupt left by job");
            }
            MDC.remove("messageId");
            MDC.remove("jobId");
            MDC.remove("attempt");
            MDC.remove("jobType");
            MDC.remove("outcome");
            MDC.remove("errorCode");
            MDC.remove("durationMs");
            restore("worker", previousWorker);
            restore("queue", previousQueue);
        }
    }

    private static void restore(String key, String previous) {
        if (previous == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, previous);
        }
    }

    /**
     * Counts the outcome in {@code longshore_jobs_total} and puts {@code outcome}, {@code errorCode} and
     * {@code durationMs} in the MDC for the outcome's log line (README: Health and metrics), so alarms and
     * dashboards filter on JSON fields rather than on message text.
     */
    private void finished(InFlightMessage m, String outcome, String errorCode, Instant start) {
        MDC.put("outcome", outcome);
        MDC.put("durationMs", String.valueOf(Duration.between(start, clock.instant()).toMillis()));
        if (errorCode != null) {
            MDC.put("errorCode", DeadLetterRouter.errorValue(errorCode));
        }
        metrics.jobFinished(m.jobType, outcome, errorCode);
    }

    private boolean retryLater(InFlightMessage m, RetryableFailure failure, Instant start) {
        if (!m.phase.compareAndSet(InFlightMessage.Phase.RUNNING, InFlightMessage.Phase.FINISHING)) {
            log.info("job ended ({}) after its message was released", failure.code());
            return false;
        }
        metrics.processingSeconds().observe(Duration.between(start, clock.instant()).toNanos() / 1e9);
        int receiveCount = m.message.receiveCount();
        if (deadLetters.isLastAttempt(receiveCount)) {
            // SQS would move it on the next receive without a reason; move it now, with this failure's.
            String why = "failed on its last attempt (receive " + receiveCount + " of maxReceiveCount "
                    + deadLetters.maxReceiveCount().orElseThrow() + ")";
            if (moveToDeadLetter(m, failure.code(), failure.reason(), why, start)) {
                return true;
            }
        }
        int seconds = failure.retryAfter()
                .map(d -> (int) Math.min(VisibilityEstimator.MAX_SECONDS, (d.toMillis() + 999) / 1000))
                .orElseGet(() -> retry.visibilitySeconds(receiveCount));
        finished(m, "retry", failure.code(), start);
        metrics.retried().increment();
        log.warn("job failed ({}: {}); retry in {} s", failure.code(), DeadLetterRouter.reasonValue(failure.reason()),
                seconds);
        setVisibility(List.of(m), seconds);
        registry.remove(m);
        return false;
    }

    private boolean deadLetter(InFlightMessage m, PermanentFailure failure, Instant start) {
        if (!m.phase.compareAndSet(InFlightMessage.Phase.RUNNING, InFlightMessage.Phase.FINISHING)) {
            return false;
        }
        metrics.processingSeconds().observe(Duration.between(start, clock.instant()).toNanos() / 1e9);
        if (!deadLetters.available()) {
            int seconds = retry.visibilitySeconds(m.message.receiveCount());
            finished(m, "retry", failure.code(), start);
            metrics.retried().increment();
            log.error("job failed permanently ({}: {}) but the queue has no dead-letter queue (RedrivePolicy); "
                    + "left to the retry path, visible again in {} s", failure.code(),
                    DeadLetterRouter.reasonValue(failure.reason()), seconds);
            setVisibility(List.of(m), seconds);
            registry.remove(m);
            return false;
        }
        if (moveToDeadLetter(m, failure.code(), failure.reason(), "failed permanently", start)) {
            return true;
        }
        finished(m, "retry", failure.code(), start);
        metrics.retried().increment();
        registry.remove(m);
        return false;
    }

    /**
     * Sends the message to the dead-letter queue, then deletes it, counting it as {@code outcome="dead"}.
     *
     * @return false when the dead-letter queue could not be reached: the caller leaves the message to be
     *         delivered again
     */
    private boolean moveToDeadLetter(InFlightMessage m, String code, String reason, String why, Instant start) {
        try {
            deadLetters.send(m.message, code, reason);
        } catch (QueueUnavailableException e) {
            log.warn("job {} ({}) but the dead-letter queue could not be reached ({}); it will be delivered again",
                    why, code, e.getMessage());
            return false;
        }
        finished(m, "dead", code, start);
        metrics.deadLettered().increment();
        log.error("job {} ({}: {}); moved to the dead-letter queue", why, DeadLetterRouter.errorValue(code),
                DeadLetterRouter.reasonValue(reason));
        registry.releaseSlot(m);
        acks.delete(m);
        return true;
    }

    /**
     * Gives messages back to the queue at once (visibility 0), from any phase but FINISHING. Used for messages
     * a receive returned during a drain, jobs cancelled at the drain deadline, and FIFO followers of a failed
     * message.
     *
     * @return how many were released by this call
     */
    int release(List<InFlightMessage> messages, String why) {
        List<InFlightMessage> released = new java.util.ArrayList<>();
        for (InFlightMessage m : messages) {
            InFlightMessage.Phase p = m.phase.get();
            if ((p == InFlightMessage.Phase.WAITING || p == InFlightMessage.Phase.RUNNING)
                    && m.phase.compareAndSet(p, InFlightMessage.Phase.RELEASED)) {
                released.add(m);
            }
        }
        for (int i = 0; i < released.size(); i += VisibilityHeartbeat.BATCH) {
            setVisibility(released.subList(i, Math.min(released.size(), i + VisibilityHeartbeat.BATCH)), 0);
        }
        for (InFlightMessage m : released) {
            metrics.released().increment();
            JobContextImpl ctx = m.context;
            if (ctx != null) {
                ctx.cancel();
            }
            Thread t = m.thread;
            if (t != null) {
                t.interrupt();
            }
            registry.remove(m);
        }
        if (!released.isEmpty()) {
            log.info("released {} message(s) to the queue: {}", released.size(), why);
        }
        return released.size();
    }

    private void setVisibility(List<InFlightMessage> batch, int seconds) {
        Map<QueueMessage, Integer> request = new LinkedHashMap<>();
        batch.forEach(m -> request.put(m.message, seconds));
        try {
            Map<String, String> failed = sqs.changeVisibilityBatch(queueUrl, request);
            failed.forEach((id, why) -> log.warn("visibility change to {} s refused for message {}: {}", seconds, id, why));
        } catch (QueueUnavailableException e) {
            log.warn("visibility change to {} s failed for {} message(s) ({}); they become visible when their "
                    + "current timeout ends", seconds, batch.size(), e.getMessage());
        }
    }
}
