package dev.longshore.bench;

import dev.longshore.core.WorkerDefinition;
import dev.longshore.core.WorkerLauncher;
import dev.longshore.core.WorkerPlugin;
import dev.longshore.core.config.WorkerConfig;
import dev.longshore.core.job.Job;
import dev.longshore.core.job.JobContext;
import dev.longshore.core.job.JobHandler;
import dev.longshore.core.metrics.Metrics;
import java.util.Set;

/**
 * Longshore in the benchmark: worker-core with a handler that sleeps {@code BENCH_SLEEP_MS} (0: no-op) and
 * records job ids when {@code BENCH_RECORD} names a file.
 */
public final class BenchWorkerMain {
    private BenchWorkerMain() {
    }

    public static void main(String[] args) {
        WorkerLauncher.launch(new WorkerDefinition() {
            @Override
            public String name() {
                return "bench";
            }

            @Override
            public int defaultConcurrency() {
                return 4;
            }

            @Override
            public WorkerPlugin create(WorkerConfig config, Metrics metrics) {
                long sleepMs = Long.parseLong(config.env().string("BENCH_SLEEP_MS", "0"));
                Recorder recorder = Recorder.fromEnv(config.env().string("BENCH_RECORD", ""));
                return WorkerPlugin.of(new JobHandler() {
                    @Override
                    public Set<String> types() {
                        return Set.of("bench.job");
                    }

                    @Override
                    public void handle(Job job, JobContext context) throws Exception {
                        recorder.record(job.id());
                        if (sleepMs > 0) {
                            Thread.sleep(sleepMs);
                        }
                    }
                });
            }
        });
    }
}
