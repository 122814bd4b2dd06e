package dev.longshore.local;

import dev.longshore.testkit.QueuePair;
import dev.longshore.testkit.WebhookReceiver;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.sqs.SqsClient;

/** One worker's part in the local run: which jar, which settings, which jobs, and when it is done. */
public interface Demo {
    /** How far the demo is, in one line. */
    record Progress(boolean done, String summary) {
    }

    /** The worker's short name: its module is worker-NAME, its queue longshore-NAME. */
    String name();

    /** The worker's jar as the build leaves it under the repository {@code root}. */
    default Path jar(Path root) {
        return root.resolve("worker-" + name() + "/target/worker-" + name() + ".jar");
    }

    /**
     * Why this demo cannot run on this machine, with the command that fixes it (e.g. "ffmpeg not found (install
     * it: apt-get install ffmpeg)"); empty when it can. The jar is checked separately.
     */
    default Optional<String> missing() {
        return Optional.empty();
    }

    Map<String, String> environment(WebhookReceiver receiver);

    /** Sends the demo jobs; returns how many. */
    int send(SqsClient sqs, String queueUrl, WebhookReceiver receiver);

    /** Reads progress from the worker's metrics and the queues. */
    Progress progress(SqsClient sqs, QueuePair queue, Map<String, Double> metrics);

    /** What the demo's jobs left on the local run's S3, one line per job output; printed at the end. */
    default List<String> storageSummary() {
        return List.of();
    }

    /** Which worker log lines to echo on the console. */
    default boolean echo(String level, String message) {
        return !level.equals("DEBUG") && !level.equals("TRACE");
    }
}
