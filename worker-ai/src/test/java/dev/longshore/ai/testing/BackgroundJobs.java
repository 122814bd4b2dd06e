package dev.longshore.ai.testing;

import dev.longshore.core.job.Job;
import dev.longshore.core.job.JobHandler;
import dev.longshore.testkit.FakeJobContext;
import java.util.concurrent.CompletableFuture;

/** Jobs a test starts and then acts on while they run: kills, second deliveries, shutdowns. */
public final class BackgroundJobs {
    private BackgroundJobs() {
    }

    /** Runs the job on another thread bound to {@code ctx}; completes with what it threw, or null. */
    public static CompletableFuture<Throwable> start(JobHandler h, Job job, FakeJobContext ctx) {
        return CompletableFuture.supplyAsync(() -> {
            ctx.bindToCurrentThread();
            try {
                h.handle(job, ctx);
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
    }
}
