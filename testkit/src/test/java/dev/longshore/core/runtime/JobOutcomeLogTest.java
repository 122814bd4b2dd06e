package dev.longshore.core.runtime;

import static dev.longshore.testkit.TestWorkers.eventually;
import static dev.longshore.testkit.TestWorkers.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longshore.core.Worker;
import dev.longshore.core.WorkerPlugin;
import dev.longshore.core.logging.JsonLineEncoder;
import dev.longshore.core.testing.RecordingHandler;
import dev.longshore.testkit.EmbeddedSqs;
import dev.longshore.testkit.QueuePair;
import dev.longshore.testkit.TestWorkers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A job's outcome line carries what alarms and dashboards filter on as JSON fields (README: Health and metrics),
 * and the same outcome is counted in {@code longshore_jobs_total}.
 */
class JobOutcomeLogTest {

    @Test
    void failedJobsOutcomeLineCarriesErrorCodeTypeAndDurationAsJsonFields() throws Exception {
        // Encoded on the logging thread, as the console appender does: the MDC is the job thread's.
        List<String> lines = new CopyOnWriteArrayList<>();
        JsonLineEncoder encoder = new JsonLineEncoder();
        AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                lines.add(new String(encoder.encode(event), StandardCharsets.UTF_8));
            }
        };
        appender.start();
        Logger logger = (Logger) LoggerFactory.getLogger(MessageProcessor.class);
        logger.addAppender(appender);
        try (EmbeddedSqs sqs = EmbeddedSqs.start()) {
            QueuePair q = sqs.createQueueWithDeadLetter("outcome-log", 5, Duration.ofSeconds(30));
            try (Worker w = TestWorkers.start(sqs, q.queueUrl(), WorkerPlugin.of(new RecordingHandler("a")),
                    Map.of("WORKER_RECEIVE_WAIT", "1s"))) {
                sqs.client().sendMessage(r -> r.queueUrl(q.queueUrl())
                        .messageBody(job("bad-1", "test.job", "{\"permanent\":true}")));
                assertTrue(eventually(Duration.ofSeconds(20), () -> w.metrics().deadLettered().value() == 1));
                String line = lines.stream().filter(l -> l.contains("moved to the dead-letter queue")).findFirst()
                        .orElseThrow(() -> new AssertionError("no outcome line in " + lines));
                assertTrue(line.endsWith("}\n") && line.indexOf('\n') == line.length() - 1, "one line: " + line);
                JsonNode json = new ObjectMapper().readTree(line);
                assertEquals("test_permanent", json.path("errorCode").asText(), line);
                assertEquals("test.job", json.path("jobType").asText(), line);
                assertEquals("dead", json.path("outcome").asText(), line);
                assertTrue(json.path("durationMs").isIntegralNumber(), "a number: " + line);
                assertTrue(json.path("durationMs").asLong() >= 0, line);
                assertEquals("bad-1", json.path("jobId").asText(), line);
                assertEquals("test", json.path("worker").asText(), line);
                assertEquals("1", json.path("attempt").asText(), line);
                assertTrue(json.path("messageId").isTextual(), line);
                assertTrue(json.has("queue"), line);
                assertEquals(1, w.metrics().jobs().value("test.job", "dead", "test_permanent"));
                assertEquals(0, w.metrics().jobs().value("test.job", "success", "none"), "declared at 0");
                assertTrue(w.metrics().prometheusText().contains(
                        "longshore_jobs_total{type=\"test.job\",outcome=\"dead\",error=\"test_permanent\"} 1"));
            }
        } finally {
            logger.detachAppender(appender);
            appender.stop();
        }
    }
}
