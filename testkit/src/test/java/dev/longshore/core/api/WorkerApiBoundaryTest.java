package dev.longshore.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The workers build on worker-core's API and its shared I/O, never on the runtime or fleet internals (README:
 * Writing a worker). Reads the workers' main sources, so a new import of an internal class fails the build
 * with the file and the class named.
 */
class WorkerApiBoundaryTest {
    /** What a worker is written against: the definition, the job, the gate, settings and metrics. */
    private static final Set<String> API_PACKAGES = Set.of("dev.longshore.core", "dev.longshore.core.job",
            "dev.longshore.core.gate", "dev.longshore.core.config", "dev.longshore.core.metrics");
    /**
     * Shared I/O every worker uses instead of its own copy: one fetcher, one supervisor, one file-root rule, one
     * S3 object store, one owned background thread.
     */
    private static final Set<String> SHARED_IO_PACKAGES = Set.of("dev.longshore.core.http",
            "dev.longshore.core.process", "dev.longshore.core.files", "dev.longshore.core.storage",
            "dev.longshore.core.concurrent");
    /** Single classes of otherwise internal packages that are part of the API. */
    private static final Set<String> API_CLASSES = Set.of("dev.longshore.core.queue.QueueClient",
            "dev.longshore.core.queue.ResultPublisher", "dev.longshore.core.fleet.InstanceHealth");
    /** The runtime's own wiring point: workers start through WorkerLauncher. */
    private static final Set<String> NOT_FOR_WORKERS = Set.of("dev.longshore.core.Worker");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?(dev\\.longshore\\.core\\.[\\w.]+?)(?:\\.\\*)?;",
            Pattern.MULTILINE);
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void workersImportOnlyTheApiAndTheSharedIo() throws IOException {
        List<String> violations = new ArrayList<>();
        int files = 0;
        for (String worker : List.of("worker-messaging", "worker-video", "worker-ai")) {
            Path sources = ROOT.resolve(worker).resolve("src/main/java");
            try (Stream<Path> all = Files.walk(sources)) {
                for (Path file : all.filter(p -> p.toString().endsWith(".java")).toList()) {
                    files++;
                    Matcher m = IMPORT.matcher(read(file));
                    while (m.find()) {
                        String type = staticOwner(m.group(1));
                        if (!allowed(type)) {
                            violations.add(ROOT.relativize(file) + " imports " + type);
                        }
                    }
                }
            }
        }
        assertFalse(files < 50, "read the workers' sources (" + files + " files under " + ROOT + ")");
        assertEquals(List.of(), violations, "workers reach into worker-core internals");
    }

    @Test
    void theRuleRefusesTheRuntimeAndFleetInternals() {
        assertFalse(allowed("dev.longshore.core.runtime.MessageProcessor"));
        assertFalse(allowed("dev.longshore.core.fleet.LifecycleWatcher"));
        assertFalse(allowed("dev.longshore.core.queue.SqsQueueClient"));
        assertFalse(allowed("dev.longshore.core.Worker"));
    }

    static boolean allowed(String type) {
        if (NOT_FOR_WORKERS.contains(type)) {
            return false;
        }
        if (API_CLASSES.contains(type)) {
            return true;
        }
        String pkg = packageOf(type);
        return API_PACKAGES.contains(pkg) || SHARED_IO_PACKAGES.contains(pkg);
    }

    /** {@code a.b.Type.member} (a static import) to {@code a.b.Type}; types start with an upper-case letter. */
    private static String staticOwner(String name) {
        String[] parts = name.split("\\.");
        StringBuilder b = new StringBuilder();
        for (String part : parts) {
            if (!b.isEmpty()) {
                b.append('.');
            }
            b.append(part);
            if (Character.isUpperCase(part.charAt(0))) {
                break;
            }
        }
        return b.toString();
    }

    private static String packageOf(String type) {
        int i = type.lastIndexOf('.');
        return type.substring(0, i);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
