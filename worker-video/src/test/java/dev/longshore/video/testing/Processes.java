package dev.longshore.video.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Process checks for tests. */
public final class Processes {
    private Processes() {
    }

    /**
     * Whether a process is still running. A killed child whose parent died is re-parented and may stay a zombie
     * until init reaps it; a zombie is not running, though {@link ProcessHandle#isAlive()} may say it is.
     */
    public static boolean isRunning(long pid) {
        Path stat = Path.of("/proc", String.valueOf(pid), "stat");
        try {
            String s = Files.readString(stat);
            char state = s.charAt(s.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    /** Writes an executable shell script (a stand-in for ffmpeg in tests). */
    public static Path script(Path dir, String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body);
        p.toFile().setExecutable(true);
        return p;
    }

    /**
     * The pid a test script writes to {@code pidFile} (for its child, which the test then expects killed), waiting
     * up to {@code within} for the script to get that far.
     */
    public static long awaitPid(Path pidFile, Duration within) throws IOException, InterruptedException {
        for (long i = 0; i < within.toMillis() / 10 && (!Files.exists(pidFile) || Files.readString(pidFile).isBlank());
                i++) {
            Thread.sleep(10);
        }
        return Long.parseLong(Files.readString(pidFile).trim());
    }
}
