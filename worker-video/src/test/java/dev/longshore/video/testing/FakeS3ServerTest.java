package dev.longshore.video.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.storage.S3Clients;
import dev.longshore.testkit.s3.FakeS3Server;
import dev.longshore.testkit.s3.TestS3;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The test S3 server refuses what S3 refuses, in the error document the SDK parses. */
class FakeS3ServerTest {

    private static S3Client client(FakeS3Server server, boolean pathStyle) {
        return S3Clients.create(pathStyle ? TestS3.settings(server, 1 << 30, 5 << 20)
                : TestS3.virtualHostSettings(server, 1 << 30, 5 << 20),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
    }

    private static S3Exception refused(int status, String code, Runnable call) {
        S3Exception e = assertThrows(S3Exception.class, call::run);
        assertEquals(status, e.statusCode(), e.getMessage());
        assertEquals(code, e.awsErrorDetails().errorCode(), e.getMessage());
        return e;
    }

    @Test
    void localhostSubdomainsResolveToLoopbackInTests() throws Exception {
        assertTrue(InetAddress.getByName("media.localhost").isLoopbackAddress());
    }

    @Test
    void bothAddressingStylesReachTheSameBuckets() throws Exception {
        try (FakeS3Server server = FakeS3Server.start("media"); S3Client path = client(server, true);
             S3Client virtual = client(server, false)) {
            path.putObject(b -> b.bucket("media").key("a/b.txt"), RequestBody.fromString("hello"));
            assertEquals("hello", virtual.getObjectAsBytes(b -> b.bucket("media").key("a/b.txt")).asUtf8String());
            assertEquals(2, server.requests().size());
            assertEquals(false, server.requests().get(0).virtualHost());
            assertEquals(true, server.requests().get(1).virtualHost());
            assertEquals("media", server.requests().get(1).bucket());
            assertEquals("a/b.txt", server.requests().get(1).key());
        }
    }

    @Test
    void missingBucketsKeysAndDeniedAccessAnswerAsS3() throws Exception {
        try (FakeS3Server server = FakeS3Server.start("media"); S3Client s3 = client(server, false)) {
            assertThrows(NoSuchBucketException.class, () -> s3.getObject(b -> b.bucket("other").key("k")));
            assertThrows(NoSuchKeyException.class, () -> s3.getObject(b -> b.bucket("media").key("k")));
            assertThrows(NoSuchKeyException.class, () -> s3.headObject(b -> b.bucket("media").key("k")));
            server.put("media", "k", new byte[] {1});
            server.deny("media", "PutObject");
            s3.getObject(b -> b.bucket("media").key("k")).close();
            S3Exception e = refused(403, "AccessDenied",
                    () -> s3.putObject(b -> b.bucket("media").key("k"), RequestBody.fromString("x")));
            assertTrue(e.requestId() != null && !e.requestId().isEmpty(), "x-amz-request-id");
            server.deny("media");
            assertEquals(403, assertThrows(S3Exception.class, () -> s3.headObject(b -> b.bucket("media").key("k")))
                    .statusCode());
        }
    }

    @Test
    void multipartCompletionChecksPartSizesOrderAndEtags() throws Exception {
        try (FakeS3Server server = FakeS3Server.start("media"); S3Client s3 = client(server, false)) {
            byte[] full = new byte[(int) FakeS3Server.MIN_PART_SIZE];
            byte[] tiny = new byte[10];
            byte[] other = {1, 2, 3};
            String id = s3.createMultipartUpload(b -> b.bucket("media").key("m")).uploadId();
            String e1 = s3.uploadPart(b -> b.bucket("media").key("m").uploadId(id).partNumber(1), RequestBody.fromBytes(tiny)).eTag();
            String e2 = s3.uploadPart(b -> b.bucket("media").key("m").uploadId(id).partNumber(2), RequestBody.fromBytes(other)).eTag();
            refused(400, "EntityTooSmall", () -> s3.completeMultipartUpload(b -> b.bucket("media").key("m").uploadId(id)
                    .multipartUpload(m -> m.parts(part(1, e1), part(2, e2)))));
            refused(400, "InvalidPartOrder", () -> s3.completeMultipartUpload(b -> b.bucket("media").key("m").uploadId(id)
                    .multipartUpload(m -> m.parts(part(2, e2), part(1, e1)))));
            refused(400, "InvalidPart", () -> s3.completeMultipartUpload(b -> b.bucket("media").key("m").uploadId(id)
                    .multipartUpload(m -> m.parts(part(1, e2)))));
            refused(400, "InvalidArgument", () -> s3.uploadPart(b -> b.bucket("media").key("m").uploadId(id)
                    .partNumber(10_001), RequestBody.fromBytes(tiny)));
            String f1 = s3.uploadPart(b -> b.bucket("media").key("m").uploadId(id).partNumber(1), RequestBody.fromBytes(full)).eTag();
            s3.completeMultipartUpload(b -> b.bucket("media").key("m").uploadId(id)
                    .multipartUpload(m -> m.parts(part(1, f1), part(2, e2))));
            assertEquals(full.length + other.length, server.get("media", "m").length, "the last part may be small");
            refused(404, "NoSuchUpload", () -> s3.uploadPart(b -> b.bucket("media").key("m").uploadId(id).partNumber(3),
                    RequestBody.fromBytes(tiny)));
        }
    }

    @Test
    void injectedFailuresAnswerWithTheirStatusAndCode() throws Exception {
        try (FakeS3Server server = FakeS3Server.start("media"); S3Client s3 = client(server, false)) {
            server.failNext("PutObject", 1, 400, "InvalidRequest");
            refused(400, "InvalidRequest", () -> s3.putObject(b -> b.bucket("media").key("k"), RequestBody.fromString("x")));
            server.failNext("*", 10, 500, "InternalError");
            refused(500, "InternalError", () -> s3.getObject(b -> b.bucket("media").key("k")));
            assertTrue(server.requests("GetObject").size() > 1, "the SDK retried the 500");
        }
    }

    private static CompletedPart part(int n, String etag) {
        return CompletedPart.builder().partNumber(n).eTag(etag).build();
    }
}
