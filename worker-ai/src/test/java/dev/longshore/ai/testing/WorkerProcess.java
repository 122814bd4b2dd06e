package dev.longshore.ai.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The AI worker started as a child JVM ({@code dev.longshore.ai.Main}), as an operator would run it. */
public final class WorkerProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private WorkerProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts the worker with exactly {@code env} (plus PATH and HOME), logs going to files under {@code dir}. */
    public static WorkerProcess start(Path dir, Map<String, String> env) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "dev.longshore.ai.Main");
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        pb.environment().put("HOME", System.getProperty("user.home"));
        pb.environment().putAll(env);
        Files.createDirectories(dir);
        Path out = Files.createTempFile(dir, "worker", ".stdout");
        Path err = Files.createTempFile(dir, "worker", ".stderr");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        return new WorkerProcess(pb.start(), out, err);
    }

    public Process process() {
        return process;
    }

    /** The {@code msg} of every JSON log line so far. */
    public List<String> messages() throws IOException {
        List<String> msgs = new ArrayList<>();
        for (String line : Files.readAllLines(stdout, StandardCharsets.UTF_8)) {
            try {
                JsonNode n = JSON.readTree(line);
                if (n != null && n.has("msg")) {
                    msgs.add(n.get("msg").asText());
                }
            } catch (IOException notJson) {
                msgs.add(line);
            }
        }
        return msgs;
    }

    /** The worker's stdout as written (JSON lines with timestamps). */
    public List<String> rawLog() throws IOException {
        return Files.readAllLines(stdout, StandardCharsets.UTF_8);
    }

    public String stderr() throws IOException {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    /** Waits until a log message matches; fails with the log so far if none does in time. */
    public String awaitLog(Predicate<String> match, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> hit = messages().stream().filter(match).findFirst();
            if (hit.isPresent()) {
                return hit.get();
            }
            if (!process.isAlive()) {
                throw new AssertionError("worker exited with " + process.exitValue() + " before the expected log line;"
                        + " log: " + messages() + " stderr: " + stderr());
            }
            Thread.sleep(25);
        }
        throw new AssertionError("no matching log line within " + timeout + "; log: " + messages());
    }

    /** GET /health/ready: status code and body. */
    public Readiness readiness(int port) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        return new Readiness(r.statusCode(), JSON.readTree(r.body()));
    }

    public record Readiness(int status, JsonNode body) {
        public String state() {
            return body.path("state").asText();
        }

        public String reason() {
            return body.path("reason").asText();
        }
    }

    /** Polls readiness until it matches. */
    public Readiness awaitReadiness(int port, Predicate<Readiness> match, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Readiness last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = readiness(port);
                if (match.test(last)) {
                    return last;
                }
            } catch (IOException notUpYet) {
                // the health endpoint starts a moment after the JVM
            }
            if (!process.isAlive()) {
                throw new AssertionError("worker exited with " + process.exitValue() + "; log: " + messages());
            }
            Thread.sleep(50);
        }
        throw new AssertionError("readiness never matched within " + timeout + ", last " + last + "; log: " + messages());
    }

    public int awaitExit(Duration timeout) throws Exception {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("worker still running after " + timeout + "; log: " + messages());
        }
        return process.exitValue();
    }

    /** SIGTERM, as docker stop sends. */
    public void terminate() {
        process.destroy();
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
