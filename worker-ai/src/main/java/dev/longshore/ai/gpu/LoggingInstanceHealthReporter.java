package dev.longshore.ai.gpu;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The default reporter: a WARN line operators can alert on; no instance-level action is taken. */
final class LoggingInstanceHealthReporter implements InstanceHealthReporter {
    private static final Logger log = LoggerFactory.getLogger(InstanceHealthReporter.class);

    @Override
    public void reportUnhealthy(String reason) {
        log.warn("Instance should be replaced: {} (no Auto Scaling health reporting configured; exiting 1 for a "
                + "restart)", reason);
    }
}
