package dev.longshore.video.process;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Kills a process together with everything it started. Children are killed before the parent: once the
 * parent is gone its children are re-parented and no longer show up as its descendants.
 */
public final class ProcessTree {
    /** A child could fork while we kill its siblings; a few passes catch those too. */
    private static final int PASSES = 5;
    /** SIGKILL is not refused; a process still there after this long is stuck in the kernel (D state). */
    private static final long EXIT_WAIT_SECONDS = 5;

    private ProcessTree() {
    }

    /** SIGKILLs every descendant and then the process itself, and waits (bounded) for it to be reaped. */
    public static void kill(Process process) {
        for (int pass = 0; pass < PASSES; pass++) {
            List<ProcessHandle> descendants = process.descendants().toList();
            if (descendants.isEmpty()) {
                break;
            }
            descendants.forEach(ProcessHandle::destroyForcibly);
        }
        process.destroyForcibly();
        try {
            process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
