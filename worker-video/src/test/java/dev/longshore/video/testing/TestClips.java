package dev.longshore.video.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Test clips made by ffmpeg's own test sources (testsrc2 picture, sine tone): no downloaded media. Cached under
 * target/test-clips so the module's tests generate each one once.
 */
public final class TestClips {
    private static final Path DIR = Path.of("target", "test-clips").toAbsolutePath();
    private static final ConcurrentHashMap<String, Path> MADE = new ConcurrentHashMap<>();

    private TestClips() {
    }

    /** An H.264/AAC MP4 of the given size and length. */
    public static Path clip(int width, int height, double seconds, boolean audio) {
        String name = String.format(Locale.ROOT, "testsrc2-%dx%d-%.1fs%s.mp4", width, height, seconds, audio ? "" : "-mute");
        return MADE.computeIfAbsent(name, n -> {
            Path out = DIR.resolve(n);
            List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
                    "-f", "lavfi", "-i", "testsrc2=size=" + width + "x" + height + ":rate=25"));
            if (audio) {
                cmd.addAll(List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"));
            }
            cmd.addAll(List.of("-t", String.format(Locale.ROOT, "%.3f", seconds),
                    "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "25"));
            if (audio) {
                cmd.addAll(List.of("-c:a", "aac", "-b:a", "64k"));
            }
            cmd.add(out.toString());
            run(cmd);
            return out;
        });
    }

    /** An audio-only file. */
    public static Path toneOnly(double seconds) {
        return MADE.computeIfAbsent("tone-" + seconds, n -> {
            Path out = DIR.resolve(String.format(Locale.ROOT, "tone-%.1fs.m4a", seconds));
            run(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    "sine=frequency=440:sample_rate=48000", "-t", String.valueOf(seconds), "-c:a", "aac", out.toString()));
            return out;
        });
    }

    /** Bytes that no demuxer accepts, in a file named like a video. */
    public static Path garbage(Path dir) throws IOException {
        Path out = dir.resolve("corrupt.mp4");
        byte[] bytes = new byte[64 * 1024];
        new java.util.Random(42).nextBytes(bytes);
        Files.write(out, bytes);
        return out;
    }

    private static void run(List<String> cmd) {
        try {
            Files.createDirectories(DIR);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("clip generation failed: " + cmd + "\n" + new String(out));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** ffprobe's view of a file: {@code width,height} of the first video stream and the format's duration. */
    public static String probe(Path file, String entries) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries", entries, "-of", "default=nw=1",
                file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("ffprobe cannot read " + file + ": " + out);
        }
        return out;
    }
}
