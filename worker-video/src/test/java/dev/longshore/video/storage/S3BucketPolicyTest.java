package dev.longshore.video.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.job.PermanentFailure;
import dev.longshore.core.storage.S3ObjectStore;
import dev.longshore.core.storage.S3Settings;
import dev.longshore.testkit.FakeJobContext;
import dev.longshore.video.TranscodeHandler;
import dev.longshore.testkit.s3.FakeS3Server;
import dev.longshore.video.testing.Handlers;
import dev.longshore.video.testing.Jobs;
import dev.longshore.video.testing.RecordingResultSink;
import dev.longshore.video.testing.TestClips;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * WORKER_VIDEO_S3_BUCKETS and WORKER_VIDEO_S3_EXPECTED_OWNER: a message cannot make the worker read or write a
 * bucket the operator did not list, nor one of the listed names owned by another account.
 */
class S3BucketPolicyTest {
    private static final String OWNER = "111122223333";
    @TempDir
    Path tmp;
    private FakeS3Server server;
    /** "METHOD /path expected-owner" of every HTTP request the SDK sent. */
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private S3ObjectStore s3;

    @BeforeEach
    void start() throws Exception {
        server = FakeS3Server.start("uploads", "media", "elsewhere");
        S3Settings settings = new S3Settings("WORKER_VIDEO_S3", Optional.of(server.endpoint()),
                Optional.of("us-east-1"), true, S3Settings.MIN_PART_SIZE, S3Settings.MIN_PART_SIZE,
                Set.of("uploads", "media"), Optional.of(OWNER));
        ExecutionInterceptor recorder = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                var http = context.httpRequest();
                requests.add(http.method() + " " + http.encodedPath() + " "
                        + http.firstMatchingHeader("x-amz-expected-bucket-owner").orElse("-"));
            }
        };
        s3 = new S3ObjectStore(() -> S3Client.builder()
                .endpointOverride(server.endpoint())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.addExecutionInterceptor(recorder))
                .build(), settings);
    }

    @AfterEach
    void stop() {
        s3.close();
        server.close();
    }

    @Test
    void bucketNotListedIsRefusedBeforeAnyRequest() throws Exception {
        server.put("elsewhere", "in/clip.mp4", new byte[10]);
        Path file = Files.write(tmp.resolve("a.m3u8"), new byte[10]);
        assertEquals("input_forbidden", assertThrows(PermanentFailure.class, () -> s3.download(
                new S3Location("elsewhere", "in/clip.mp4"),
                        tmp.resolve("input"), 1 << 20, InputFetcher.SIZE_SETTING)).code());
        assertEquals("output_forbidden", assertThrows(PermanentFailure.class, () -> s3.readIfExists(
                new S3Location("elsewhere", "out/manifest.json"), 1000)).code());
        PermanentFailure up = assertThrows(PermanentFailure.class, () -> s3.upload(file,
                new S3Location("elsewhere", "out/a.m3u8"), "application/vnd.apple.mpegurl"));
        assertEquals("output_forbidden", up.code());
        assertTrue(up.reason().contains("WORKER_VIDEO_S3_BUCKETS"), up.reason());
        assertEquals(List.of(), requests, "nothing was sent to S3");
    }

    @Test
    void everyRequestCarriesTheExpectedBucketOwner() throws Exception {
        server.put("uploads", "in/clip.mp4", new byte[1000]);
        s3.download(new S3Location("uploads", "in/clip.mp4"), tmp.resolve("input"), 1 << 20, InputFetcher.SIZE_SETTING);
        s3.readIfExists(new S3Location("media", "out/manifest.json"), 1000);
        s3.upload(Files.write(tmp.resolve("small.ts"), new byte[1000]), new S3Location("media", "out/small.ts"), "video/mp2t");
        byte[] big = new byte[(int) S3Settings.MIN_PART_SIZE + 1];
        s3.upload(Files.write(tmp.resolve("big.ts"), big), new S3Location("media", "out/big.ts"), "video/mp2t");
        assertEquals(2, server.partsOf("media", "out/big.ts"), "the multipart path was taken");
        assertTrue(requests.size() >= 7, requests.toString());
        for (String r : requests) {
            assertTrue(r.endsWith(" " + OWNER), "ExpectedBucketOwner missing: " + r + " in " + requests);
        }
    }

    /** Before: the worker read s3://elsewhere/... for any message that named it. */
    @Test
    void transcodeNamingAnUnlistedBucketFailsPermanently() throws Exception {
        server.put("elsewhere", "raw/clip.mp4", Files.readAllBytes(TestClips.clip(256, 144, 1, false)));
        RecordingResultSink results = new RecordingResultSink();
        TranscodeHandler handler = Handlers.handler(tmp, results, s3);
        PermanentFailure in = assertThrows(PermanentFailure.class, () -> handler.handle(Jobs.transcode("foreign-in",
                "{\"input\":\"s3://elsewhere/raw/clip.mp4\",\"output\":\"s3://media/hls/x/\"}"), new FakeJobContext()));
        assertEquals("input_forbidden", in.code());
        PermanentFailure out = assertThrows(PermanentFailure.class, () -> handler.handle(Jobs.transcode("foreign-out",
                "{\"input\":\"s3://uploads/raw/clip.mp4\",\"output\":\"s3://elsewhere/hls/x/\"}"), new FakeJobContext()));
        assertEquals("output_forbidden", out.code());
        assertEquals(List.of(), requests);
        assertFalse(server.keys("elsewhere", "hls/").iterator().hasNext());
    }
}
