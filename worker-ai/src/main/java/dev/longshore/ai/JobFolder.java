package dev.longshore.ai;

import dev.longshore.ai.runner.JobDirectory;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The folders of a job's directory as a task sees them: an argv placeholder and an environment variable each.
 * One table, so the two ways of naming a folder cannot drift apart.
 */
enum JobFolder {
    JOB("job.dir", "JOB_DIR", JobDirectory::path),
    INPUTS("inputs.dir", "INPUT_DIR", JobDirectory::inputs),
    MODELS("models.dir", "MODEL_DIR", JobDirectory::models),
    OUTPUTS("outputs.dir", "OUTPUT_DIR", JobDirectory::outputs),
    LOGS("logs.dir", "LOG_DIR", JobDirectory::logs),
    STATE("state.dir", "STATE_DIR", JobDirectory::state);

    final String placeholder;
    final String variable;
    private final Function<JobDirectory, Path> path;

    JobFolder(String placeholder, String variable, Function<JobDirectory, Path> path) {
        this.placeholder = placeholder;
        this.variable = variable;
        this.path = path;
    }

    String in(JobDirectory dir) {
        return path.apply(dir).toString();
    }
}
