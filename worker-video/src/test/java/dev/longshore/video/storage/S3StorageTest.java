package dev.longshore.video.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.job.PermanentFailure;
import dev.longshore.core.storage.S3ObjectStore;
import dev.longshore.core.storage.S3Settings;
import dev.longshore.testkit.s3.FakeS3Server;
import dev.longshore.testkit.s3.TestS3;
import dev.longshore.video.testing.RandomBytes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class S3StorageTest {
    @TempDir
    Path tmp;
    private FakeS3Server server;
    private S3ObjectStore s3;

    @BeforeEach
    void start() throws Exception {
        server = FakeS3Server.start("media");
        s3 = TestS3.storage(server, S3Settings.MIN_PART_SIZE, S3Settings.MIN_PART_SIZE);
    }

    @AfterEach
    void stop() {
        s3.close();
        server.close();
    }

    @Test
    void smallFileGoesUpInOnePut() throws Exception {
        byte[] body = RandomBytes.of(1000);
        Path file = Files.write(tmp.resolve("a.m3u8"), body);
        s3.upload(file, new S3Location("media", "out/a.m3u8"), "application/vnd.apple.mpegurl");
        assertArrayEquals(body, server.get("media", "out/a.m3u8"));
        assertNull(server.partsOf("media", "out/a.m3u8"), "no multipart below the threshold");
        assertEquals("application/vnd.apple.mpegurl", server.contentType("media", "out/a.m3u8"));
    }

    @Test
    void largeFileGoesUpInParts() throws Exception {
        byte[] body = RandomBytes.of((int) (2 * S3Settings.MIN_PART_SIZE + 12345));
        Path file = Files.write(tmp.resolve("big.ts"), body);
        s3.upload(file, new S3Location("media", "out/big.ts"), "video/mp2t");
        assertEquals(3, server.partsOf("media", "out/big.ts"), "two full parts and the rest");
        assertArrayEquals(body, server.get("media", "out/big.ts"), "parts are reassembled in order");
    }

    @Test
    void downloadWritesTheObjectToAFile() throws Exception {
        byte[] body = RandomBytes.of(300_000);
        server.put("media", "in/clip.mp4", body);
        Path target = tmp.resolve("input");
        s3.download(new S3Location("media", "in/clip.mp4"), target, 1 << 20, InputFetcher.SIZE_SETTING);
        assertArrayEquals(body, Files.readAllBytes(target));
    }

    @Test
    void missingInputIsPermanent() {
        PermanentFailure f = assertThrows(PermanentFailure.class,
                () -> s3.download(new S3Location("media", "in/none.mp4"),
                        tmp.resolve("input"), 1 << 20, InputFetcher.SIZE_SETTING));
        assertEquals("input_not_found", f.code());
        PermanentFailure bucket = assertThrows(PermanentFailure.class,
                () -> s3.download(new S3Location("nobucket", "in/a.mp4"),
                        tmp.resolve("input2"), 1 << 20, InputFetcher.SIZE_SETTING));
        assertEquals("input_not_found", bucket.code());
    }

    @Test
    void inputOverTheSizeLimitIsRefused() {
        server.put("media", "in/big.mp4", RandomBytes.of(5000));
        PermanentFailure f = assertThrows(PermanentFailure.class,
                () -> s3.download(new S3Location("media", "in/big.mp4"),
                        tmp.resolve("input"), 4000, InputFetcher.SIZE_SETTING));
        assertEquals("input_too_large", f.code());
    }

    @Test
    void readIfExistsTellsMissingFromPresent() throws Exception {
        assertTrue(s3.readIfExists(new S3Location("media", "out/manifest.json"), 1000).isEmpty());
        server.put("media", "out/manifest.json", "{\"jobId\":\"a\"}".getBytes());
        assertEquals("{\"jobId\":\"a\"}", new String(s3.readIfExists(new S3Location("media", "out/manifest.json"), 1000)
                .orElseThrow()));
    }
}
