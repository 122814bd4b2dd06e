package dev.longshore.ai.runner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How to start one task process: an argv (no shell), its complete environment, working directory, log files
 * and time limit.
 */
public record ProcessSpec(List<String> argv, Map<String, String> environment, Path workDir, Path stdout,
                          Path stderr, Duration timeout) {
    public ProcessSpec {
        argv = List.copyOf(argv);
        environment = Map.copyOf(environment);
    }
}
