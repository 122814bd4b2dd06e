package dev.longshore.core.testing;

import dev.longshore.core.WorkerDefinition;
import dev.longshore.core.WorkerLauncher;
import dev.longshore.core.WorkerPlugin;
import dev.longshore.core.config.WorkerConfig;
import dev.longshore.core.job.Job;
import dev.longshore.core.job.JobContext;
import dev.longshore.core.job.JobHandler;
import dev.longshore.core.metrics.Metrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * A real worker process for tests: jobs of type {@code test.job} sleep {@code sleepMs} and then append
 * "jobId pid" to the file named by TEST_RECORD_FILE.
 */
public final class SleepWorkerMain {
    private SleepWorkerMain() {
    }

    public static void main(String[] args) {
        WorkerLauncher.launch(new WorkerDefinition() {
            @Override
            public String name() {
                return "sleeper";
            }

            @Override
            public int defaultConcurrency() {
                return 8;
            }

            @Override
            public WorkerPlugin create(WorkerConfig config, Metrics metrics) {
                Path record = Path.of(config.env().required("TEST_RECORD_FILE", "a file path"));
                return WorkerPlugin.of(new JobHandler() {
                    @Override
                    public Set<String> types() {
                        return Set.of("test.job");
                    }

                    @Override
                    public void handle(Job job, JobContext context) throws Exception {
                        Thread.sleep(job.payload().path("sleepMs").asLong(0));
                        append(record, job.id() + " " + ProcessHandle.current().pid() + "\n");
                    }
                });
            }
        });
    }

    private static synchronized void append(Path file, String line) throws IOException {
        Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.SYNC);
    }
}
