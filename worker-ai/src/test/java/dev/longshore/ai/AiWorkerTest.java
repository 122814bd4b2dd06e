package dev.longshore.ai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.ai.gpu.GpuGate;
import dev.longshore.ai.gpu.GpuHealth;
import dev.longshore.ai.gpu.TopologyWatcher;
import dev.longshore.ai.nvml.XidWatcher;
import dev.longshore.ai.runner.JobSweeper;
import dev.longshore.ai.testing.NvmlStub;
import dev.longshore.core.WorkerExtension;
import dev.longshore.core.WorkerPlugin;
import dev.longshore.core.config.ConfigException;
import dev.longshore.core.config.Env;
import dev.longshore.core.config.WorkerConfig;
import dev.longshore.core.metrics.Metrics;
import dev.longshore.core.queue.QueueClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AiWorkerTest {
    /** Building the worker sends nothing; any call would fail the test. */
    private static final QueueClient UNUSED_QUEUES = (QueueClient) java.lang.reflect.Proxy.newProxyInstance(
            QueueClient.class.getClassLoader(), new Class<?>[] {QueueClient.class}, (proxy, method, args) -> {
                throw new AssertionError("unexpected queue call " + method.getName());
            });

    @TempDir
    Path dir;

    private WorkerPlugin create(Map<String, String> vars) {
        Map<String, String> env = new HashMap<>();
        env.put("WORKER_QUEUE_URL", "http://127.0.0.1:9/000000000000/ai");
        env.put("WORKER_JOBS_DIR", dir.resolve("jobs").toString());
        env.putAll(vars);
        AiWorker worker = new AiWorker();
        return worker.create(WorkerConfig.fromEnv(worker.name(), new Env(env), worker.defaultConcurrency()),
                new Metrics(), UNUSED_QUEUES);
    }

    /** A CPU worker given {@code variable=value} refuses to start, and the failure names that variable. */
    private ConfigException cpuWorkerRefuses(String variable, String value) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> create(Map.of("WORKER_GPU_REQUIRED", "false", variable, value)));
        assertEquals(variable, e.variable());
        return e;
    }

    private Path tasksFile(String json) throws IOException {
        return Files.writeString(dir.resolve("tasks.json"), json);
    }

    @Test
    void theCpuFlavourHasNoGateAndNoGpuWatchers() {
        WorkerPlugin plugin = create(Map.of("WORKER_GPU_REQUIRED", "false",
                "WORKER_NVML_LIBRARY", dir.resolve("none.so").toString()));
        assertEquals(0, plugin.gates().size());
        assertEquals(java.util.List.of(JobSweeper.class), plugin.extensions().stream().map(Object::getClass).toList());
        assertEquals(0, create(Map.of("WORKER_GPU_REQUIRED", "false", "WORKER_AI_JOB_RETENTION", "off"))
                .extensions().size());
        assertEquals(java.util.Set.of("ai.run"), plugin.handler().types());
    }

    @Test
    void theGpuFlavourHasTheGateAndTheWatchers() {
        WorkerPlugin plugin = create(Map.of("WORKER_NVML_LIBRARY", NvmlStub.library().toString()));
        assertInstanceOf(GpuGate.class, plugin.gates().get(0));
        assertEquals(java.util.List.of(GpuHealth.class, XidWatcher.class, TopologyWatcher.class),
                plugin.extensions().stream().limit(3).map(Object::getClass).toList());
        plugin.extensions().forEach(WorkerExtension::close);
    }

    @Test
    void theTopologyWatchCanBeTurnedOff() {
        WorkerPlugin plugin = create(Map.of("WORKER_NVML_LIBRARY", NvmlStub.library().toString(),
                "WORKER_GPU_TOPOLOGY_WATCH", "false"));
        assertTrue(plugin.extensions().stream().noneMatch(e -> e instanceof TopologyWatcher));
        plugin.extensions().forEach(WorkerExtension::close);
    }

    @Test
    void aBrokenTaskFileStopsTheWorkerAtStartNamingTheVariable() throws Exception {
        Path tasks = tasksFile("{\"t\": {\"agrv\": [\"x\"]}}");
        ConfigException e = cpuWorkerRefuses("WORKER_AI_TASKS", tasks.toString());
        assertTrue(e.getMessage().contains("unknown field 'agrv'"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void aShellScriptWithAPlaceholderStopsTheWorkerAtStartNamingTheTask() throws Exception {
        Path tasks = tasksFile("{\"resize\": {\"argv\": [\"/bin/sh\",\"-c\",\"echo resizing to ${arg.size}\"],"
                + " \"gpus\": 0}}");
        ConfigException e = cpuWorkerRefuses("WORKER_AI_TASKS", tasks.toString());
        assertTrue(e.getMessage().contains("task 'resize': the script of /bin/sh -c holds a placeholder"),
                e.getMessage());
    }

    @Test
    void theCpuFlavourRefusesATaskThatWouldNeedAGpuAtStart() throws Exception {
        Path tasks = tasksFile("{\"embed\": {\"argv\": [\"/bin/true\"]}}");
        ConfigException e = cpuWorkerRefuses("WORKER_AI_TASKS", tasks.toString());
        assertTrue(e.getMessage().contains("task 'embed': needs 1 GPU(s)"), e.getMessage());
        WorkerPlugin gpu = create(Map.of("WORKER_AI_TASKS", tasks.toString(),
                "WORKER_NVML_LIBRARY", NvmlStub.library().toString()));
        gpu.extensions().forEach(WorkerExtension::close);
    }

    @Test
    void anUnusableJobsDirectoryNamesTheVariable() throws Exception {
        Path file = dir.resolve("a-file");
        Files.writeString(file, "");
        cpuWorkerRefuses("WORKER_JOBS_DIR", file.resolve("jobs").toString());
    }

    @Test
    void settingsHaveTheDocumentedDefaultsAndBadValuesNameTheVariable() {
        AiConfig defaults = AiConfig.from(new Env(Map.of()));
        assertTrue(defaults.gpuRequired());
        assertTrue(defaults.topologyWatch());
        assertEquals(Duration.ofSeconds(30), defaults.topologyInterval());
        assertEquals(Duration.ofSeconds(60), defaults.topologyCooldown());
        assertEquals(3, defaults.failureThreshold());
        assertEquals(java.util.Optional.empty(), defaults.drainSignal(), "no drain signal unless asked for");
        assertEquals(java.util.Optional.of(Duration.ofHours(24)), defaults.jobRetention());
        assertEquals(java.util.Optional.empty(),
                AiConfig.from(new Env(Map.of("WORKER_AI_JOB_RETENTION", "off"))).jobRetention());
        assertEquals(java.util.Optional.of(Duration.ofDays(7).plusHours(0)),
                AiConfig.from(new Env(Map.of("WORKER_AI_JOB_RETENTION", "168h"))).jobRetention());
        assertEquals(java.util.Optional.of(dev.longshore.core.process.Signal.USR1),
                AiConfig.from(new Env(Map.of("WORKER_AI_DRAIN_SIGNAL", "SIGUSR1"))).drainSignal());
        assertEquals(20L << 30, defaults.inputs().maxBytes());
        assertFalse(defaults.inputs().fileRoots().allows(java.nio.file.Path.of("/tmp/x")), "unset refuses file://");
        AiConfig roots = AiConfig.from(new Env(Map.of("WORKER_AI_FILE_ROOTS", "/srv/models:/srv/inputs",
                "WORKER_AI_MAX_INPUT_SIZE", "2GiB")));
        assertTrue(roots.inputs().fileRoots().allows(java.nio.file.Path.of("/srv/inputs/a.bin")));
        assertFalse(roots.inputs().fileRoots().allows(java.nio.file.Path.of("/srv/other/a.bin")));
        assertEquals(2L << 30, roots.inputs().maxBytes());
        AiConfig set = AiConfig.from(new Env(Map.of("WORKER_GPU_MIN_FREE_MEMORY", "6GiB",
                "WORKER_GPU_MAX_TEMPERATURE", "80", "WORKER_GPU_TOPOLOGY_INTERVAL", "1s")));
        assertEquals(6L << 30, set.requirements().minFreeMemory());
        assertEquals(80, set.requirements().maxTemperature());
        assertEquals(Duration.ofSeconds(1), set.topologyInterval());
        for (String[] bad : new String[][] {{"WORKER_GPU_REQUIRED", "maybe"}, {"WORKER_GPU_MIN_FREE_MEMORY", "lots"},
                {"WORKER_GPU_TOPOLOGY_INTERVAL", "0s"}, {"WORKER_GPU_FAILURE_THRESHOLD", "0"},
                {"WORKER_GPU_TOPOLOGY_COOLDOWN", "soon"}, {"WORKER_RESULT_QUEUE_URL", "results"},
                {"WORKER_AI_DRAIN_SIGNAL", "STOP"}, {"WORKER_AI_DRAIN_SIGNAL", "KILL"},
                {"WORKER_AI_FILE_ROOTS", "models"}, {"WORKER_AI_MAX_INPUT_SIZE", "big"}, {"WORKER_AI_MAX_INPUT_SIZE", "0"},
                {"WORKER_AI_JOB_RETENTION", "7d"}, {"WORKER_AI_JOB_RETENTION", "30s"}}) {
            ConfigException e = assertThrows(ConfigException.class, () -> AiConfig.from(new Env(Map.of(bad[0], bad[1]))));
            assertEquals(bad[0], e.variable());
        }
    }
}
