package dev.longshore.video.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.job.JobFailure;
import dev.longshore.core.job.PermanentFailure;
import dev.longshore.core.job.RetryableFailure;
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
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the worker makes of S3's answers (docs/video.md, Outcomes), against a server that answers like S3,
 * reached the way S3 is by default: virtual-hosted style, the bucket in the host name.
 */
class S3StorageOutcomesTest {
    @TempDir
    Path tmp;
    private FakeS3Server server;
    private S3ObjectStore s3;
    private final S3Location input = new S3Location("media", "in/clip.mp4");
    private final S3Location output = new S3Location("media", "out/a.ts");

    @BeforeEach
    void start() throws Exception {
        server = FakeS3Server.start("media");
        s3 = TestS3.virtualHostStorage(server, S3Settings.MIN_PART_SIZE, S3Settings.MIN_PART_SIZE);
        server.put("media", "in/clip.mp4", RandomBytes.of(1000));
    }

    @AfterEach
    void stop() {
        s3.close();
        server.close();
    }

    private Path file(int size) throws Exception {
        return Files.write(tmp.resolve("f" + size), RandomBytes.of(size));
    }

    private void download() throws Exception {
        s3.download(input, tmp.resolve("input"), 1 << 20, InputFetcher.SIZE_SETTING);
    }

    private void upload(int size) throws Exception {
        s3.upload(file(size), output, "video/mp2t");
    }

    private static String permanent(Executable call) {
        return assertThrows(PermanentFailure.class, call).code();
    }

    private static String retryable(Executable call) {
        return assertThrows(RetryableFailure.class, call).code();
    }

    @Test
    void requestsCarryTheBucketInTheHostName() throws Exception {
        upload(1000);
        download();
        assertArrayEquals(RandomBytes.of(1000), server.get("media", "out/a.ts"));
        assertFalse(server.requests().isEmpty());
        assertTrue(server.requests().stream().allMatch(FakeS3Server.Request::virtualHost), server.requests().toString());
    }

    @Test
    void accessDeniedIsForbiddenOnBothSides() throws Exception {
        server.deny("media");
        assertEquals("input_forbidden", permanent(this::download));
        assertEquals("output_forbidden", permanent(() -> upload(1000)));
        assertNull(server.get("media", "out/a.ts"));
    }

    @Test
    void readIfExistsTakesAccessDeniedForMissingAndTheUploadThenSaysForbidden() throws Exception {
        // Without s3:ListBucket S3 answers 403 for a missing key: the redelivery check must not stop there.
        server.deny("media", "GetObject", "PutObject");
        assertTrue(s3.readIfExists(new S3Location("media", "out/manifest.json"), 1000).isEmpty());
        assertEquals("output_forbidden", permanent(() -> upload(1000)));
    }

    @Test
    void badRequestIsRejectedOnBothSides() throws Exception {
        server.failNext("GetObject", 1, 400, "InvalidRequest");
        assertEquals("input_rejected", permanent(this::download));
        server.failNext("PutObject", 1, 400, "InvalidRequest");
        assertEquals("output_rejected", permanent(() -> upload(1000)));
        assertEquals(1, server.requests("PutObject").size(), "a 400 is not retried");
    }

    @Test
    void missingBucketIsInputNotFoundOrOutputBucketMissing() throws Exception {
        assertEquals("input_not_found", permanent(() -> s3.download(new S3Location("nobucket", "in/a.mp4"),
                tmp.resolve("input"), 1 << 20, InputFetcher.SIZE_SETTING)));
        S3Location out = new S3Location("nobucket", "out/a.ts");
        assertEquals("output_bucket_missing", permanent(() -> s3.upload(file(1000), out, "video/mp2t")));
        assertEquals("output_bucket_missing", permanent(() -> s3.readIfExists(new S3Location("nobucket",
                "out/manifest.json"), 1000)));
        assertEquals("output_bucket_missing", permanent(() -> s3.upload(file((int) S3Settings.MIN_PART_SIZE + 1), out,
                "video/mp2t")), "multipart too");
    }

    @Test
    void serverErrorsAreRetriedByTheSdkThenRetryableS3Error() throws Exception {
        server.failNext("PutObject", 1, 503, "SlowDown");
        server.failNext("GetObject", 1, 500, "InternalError");
        upload(1000);
        download();
        assertEquals(2, server.requests("PutObject").size(), "one SlowDown, then the retry");

        server.failNext("GetObject", 20, 500, "InternalError");
        assertEquals("s3_error", retryable(this::download));
        server.failNext("PutObject", 20, 503, "SlowDown");
        assertEquals("s3_error", retryable(() -> upload(1000)));
        server.failNext("UploadPart", 20, 500, "InternalError");
        JobFailure f = assertThrows(JobFailure.class, () -> upload((int) S3Settings.MIN_PART_SIZE + 1));
        assertEquals("s3_error", f.code());
        assertEquals(1, server.abortedUploads(), "the failed multipart upload is aborted");
    }

    @Test
    void partsUnderFiveMebibytesAreRefusedAtCompletionAndTheUploadIsAborted() throws Exception {
        // S3Settings.fromEnv refuses such a part size; built by hand it shows what S3 then does.
        S3ObjectStore small = TestS3.virtualHostStorage(server, 1 << 20, 1 << 20);
        try {
            PermanentFailure f = assertThrows(PermanentFailure.class,
                    () -> small.upload(file((5 << 20) / 2), output, "video/mp2t"));
            assertEquals("output_rejected", f.code());
            assertTrue(f.reason().contains("EntityTooSmall"), f.reason());
        } finally {
            small.close();
        }
        assertEquals(1, server.abortedUploads());
        assertNull(server.get("media", "out/a.ts"), "nothing half-written is visible");
        assertTrue(server.writes().isEmpty());
    }

    @Test
    void fiveMebibytePartsGoUpVirtualHosted() throws Exception {
        byte[] body = RandomBytes.of((int) (2 * S3Settings.MIN_PART_SIZE + 7));
        s3.upload(Files.write(tmp.resolve("big"), body), output, "video/mp2t");
        assertEquals(3, server.partsOf("media", "out/a.ts"));
        assertArrayEquals(body, server.get("media", "out/a.ts"));
    }
}
