package dev.longshore.local;

import dev.longshore.testkit.QueuePair;
import dev.longshore.testkit.WebhookReceiver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * worker-video in the local run: an 8 s clip made by ffmpeg's test sources is uploaded to the local run's S3 and
 * transcoded from there to a two-rendition HLS ladder with a thumbnail, published to S3 (docs/video.md: Output); a
 * file of random bytes ends in the dead-letter queue with ffprobe's reason.
 */
final class VideoDemo implements Demo {
    /** Where the demo clip's ladder is published, under {@link LocalS3#BUCKET}. */
    static final String OUTPUT = "video/demo-clip/";

    private final Path dir;
    private final LocalS3 s3;

    VideoDemo(Path root, LocalS3 s3) {
        this.s3 = s3;
        this.dir = root.resolve("target/local-run/video");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String name() {
        return "video";
    }

    /** ffmpeg (WORKER_FFMPEG or on PATH) and ffprobe (WORKER_FFPROBE, next to ffmpeg, or on PATH), as the worker finds them. */
    @Override
    public Optional<String> missing() {
        Optional<Path> ffmpeg = ffmpeg();
        if (ffmpeg.isEmpty()) {
            return Optional.of(System.getenv("WORKER_FFMPEG") != null
                    ? "WORKER_FFMPEG=" + System.getenv("WORKER_FFMPEG") + " is not an executable file"
                    : "ffmpeg not found (install it: apt-get install ffmpeg)");
        }
        String probe = System.getenv("WORKER_FFPROBE");
        boolean found = probe != null ? executable(probe).isPresent()
                : Files.isExecutable(ffmpeg.get().resolveSibling("ffprobe")) || executable("ffprobe").isPresent();
        return found ? Optional.empty() : Optional.of("ffprobe not found (install it: apt-get install ffmpeg)");
    }

    private static Optional<Path> ffmpeg() {
        return executable(Optional.ofNullable(System.getenv("WORKER_FFMPEG")).orElse("ffmpeg"));
    }

    /** A path, or a bare name looked up on PATH, that names an executable file. */
    private static Optional<Path> executable(String name) {
        if (name.contains("/")) {
            Path p = Path.of(name);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public Map<String, String> environment(WebhookReceiver receiver) {
        Map<String, String> env = new HashMap<>(s3.workerEnvironment("WORKER_VIDEO_S3"));
        env.put("WORKER_WORK_DIR", dir.resolve("work").toString());
        env.put("WORKER_VIDEO_S3_BUCKETS", LocalS3.BUCKET);
        return env;
    }

    @Override
    public int send(SqsClient sqs, String queueUrl, WebhookReceiver receiver) {
        Path clip = dir.resolve("clip.mp4");
        Path corrupt = dir.resolve("corrupt.mp4");
        try {
            String ffmpeg = ffmpeg().map(Path::toString).orElse("ffmpeg");
            Process p = new ProcessBuilder(ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
                    "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25", "-f", "lavfi", "-i", "sine=frequency=440",
                    "-t", "8", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
                    clip.toString()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("ffmpeg could not generate the demo clip");
            }
            byte[] junk = new byte[64 * 1024];
            new Random(1).nextBytes(junk);
            Files.write(corrupt, junk);
            // As an uploader would: the job names the object, the worker downloads it.
            s3.put("uploads/clip.mp4", Files.readAllBytes(clip));
            s3.put("uploads/corrupt.mp4", junk);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        for (var job : List.of(
                "{\"jobId\":\"demo-clip\",\"type\":\"video.transcode\",\"payload\":{\"input\":\""
                        + LocalS3.uri("uploads/clip.mp4") + "\",\"output\":\"" + LocalS3.uri(OUTPUT)
                        + "\",\"renditions\":["
                        + "{\"height\":720,\"bitrate\":\"2800k\"},{\"height\":360,\"bitrate\":\"800k\"}],\"thumbnail\":true}}",
                "{\"jobId\":\"demo-corrupt\",\"type\":\"video.transcode\",\"payload\":{\"input\":\""
                        + LocalS3.uri("uploads/corrupt.mp4") + "\",\"output\":\"" + LocalS3.uri("video/demo-corrupt/")
                        + "\"}}")) {
            sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(job));
        }
        return 2;
    }

    @Override
    public Progress progress(SqsClient sqs, QueuePair queue, Map<String, Double> m) {
        long ok = MetricsScrape.value(m, "longshore_messages_processed_total{outcome=\"success\"}");
        long dead = MetricsScrape.value(m, "longshore_messages_processed_total{outcome=\"dead\"}");
        double progress = m.getOrDefault("longshore_video_progress_ratio", 0.0);
        String summary = String.format("transcoded %d/1 (%.0f%%), dead-lettered %d/1, output in %s", ok,
                progress * 100, dead, LocalS3.uri(OUTPUT));
        return new Progress(ok >= 1 && dead >= 1, summary);
    }

    @Override
    public List<String> storageSummary() {
        return List.of(s3.summary(OUTPUT, "master.m3u8"));
    }
}
