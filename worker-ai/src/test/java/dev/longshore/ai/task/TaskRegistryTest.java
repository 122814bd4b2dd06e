package dev.longshore.ai.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskRegistryTest {
    @TempDir
    Path dir;

    private Path file(String json) throws Exception {
        Path f = dir.resolve("tasks.json");
        Files.writeString(f, json);
        return f;
    }

    private String problem(String json) throws Exception {
        return assertThrows(TaskFileException.class, () -> TaskRegistry.load(file(json))).getMessage();
    }

    @Test
    void loadsTasksWithTheirSettingsAndDefaults() throws Exception {
        TaskRegistry registry = TaskRegistry.load(file("""
                {
                  "upscale": {
                    "argv": ["/opt/upscale", "--in", "${input.image}", "--scale", "${arg.scale}"],
                    "timeout": "15m", "gpus": 2, "env": {"MODEL": "esrgan"}, "retryableExitCodes": [75, 111],
                    "description": "4x upscaler"
                  },
                  "echo": {"argv": ["/bin/echo", "hi"]}
                }"""));
        assertEquals(Set.of("echo", "upscale"), registry.names());
        Task upscale = registry.find("upscale").orElseThrow();
        assertEquals(List.of("/opt/upscale", "--in", "${input.image}", "--scale", "${arg.scale}"), upscale.argv());
        assertEquals(Duration.ofMinutes(15), upscale.timeout());
        assertEquals(2, upscale.gpus());
        assertEquals(Map.of("MODEL", "esrgan"), upscale.env());
        assertEquals(Set.of(75, 111), upscale.retryableExitCodes());
        Task echo = registry.find("echo").orElseThrow();
        assertEquals(Task.DEFAULT_TIMEOUT, echo.timeout());
        assertEquals(Task.DEFAULT_GPUS, echo.gpus());
        assertTrue(registry.find("nope").isEmpty());
    }

    @Test
    void aYamlFileDescribesTheSameTasks() throws Exception {
        Path yaml = dir.resolve("tasks.yaml");
        Files.writeString(yaml, """
                upscale:
                  argv: [/opt/upscale, --in, "${input.image}", --scale, "${arg.scale}"]
                  timeout: 15m
                  gpus: 2
                  env:
                    MODEL: esrgan
                  retryableExitCodes: [75]
                """);
        Task t = TaskRegistry.load(yaml).find("upscale").orElseThrow();
        assertEquals(List.of("/opt/upscale", "--in", "${input.image}", "--scale", "${arg.scale}"), t.argv());
        assertEquals(Duration.ofMinutes(15), t.timeout());
        assertEquals(2, t.gpus());
        assertEquals(Map.of("MODEL", "esrgan"), t.env());
        assertEquals(Set.of(75), t.retryableExitCodes());

        Files.writeString(yaml, "upscale:\n  agrv: [x]\n");
        assertTrue(assertThrows(TaskFileException.class, () -> TaskRegistry.load(yaml)).getMessage()
                .contains("unknown field 'agrv'"));
        Files.writeString(yaml, "upscale:\n  argv: [x\n");
        assertTrue(assertThrows(TaskFileException.class, () -> TaskRegistry.load(yaml)).getMessage()
                .startsWith("not valid YAML"));
    }

    @Test
    void timeoutAcceptsANumberOfSeconds() throws Exception {
        assertEquals(Duration.ofSeconds(90),
                TaskRegistry.load(file("{\"t\": {\"argv\": [\"x\"], \"timeout\": 90}}")).find("t").orElseThrow().timeout());
    }

    @Test
    void aTypoInAFieldNameNamesTheTaskAndTheField() throws Exception {
        String p = problem("{\"upscale\": {\"agrv\": [\"x\"]}}");
        assertTrue(p.startsWith("task 'upscale': unknown field 'agrv'"), p);
    }

    @Test
    void invalidJsonSaysWhere() throws Exception {
        String p = problem("{\"t\": {\"argv\": [\"x\"],}}");
        assertTrue(p.startsWith("not valid JSON") && p.contains("line 1"), p);
    }

    @Test
    void duplicateTaskNamesAreRefused() throws Exception {
        String p = problem("{\"t\": {\"argv\": [\"x\"]}, \"t\": {\"argv\": [\"y\"]}}");
        assertTrue(p.contains("Duplicate field 't'"), p);
    }

    @Test
    void everyMistakeIsReportedWithTheTask() throws Exception {
        assertTrue(problem("{\"t\": {\"argv\": []}}").contains("\"argv\" must be a non-empty array"));
        assertTrue(problem("{\"t\": {\"argv\": \"/bin/sh -c x\"}}").contains("\"argv\" must be a non-empty array"));
        assertTrue(problem("{\"t\": {\"argv\": [\"x\"], \"timeout\": \"soon\"}}").contains("\"timeout\" is \"soon\""));
        assertTrue(problem("{\"t\": {\"argv\": [\"x\"], \"timeout\": \"0s\"}}").contains("longer than zero"));
        assertTrue(problem("{\"t\": {\"argv\": [\"x\"], \"gpus\": -1}}").contains("\"gpus\""));
        assertTrue(problem("{\"t\": {\"argv\": [\"x\"], \"gpus\": 1.5}}").contains("\"gpus\""));
        assertTrue(problem("{\"t\": {\"argv\": [\"x\"], \"env\": {\"CUDA_VISIBLE_DEVICES\": \"0\"}}}")
                .contains("set by the worker"));
        assertTrue(problem("{\"t\": {\"argv\": [\"x\"], \"env\": {\"A-B\": \"0\"}}}").contains("not a valid variable"));
        assertTrue(problem("{\"t\": {\"argv\": [\"x\"], \"retryableExitCodes\": [0]}}").contains("1-255"));
        assertTrue(problem("{\"t\": {\"argv\": [\"x\", \"${inptu.image}\"]}}")
                .contains("unknown placeholder ${inptu.image}"));
        assertTrue(problem("{\"t\": {\"argv\": [\"x\", \"${arg.a b}\"]}}").contains("unknown placeholder"));
        assertTrue(problem("{\"../t\": {\"argv\": [\"x\"]}}").contains("task name '../t' is invalid"));
        assertTrue(problem("[1]").contains("top level must be an object"));
    }

    @Test
    void theExampleTaskFileForTheLocalRunLoads() throws Exception {
        TaskRegistry registry = TaskRegistry.load(Path.of("examples/local-tasks.json"));
        assertEquals(Set.of("fail", "flaky", "sha256", "sleep"), registry.names());
        assertTrue(registry.names().stream().allMatch(n -> registry.find(n).orElseThrow().gpus() == 0),
                "the local run is the CPU flavour");
    }

    @Test
    void unreadableFileSaysSo() {
        TaskFileException e = assertThrows(TaskFileException.class, () -> TaskRegistry.load(dir.resolve("none.json")));
        assertTrue(e.getMessage().startsWith("cannot read"), e.getMessage());
    }

    @Test
    void placeholdersExpandToSingleArgumentsAndShellSyntaxStaysAsWritten() throws Exception {
        String script = "echo $$ ${HOME} $OUTPUT_DIR";
        List<String> argv = ArgvTemplate.expand(List.of("run", "--name=${arg.name}", "${input.a.png}", script),
                Map.of("arg.name", "x y; $(rm -rf /) ${arg.other}", "input.a.png", "/jobs/1/inputs/a.png"));
        assertEquals(List.of("run", "--name=x y; $(rm -rf /) ${arg.other}", "/jobs/1/inputs/a.png", script), argv);
        assertEquals(null, ArgvTemplate.problem(script));
        ArgvTemplate.MissingValueException e = assertThrows(ArgvTemplate.MissingValueException.class,
                () -> ArgvTemplate.expand(List.of("${arg.missing}"), Map.of()));
        assertEquals("arg.missing", e.placeholder());
    }
}
