package dev.longshore.ai.testing;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The fake libnvidia-ml.so.1 built from src/test/c/nvml_stub.c with gcc (once per test JVM, and only when the
 * source changed), and the state file that drives it. Tests load it through the worker's real JNA binding.
 */
public final class NvmlStub {
    private static Path library;

    /** The stub's control functions, not part of NVML. */
    public interface Control extends Library {
        void nvmlStubSetStateFile(String path);

        void nvmlStubReset();

        int nvmlStubInitCount();
    }

    private final Path stateFile;
    private final Control control;

    private NvmlStub(Path stateFile) {
        this.stateFile = stateFile;
        this.control = Native.load(library().toString(), Control.class);
        control.nvmlStubSetStateFile(stateFile.toString());
        control.nvmlStubReset();
    }

    /** A stub reading {@code dir/nvml-state}, with its in-process counters reset; starts with no GPU. */
    public static NvmlStub in(Path dir) throws IOException {
        NvmlStub stub = new NvmlStub(dir.resolve("nvml-state"));
        stub.write();
        return stub;
    }

    /** Path of the compiled library ({@code .../libnvidia-ml.so.1}). */
    public static synchronized Path library() {
        if (library == null) {
            library = compile();
        }
        return library;
    }

    public Path stateFile() {
        return stateFile;
    }

    public int initCount() {
        return control.nvmlStubInitCount();
    }

    /** Replaces the whole state atomically (the stub may be reading it on another thread). */
    public void write(String... lines) {
        try {
            Path tmp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
            Files.writeString(tmp, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path compile() {
        Path source = Path.of(System.getProperty("nvml.stub.source", "src/test/c/nvml_stub.c")).toAbsolutePath();
        Path dir = Path.of(System.getProperty("nvml.stub.dir", "target/nvml-stub")).toAbsolutePath();
        Path out = dir.resolve("libnvidia-ml.so.1");
        try {
            if (Files.exists(out) && Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(source)) >= 0) {
                return out;
            }
            Files.createDirectories(dir);
            Path tmp = dir.resolve("libnvidia-ml.so.1.tmp" + ProcessHandle.current().pid());
            List<String> cmd = List.of("gcc", "-shared", "-fPIC", "-pthread", "-O1", "-Wall", "-Werror", "-o",
                    tmp.toString(), source.toString());
            Process p;
            try {
                p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new IllegalStateException("the NVML stub needs gcc to build and none was found ("
                        + e.getMessage() + "); install gcc (scripts/test does this when run as root)", e);
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("gcc failed to build " + source + ":\n" + output);
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot build the NVML stub: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the NVML stub", e);
        }
    }
}
