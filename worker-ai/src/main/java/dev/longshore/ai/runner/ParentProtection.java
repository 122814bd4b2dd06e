package dev.longshore.ai.runner;

import com.sun.jna.Library;
import com.sun.jna.Native;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the tasks this worker starts out of the worker's own memory and environment (docs/security.md: What a
 * task can reach). Tasks run as the worker's user, and a process of the same user may read
 * {@code /proc/<pid>/environ} and {@code /proc/<pid>/mem} of a "dumpable" process: the worker's settings,
 * the values of its SSM parameter, credentials it holds. {@code prctl(PR_SET_DUMPABLE, 0)} makes those files
 * readable only by root (and stops ptrace by the same user). The cost: {@code jcmd}/{@code jstack} against the
 * worker need root too.
 */
public final class ParentProtection {
    private static final Logger log = LoggerFactory.getLogger(ParentProtection.class);
    static final int PR_SET_DUMPABLE = 4;
    static final int PR_GET_DUMPABLE = 3;

    interface LibC extends Library {
        int prctl(int option, long arg2, long arg3, long arg4, long arg5);
    }

    private ParentProtection() {
    }

    /** Marks this process not dumpable; true when the kernel confirms it (Linux only). */
    public static boolean apply() {
        try {
            LibC libc = Native.load("c", LibC.class);
            if (libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
                log.warn("prctl(PR_SET_DUMPABLE, 0) failed (errno {}): tasks running as this user can read the "
                        + "worker's /proc/<pid>/environ and memory", Native.getLastError());
                return false;
            }
            return libc.prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            log.warn("cannot call prctl ({}): tasks running as this user can read the worker's /proc/<pid>/environ "
                    + "and memory", e.toString());
            return false;
        }
    }

    /** Whether this process is dumpable now (for tests and the start-up log). */
    public static boolean dumpable() {
        LibC libc = Native.load("c", LibC.class);
        return libc.prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0;
    }
}
