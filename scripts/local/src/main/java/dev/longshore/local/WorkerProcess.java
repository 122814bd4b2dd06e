package dev.longshore.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A worker jar started as its own process, as operators run it ({@code java -jar}). Its JSON log lines are
 * kept in a file and the interesting ones echoed in a short form.
 */
public final class WorkerProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final Process process;
    private final Thread pump;
    private final List<String> stderr = new ArrayList<>();

    private WorkerProcess(String name, Process process, Thread pump) {
        this.name = name;
        this.process = process;
        this.pump = pump;
    }

    public static WorkerProcess start(String name, Path jar, Map<String, String> env, Path logFile, PrintStream console,
                                      Predicate<JsonNode> echo) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        Files.createDirectories(logFile.getParent());
        Writer log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
        Thread pump = Thread.ofPlatform().name("local-" + name + "-log").daemon().start(() -> {
            try (log; BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    log.write(line);
                    log.write('\n');
                    log.flush();
                    echo(name, line, console, echo);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        WorkerProcess wp = new WorkerProcess(name, p, pump);
        Thread.ofPlatform().name("local-" + name + "-stderr").daemon().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    synchronized (wp.stderr) {
                        wp.stderr.add(line);
                    }
                    console.printf("  [%s] stderr: %s%n", name, line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        return wp;
    }

    private static void echo(String name, String line, PrintStream console, Predicate<JsonNode> echo) {
        try {
            JsonNode n = JSON.readTree(line);
            if (echo.test(n)) {
                String job = n.path("jobId").asText("");
                console.printf("  [%s] %-5s %s%s%n", name, n.path("level").asText(), job.isEmpty() ? "" : job + ": ",
                        n.path("msg").asText());
            }
        } catch (IOException notJson) {
            console.printf("  [%s] %s%n", name, line);
        }
    }

    public List<String> stderr() {
        synchronized (stderr) {
            return List.copyOf(stderr);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, as docker stop sends it. */
    public void sigterm() {
        process.destroy();
    }

    /** Waits for the exit code; kills the process if it does not end in time. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        if (pump != null) {
            pump.join(1000);
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(35, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
