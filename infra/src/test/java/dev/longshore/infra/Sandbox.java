package dev.longshore.infra;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A directory in which a bash script runs with stand-ins for the commands that reach AWS, docker or the init
 * system. PATH holds only the stand-ins asked for and links to a fixed list of ordinary tools, so an unexpected
 * command fails the script (command not found) instead of touching this machine. Stand-ins record their calls
 * under calls/ and can be told to fail their first N calls (FAIL_* variables, see sandbox/stub-lib.sh).
 */
final class Sandbox {
    private static final java.time.Duration SCRIPT_LIMIT = java.time.Duration.ofMinutes(5);

    static final Path REPO_ROOT = Path.of(System.getProperty("longshore.repo.root", "..")).toAbsolutePath().normalize();
    static final Path STUBS = Path.of("src/test/resources/sandbox").toAbsolutePath();
    /** Ordinary tools the scripts and stand-ins may use; all are on Amazon Linux 2023 too. */
    static final List<String> TOOLS = List.of("bash", "env", "cat", "tee", "date", "mkdir", "chmod", "mv", "rm",
            "awk", "grep", "tr", "tail", "head", "cut", "paste", "wc", "nproc", "uname", "dirname", "touch", "ln",
            "cp", "sed", "find", "mktemp", "git");
    private static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;
    final Path root;
    final Path path;
    final Map<String, String> env = new LinkedHashMap<>();

    Sandbox(Path dir, String... stubs) throws IOException {
        this.dir = dir;
        this.root = Files.createDirectories(dir.resolve("root"));
        this.path = Files.createDirectories(dir.resolve("path"));
        for (String tool : TOOLS) {
            Path real = Stream.of("/usr/bin/", "/bin/").map(d -> Path.of(d + tool)).filter(Files::isExecutable)
                    .findFirst().orElse(null);
            if (real != null) {
                Files.createSymbolicLink(path.resolve(tool), real);
            }
        }
        for (String stub : stubs) {
            addStub(stub);
        }
        env.put("PATH", path.toString());
        env.put("HOME", dir.toString());
        env.put("LANG", "C.UTF-8");
        env.put("SANDBOX", dir.toString());
        env.put("SANDBOX_STUBS", STUBS.toString());
    }

    void addStub(String name) throws IOException {
        Path link = path.resolve(name);
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, STUBS.resolve(name));
    }

    /** Puts a real command from this machine's PATH into the sandbox's PATH; false when there is none. */
    boolean addRealCommand(String name) throws IOException {
        for (String dir : System.getenv("PATH").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                Files.createSymbolicLink(path.resolve(name), candidate);
                return true;
            }
        }
        return false;
    }

    void removeTool(String name) throws IOException {
        Files.deleteIfExists(path.resolve(name));
    }

    Sandbox set(String key, String value) {
        env.put(key, value);
        return this;
    }

    /** Runs bash on the script with the sandbox's environment only; stdin is empty. */
    Result run(Path script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(bash(), script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        Process process = pb.start();
        // A guard against a hung script, not a timing assertion: a deploy dry run synthesizes the whole stack with
        // node, which takes minutes on a loaded 2-core machine.
        if (!process.waitFor(SCRIPT_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("script did not finish within " + SCRIPT_LIMIT.toSeconds() + " s: " + script);
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    static String bash() {
        return Files.isExecutable(Path.of("/bin/bash")) ? "/bin/bash" : "/usr/bin/bash";
    }

    /** Every recorded call of a stand-in, one argument list per line. */
    List<String> calls(String tool) throws IOException {
        Path log = dir.resolve("calls").resolve(tool + ".log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    /** The events the aws stand-in received with put-log-events, parsed. */
    List<JsonNode> shippedEvents() throws IOException {
        Path shipped = dir.resolve("shipped");
        List<JsonNode> events = new ArrayList<>();
        if (!Files.isDirectory(shipped)) {
            return events;
        }
        try (Stream<Path> files = Files.list(shipped).sorted()) {
            for (Path f : files.toList()) {
                JSON.readTree(f.toFile()).forEach(events::add);
            }
        }
        return events;
    }

    /** All text the script, its console and the stand-ins left in the sandbox, except the files named. */
    String everythingWrittenExcept(Path... allowed) throws IOException {
        List<Path> skip = List.of(allowed);
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !skip.contains(f)).toList()) {
                all.append(new String(Files.readAllBytes(f), StandardCharsets.UTF_8)).append('\n');
            }
        }
        return all.toString();
    }

    static String permissions(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    record Result(int exitCode, String stdout, String stderr) {
        String output() {
            return stdout + stderr;
        }
    }
}
