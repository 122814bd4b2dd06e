package dev.longshore.ai.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task runs as the worker's user; the attack is {@code cat /proc/$PPID/environ} (the worker's settings and
 * secrets). Root may read any process's files, so as root the "worker" JVM runs as nobody (setpriv), with the
 * classes it needs copied where nobody can read them.
 */
class ParentProtectionTest {
    private static final String SECRET = "smtp-password-7c1d";

    @TempDir
    Path tmp;

    @Test
    void aTaskCannotReadTheProtectedWorkersEnvironment() throws Exception {
        String unprotected = probe(false);
        assertTrue(unprotected.contains(SECRET), "the attack works against an unprotected process: " + unprotected);

        String protectedRun = probe(true);
        assertTrue(protectedRun.contains("protected=true"), protectedRun);
        assertFalse(protectedRun.contains(SECRET), "the task read the worker's environment: " + protectedRun);
        assertFalse(protectedRun.contains("exit=0"), protectedRun);
    }

    @Test
    void theWorkerJvmIsNotDumpableAfterwards() throws Exception {
        String out = probe(true);
        assertTrue(out.contains("protected=true"), out);
    }

    private String probe(boolean protect) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "setpriv (util-linux) is needed to drop root");
            command.addAll(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-Xshare:off", "-cp", readableClassPath(root),
                EnvironProbeMain.class.getName()));
        if (protect) {
            command.add("protect");
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/bin:/bin");
        pb.environment().put("WORKER_SMTP_PASSWORD", SECRET);
        pb.directory(tmp.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** The class path, copied into a world-readable directory when the JVM will run as nobody. */
    private String readableClassPath(boolean copy) throws IOException {
        List<String> entries = new ArrayList<>();
        Path dir = Files.createTempDirectory(tmp, "cp");
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path source = Path.of(entry);
            String name = source.getFileName().toString();
            boolean needed = Files.isDirectory(source) || name.startsWith("jna") || name.startsWith("slf4j")
                    || name.startsWith("logback") || name.startsWith("jackson");
            if (!needed || !Files.exists(source)) {
                continue;
            }
            if (!copy) {
                entries.add(entry);
                continue;
            }
            Path target = dir.resolve((i++) + "-" + name);
            if (Files.isDirectory(source)) {
                try (Stream<Path> files = Files.walk(source)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Path t = target.resolve(source.relativize(f).toString());
                        if (Files.isDirectory(f)) {
                            Files.createDirectories(t);
                        } else {
                            Files.copy(f, t, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            } else {
                Files.copy(source, target);
            }
            entries.add(target.toString());
        }
        if (copy) {
            openUp(tmp);
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void openUp(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }
}
