package dev.longshore.local.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.testkit.EmbeddedSqs;
import dev.longshore.testkit.QueuePair;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** scripts/redrive against the embedded SQS: the grouped summary, the move task, and the fallback mover. */
class RedriveTest {
    private static EmbeddedSqs sqs;
    private static int n;
    private QueuePair queues;
    private String worker;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void start() {
        sqs = EmbeddedSqs.start();
    }

    @AfterAll
    static void stop() {
        sqs.close();
    }

    @BeforeEach
    void queues() {
        worker = "redrive" + (++n);
        queues = sqs.createQueueWithDeadLetter("longshore-" + worker, 5, Duration.ofSeconds(30));
        deadLetter("http_404", "GET https://example.com/a answered 404");
        deadLetter("http_404", "GET https://example.com/b answered 404");
        deadLetter("http_404", "GET https://example.com/c answered 404");
        deadLetter("invalid_payload", "payload.url is missing");
        deadLetter("invalid_payload", "payload.url is missing");
        deadLetter(null, null);
    }

    private void deadLetter(String code, String reason) {
        Map<String, MessageAttributeValue> attributes = new HashMap<>();
        if (code != null) {
            attributes.put("longshore.error", MessageAttributeValue.builder().dataType("String").stringValue(code).build());
            attributes.put("longshore.reason", MessageAttributeValue.builder().dataType("String").stringValue(reason).build());
        }
        sqs.client().sendMessage(b -> b.queueUrl(queues.deadLetterQueueUrl()).messageBody("{\"jobId\":\"j\"}")
                .messageAttributes(attributes));
    }

    private int run(SqsClient client, String... args) {
        return RedriveMain.run(args, client, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private int depth(String url) {
        Map<QueueAttributeName, String> a = sqs.client().getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void showGroupsTheDeadLettersByErrorCodeAndLeavesThemVisible() {
        assertEquals(0, run(sqs.client(), worker, "--show"));
        String o = output();
        assertTrue(o.contains("holds 6 message(s)"), o);
        assertTrue(o.matches("(?s).*http_404 +3  GET https://example.com/a answered 404.*"), o);
        assertTrue(o.matches("(?s).*invalid_payload +2  payload.url is missing.*"), o);
        assertTrue(o.matches("(?s).*\\(none: moved by maxReceiveCount\\) +1 .*"), o);
        assertTrue(o.contains("dry run: nothing moved"), o);
        assertEquals(6, depth(queues.deadLetterQueueUrl()), "released: visible again at once");
        assertEquals(0, depth(queues.queueUrl()));
    }

    @Test
    void redriveMovesEveryDeadLetterBackWithTheMoveTask() {
        assertEquals(0, run(sqs.client(), worker, "--rate", "100"), output() + err);
        assertEquals(0, depth(queues.deadLetterQueueUrl()), output());
        assertEquals(6, depth(queues.queueUrl()), output());
        assertTrue(output().contains("task completed"), output());
    }

    @Test
    void whereTheServerHasNoMoveTaskTheFallbackMoverSaysSoAndMovesThem() {
        SqsClient real = sqs.client();
        SqsClient withoutMoveTask = (SqsClient) Proxy.newProxyInstance(SqsClient.class.getClassLoader(),
                new Class<?>[] {SqsClient.class}, (proxy, method, args) -> {
                    if (method.getName().equals("startMessageMoveTask")) {
                        throw SqsException.builder().statusCode(400).message("Unknown Action StartMessageMoveTask")
                                .awsErrorDetails(AwsErrorDetails.builder().errorCode("UnsupportedOperation")
                                        .errorMessage("Unknown Action StartMessageMoveTask").build()).build();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        assertEquals(0, run(withoutMoveTask, worker, "--rate", "500"), output() + err);
        assertTrue(output().contains("has no StartMessageMoveTask (UnsupportedOperation)"), output());
        assertTrue(output().contains("moved 6 message(s); dead-letter queue now 0"), output());
        assertEquals(6, depth(queues.queueUrl()));
        // the attributes travel with the message
        var m = real.receiveMessage(b -> b.queueUrl(queues.queueUrl()).maxNumberOfMessages(10)
                .messageAttributeNames("All")).messages();
        assertTrue(m.stream().anyMatch(x -> x.messageAttributes().containsKey("longshore.error")));
    }

    @Test
    void aMistakeIsOneLineAndTheUsageWithExitTwo() {
        assertEquals(2, run(sqs.client(), worker, "--rate", "fast"));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.startsWith("redrive: --rate \"fast\": expected a whole number from 1 to 500\nusage:"), e);
        assertFalse(e.contains("Exception"), e);
        err.reset();
        assertEquals(2, run(sqs.client(), "nosuchworker"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("redrive: no queue for worker \"nosuchworker\""),
                err.toString(StandardCharsets.UTF_8));
        assertEquals(6, depth(queues.deadLetterQueueUrl()));
    }
}
