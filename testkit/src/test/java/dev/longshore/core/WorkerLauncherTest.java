package dev.longshore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.testing.RecordingHandler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkerLauncherTest {

    private static final WorkerDefinition DEFINITION = WorkerDefinition.of("test", 2, (config, metrics) -> {
        config.env().positiveInt("TEST_WORKER_SETTING", 1, 10);
        return WorkerPlugin.of(new RecordingHandler("t"));
    });

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "WORKER_QUEUE_URL||WORKER_QUEUE_URL",
            "WORKER_CONCURRENCY|-1|WORKER_CONCURRENCY",
            "WORKER_DRAIN_TIMEOUT|soon|WORKER_DRAIN_TIMEOUT",
            "WORKER_RETRY_MAX_DELAY|2d|WORKER_RETRY_MAX_DELAY",
            "WORKER_HEALTH_PORT|http|WORKER_HEALTH_PORT",
            "TEST_WORKER_SETTING|11|TEST_WORKER_SETTING"})
    void eachConfigurationErrorExitsTwoWithOneLineNamingTheVariable(String variable, String value, String named) {
        Map<String, String> env = new HashMap<>(Map.of("WORKER_QUEUE_URL", "http://127.0.0.1:1/000000000000/q",
                "AWS_REGION", "us-east-1"));
        if (value == null) {
            env.remove(variable);
        } else {
            env.put(variable, value);
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        WorkerLauncher launcher = new WorkerLauncher(env, new PrintStream(err, true, StandardCharsets.UTF_8),
                e -> new NoQueue());
        int code = launcher.run(DEFINITION);
        assertEquals(2, code);
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains(named), lines.get(0));
        if (value != null) {
            assertTrue(lines.get(0).contains("\"" + value + "\""), "names the value given: " + lines.get(0));
        }
    }

    /** Worker-specific settings are validated after the client is built; a client that is never called. */
    private static final class NoQueue implements dev.longshore.core.queue.QueueClient {
        @Override public List<dev.longshore.core.queue.QueueMessage> receive(String u, int m, int w, int v) { throw new AssertionError(); }
        @Override public Map<String, String> deleteBatch(String u, List<dev.longshore.core.queue.QueueMessage> m) { throw new AssertionError(); }
        @Override public Map<String, String> changeVisibilityBatch(String u, Map<dev.longshore.core.queue.QueueMessage, Integer> t) { throw new AssertionError(); }
        @Override public void send(String u, String b, Map<String, String> a, java.util.Optional<String> g, java.util.Optional<String> d) { throw new AssertionError(); }
        @Override public dev.longshore.core.queue.QueueAttributes attributes(String u) { throw new AssertionError(); }
        @Override public String queueUrl(String n, java.util.Optional<String> o) { throw new AssertionError(); }
        @Override public void abortReceives() { }
        @Override public void close() { }
    }
}
