package dev.longshore.video.ffmpeg;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Why ffmpeg exited non-zero: the input (its data cannot be decoded, so every retry fails the same way, a
 * permanent {@code input_corrupt}) or the machine (disk full, out of memory, killed: retryable
 * {@code ffmpeg_failed}). docs/video.md: "Outcomes".
 *
 * <p>Read from ffmpeg's whole stderr log. Environment signs win over input signs: a damaged file on a full
 * disk is retried, since the disk may be the only reason it failed. A failure showing neither is retried.
 */
public final class FailureCause {
    /** Demuxer and decoder messages that only bad input data produces (ffmpeg 5 to 7 wordings). */
    private static final List<String> INPUT_SIGNS = List.of(
            "invalid data found when processing input",
            "cannot determine format of input", // no frame of the stream could be decoded
            "error while decoding stream",
            "decoding error",
            "error during demuxing",
            "error splitting the input into nal units",
            "invalid nal unit size",
            "partial file",
            "moov atom not found",
            "corrupt",
            "could not find codec parameters",
            "no decoder for",
            "decoder (codec",
            "unsupported codec");
    /** The machine, not the input: each of these may pass on another try or another host. */
    private static final List<String> ENVIRONMENT_SIGNS = List.of(
            "no space left on device",
            "cannot allocate memory",
            "out of memory",
            "resource temporarily unavailable",
            "too many open files",
            "input/output error",
            "read-only file system",
            "permission denied",
            "disk quota exceeded",
            "broken pipe",
            "error opening output",
            "error writing trailer",
            "failed to open segment");
    /** Lines read from the log at most: a corrupt file makes ffmpeg write a line per bad packet. */
    private static final int MAX_LINES = 200_000;

    private FailureCause() {
    }

    /** A line of ffmpeg's stderr that shows the input is damaged, if the failure is the input's. */
    public static Optional<String> inputDamage(int exitCode, Path stderrLog) throws IOException {
        if (exitCode > 128 || exitCode < 0) {
            return Optional.empty(); // killed by a signal (OOM killer, operator): never the file's fault
        }
        String inputLine = null;
        try (BufferedReader r = Files.newBufferedReader(stderrLog, StandardCharsets.ISO_8859_1)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null && n++ < MAX_LINES) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (ENVIRONMENT_SIGNS.stream().anyMatch(lower::contains)) {
                    return Optional.empty();
                }
                if (inputLine == null && INPUT_SIGNS.stream().anyMatch(lower::contains)) {
                    inputLine = line;
                }
            }
        }
        return Optional.ofNullable(inputLine);
    }
}
