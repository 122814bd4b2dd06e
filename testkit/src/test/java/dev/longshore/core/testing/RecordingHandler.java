package dev.longshore.core.testing;

import dev.longshore.core.job.Job;
import dev.longshore.core.job.JobContext;
import dev.longshore.core.job.JobHandler;
import dev.longshore.core.job.PermanentFailure;
import dev.longshore.core.job.RetryableFailure;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A handler for tests, driven by the payload: {@code sleepMs} to take time, {@code failTimes} retryable failures
 * before success, {@code permanent} to fail permanently. Records every start and completion.
 */
public final class RecordingHandler implements JobHandler {
    public record Run(String jobId, String group, int receiveCount, Instant start, Instant end, String worker) {
    }

    public final List<Run> completed = new CopyOnWriteArrayList<>();
    public final List<Run> started = new CopyOnWriteArrayList<>();
    public final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    public final AtomicInteger running = new AtomicInteger();
    public final AtomicInteger maxRunning = new AtomicInteger();
    private final String name;

    public RecordingHandler(String name) {
        this.name = name;
    }

    @Override
    public Set<String> types() {
        return Set.of("test.job");
    }

    @Override
    public void handle(Job job, JobContext context) throws Exception {
        Instant start = Instant.now();
        started.add(new Run(job.id(), job.groupId().orElse(""), job.receiveCount(), start, start, name));
        int attempt = attempts.computeIfAbsent(job.id(), k -> new AtomicInteger()).incrementAndGet();
        int now = running.incrementAndGet();
        maxRunning.accumulateAndGet(now, Math::max);
        try {
            long sleep = job.payload().path("sleepMs").asLong(0);
            if (sleep > 0) {
                Thread.sleep(sleep);
            }
            if (job.payload().path("permanent").asBoolean(false)) {
                throw new PermanentFailure("test_permanent", "the handler refused job " + job.id());
            }
            if (attempt <= job.payload().path("failTimes").asInt(0)) {
                throw new RetryableFailure("test_retry", "attempt " + attempt + " fails on purpose");
            }
            completed.add(new Run(job.id(), job.groupId().orElse(""), job.receiveCount(), start, Instant.now(), name));
        } finally {
            running.decrementAndGet();
        }
    }
}
