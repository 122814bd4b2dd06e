package dev.longshore.bench;

import dev.longshore.core.WorkerDefinition;
import dev.longshore.core.WorkerLauncher;
import dev.longshore.core.WorkerPlugin;
import dev.longshore.core.job.JobHandler;

/**
 * Longshore in the benchmark: worker-core with a handler that sleeps {@code BENCH_SLEEP_MS} (0: no-op) and
 * records job ids when {@code BENCH_RECORD} names a file.
 */
public final class BenchWorkerMain {
    private BenchWorkerMain() {
    }

    public static void main(String[] args) {
        WorkerLauncher.launch(WorkerDefinition.of("bench", 4, (config, metrics) -> {
            long sleepMs = Long.parseLong(config.env().string("BENCH_SLEEP_MS", "0"));
            Recorder recorder = Recorder.fromEnv(config.env().string("BENCH_RECORD", ""));
            return WorkerPlugin.of(JobHandler.of("bench.job", (job, context) -> {
                recorder.record(job.id());
                if (sleepMs > 0) {
                    Thread.sleep(sleepMs);
                }
            }));
        }));
    }
}
