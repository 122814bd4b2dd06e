package dev.longshore.core.fleet;

import dev.longshore.core.WorkerDefinition;
import dev.longshore.core.WorkerLauncher;
import dev.longshore.core.WorkerPlugin;
import dev.longshore.core.config.WorkerConfig;
import dev.longshore.core.job.Job;
import dev.longshore.core.job.JobContext;
import dev.longshore.core.job.JobHandler;
import dev.longshore.core.metrics.Metrics;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker process for end-to-end tests: jobs of type {@code sleep} sleep {@code payload.ms} milliseconds
 * (interruptibly, so a drain deadline cancels them) and log {@code job <id> started} / {@code job <id> finished}.
 */
public final class SleepingWorkerMain {
    private static final Logger log = LoggerFactory.getLogger(SleepingWorkerMain.class);

    private SleepingWorkerMain() {
    }

    public static void main(String[] args) {
        WorkerLauncher.launch(new WorkerDefinition() {
            @Override
            public String name() {
                return "sleeper";
            }

            @Override
            public int defaultConcurrency() {
                return 4;
            }

            @Override
            public WorkerPlugin create(WorkerConfig config, Metrics metrics) {
                return WorkerPlugin.of(new JobHandler() {
                    @Override
                    public Set<String> types() {
                        return Set.of("sleep");
                    }

                    @Override
                    public void handle(Job job, JobContext context) throws InterruptedException {
                        log.info("job {} started", job.id());
                        Thread.sleep(job.payload().path("ms").asLong(0));
                        log.info("job {} finished", job.id());
                    }
                });
            }
        });
    }

    public static String job(String id, long sleepMillis) {
        return "{\"jobId\":\"" + id + "\",\"type\":\"sleep\",\"payload\":{\"ms\":" + sleepMillis + "}}";
    }
}
