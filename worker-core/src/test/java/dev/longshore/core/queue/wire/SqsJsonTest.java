package dev.longshore.core.queue.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longshore.core.queue.QueueMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SqsJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aReceiveAsksForTheCountGroupIdAndEveryMessageAttribute() throws IOException {
        JsonNode body = JSON.readTree(SqsJson.receive("https://q/1/a \"b\"", 7, 20, 30));
        assertEquals("https://q/1/a \"b\"", body.get("QueueUrl").asText());
        assertEquals(7, body.get("MaxNumberOfMessages").asInt());
        assertEquals(20, body.get("WaitTimeSeconds").asInt());
        assertEquals(30, body.get("VisibilityTimeout").asInt());
        assertEquals("[\"ApproximateReceiveCount\",\"MessageGroupId\"]", body.get("MessageSystemAttributeNames").toString());
        assertEquals("[\"All\"]", body.get("MessageAttributeNames").toString());
    }

    @Test
    void batchEntriesAreNumberedInTheOrderGiven() throws IOException {
        JsonNode delete = JSON.readTree(SqsJson.deleteBatch("u", List.of("r0", "r1")));
        assertEquals("[{\"Id\":\"0\",\"ReceiptHandle\":\"r0\"},{\"Id\":\"1\",\"ReceiptHandle\":\"r1\"}]",
                delete.get("Entries").toString());
        JsonNode visibility = JSON.readTree(SqsJson.changeVisibilityBatch("u", List.of("r0"), List.of(120)));
        assertEquals("[{\"Id\":\"0\",\"ReceiptHandle\":\"r0\",\"VisibilityTimeout\":120}]", visibility.get("Entries").toString());
    }

    @Test
    void aReceivedMessageKeepsItsCountGroupAndStringAttributesAndSkipsWhatItDoesNotUse() throws IOException {
        String answer = """
                {"Messages":[{"MessageId":"m1","ReceiptHandle":"rh1","MD5OfBody":"abc","Body":"{\\"jobId\\":\\"j\\"}",
                  "Attributes":{"ApproximateReceiveCount":"3","MessageGroupId":"g","SentTimestamp":"1"},
                  "MessageAttributes":{"trace":{"StringValue":"t-1","DataType":"String"},
                                       "n":{"StringValue":"42","DataType":"Number"},
                                       "blob":{"BinaryValue":"AAE=","DataType":"Binary"}},
                  "SomethingNew":{"nested":[1,2,{"x":null}]}},
                 {"MessageId":"m2","ReceiptHandle":"rh2","Body":""}],
                 "Other":[1]}
                """;
        List<SqsJson.Received> got = SqsJson.messages(bytes(answer));
        assertEquals(2, got.size());
        assertEquals(new QueueMessage("m1", "rh1", "{\"jobId\":\"j\"}", 3, Optional.of("g"),
                Map.of("trace", "t-1", "n", "42")), got.get(0).message());
        assertEquals("abc", got.get(0).md5OfBody());
        assertEquals(new QueueMessage("m2", "rh2", "", 1, Optional.empty(), Map.of()), got.get(1).message());
    }

    @Test
    void anEmptyReceiveHasNoMessages() throws IOException {
        assertEquals(List.of(), SqsJson.messages(bytes("{}")));
        assertEquals(List.of(), SqsJson.messages(bytes("{\"Messages\":[]}")));
    }

    @Test
    void aMessageWithoutReceiptHandleOrAnAnswerThatIsNotAnObjectIsUnreadable() {
        IOException e = assertThrows(IOException.class,
                () -> SqsJson.messages(bytes("{\"Messages\":[{\"MessageId\":\"m\"}]}")));
        assertTrue(e.getMessage().contains("ReceiptHandle"), e.getMessage());
        assertThrows(IOException.class, () -> SqsJson.messages(bytes("[]")));
        assertThrows(IOException.class, () -> SqsJson.messages(bytes("<html>")));
    }

    @Test
    void batchFailuresCarryTheirEntryIdCodeAndMessage() throws IOException {
        String answer = """
                {"Successful":[{"Id":"0"}],"Failed":[{"Id":"1","SenderFault":true,"Code":"ReceiptHandleIsInvalid","Message":"bad"}]}
                """;
        assertEquals(List.of(new SqsJson.BatchFailure("1", "ReceiptHandleIsInvalid", "bad")), SqsJson.failures(bytes(answer)));
        assertEquals(List.of(), SqsJson.failures(bytes("{\"Successful\":[{\"Id\":\"0\"}]}")));
    }

    @Test
    void anErrorAnswerGivesItsTypeWithoutNamespaceAndItsMessage() {
        assertEquals(new SqsJson.Error("QueueDoesNotExist", "The specified queue does not exist."), SqsJson.error(bytes(
                "{\"__type\":\"com.amazonaws.sqs#QueueDoesNotExist\",\"message\":\"The specified queue does not exist.\"}")));
        assertEquals(new SqsJson.Error("", ""), SqsJson.error(bytes("Service Unavailable")));
    }
}
