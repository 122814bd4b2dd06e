package dev.longshore.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestScannerTest {
    private final RequestCounts counts = new RequestCounts();
    private final RequestScanner scanner = new RequestScanner(counts);

    private static String json(String target, String body) {
        return "POST / HTTP/1.1\r\nHost: 127.0.0.1:9324\r\nX-Amz-Target: AmazonSQS." + target
                + "\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private void feed(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        scanner.accept(b, 0, b.length);
    }

    private void feedByteByByte(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < b.length; i++) {
            scanner.accept(b, i, 1);
        }
    }

    /** Every group's count at once, so a request counted in the wrong group fails too. */
    private void assertCounted(long receive, long delete, long visibility, long other) {
        assertEquals(List.of(receive, delete, visibility, other), List.of(counts.get(SqsOperation.RECEIVE),
                counts.get(SqsOperation.DELETE), counts.get(SqsOperation.VISIBILITY), counts.get(SqsOperation.OTHER)),
                "receive, delete, visibility, other");
    }

    @Test
    void countsAJsonProtocolRequestByItsTargetOperation() {
        feed(json("ReceiveMessage", "{\"QueueUrl\":\"q\",\"MaxNumberOfMessages\":10}"));

        assertCounted(1, 0, 0, 0);
        assertEquals(1, counts.total());
    }

    @Test
    void batchAndSingleFormsShareTheirGroupAndUnknownOperationsAreOther() {
        feed(json("DeleteMessage", "{}") + json("DeleteMessageBatch", "{}") + json("ChangeMessageVisibility", "{}")
                + json("ChangeMessageVisibilityBatch", "{}") + json("GetQueueAttributes", "{}"));

        assertCounted(0, 2, 2, 1);
    }

    @Test
    void aLowercaseTargetHeaderAsNodeSendsItIsCounted() {
        String body = "{\"QueueUrl\":\"q\"}";
        feed("POST / HTTP/1.1\r\nhost: 127.0.0.1\r\nx-amz-target: AmazonSQS.ReceiveMessage\r\ncontent-length: "
                + body.length() + "\r\n\r\n" + body);

        assertCounted(1, 0, 0, 0);
    }

    @Test
    void aHeadSplitAcrossReadsAtEveryByteIsCountedOnce() {
        feedByteByByte(json("ReceiveMessage", "{\"a\":1}") + json("DeleteMessageBatch", "{\"b\":2}"));

        assertCounted(1, 1, 0, 0);
        assertEquals(2, counts.total());
    }

    @Test
    void pipelinedRequestsInOneReadAreEachCounted() {
        feed(json("ReceiveMessage", "{}") + json("ReceiveMessage", "{}") + json("DeleteMessageBatch", "{}"));

        assertCounted(2, 1, 0, 0);
    }

    @Test
    void aBodyThatLooksLikeAHeadIsSkippedByContentLength() {
        String tricky = "POST / HTTP/1.1\r\nX-Amz-Target: AmazonSQS.DeleteMessage\r\n\r\n";
        feed(json("SendMessage", tricky) + json("ReceiveMessage", "{}"));

        assertCounted(1, 0, 0, 1);
    }

    @Test
    void aQueryProtocolRequestIsCountedByTheActionInItsFormBody() {
        String body = "Action=DeleteMessageBatch&Version=2012-11-05&QueueUrl=q";
        String head = "POST / HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length() + "\r\n\r\n";
        feedByteByByte(head + body);
        feed("GET /?Action=ReceiveMessage&QueueUrl=q HTTP/1.1\r\nHost: h\r\n\r\n");

        assertCounted(1, 1, 0, 0);
    }

    @Test
    void aChunkedBodyIsSkippedChunkByChunk() {
        String chunked = "POST / HTTP/1.1\r\nX-Amz-Target: AmazonSQS.SendMessage\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n";
        feed(chunked + json("ReceiveMessage", "{}"));

        assertCounted(1, 0, 0, 1);
    }

    @Test
    void aStreamThatIsNotHttpIsPassedOverUncountedAndNoted() {
        feed("POST / HTTP/1.1\r\nContent-Length: lots\r\n\r\n" + json("ReceiveMessage", "{}"));

        assertEquals(0, counts.total());
        assertEquals(1, counts.unparsedConnections());
    }
}
