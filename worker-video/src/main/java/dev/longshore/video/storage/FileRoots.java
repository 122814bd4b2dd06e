package dev.longshore.video.storage;

import dev.longshore.core.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * WORKER_VIDEO_FILE_ROOTS: the directories file:// inputs and outputs must lie under. Without it a message
 * could name any file the worker can read as input and any directory it can write as output. Paths are
 * compared after resolving symbolic links, so a link inside a root cannot lead outside it.
 */
public final class FileRoots {
    public static final String VARIABLE = "WORKER_VIDEO_FILE_ROOTS";
    private final List<Path> roots;

    private FileRoots(List<Path> roots) {
        this.roots = List.copyOf(roots);
    }

    /** Every path allowed (the variable is unset). */
    public static FileRoots any() {
        return new FileRoots(List.of());
    }

    /** A comma-separated list of absolute directories. */
    public static FileRoots parse(String raw) {
        List<Path> roots = new ArrayList<>();
        for (String part : raw.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            try {
                Path path = Path.of(p);
                if (!path.isAbsolute()) {
                    throw ConfigException.invalid(VARIABLE, raw, "a comma-separated list of absolute directories");
                }
                roots.add(real(path.normalize()));
            } catch (InvalidPathException e) {
                throw ConfigException.invalid(VARIABLE, raw, "a comma-separated list of absolute directories");
            }
        }
        if (roots.isEmpty()) {
            throw ConfigException.invalid(VARIABLE, raw, "a comma-separated list of absolute directories");
        }
        return new FileRoots(roots);
    }

    public boolean restricted() {
        return !roots.isEmpty();
    }

    public List<Path> roots() {
        return roots;
    }

    /** Whether {@code path} (which need not exist yet) lies under one of the roots. */
    public boolean allows(Path path) {
        if (roots.isEmpty()) {
            return true;
        }
        return allowsReal(real(path.normalize()));
    }

    /** Whether a real path (every link already resolved, as {@link Path#toRealPath} gives it) is under a root. */
    public boolean allowsReal(Path real) {
        return roots.isEmpty() || roots.stream().anyMatch(real::startsWith);
    }

    /** The path with every existing ancestor's links resolved; the part that does not exist yet is kept as is. */
    static Path real(Path path) {
        Path existing = path;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return path;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(path));
        } catch (IOException e) {
            return path;
        }
    }
}
