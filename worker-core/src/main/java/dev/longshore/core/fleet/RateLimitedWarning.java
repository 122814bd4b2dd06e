package dev.longshore.core.fleet;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;

/**
 * Logs a failure that repeats on a schedule (a publish, a metadata poll) at most once per period, with how many
 * were not logged, and says once when it works again, so an outage is one line per period, not one per try.
 */
final class RateLimitedWarning {
    private final Logger log;
    private final Duration period;
    private final Clock clock;
    private Instant nextReport;
    private long suppressed;
    private long failures;

    RateLimitedWarning(Logger log, Duration period, Clock clock) {
        this.log = log;
        this.period = period;
        this.clock = clock;
    }

    synchronized void failure(String what, String cause) {
        failures++;
        Instant now = clock.instant();
        if (nextReport != null && now.isBefore(nextReport)) {
            suppressed++;
            return;
        }
        if (suppressed == 0) {
            log.warn("{} failed: {}", what, cause);
        } else {
            log.warn("{} failed: {} ({} more failure(s) not logged since the last report)", what, cause, suppressed);
        }
        suppressed = 0;
        nextReport = now.plus(period);
    }

    synchronized void success(String what) {
        if (failures > 0) {
            log.info("{} works again after {} failure(s)", what, failures);
        }
        failures = 0;
        suppressed = 0;
        nextReport = null;
    }

    synchronized long failures() {
        return failures;
    }
}
