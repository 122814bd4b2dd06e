package dev.longshore.core.files;

import dev.longshore.core.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The directories a message's {@code file://} paths must lie under ({@code WORKER_VIDEO_FILE_ROOTS},
 * {@code WORKER_AI_FILE_ROOTS}; README: Security). Paths are compared after resolving symbolic links, so a
 * link inside a root cannot lead outside it.
 */
public final class FileRoots {
    private final String variable;
    private final List<Path> roots;
    private final boolean unsetAllowsAll;

    private FileRoots(String variable, List<Path> roots, boolean unsetAllowsAll) {
        this.variable = variable;
        this.roots = List.copyOf(roots);
        this.unsetAllowsAll = unsetAllowsAll;
    }

    /** Every path allowed: the variable is unset and that is this worker's documented default. */
    public static FileRoots any(String variable) {
        return new FileRoots(variable, List.of(), true);
    }

    /** No path allowed: the variable is unset and that means {@code file://} is refused. */
    public static FileRoots none(String variable) {
        return new FileRoots(variable, List.of(), false);
    }

    /**
     * Parses a list of absolute directories separated by {@code separator}.
     *
     * @throws ConfigException naming the variable when an entry is not an absolute path
     */
    public static FileRoots parse(String variable, String raw, char separator) {
        String expected = "a '" + separator + "'-separated list of absolute directories";
        List<Path> roots = new ArrayList<>();
        for (String part : raw.split(Pattern.quote(String.valueOf(separator)))) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            try {
                Path path = Path.of(p);
                if (!path.isAbsolute()) {
                    throw ConfigException.invalid(variable, raw, expected);
                }
                roots.add(real(path.normalize()));
            } catch (InvalidPathException e) {
                throw ConfigException.invalid(variable, raw, expected);
            }
        }
        if (roots.isEmpty()) {
            throw ConfigException.invalid(variable, raw, expected);
        }
        return new FileRoots(variable, roots, false);
    }

    public String variable() {
        return variable;
    }

    /** Whether a list was given (as opposed to the unset default). */
    public boolean restricted() {
        return !roots.isEmpty();
    }

    public List<Path> roots() {
        return roots;
    }

    /** Whether {@code path} (which need not exist yet) lies, links resolved, under one of the roots. */
    public boolean allows(Path path) {
        if (roots.isEmpty()) {
            return unsetAllowsAll;
        }
        Path real = real(path.toAbsolutePath().normalize());
        return roots.stream().anyMatch(real::startsWith);
    }

    /**
     * Whether a real path (every link already resolved, as {@link Path#toRealPath} gives it) lies under one of
     * the roots: for callers that resolved the path themselves and go on to open exactly that path.
     */
    public boolean allowsReal(Path real) {
        if (roots.isEmpty()) {
            return unsetAllowsAll;
        }
        return roots.stream().anyMatch(real::startsWith);
    }

    /** For start-up log lines. */
    public String describe() {
        return restricted() ? roots.toString() : unsetAllowsAll ? "any" : "none (file:// refused)";
    }

    /** The path with every existing ancestor's links resolved; the part that does not exist yet is kept as is. */
    public static Path real(Path path) {
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
