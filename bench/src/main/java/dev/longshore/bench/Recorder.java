package dev.longshore.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Appends the id of every job a consumer starts, for counting duplicates; off when no file is named. */
final class Recorder {
    private final Path file;

    private Recorder(Path file) {
        this.file = file;
    }

    static Recorder fromEnv(String path) {
        return new Recorder(path.isBlank() ? null : Path.of(path));
    }

    synchronized void record(String id) {
        if (file == null) {
            return;
        }
        try {
            Files.writeString(file, id + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
