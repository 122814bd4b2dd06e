package dev.longshore.core.runtime;

import static dev.longshore.testkit.TestWorkers.eventually;
import static dev.longshore.testkit.TestWorkers.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.Worker;
import dev.longshore.core.WorkerPlugin;
import dev.longshore.core.testing.RecordingHandler;
import dev.longshore.testkit.TestWorkers;
import dev.longshore.testkit.Queues;
import dev.longshore.testkit.QueuePair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The runtime against LocalStack's SQS, where a Docker engine exists; skipped (not failed) where none does.
 * The image is pinned to a 3.x tag: newer LocalStack tags refuse to start without an auth token.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackSqsIT {
    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer(DockerImageName.parse("localstack/localstack:3.8.1"))
            .withServices(LocalStackContainer.Service.SQS);

    private static SqsClient client() {
        return SqsClient.builder().endpointOverride(LOCALSTACK.getEndpoint()).region(Region.of(LOCALSTACK.getRegion()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey())))
                .build();
    }

    @Test
    void processesJobsOnceAndDeadLettersPoisonOnLocalStack() throws Exception {
        try (SqsClient sqs = client()) {
            QueuePair q = Queues.createWithDeadLetter(sqs, "localstack-jobs", 5, Duration.ofSeconds(2));
            RecordingHandler handler = new RecordingHandler("localstack");
            Map<String, String> env = Map.of("WORKER_VISIBILITY_TIMEOUT", "2s", "WORKER_RECEIVE_WAIT", "1s",
                    "WORKER_CONCURRENCY", "4");
            try (Worker w = TestWorkers.start(LOCALSTACK.getEndpoint(), LOCALSTACK.getRegion(), LOCALSTACK.getAccessKey(),
                    LOCALSTACK.getSecretKey(), q.queueUrl(), WorkerPlugin.of(handler), env)) {
                for (int i = 0; i < 8; i++) {
                    String body = job("ls-" + i, "test.job", i == 0 ? "{\"sleepMs\":6000}" : "{}");
                    sqs.sendMessage(r -> r.queueUrl(q.queueUrl()).messageBody(body));
                }
                sqs.sendMessage(r -> r.queueUrl(q.queueUrl()).messageBody("{ not json"));
                assertTrue(eventually(Duration.ofSeconds(60), () -> handler.completed.size() == 8), "all jobs done");
                assertEquals(8, handler.started.size(), "the 6 s job outlived the 2 s visibility and ran once");
                List<Message> dead = new ArrayList<>();
                assertTrue(eventually(Duration.ofSeconds(20), () -> {
                    dead.addAll(sqs.receiveMessage(r -> r.queueUrl(q.deadLetterQueueUrl()).messageAttributeNames("All")).messages());
                    return !dead.isEmpty();
                }));
                assertEquals("malformed_json", dead.get(0).messageAttributes().get("longshore.error").stringValue());
            }
        }
    }
}
