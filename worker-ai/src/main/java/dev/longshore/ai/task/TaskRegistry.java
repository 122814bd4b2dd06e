package dev.longshore.ai.task;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The tasks the operator registered in WORKER_AI_TASKS (the file's format and checks: {@link TaskFile}), by name.
 */
public record TaskRegistry(Map<String, Task> tasks) {
    public TaskRegistry {
        tasks = Map.copyOf(tasks);
    }

    public static TaskRegistry empty() {
        return new TaskRegistry(Map.of());
    }

    /** Reads and checks WORKER_AI_TASKS (docs/ai.md: Tasks): a typo stops the worker at start, not a job later. */
    public static TaskRegistry load(Path file) throws TaskFileException {
        return new TaskRegistry(TaskFile.read(file));
    }

    public Optional<Task> find(String name) {
        return Optional.ofNullable(tasks.get(name));
    }

    public Set<String> names() {
        return new TreeSet<>(tasks.keySet());
    }

    /**
     * For the CPU flavour (WORKER_GPU_REQUIRED=false): a task that needs a GPU could never run there, every job
     * of it would fail, so it is refused at start (docs/ai.md: Tasks).
     */
    public void requireNoGpus() throws TaskFileException {
        for (String name : names()) {
            Task t = tasks.get(name);
            if (t.gpus() > 0) {
                throw new TaskFileException("task '" + name + "': needs " + t.gpus() + " GPU(s) (\"gpus\" is "
                        + Task.DEFAULT_GPUS + " when not given) and this worker runs without GPUs "
                        + "(WORKER_GPU_REQUIRED=false): set \"gpus\": 0");
            }
        }
    }
}
