package dev.longshore.testkit.aws;


import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/**
 * The local run's steering wheel under {@code /local/}: what AWS would do to the instance, for
 * {@code scripts/scale-in} and people with curl.
 * <ul>
 *   <li>{@code POST /local/scale-in}: the group scales in this instance (lifecycle action opened, target state
 *       {@code Terminated})</li>
 *   <li>{@code POST /local/spot-interruption?in=120}: a spot notice for now + {@code in} seconds</li>
 *   <li>{@code POST /local/reset}: back to InService, no notice</li>
 *   <li>{@code GET /local/status}: one line, {@code key=value} pairs separated by spaces</li>
 * </ul>
 */
final class LocalControl {
    private final FakeInstanceMetadata metadata;
    private final FakeAutoScaling autoScaling;

    LocalControl(FakeInstanceMetadata metadata, FakeAutoScaling autoScaling) {
        this.metadata = metadata;
        this.autoScaling = autoScaling;
    }

    void handle(HttpExchange exchange, byte[] body) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        switch (path) {
            case "/local/scale-in" -> {
                if (requirePost(exchange, method)) {
                    scaleIn(autoScaling, metadata);
                    Http.send(exchange, 200, "text/plain", status() + "\n");
                }
            }
            case "/local/spot-interruption" -> {
                if (requirePost(exchange, method)) {
                    long seconds = 120;
                    String query = exchange.getRequestURI().getQuery();
                    if (query != null && query.startsWith("in=")) {
                        seconds = Long.parseLong(query.substring(3));
                    }
                    metadata.spotInterruption("terminate", Instant.now().plus(Duration.ofSeconds(seconds)));
                    Http.send(exchange, 200, "text/plain", status() + "\n");
                }
            }
            case "/local/reset" -> {
                if (requirePost(exchange, method)) {
                    metadata.set(FakeInstanceMetadata.LIFECYCLE_STATE, "InService");
                    metadata.remove(FakeInstanceMetadata.SPOT_ACTION);
                    Http.send(exchange, 200, "text/plain", status() + "\n");
                }
            }
            case "/local/status" -> Http.send(exchange, 200, "text/plain", status() + "\n");
            default -> Http.send(exchange, 404, "text/plain", "unknown control path " + path + "\n");
        }
    }

    /** What Auto Scaling does when it picks this instance for scale-in with a termination hook. */
    static void scaleIn(FakeAutoScaling autoScaling, FakeInstanceMetadata metadata) {
        autoScaling.openLifecycleAction();
        metadata.set(FakeInstanceMetadata.LIFECYCLE_STATE, "Terminated");
    }

    private static boolean requirePost(HttpExchange exchange, String method) throws IOException {
        if (!method.equals("POST")) {
            Http.send(exchange, 405, "text/plain", "use POST\n");
            return false;
        }
        return true;
    }

    String status() {
        return "lifecycle-state=" + metadata.value(FakeInstanceMetadata.LIFECYCLE_STATE).orElse("none")
                + " heartbeats=" + autoScaling.calls("RecordLifecycleActionHeartbeat").size()
                + " result=" + autoScaling.lifecycleActionResult().orElse("pending")
                + " protected=" + autoScaling.isProtectedFromScaleIn()
                + " health=" + autoScaling.healthStatus();
    }
}
