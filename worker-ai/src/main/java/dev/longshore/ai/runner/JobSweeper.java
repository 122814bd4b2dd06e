package dev.longshore.ai.runner;

import dev.longshore.core.WorkerControl;
import dev.longshore.core.WorkerExtension;
import dev.longshore.core.concurrent.BackgroundThread;
import dev.longshore.core.config.Durations;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the directories of jobs that finished (SUCCESS or FAILED marker) longer than WORKER_AI_JOB_RETENTION
 * ago, on its own thread: at start, then every {@link #interval(Duration)}. A directory whose job runs (its lock
 * is held, by this worker or another on the same disk) is never touched (docs/ai.md: Job directory).
 */
public final class JobSweeper implements WorkerExtension {
    /** Often enough that a disk never holds much more than the retention, rarely enough to cost nothing. */
    static final Duration MAX_INTERVAL = Duration.ofMinutes(10);
    static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    /** A sweep deletes files; one in progress at shutdown gets this long to finish. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(JobSweeper.class);

    private final JobsDirectory jobs;
    private final Duration retention;
    private final Clock clock;
    private final String threadName;
    private final BackgroundThread thread = new BackgroundThread();

    public JobSweeper(JobsDirectory jobs, Duration retention, Clock clock, String threadName) {
        this.jobs = jobs;
        this.retention = retention;
        this.clock = clock;
        this.threadName = threadName;
    }

    /** A quarter of the retention, from 1 s to 10 min. */
    static Duration interval(Duration retention) {
        Duration quarter = retention.dividedBy(4);
        return quarter.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL
                : quarter.compareTo(MAX_INTERVAL) > 0 ? MAX_INTERVAL : quarter;
    }

    @Override
    public synchronized void start(WorkerControl control) {
        if (!thread.start(threadName, this::run)) {
            return;
        }
        log.info("Job directories finished more than {} ago are deleted (checked every {})",
                Durations.format(retention), Durations.format(interval(retention)));
    }

    /**
     * One pass over WORKER_JOBS_DIR.
     *
     * @return how many job directories were deleted
     */
    public int sweep() throws IOException {
        for (Path trash : jobs.leftoverTrash()) {
            JobDirectory.deleteTree(trash);
        }
        Instant cutoff = clock.instant().minus(retention);
        int removed = 0;
        for (JobDirectory dir : jobs.list()) {
            try {
                if (dir.removeIfFinishedBefore(cutoff, jobs.trashFor(dir))) {
                    removed++;
                }
            } catch (IOException e) {
                log.warn("Could not delete the directory of job {}: {}", dir.jobId(), e.toString());
            }
        }
        if (removed > 0) {
            log.info("Deleted {} job director{} finished before {}", removed, removed == 1 ? "y" : "ies", cutoff);
        }
        return removed;
    }

    /** A sweep at once, then one every interval after the previous one ended, until closed. */
    private void run() {
        long every = interval(retention).toMillis();
        do {
            sweepQuietly();
        } while (thread.pause(every));
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (IOException | RuntimeException e) {
            log.warn("Sweeping {} failed: {}", jobs.root(), e.toString());
        }
    }

    @Override
    public void close() {
        // Interrupted too: a sweep blocked in an interruptible call gives up; any other gets STOP_WAIT to finish.
        if (!thread.interruptAndClose(STOP_WAIT)) {
            log.warn("The job sweeper did not stop within {}", Durations.format(STOP_WAIT));
        }
    }
}
