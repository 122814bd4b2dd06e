package dev.longshore.core.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process group on Linux, found through {@code /proc}: every process whose group id is {@link #pgid()}, also
 * those re-parented after their parent exited ({@code nohup cmd &}). Zombies count as gone. TERM and KILL are
 * sent to each member with {@link ProcessHandle}; other signals go to the whole group at once with bash's
 * {@code kill -s SIG -- -PGID}.
 */
public final class ProcessGroup {
    /** A child could fork while its siblings are being killed; KILL is repeated this often until none is left. */
    private static final Duration KILL_REPEAT = Duration.ofMillis(50);
    /** SIGKILL is not refused; a process still there after this long is stuck in the kernel (D state). */
    static final Duration KILL_WAIT = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofMillis(20);
    private static final Path PROC = Path.of("/proc");
    private static final Logger log = LoggerFactory.getLogger(ProcessGroup.class);

    private final long pgid;

    private ProcessGroup(long pgid) {
        if (pgid <= 1) {
            throw new IllegalArgumentException("not a usable process group id: " + pgid);
        }
        this.pgid = pgid;
    }

    public static ProcessGroup of(long pgid) {
        return new ProcessGroup(pgid);
    }

    public long pgid() {
        return pgid;
    }

    /** The pids of the group's live members (not zombies), in no particular order. */
    public List<Long> members() {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(name);
                } catch (NumberFormatException e) {
                    continue;
                }
                stat(pid).filter(s -> s.pgrp() == pgid && s.alive()).ifPresent(s -> pids.add(pid));
            }
        } catch (IOException e) {
            log.warn("cannot list {}: {}", PROC, e.toString());
        }
        return pids;
    }

    public boolean isAlive() {
        return !members().isEmpty();
    }

    /** Sends {@code signal} to every member; a member that is gone meanwhile is skipped. */
    public void signal(Signal signal) {
        switch (signal) {
            case TERM -> members().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy));
            case KILL -> members().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            default -> signalWithShell(signal);
        }
    }

    private void signalWithShell(Signal signal) {
        if (!isAlive()) {
            return;
        }
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "kill -s \"$0\" -- \"-$1\"", signal.name(),
                Long.toString(pgid)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        try {
            Process kill = pb.start();
            if (!kill.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                kill.destroyForcibly();
                log.warn("kill -s {} -- -{} did not return within {}", signal.name(), pgid, KILL_WAIT);
            } else if (kill.exitValue() != 0) {
                log.debug("kill -s {} -- -{} exited with {} (group gone?)", signal.name(), pgid, kill.exitValue());
            }
        } catch (IOException e) {
            log.warn("cannot send {} to process group {}: {}", signal.fullName(), pgid, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * SIGTERM to every member, then SIGKILL to whatever is still alive after {@code grace} (repeated, so children
     * forked meanwhile go too). Returns once the group is empty or {@link #KILL_WAIT} after the SIGKILL; waits even
     * when the calling thread is interrupted (a drain interrupts job threads, and the group must still end), and
     * keeps the interrupt for the caller.
     *
     * @return the number of members found at the start (0: nothing to do)
     */
    public int terminate(Duration grace) {
        List<Long> found = members();
        if (found.isEmpty()) {
            return 0;
        }
        boolean interrupted = false;
        try {
            signal(Signal.TERM);
            interrupted |= awaitEmpty(grace);
            if (members().isEmpty()) {
                return found.size();
            }
            log.info("process group {}: {} process(es) still alive {} after SIGTERM; sending SIGKILL", pgid,
                    members().size(), grace);
            long deadline = System.nanoTime() + KILL_WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                signal(Signal.KILL);
                interrupted |= awaitEmpty(KILL_REPEAT);
                if (members().isEmpty()) {
                    return found.size();
                }
            }
            log.warn("process group {}: processes {} still alive {} after SIGKILL", pgid, members(), KILL_WAIT);
            return found.size();
        } finally {
            if (interrupted || Thread.interrupted()) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** @return whether the thread was interrupted while waiting (the flag is cleared so waiting can go on) */
    private boolean awaitEmpty(Duration timeout) {
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!members().isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(left, POLL.toNanos()));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        return interrupted;
    }

    /** The environment a process started with ({@code /proc/<pid>/environ}); empty when unreadable or gone. */
    public static Optional<Map<String, String>> environment(long pid) {
        try {
            byte[] raw = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("environ"));
            Map<String, String> env = new HashMap<>();
            for (String entry : new String(raw, StandardCharsets.UTF_8).split("\0")) {
                int eq = entry.indexOf('=');
                if (eq > 0) {
                    env.put(entry.substring(0, eq), entry.substring(eq + 1));
                }
            }
            return Optional.of(env);
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** The state letter and group of a process ({@code /proc/<pid>/stat}); empty when it is gone. */
    static Optional<Stat> stat(long pid) {
        try {
            String text = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
            // "pid (comm) S ppid pgrp session ...": comm may hold spaces and parentheses, so parse after the last ')'.
            String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
            return Optional.of(new Stat(f[0].charAt(0), Long.parseLong(f[2]), Long.parseLong(f[3])));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** @param state R, S, D, Z, T...; Z (zombie) and X (dead) are gone for our purposes */
    record Stat(char state, long pgrp, long session) {
        boolean alive() {
            return state != 'Z' && state != 'X';
        }
    }

    @Override
    public String toString() {
        return "process group " + pgid;
    }
}
