package dev.longshore.ai.nvml;

import dev.longshore.core.WorkerControl;
import dev.longshore.core.WorkerExtension;
import dev.longshore.core.concurrent.BackgroundThread;
import dev.longshore.core.config.Durations;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for critical Xid events on its own named thread and reports the ones that mean the GPU is no longer
 * trustworthy. Which Xids are fatal follows NVIDIA's Kubernetes device plugin: all of them except the
 * application errors 13, 31, 43, 45, 68 and 109. {@code NVML_ERROR_GPU_IS_LOST} from the wait is fatal too.
 */
public final class XidWatcher implements WorkerExtension {
    /** Application-caused Xids (bad kernel, page fault in user code...): the GPU itself is fine. */
    public static final Set<Long> APPLICATION_XIDS = Set.of(13L, 31L, 43L, 45L, 68L, 109L);
    /** Bounds how long close() waits for the thread: the wait returns at least this often. */
    static final int WAIT_TIMEOUT_MS = 250;
    /** After an NVML error the event set is rebuilt after this pause, so a broken driver is not spun on. */
    static final Duration RETRY_DELAY = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(XidWatcher.class);

    /** Told about GPUs that must not be used any more. Called on the watcher's thread. */
    public interface Listener {
        void gpuFailed(String gpuUuid, String reason);
    }

    private final Nvml nvml;
    private final Listener listener;
    private final String threadName;
    private final Duration retryDelay;
    private final BackgroundThread thread = new BackgroundThread();
    /** Set on the watcher's thread when nothing will ever be watchable (no library, NVML shut down). */
    private boolean nothingToWatch;
    /** The last error logged, so a driver that stays missing is reported once, not every retry. */
    private String lastProblem;

    public XidWatcher(Nvml nvml, Listener listener, String threadName) {
        this(nvml, listener, threadName, RETRY_DELAY);
    }

    XidWatcher(Nvml nvml, Listener listener, String threadName, Duration retryDelay) {
        this.nvml = nvml;
        this.listener = listener;
        this.threadName = threadName;
        this.retryDelay = retryDelay;
    }

    public static boolean isFatal(long xid) {
        return !APPLICATION_XIDS.contains(xid);
    }

    @Override
    public void start(WorkerControl control) {
        start();
    }

    public void start() {
        thread.start(threadName, this::run);
    }

    private void run() {
        XidEvents events = null;
        try {
            while (!thread.closed()) {
                if (events == null) {
                    events = open();
                    if (events == null) {
                        if (nothingToWatch) {
                            return;
                        }
                        pause();
                        continue;
                    }
                }
                try {
                    Optional<XidEvent> event = events.next(WAIT_TIMEOUT_MS);
                    event.ifPresent(this::report);
                } catch (NvmlException e) {
                    if (thread.closed() || e.sessionClosed()) {
                        break;
                    }
                    if (e.gpuLost()) {
                        listener.gpuFailed("unknown GPU", "NVML reports a GPU lost while waiting for events: "
                                + e.getMessage());
                    } else {
                        log.warn("Xid event wait failed, watching again in {}: {}", Durations.format(retryDelay),
                                e.getMessage());
                    }
                    events.close();
                    events = null;
                    pause();
                }
            }
        } finally {
            if (events != null) {
                events.close();
            }
        }
    }

    private XidEvents open() {
        try {
            XidEvents events = nvml.openXidEvents();
            if (!events.unsupported().isEmpty()) {
                log.info("GPUs without Xid event support (not watched): {}", events.unsupported());
            }
            log.info("Watching critical Xid events on {}", events.watched());
            lastProblem = null;
            return events;
        } catch (NvmlException e) {
            if (e.sessionClosed()) {
                nothingToWatch = true;
            } else if (e.code() == NvmlException.NOT_LOADED) {
                // No library in this process, and none will appear: the gate reports why; nothing to watch.
                log.info("Xid events not watched: {}", e.getMessage());
                nothingToWatch = true;
            } else if (e.gpuLost()) {
                listener.gpuFailed("unknown GPU", "NVML reports a GPU lost: " + e.getMessage());
            } else if (!e.getMessage().equals(lastProblem)) {
                lastProblem = e.getMessage();
                log.warn("cannot watch Xid events yet, trying every {}: {}", Durations.format(retryDelay),
                        e.getMessage());
            }
            return null;
        }
    }

    private void report(XidEvent event) {
        if (isFatal(event.xid())) {
            log.error("Critical Xid {} on {}: the GPU can no longer be trusted", event.xid(), event.gpuUuid());
            listener.gpuFailed(event.gpuUuid(), "Xid " + event.xid() + " on " + event.gpuUuid());
        } else {
            log.info("Xid {} on {} is an application error; the GPU stays in service", event.xid(), event.gpuUuid());
        }
    }

    private void pause() {
        thread.pause(retryDelay.toMillis());
    }

    /** Stops the thread; returns within about {@link #WAIT_TIMEOUT_MS} plus one NVML call. */
    @Override
    public void close() {
        if (!thread.close(Duration.ofMillis(WAIT_TIMEOUT_MS * 4L))) {
            log.warn("Xid watcher thread {} did not stop within {} ms", threadName, WAIT_TIMEOUT_MS * 4);
        }
    }
}
