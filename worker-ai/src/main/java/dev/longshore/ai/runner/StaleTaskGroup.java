package dev.longshore.ai.runner;

import dev.longshore.core.process.ProcessGroup;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends what an earlier attempt of the same job left running: after the worker was SIGKILLed (or its machine
 * froze) and the message came back, the task's process group lives on in its own session. Only a group whose
 * every live member was started for this job directory ({@code JOB_DIR} in its environment) is ended, so a
 * group id the system reused for something else is never touched.
 */
public final class StaleTaskGroup {
    private static final Logger log = LoggerFactory.getLogger(StaleTaskGroup.class);

    private StaleTaskGroup() {
    }

    /**
     * Call with the job's lock held, before the directory is prepared for the next attempt.
     *
     * @return the number of processes ended (0 when there was nothing of this job left)
     */
    public static int endLeftovers(JobDirectory dir, Duration grace) throws IOException {
        OptionalLong recorded = dir.readPgid();
        if (recorded.isEmpty() || recorded.getAsLong() <= 1) {
            return 0;
        }
        ProcessGroup group = ProcessGroup.of(recorded.getAsLong());
        List<Long> members = group.members();
        int ended = 0;
        if (!members.isEmpty()) {
            String jobDir = dir.path().toString();
            boolean ours = members.stream().allMatch(pid -> ProcessGroup.environment(pid)
                    .map(env -> jobDir.equals(env.get("JOB_DIR"))).orElse(false));
            if (ours) {
                log.warn("job {}: {} process(es) of an earlier attempt still run in {}; ending them before the "
                        + "rerun", dir.jobId(), members.size(), group);
                ended = group.terminate(grace);
            } else {
                log.info("job {}: {} recorded by an earlier attempt now belongs to other processes; left alone",
                        dir.jobId(), group);
            }
        }
        dir.clearPgid();
        return ended;
    }
}
