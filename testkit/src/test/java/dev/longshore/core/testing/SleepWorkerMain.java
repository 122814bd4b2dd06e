package dev.longshore.core.testing;

import dev.longshore.core.WorkerDefinition;
import dev.longshore.core.WorkerLauncher;
import dev.longshore.core.WorkerPlugin;
import dev.longshore.core.job.JobHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker process for end-to-end tests: jobs of type {@code sleep} sleep {@code payload.ms} milliseconds
 * (interruptibly, so a drain deadline cancels them), log {@code job <id> started} / {@code job <id> finished}
 * and, when {@code TEST_RECORD_FILE} is set, append {@code "<jobId> <pid>"} to it once finished.
 */
public final class SleepWorkerMain {
    private static final Logger log = LoggerFactory.getLogger(SleepWorkerMain.class);

    private SleepWorkerMain() {
    }

    public static void main(String[] args) {
        WorkerLauncher.launch(WorkerDefinition.of("sleeper", 4, (config, metrics) -> {
            Optional<Path> record = config.env().string("TEST_RECORD_FILE").map(Path::of);
            return WorkerPlugin.of(JobHandler.of("sleep", (job, context) -> {
                log.info("job {} started", job.id());
                Thread.sleep(job.payload().path("ms").asLong(0));
                log.info("job {} finished", job.id());
                if (record.isPresent()) {
                    append(record.get(), job.id() + " " + ProcessHandle.current().pid() + "\n");
                }
            }));
        }));
    }

    private static synchronized void append(Path file, String line) throws IOException {
        Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.SYNC);
    }

    public static String job(String id, long sleepMillis) {
        return "{\"jobId\":\"" + id + "\",\"type\":\"sleep\",\"payload\":{\"ms\":" + sleepMillis + "}}";
    }
}
