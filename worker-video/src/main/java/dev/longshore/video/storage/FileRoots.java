package dev.longshore.video.storage;

import java.nio.file.Path;
import java.util.List;

/**
 * WORKER_VIDEO_FILE_ROOTS: the directories file:// inputs and outputs must lie under (comma-separated; unset
 * allows every path, as before). The rule itself is shared with the AI worker in worker-core's
 * {@link dev.longshore.core.files.FileRoots} (README: Security).
 */
public final class FileRoots {
    public static final String VARIABLE = "WORKER_VIDEO_FILE_ROOTS";
    private final dev.longshore.core.files.FileRoots roots;

    private FileRoots(dev.longshore.core.files.FileRoots roots) {
        this.roots = roots;
    }

    /** Every path allowed (the variable is unset). */
    public static FileRoots any() {
        return new FileRoots(dev.longshore.core.files.FileRoots.any(VARIABLE));
    }

    /** A comma-separated list of absolute directories. */
    public static FileRoots parse(String raw) {
        return new FileRoots(dev.longshore.core.files.FileRoots.parse(VARIABLE, raw, ','));
    }

    public boolean restricted() {
        return roots.restricted();
    }

    public List<Path> roots() {
        return roots.roots();
    }

    /** Whether {@code path} (which need not exist yet) lies under one of the roots. */
    public boolean allows(Path path) {
        return roots.allows(path);
    }

    /** Whether a real path (every link already resolved, as {@link Path#toRealPath} gives it) is under a root. */
    public boolean allowsReal(Path real) {
        return roots.allowsReal(real);
    }
}
