package dev.longshore.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Echoes the interesting lines of a worker process to the console in a short form; the log file keeps all. */
public final class ConsoleEcho {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConsoleEcho() {
    }

    /** For stdout: JSON log lines that {@code echo} accepts, as {@code [name] LEVEL jobId: msg}; other lines as they are. */
    public static Consumer<String> stdout(String name, PrintStream console, Predicate<JsonNode> echo) {
        return line -> {
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
        };
    }

    /** For stderr: every line, marked as such (a worker writes nothing there unless something is wrong). */
    public static Consumer<String> stderr(String name, PrintStream console) {
        return line -> console.printf("  [%s] stderr: %s%n", name, line);
    }
}
