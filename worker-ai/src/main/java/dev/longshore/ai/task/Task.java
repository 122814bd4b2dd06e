package dev.longshore.ai.task;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A program the operator allows jobs to run. Messages only name it; the command line comes from here.
 *
 * @param name               what {@code payload.task} says
 * @param argv               program and arguments, run without a shell; elements may hold placeholders
 *                           ({@link ArgvTemplate})
 * @param timeout            the whole process tree is killed after this and the job retried
 * @param gpus               GPUs (or MIG instances) the task is pinned to; 0 runs it with none visible
 * @param env                extra environment
 * @param retryableExitCodes exit codes that mean "try again later"; any other non-zero code is permanent
 */
public record Task(String name, List<String> argv, Duration timeout, int gpus, Map<String, String> env,
                   Set<Integer> retryableExitCodes) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);
    public static final int DEFAULT_GPUS = 1;

    public Task {
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
        retryableExitCodes = Set.copyOf(retryableExitCodes);
    }
}
