package dev.longshore.video.config;

import dev.longshore.core.config.ConfigException;
import dev.longshore.core.config.Env;
import dev.longshore.video.ffmpeg.FfmpegListing;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Finds ffmpeg and ffprobe and checks, before the worker takes its first message, that they run and can encode
 * what the ladder needs. A worker that would fail every job should not start: exit 2 with one line instead.
 */
public final class Executables {
    public static final String FFMPEG_VARIABLE = "WORKER_FFMPEG";
    public static final String FFPROBE_VARIABLE = "WORKER_FFPROBE";
    static final String DEFAULT_FFMPEG = "ffmpeg";
    /** Listing the encoders takes ~0.1 s; ten seconds only trips on a binary that hangs. */
    private static final long CHECK_TIMEOUT_SECONDS = 10;
    private static final List<String> REQUIRED_ENCODERS = List.of("libx264", "aac");

    private Executables() {
    }

    /** Resolves WORKER_FFMPEG (a path, or a name looked up on PATH) to an executable file. */
    public static Path ffmpeg(Env env) {
        String given = env.string(FFMPEG_VARIABLE, DEFAULT_FFMPEG);
        return resolve(FFMPEG_VARIABLE, given, env.string("PATH").orElse(""));
    }

    /** WORKER_FFPROBE when set, else ffprobe next to ffmpeg, else ffprobe on PATH. */
    public static Path ffprobe(Env env, Path ffmpeg) {
        Optional<String> given = env.string(FFPROBE_VARIABLE);
        if (given.isPresent()) {
            return resolve(FFPROBE_VARIABLE, given.get(), env.string("PATH").orElse(""));
        }
        Path sibling = ffmpeg.resolveSibling("ffprobe");
        if (isExecutableFile(sibling)) {
            return sibling;
        }
        return onPath("ffprobe", env.string("PATH").orElse("")).orElseThrow(() -> ConfigException.missing(
                FFPROBE_VARIABLE, "the path of ffprobe: none next to " + ffmpeg + " nor on PATH"));
    }

    /** Runs {@code ffmpeg -encoders} and fails unless libx264 and aac are there. */
    public static void checkEncoders(Path ffmpeg, String givenValue) {
        String listing;
        try {
            listing = FfmpegListing.read(ffmpeg, "encoders", CHECK_TIMEOUT_SECONDS);
        } catch (FfmpegListing.Failed e) {
            throw ConfigException.invalid(FFMPEG_VARIABLE, givenValue, "an ffmpeg executable (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw ConfigException.invalid(FFMPEG_VARIABLE, givenValue,
                    "an ffmpeg executable (running " + ffmpeg + " failed: " + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ConfigException.invalid(FFMPEG_VARIABLE, givenValue, "an ffmpeg executable (check interrupted)");
        }
        for (String encoder : REQUIRED_ENCODERS) {
            if (!listing.matches("(?s).*\\s" + encoder + "\\s.*")) {
                throw ConfigException.invalid(FFMPEG_VARIABLE, givenValue,
                        "an ffmpeg build with the " + String.join(" and ", REQUIRED_ENCODERS)
                                + " encoders (" + encoder + " is missing)");
            }
        }
    }

    private static Path resolve(String variable, String given, String searchPath) {
        if (given.contains("/")) {
            Path path;
            try {
                path = Path.of(given).toAbsolutePath();
            } catch (InvalidPathException e) {
                throw ConfigException.invalid(variable, given, "a path to an executable file");
            }
            if (!Files.exists(path)) {
                throw ConfigException.invalid(variable, given, "an executable file (no such file)");
            }
            if (!isExecutableFile(path)) {
                throw ConfigException.invalid(variable, given, "an executable file (it is not executable)");
            }
            return path;
        }
        return onPath(given, searchPath).orElseThrow(() -> ConfigException.invalid(variable, given,
                "the path of an executable, or a name found on PATH (not found on PATH=" + searchPath + ")"));
    }

    private static Optional<Path> onPath(String name, String searchPath) {
        for (String dir : searchPath.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            try {
                Path candidate = Path.of(dir, name);
                if (isExecutableFile(candidate)) {
                    return Optional.of(candidate.toAbsolutePath());
                }
            } catch (InvalidPathException ignored) {
                // a malformed PATH entry cannot hold the executable; keep looking
            }
        }
        return Optional.empty();
    }

    private static boolean isExecutableFile(Path p) {
        return Files.isRegularFile(p) && Files.isExecutable(p);
    }
}
