package dev.longshore.video.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.config.ConfigException;
import dev.longshore.core.config.Env;
import dev.longshore.video.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoSettingsTest {
    @TempDir
    Path tmp;

    private Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("PATH", System.getenv("PATH"));
        m.put("WORKER_WORK_DIR", tmp.resolve("work").toString());
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private VideoSettings settings(int concurrency, int cpus, String... kv) {
        return VideoSettings.fromEnv(new Env(env(kv)), concurrency, cpus);
    }

    /** Settings with {@code variable=value} are refused, and the failure names that variable. */
    private ConfigException refused(String variable, String value) {
        ConfigException e = assertThrows(ConfigException.class, () -> settings(1, 2, variable, value), variable);
        assertEquals(variable, e.variable());
        return e;
    }

    @Test
    void ffmpegIsFoundOnPathWithFfprobeBesideIt() {
        VideoSettings s = settings(1, 2);
        assertTrue(Files.isExecutable(s.ffmpeg()), s.ffmpeg().toString());
        assertEquals(s.ffmpeg().resolveSibling("ffprobe"), s.ffprobe());
        assertTrue(Files.isDirectory(s.workDir()), "the work directory is created");
    }

    @Test
    void missingFfmpegNamesTheVariable() {
        ConfigException e = refused("WORKER_FFMPEG", tmp.resolve("no-such-ffmpeg").toString());
        assertTrue(e.getMessage().startsWith("configuration error: WORKER_FFMPEG=\""), e.getMessage());
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void ffmpegNameNotOnPathNamesTheVariable() {
        ConfigException e = refused("WORKER_FFMPEG", "ffmpeg-does-not-exist");
        assertTrue(e.getMessage().contains("not found on PATH"), e.getMessage());
    }

    @Test
    void nonExecutableFfmpegIsRefused() throws Exception {
        Path plain = Files.writeString(tmp.resolve("ffmpeg"), "not a program");
        ConfigException e = refused("WORKER_FFMPEG", plain.toString());
        assertTrue(e.getMessage().contains("not executable"), e.getMessage());
    }

    @Test
    void ffmpegWithoutTheEncodersIsRefusedAtStart() throws Exception {
        Path fake = Processes.script(tmp, "ffmpeg", "echo ' V..... mpeg4 MPEG-4 part 2'\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> Executables.checkEncoders(fake, fake.toString()));
        assertEquals("WORKER_FFMPEG", e.variable());
        assertTrue(e.getMessage().contains("libx264"), e.getMessage());
    }

    @Test
    void realFfmpegPassesTheEncoderCheck() {
        VideoSettings s = settings(1, 2);
        Executables.checkEncoders(s.ffmpeg(), "ffmpeg");
    }

    @Test
    void ffprobeMissingEverywhereNamesItsVariable() throws Exception {
        Path fake = Processes.script(tmp, "ffmpeg", "exit 0\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> settings(1, 2, "WORKER_FFMPEG", fake.toString(), "PATH", tmp.toString()));
        assertEquals("WORKER_FFPROBE", e.variable());
    }

    @Test
    void threadsShareTheContainersCpusBetweenConcurrentJobs() {
        assertEquals(4, settings(1, 4).threads());
        assertEquals(2, settings(2, 4).threads());
        assertEquals(1, settings(8, 4).threads(), "never below one");
        assertEquals(3, settings(1, 4, "WORKER_VIDEO_THREADS", "3").threads(), "an explicit value wins");
    }

    @Test
    void invalidValuesNameTheirVariable() {
        Map<String, String> bad = Map.of(
                "WORKER_VIDEO_THREADS", "0",
                "WORKER_VIDEO_STALL_TIMEOUT", "soon",
                "WORKER_VIDEO_PRESET", "placebo",
                "WORKER_VIDEO_MAX_DURATION", "0s",
                "WORKER_VIDEO_S3_PART_SIZE", "1MiB",
                "WORKER_VIDEO_S3_PATH_STYLE", "maybe",
                "WORKER_RESULT_QUEUE_URL", "results",
                "AWS_ENDPOINT_URL_S3", "not a url");
        bad.forEach((name, value) -> {
            ConfigException e = refused(name, value);
            assertTrue(e.getMessage().contains(value), e.getMessage());
        });
    }

    @Test
    void workDirWithPercentIsRefused() {
        refused("WORKER_WORK_DIR", tmp.resolve("a%v").toString());
    }

    @Test
    void s3EndpointComesFromTheStandardVariables() {
        assertEquals("http://127.0.0.1:9000", settings(1, 2, "AWS_ENDPOINT_URL", "http://127.0.0.1:9000")
                .s3().endpoint().orElseThrow().toString());
        assertEquals("http://127.0.0.1:9001", settings(1, 2, "AWS_ENDPOINT_URL", "http://127.0.0.1:9000",
                "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9001").s3().endpoint().orElseThrow().toString());
    }

    @Test
    void s3BucketAllowListAndExpectedOwnerAreRead() {
        VideoSettings s = settings(1, 2, "WORKER_VIDEO_S3_BUCKETS", " uploads, media ",
                "WORKER_VIDEO_S3_EXPECTED_OWNER", "111122223333");
        assertEquals(java.util.Set.of("uploads", "media"), s.s3().buckets());
        assertTrue(s.s3().allows("media") && !s.s3().allows("elsewhere"));
        assertEquals("111122223333", s.s3().expectedOwner().orElseThrow());
        VideoSettings unset = settings(1, 2);
        assertTrue(unset.s3().allows("anything") && unset.s3().expectedOwner().isEmpty(), "unset: any bucket");
    }

    @Test
    void invalidBucketNamesAndOwnersNameTheVariable() {
        ConfigException bucket = refused("WORKER_VIDEO_S3_BUCKETS", "media,s3://uploads");
        assertTrue(bucket.getMessage().contains("'s3://uploads' is not one"), bucket.getMessage());
        refused("WORKER_VIDEO_S3_BUCKETS", " , ");
        refused("WORKER_VIDEO_S3_EXPECTED_OWNER", "arn:aws:iam::111122223333:root");
    }
}
