package dev.longshore.ai.runner;

import dev.longshore.core.config.ConfigException;
import dev.longshore.core.config.Env;
import dev.longshore.core.files.FileRoots;
import java.time.Duration;

/**
 * How far a job's inputs and models may reach (README: Security).
 *
 * @param maxBytes     WORKER_AI_MAX_INPUT_SIZE: an input or model larger than this fails the job permanently
 * @param fileRoots    WORKER_AI_FILE_ROOTS: where {@code file://} inputs may be; unset refuses {@code file://}
 * @param stallTimeout an http(s) download that sends nothing for this long fails (retryable)
 */
public record InputSettings(long maxBytes, FileRoots fileRoots, Duration stallTimeout) {
    public static final String MAX_SIZE_VARIABLE = "WORKER_AI_MAX_INPUT_SIZE";
    public static final String FILE_ROOTS_VARIABLE = "WORKER_AI_FILE_ROOTS";
    /** Big enough for the largest model checkpoints we run; small enough that one message cannot fill a disk. */
    public static final long DEFAULT_MAX_BYTES = 20L << 30;
    /** A healthy object store sends something within seconds; a minute absorbs a slow first byte. */
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(60);

    public static InputSettings from(Env env) {
        long max = env.size(MAX_SIZE_VARIABLE, DEFAULT_MAX_BYTES);
        if (max < 1) {
            throw ConfigException.invalid(MAX_SIZE_VARIABLE, env.string(MAX_SIZE_VARIABLE).orElse(""),
                    "a size of at least 1 byte, such as 20GiB");
        }
        FileRoots roots = env.string(FILE_ROOTS_VARIABLE).map(raw -> FileRoots.parse(FILE_ROOTS_VARIABLE, raw, ':'))
                .orElse(FileRoots.none(FILE_ROOTS_VARIABLE));
        return new InputSettings(max, roots, DEFAULT_STALL_TIMEOUT);
    }

    /** Everything refused but public http(s): for tests and tools that build a handler by hand. */
    public static InputSettings defaults() {
        return new InputSettings(DEFAULT_MAX_BYTES, FileRoots.none(FILE_ROOTS_VARIABLE), DEFAULT_STALL_TIMEOUT);
    }
}
