package dev.longshore.ai.runner;

import dev.longshore.core.WorkerControl;
import dev.longshore.core.WorkerExtension;
import dev.longshore.core.concurrent.PeriodicTask;
import dev.longshore.core.concurrent.Sleeper;
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
 * ago, on its own thread: at start, then every {@link #interval(Duration)} at a fixed rate (a {@link PeriodicTask}:
 * a sweep that takes a while shortens the wait after it, which a retention of hours does not notice). A directory
 * whose job runs (its lock is held, by this worker or another on the same disk) is never touched (docs/ai.md: Job
 * directory).
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
    private final PeriodicTask schedule;

    public JobSweeper(JobsDirectory jobs, Duration retention, Clock clock, String threadName) {
        this.jobs = jobs;
        this.retention = retention;
        this.clock = clock;
        this.schedule = new PeriodicTask(threadName, Duration.ZERO, interval(retention), clock, Sleeper.SYSTEM);
    }

    /** A quarter of the retention, from 1 s to 10 min. */
    static Duration interval(Duration retention) {
        Duration quarter = retention.dividedBy(4);
        return quarter.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL
                : quarter.compareTo(MAX_INTERVAL) > 0 ? MAX_INTERVAL : quarter;
    }

    @Override
    public synchronized void start(WorkerControl control) {
        if (!schedule.start(this::sweepQuietly)) {
            return;
        }
        log.info("Job directories finished more than {} ago are deleted (checked every {})",
                Durations.format(retention), Durations.format(schedule.interval()));
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

    /** Always true: a sweep that failed is tried again at the next one. */
    private boolean sweepQuietly() {
        try {
            sweep();
        } catch (IOException | RuntimeException e) {
            log.warn("Sweeping {} failed: {}", jobs.root(), e.toString());
        }
        return true;
    }

    @Override
    public void close() {
        // Interrupted too: a sweep blocked in an interruptible call gives up; any other gets STOP_WAIT to finish.
        if (!schedule.interruptAndClose(STOP_WAIT)) {
            log.warn("The job sweeper did not stop within {}", Durations.format(STOP_WAIT));
        }
    }
}
