package dev.longshore.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkerConfigTest {
    private static WorkerConfig config(String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("WORKER_QUEUE_URL", "http://127.0.0.1:9324/000000000000/jobs");
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return WorkerConfig.fromEnv("test", new Env(env), 7);
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        WorkerConfig c = config();
        assertEquals(7, c.concurrency());
        assertEquals(Optional.empty(), c.visibilityTimeout());
        assertEquals(Duration.ofSeconds(30), c.drainTimeout());
        assertEquals(Duration.ofSeconds(10), c.retryBaseDelay());
        assertEquals(Duration.ofMinutes(15), c.retryMaxDelay());
        assertEquals(8080, c.healthPort().getAsInt());
        assertEquals(Optional.empty(), c.lifecycleHook());
        assertEquals(Optional.of("Longshore"), c.metricsNamespace());
    }

    @Test
    void aShorterReceiveDefaultKeepsEveryOtherSetting() {
        assertEquals(7, config().withDefaultReceiveVisibility(Duration.ofSeconds(2)).concurrency());
        WorkerConfig set = config("WORKER_CONCURRENCY", "3", "WORKER_DRAIN_TIMEOUT", "45s")
                .withDefaultReceiveVisibility(Duration.ofSeconds(2));
        assertEquals(3, set.concurrency());
        assertEquals(Duration.ofSeconds(45), set.drainTimeout());
        assertEquals(Duration.ofSeconds(2), set.receiveVisibility());
        assertEquals(Duration.ofSeconds(9),
                config("WORKER_VISIBILITY_TIMEOUT", "9s").withDefaultReceiveVisibility(Duration.ofSeconds(2))
                        .receiveVisibility(), "an explicit WORKER_VISIBILITY_TIMEOUT still wins");
    }

    @Test
    void aNamedLifecycleHookCarriesTheDocumentedTimings() {
        LifecycleHook hook = config("WORKER_LIFECYCLE_HOOK_NAME", "drain").lifecycleHook().orElseThrow();
        assertEquals(new LifecycleHook("drain", Duration.ofMinutes(15), Duration.ofSeconds(5), Duration.ofSeconds(60)),
                hook);
        assertEquals(Duration.ofMinutes(45), config("WORKER_LIFECYCLE_HOOK_NAME", "drain",
                "WORKER_LIFECYCLE_DRAIN_TIMEOUT", "45m").lifecycleHook().orElseThrow().drainTimeout());
    }

    @ParameterizedTest
    @CsvSource({"250ms,250", "30s,30000", "5m,300000", "1h,3600000", "45,45000"})
    void durationsAcceptTheDocumentedForms(String raw, long millis) {
        assertEquals(Duration.ofMillis(millis), config("WORKER_DRAIN_TIMEOUT", raw).drainTimeout());
    }

    @Test
    void sizesAcceptBinaryUnitsAndBytes() {
        assertEquals(512L << 20, Env.parseSize("X", "512MiB"));
        assertEquals(2L << 30, Env.parseSize("X", "2GiB"));
        assertEquals(1234, Env.parseSize("X", "1234"));
        assertThrows(ConfigException.class, () -> Env.parseSize("X", "2GB"));
    }

    @Test
    void healthPortOffDisablesTheEndpoint() {
        assertTrue(config("WORKER_HEALTH_PORT", "off").healthPort().isEmpty());
    }

    @Test
    void explicitVisibilityIsNotClampedToThirtySeconds() {
        assertEquals(Optional.of(Duration.ofSeconds(2)), config("WORKER_VISIBILITY_TIMEOUT", "2s").visibilityTimeout());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "WORKER_CONCURRENCY|0|WORKER_CONCURRENCY=\"0\" is invalid: expected an integer from 1 to 10000",
            "WORKER_CONCURRENCY|many|WORKER_CONCURRENCY=\"many\"",
            "WORKER_DRAIN_TIMEOUT|10 minutes|WORKER_DRAIN_TIMEOUT=\"10 minutes\" is invalid: expected a duration",
            "WORKER_VISIBILITY_TIMEOUT|13h|WORKER_VISIBILITY_TIMEOUT=\"13h\"",
            "WORKER_VISIBILITY_TIMEOUT|1500ms|WORKER_VISIBILITY_TIMEOUT=\"1500ms\"",
            "WORKER_HEALTH_PORT|99999|WORKER_HEALTH_PORT=\"99999\"",
            "WORKER_RETRY_BASE_DELAY|1h|WORKER_RETRY_BASE_DELAY=\"1h\" is invalid: expected a delay no longer than WORKER_RETRY_MAX_DELAY (15m)",
            "WORKER_QUEUE_URL|sqs-jobs|WORKER_QUEUE_URL=\"sqs-jobs\"",
            "WORKER_METRICS_NAMESPACE|AWS/SQS|WORKER_METRICS_NAMESPACE=\"AWS/SQS\"",
            "WORKER_LIFECYCLE_POLL_INTERVAL|0|WORKER_LIFECYCLE_POLL_INTERVAL=\"0\""})
    void invalidValuesNameTheVariableTheValueAndWhatIsExpected(String variable, String value, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> config(variable, value));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertEquals(variable, e.variable());
        assertTrue(e.getMessage().lines().count() == 1, "one line");
    }

    @Test
    void missingQueueNamesWorkerQueueUrl() {
        ConfigException e = assertThrows(ConfigException.class, () -> WorkerConfig.fromEnv("t", new Env(Map.of()), 1));
        assertEquals("WORKER_QUEUE_URL", e.variable());
        assertTrue(e.getMessage().contains("WORKER_QUEUE_URL is not set"));
    }

    @Test
    void queueNameIsAnAlternativeToTheUrl() {
        WorkerConfig c = WorkerConfig.fromEnv("t", new Env(Map.of("WORKER_QUEUE_NAME", "jobs.fifo")), 1);
        assertEquals(Optional.of("jobs.fifo"), c.queueName());
    }
}
