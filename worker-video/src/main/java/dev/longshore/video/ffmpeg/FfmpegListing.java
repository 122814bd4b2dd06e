package dev.longshore.video.ffmpeg;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code ffmpeg -hide_banner -<listing>} (encoders, filters) and returns what it printed: the one way the
 * worker asks a build what it can do, before any job runs.
 */
public final class FfmpegListing {
    /** A listing is ~40 KiB; a megabyte is room to spare without letting a runaway binary fill the heap. */
    private static final int MAX_BYTES = 1 << 20;

    private FfmpegListing() {
    }

    /** The listing ran but did not answer: it hung or exited non-zero. The message names the command. */
    public static final class Failed extends IOException {
        Failed(String message) {
            super(message);
        }
    }

    /**
     * The output of {@code ffmpeg -hide_banner -nostdin -<listing>}.
     *
     * @throws Failed when it does not finish in {@code timeoutSeconds} or exits non-zero
     * @throws IOException when it cannot be started or read
     * @throws InterruptedException when interrupted while waiting; the process is killed first
     */
    public static String read(Path ffmpeg, String listing, long timeoutSeconds)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(ffmpeg.toString(), "-hide_banner", "-nostdin", "-" + listing)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            // Reading to EOF also waits for the process to close its output.
            out = in.readNBytes(MAX_BYTES);
        }
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new Failed("'" + ffmpeg + " -" + listing + "' did not finish in " + timeoutSeconds + "s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            throw e;
        }
        if (p.exitValue() != 0) {
            throw new Failed("'" + ffmpeg + " -" + listing + "' exited with " + p.exitValue());
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
