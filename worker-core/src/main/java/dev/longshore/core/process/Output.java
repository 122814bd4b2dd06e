package dev.longshore.core.process;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where one output stream of a child goes: a file (written by the kernel, no thread), lines to a consumer (read
 * on a named thread the supervisor owns), or both (the reader appends each line to the file too).
 */
public final class Output {
    private final Path file;
    private final Consumer<String> lines;

    private Output(Path file, Consumer<String> lines) {
        this.file = file;
        this.lines = lines;
    }

    public static Output toFile(Path file) {
        return new Output(Objects.requireNonNull(file), null);
    }

    public static Output toLines(Consumer<String> lines) {
        return new Output(null, Objects.requireNonNull(lines));
    }

    public static Output toFileAndLines(Path file, Consumer<String> lines) {
        return new Output(Objects.requireNonNull(file), Objects.requireNonNull(lines));
    }

    Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    Optional<Consumer<String>> lines() {
        return Optional.ofNullable(lines);
    }

    /** Whether a reader thread is needed (a consumer); a plain file is written by the kernel. */
    boolean piped() {
        return lines != null;
    }
}
