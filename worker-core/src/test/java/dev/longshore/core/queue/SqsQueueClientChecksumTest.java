package dev.longshore.core.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** A body that does not match the MD5 SQS computed for it is never run, and a send SQS stored differently fails. */
class SqsQueueClientChecksumTest {
    /** What SQS would have computed for a body other than the one that arrived. */
    private static final String OTHER_MD5 = "0123456789abcdef0123456789abcdef";

    private HttpServer server;
    private volatile String answer = "{}";

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        server.createContext("/", e -> {
            e.getRequestBody().readAllBytes();
            byte[] b = answer.getBytes(StandardCharsets.UTF_8);
            e.sendResponseHeaders(200, b.length);
            e.getResponseBody().write(b);
            e.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private SqsQueueClient client() {
        return SqsQueueClient.create(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), Region.US_EAST_1,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AK", "SK")));
    }

    private static String md5(String s) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                .digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aMessageWhoseBodyDoesNotMatchItsMd5IsLeftForSqsToDeliverAgain() throws Exception {
        String good = "{\"jobId\":\"good\"}";
        answer = "{\"Messages\":[{\"MessageId\":\"m-good\",\"ReceiptHandle\":\"r1\",\"MD5OfBody\":\"" + md5(good)
                + "\",\"Body\":\"{\\\"jobId\\\":\\\"good\\\"}\"},"
                + "{\"MessageId\":\"m-damaged\",\"ReceiptHandle\":\"r2\",\"MD5OfBody\":\"" + OTHER_MD5
                + "\",\"Body\":\"{\\\"jobId\\\":\\\"bad\\\"}\"}]}";
        List<QueueMessage> got = client().receive("http://q", 10, 0, 30);
        assertEquals(List.of("m-good"), got.stream().map(QueueMessage::messageId).toList());
    }

    @Test
    void aSendThatSqsStoredWithAnotherMd5Fails() throws Exception {
        answer = "{\"MessageId\":\"m\",\"MD5OfMessageBody\":\"" + md5("something else") + "\"}";
        QueueUnavailableException e = assertThrows(QueueUnavailableException.class,
                () -> client().send("http://q", "{\"result\":1}", Map.of(), Optional.empty(), Optional.empty()));
        assertTrue(e.getMessage().contains("MD5"), e.getMessage());

        answer = "{\"MessageId\":\"m\",\"MD5OfMessageBody\":\"" + md5("{\"result\":1}") + "\"}";
        client().send("http://q", "{\"result\":1}", Map.of(), Optional.empty(), Optional.empty());
    }
}
