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

    /**
     * A file made by ffmpeg from the given arguments (lavfi sources, codecs, flags), written as {@code name};
     * generated once per test run like the clips.
     */
    public static Path generate(String name, String... ffmpegArguments) {
        return MADE.computeIfAbsent(name, n -> {
            Path out = DIR.resolve(n);
            List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y"));
            cmd.addAll(List.of(ffmpegArguments));
            cmd.add(out.toString());
            run(cmd);
            return out;
        });
    }

    /** A 2 s mp3 tone: audio only, in a container the transcoder does not read. */
    public static Path mp3() {
        return generate("tone-2s.mp3", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", "2",
                "-c:a", "libmp3lame", "-b:a", "64k");
    }

    /**
     * 2 s of 1080i-style material at 320x240: 50 frames/s of moving testsrc2 woven into 25 interlaced frames/s,
     * top field first, flagged as such (field_order tt).
     */
    public static Path interlaced() {
        return generate("interlaced-tt-320x240-2s.mp4", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=50",
                "-t", "2", "-vf", "tinterlace=interleave_top,fieldorder=tff", "-c:v", "libx264", "-preset", "ultrafast",
                "-flags", "+ilme+ildct", "-field_order", "tt", "-pix_fmt", "yuv420p");
    }

    /** 2 s of 10-bit HLG (ARIB STD-B67, BT.2020) at 320x180, tagged as a phone or camera tags it. */
    public static Path hlg() {
        return generate("hlg-bt2020-10bit-320x180-2s.mp4", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25",
                "-t", "2", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p10le",
                "-color_primaries", "bt2020", "-color_trc", "arib-std-b67", "-colorspace", "bt2020nc");
    }

    /**
     * 2 s of 320x180 Matroska with two audio streams: stream 1 silent and not default, stream 2 a tone flagged
     * default (the commentary-first order some editors write).
     */
    public static Path defaultAudioSecond() {
        return generate("two-audio-default-second-320x180-2s.mkv", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25",
                "-f", "lavfi", "-i", "anullsrc=r=48000:cl=stereo", "-f", "lavfi", "-i", "sine=frequency=880:sample_rate=48000",
                "-t", "2", "-map", "0", "-map", "1", "-map", "2", "-c:v", "libx264", "-preset", "ultrafast",
                "-c:a", "aac", "-metadata:s:a:0", "language=fra", "-disposition:a:0", "0", "-disposition:a:1", "default");
    }

    /**
     * 3 s of 256x144 random noise (every frame incompressible) with a tone: the encoder spends its whole rate
     * budget and bursts to its buffer size, as the worst real content does.
     */
    public static Path noise() {
        return generate("noise-256x144-3s.mp4", "-f", "lavfi", "-i",
                "nullsrc=size=256x144:rate=25,geq=lum='random(1)*255':cb=128:cr=128",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "3",
                "-c:v", "libx264", "-preset", "ultrafast", "-crf", "10", "-c:a", "aac", "-b:a", "64k");
    }

    /** An H.264/AAC MP4 with its index (moov) at the front, as uploads from browsers and phones usually are. */
    public static Path faststart(int width, int height, double seconds) {
        return generate(String.format(Locale.ROOT, "faststart-%dx%d-%.1fs.mp4", width, height, seconds),
                "-f", "lavfi", "-i", "testsrc2=size=" + width + "x" + height + ":rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", String.format(Locale.ROOT, "%.3f", seconds), "-c:v", "libx264", "-preset", "ultrafast",
                "-pix_fmt", "yuv420p", "-g", "25", "-c:a", "aac", "-b:a", "64k", "-movflags", "+faststart");
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
