package dev.longshore.ai.runner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a task and everything it started. The tree is listed before the first signal: once a parent dies its
 * children are re-parented and can no longer be found from it. Every process gets SIGTERM, then whatever is
 * still alive after the grace period (and anything it forked meanwhile) gets SIGKILL.
 */
final class ProcessTree {
    /** Long enough for a model server to flush a checkpoint; short next to a drain budget. */
    static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(ProcessTree.class);

    private ProcessTree() {
    }

    /** Returns once every process of the tree is gone, or after the grace period plus {@link #KILL_WAIT}. */
    static void kill(ProcessHandle root, Duration grace) {
        Map<Long, ProcessHandle> tree = collect(List.of(root));
        tree.values().forEach(ProcessHandle::destroy);
        if (awaitExit(tree.values(), grace)) {
            return;
        }
        Map<Long, ProcessHandle> survivors = collect(tree.values().stream().filter(ProcessHandle::isAlive).toList());
        log.info("{} process(es) of the task ignored SIGTERM for {}; killing them", survivors.size(), grace);
        survivors.values().forEach(ProcessHandle::destroyForcibly);
        if (!awaitExit(survivors.values(), KILL_WAIT)) {
            log.warn("processes {} still alive after SIGKILL", survivors.values().stream()
                    .filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList());
        }
    }

    private static Map<Long, ProcessHandle> collect(List<ProcessHandle> roots) {
        Map<Long, ProcessHandle> all = new LinkedHashMap<>();
        for (ProcessHandle r : roots) {
            all.put(r.pid(), r);
            r.descendants().forEach(d -> all.put(d.pid(), d));
        }
        return all;
    }

    /** Waits even when interrupted (a drain interrupts the job's thread): the tree must still end. */
    private static boolean awaitExit(Iterable<ProcessHandle> processes, Duration timeout) {
        List<CompletableFuture<ProcessHandle>> exits = new ArrayList<>();
        processes.forEach(p -> exits.add(p.onExit()));
        CompletableFuture<Void> all = CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new));
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean interrupted = false;
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return all.isDone();
                }
                try {
                    all.get(left, TimeUnit.NANOSECONDS);
                    return true;
                } catch (TimeoutException e) {
                    return false;
                } catch (ExecutionException e) {
                    return false;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
