package dev.longshore.core.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A spot interruption notice from {@code spot/instance-action}: {@code {"action": "terminate", "time":
 * "2017-09-18T08:22:00Z"}}.
 *
 * @param action terminate, stop or hibernate
 * @param at     when EC2 acts
 */
record SpotNotice(String action, Instant at) {
    /** EC2 gives two minutes; assumed when the time cannot be read, so a garbled notice still drains. */
    static final Duration NOTICE = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    static SpotNotice parse(String body, Instant now) {
        String action = "terminate";
        Instant at = now.plus(NOTICE);
        try {
            JsonNode node = JSON.readTree(body);
            action = node.path("action").asText(action);
            if (node.hasNonNull("time")) {
                at = Instant.parse(node.get("time").asText());
            }
        } catch (java.io.IOException | DateTimeParseException e) {
            // keep the defaults: a notice we cannot read is still a notice
        }
        return new SpotNotice(action, at);
    }

    /**
     * How long running jobs may go on: until {@code margin} before EC2 acts (that margin is for releasing what
     * is left and exiting), never longer than {@code max}, never negative.
     */
    Duration drainBudget(Instant now, Duration max, Duration margin) {
        Duration left = Duration.between(now, at).minus(margin);
        if (left.isNegative()) {
            return Duration.ZERO;
        }
        return left.compareTo(max) > 0 ? max : left;
    }
}
