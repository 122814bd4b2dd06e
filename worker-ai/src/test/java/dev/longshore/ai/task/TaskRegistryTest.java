package dev.longshore.ai.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class TaskRegistryTest {
    @TempDir
    Path dir;

    private Path file(String json) throws Exception {
        Path f = dir.resolve("tasks.json");
        Files.writeString(f, json);
        return f;
    }

    private String problem(String json) throws Exception {
        return problem("tasks.json", json);
    }

    /** Writes {@code content} to the file {@code name} and returns why loading it is refused. */
    private String problem(String name, String content) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return assertThrows(TaskFileException.class, () -> TaskRegistry.load(f)).getMessage();
    }

    @Test
    void loadsTasksWithTheirSettingsAndDefaults() throws Exception {
        TaskRegistry registry = TaskRegistry.load(file("""
                {
                  "upscale": {
                    "argv": ["/bin/echo", "--in", "${input.image}", "--scale", "${arg.scale}"],
                    "timeout": "15m", "gpus": 2, "env": {"MODEL": "esrgan"}, "retryableExitCodes": [75, 111],
                    "description": "4x upscaler"
                  },
                  "echo": {"argv": ["/bin/echo", "hi"]}
                }"""));
        assertEquals(Set.of("echo", "upscale"), registry.names());
        Task upscale = registry.find("upscale").orElseThrow();
        assertEquals(List.of("/bin/echo", "--in", "${input.image}", "--scale", "${arg.scale}"), upscale.argv());
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
                  argv: [/bin/echo, --in, "${input.image}", --scale, "${arg.scale}"]
                  timeout: 15m
                  gpus: 2
                  env:
                    MODEL: esrgan
                  retryableExitCodes: [75]
                """);
        Task t = TaskRegistry.load(yaml).find("upscale").orElseThrow();
        assertEquals(List.of("/bin/echo", "--in", "${input.image}", "--scale", "${arg.scale}"), t.argv());
        assertEquals(Duration.ofMinutes(15), t.timeout());
        assertEquals(2, t.gpus());
        assertEquals(Map.of("MODEL", "esrgan"), t.env());
        assertEquals(Set.of(75), t.retryableExitCodes());

        assertTrue(problem("tasks.yaml", "upscale:\n  agrv: [/bin/true]\n").contains("unknown field 'agrv'"));
        assertTrue(problem("tasks.yaml", "upscale:\n  argv: [x\n").startsWith("not valid YAML"));
    }

    @Test
    void timeoutAcceptsANumberOfSeconds() throws Exception {
        assertEquals(Duration.ofSeconds(90),
                TaskRegistry.load(file("{\"t\": {\"argv\": [\"/bin/true\"], \"timeout\": 90}}")).find("t").orElseThrow().timeout());
    }

    /** A file that cannot load: what it shows, the file, how the problem starts and a part it must contain. */
    static Stream<Arguments> refusedFiles() {
        return Stream.of(
                Arguments.of("a typo in a field name names the task and the field",
                        "{\"upscale\": {\"agrv\": [\"/bin/true\"]}}", "task 'upscale': unknown field 'agrv'", ""),
                Arguments.of("invalid JSON says where",
                        "{\"t\": {\"argv\": [\"/bin/true\"],}}", "not valid JSON", "line 1"),
                Arguments.of("duplicate task names are refused",
                        "{\"t\": {\"argv\": [\"/bin/true\"]}, \"t\": {\"argv\": [\"/bin/false\"]}}",
                        "", "Duplicate field 't'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedFiles")
    void aRefusedFileSaysWhy(String behaviour, String json, String start, String part) throws Exception {
        String p = problem(json);
        assertTrue(p.startsWith(start) && p.contains(part), p);
    }

    /** Each row: a task file with one mistake | a part of the problem reported for it. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {"t": {"argv": []}} | "argv" must be a non-empty array
            {"t": {"argv": "/bin/sh -c x"}} | "argv" must be a non-empty array
            {"t": {"argv": ["/bin/true"], "timeout": "soon"}} | "timeout" is "soon"
            {"t": {"argv": ["/bin/true"], "timeout": "0s"}} | longer than zero
            {"t": {"argv": ["/bin/true"], "gpus": -1}} | "gpus"
            {"t": {"argv": ["/bin/true"], "gpus": 1.5}} | "gpus"
            {"t": {"argv": ["/bin/true"], "env": {"CUDA_VISIBLE_DEVICES": "0"}}} | set by the worker
            {"t": {"argv": ["/bin/true"], "env": {"A-B": "0"}}} | not a valid variable
            {"t": {"argv": ["/bin/true"], "retryableExitCodes": [0]}} | 1-255
            {"t": {"argv": ["/bin/true", "${inptu.image}"]}} | unknown placeholder ${inptu.image}
            {"t": {"argv": ["/bin/true", "${arg.a b}"]}} | unknown placeholder
            {"../t": {"argv": ["/bin/true"]}} | task name '../t' is invalid
            [1] | top level must be an object
            """)
    void everyMistakeIsReportedWithTheTask(String json, String part) throws Exception {
        String p = problem(json);
        assertTrue(p.contains(part), p);
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

    private String taskProblem(String argvJson) throws Exception {
        return problem("{\"t\": {\"argv\": " + argvJson + ", \"gpus\": 0}}");
    }

    private static void assertOneLine(String message) {
        assertFalse(message.contains("\n") || message.contains("\r"), message);
    }

    @Test
    void aPlaceholderInAShellScriptIsRefusedAtStart() throws Exception {
        String p = problem("{\"resize\": {\"argv\": [\"/bin/sh\",\"-c\",\"echo resizing to ${arg.size}\"], \"gpus\": 0}}");
        assertTrue(p.startsWith("task 'resize': the script of /bin/sh -c holds a placeholder"), p);
        assertOneLine(p);
        for (String argv : List.of(
                "[\"/bin/bash\", \"-c\", \"convert ${input.image} out.png\"]",
                "[\"/bin/bash\", \"-ec\", \"echo ${arg.x}\"]",
                "[\"/bin/bash\", \"-xc\", \"echo ${job.id}\"]",
                "[\"/bin/sh\", \"-e\", \"-c\", \"echo ${arg.x}\"]",
                "[\"/bin/sh\", \"-c\", \"-e\", \"echo ${arg.x}\"]",
                "[\"/bin/bash\", \"-o\", \"pipefail\", \"-c\", \"echo ${arg.x}\"]",
                "[\"/bin/sh\", \"-c\", \"--\", \"echo ${arg.x}\"]",
                "[\"/usr/bin/dash\", \"-c\", \"echo ${arg.x}\"]")) {
            assertTrue(taskProblem(argv).contains("holds a placeholder"), argv);
        }
        // Options of a shell cannot be chosen by a message either ("-${arg.x}" could become -c).
        assertTrue(taskProblem("[\"/bin/sh\", \"-${arg.flags}\", \"true\"]").contains("may not hold a placeholder"));
    }

    @Test
    void placeholdersAfterAShellScriptOrForOtherProgramsArePlainArguments() throws Exception {
        Path f = file("""
                {"pos": {"argv": ["/bin/sh", "-c", "echo \\"$1\\" \\"$ARG_SIZE\\"", "sh", "${arg.size}"], "gpus": 0},
                 "script": {"argv": ["/bin/bash", "/bin/true", "${arg.size}"], "gpus": 0},
                 "direct": {"argv": ["/usr/bin/printf", "%s", "${arg.size}"], "gpus": 0}}""");
        assertEquals(Set.of("direct", "pos", "script"), TaskRegistry.load(f).names());
    }

    @Test
    void theProgramIsAnAbsolutePathToAnExecutableFileWithNoPlaceholder() throws Exception {
        assertTrue(taskProblem("[\"${arg.program}\"]").contains("argv[0] \"${arg.program}\" holds a placeholder"));
        assertTrue(taskProblem("[\"/usr/bin/${arg.tool}\"]").contains("holds a placeholder"));
        assertTrue(taskProblem("[\"python3\", \"x.py\"]").contains("argv[0] \"python3\" must be an absolute path"));
        assertTrue(taskProblem("[\"/no/such/program\"]").contains("argv[0] /no/such/program does not exist"));
        Path plain = dir.resolve("not-executable");
        Files.writeString(plain, "#!/bin/sh\n");
        assertTrue(taskProblem("[\"" + plain + "\"]").contains("is not executable"));
        assertTrue(taskProblem("[\"\"]").contains("argv[0] (the program) is empty"));
    }

    @Test
    void anEmptyFileOrOneWithoutTasksIsRefused() throws Exception {
        assertTrue(problem("").startsWith("the file is empty"), problem(""));
        assertTrue(problem("  \n").startsWith("the file is empty"));
        assertTrue(problem("{}").contains("registers no task"));
        assertTrue(problem("tasks.yml", "# nothing yet\n").startsWith("the file is empty"));
    }

    @Test
    void aYamlSyntaxErrorIsReportedOnOneLineWithItsPlace() throws Exception {
        String p = problem("tasks.yaml", "upscale:\n  argv: [/bin/true\n");
        assertOneLine(p);
        assertTrue(p.startsWith("not valid YAML: expected ',' or ']'") && p.contains("line 3"), p);
        p = problem("tasks.yaml", "a:\n  argv: [/bin/true]\n b: c\n");
        assertOneLine(p);
        assertTrue(p.contains("line 3"), p);
        assertTrue(problem("tasks.yaml", "t:\n  argv: [/bin/true]\nt:\n  argv: [/bin/false]\n")
                .contains("Duplicate field 't'"));
    }

    @Test
    void valuesAreKeptAsTheFileWroteThem() throws Exception {
        Path yaml = dir.resolve("tasks.yaml");
        Files.writeString(yaml, """
                t:
                  argv: [/bin/echo, --scale, 4, --rate, 1.10]
                  gpus: 0
                  timeout: 90
                  retryableExitCodes: [75]
                  env: {VERSION: 1.10, ENABLED: yes, MODE: 0755, OFF: off, BIG: 1e3, HEX: 0x1F, Q: "q", T: true}
                """);
        Task t = TaskRegistry.load(yaml).find("t").orElseThrow();
        assertEquals(List.of("/bin/echo", "--scale", "4", "--rate", "1.10"), t.argv());
        assertEquals(Map.of("VERSION", "1.10", "ENABLED", "yes", "MODE", "0755", "OFF", "off", "BIG", "1e3",
                "HEX", "0x1F", "Q", "q", "T", "true"), t.env());
        assertEquals(Duration.ofSeconds(90), t.timeout());
        assertEquals(Set.of(75), t.retryableExitCodes());

        Task j = TaskRegistry.load(file("{\"t\": {\"argv\": [\"/bin/true\"], \"gpus\": 0,"
                + " \"env\": {\"V\": 1.10, \"S\": 1e3, \"B\": false}}}")).find("t").orElseThrow();
        assertEquals(Map.of("V", "1.10", "S", "1e3", "B", "false"), j.env());

        assertTrue(problem("tasks.yaml", "t:\n  argv: [/bin/true]\n  env: {EMPTY: }\n")
                .contains("env 'EMPTY' must be a string"));
    }

    @Test
    void gpuTasksAreRefusedForTheCpuFlavourNamingTheTask() throws Exception {
        TaskRegistry registry = TaskRegistry.load(file("{\"cpu\": {\"argv\": [\"/bin/true\"], \"gpus\": 0},"
                + " \"defaulted\": {\"argv\": [\"/bin/true\"]}}"));
        String p = assertThrows(TaskFileException.class, registry::requireNoGpus).getMessage();
        assertTrue(p.startsWith("task 'defaulted': needs 1 GPU(s) (\"gpus\" is 1 when not given)"), p);
        TaskRegistry.load(file("{\"cpu\": {\"argv\": [\"/bin/true\"], \"gpus\": 0}}")).requireNoGpus();
    }
}
