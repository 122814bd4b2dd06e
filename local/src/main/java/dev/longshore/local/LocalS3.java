package dev.longshore.local;

import dev.longshore.testkit.s3.FakeS3Server;
import dev.longshore.testkit.s3.TestS3;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The local run's S3: the test kit's S3 server in this JVM, one bucket, reached path-style by the workers
 * (docs/video.md: Output; docs/ai.md: Outputs on S3). Nothing is written to disk; it lives as long as the run.
 */
final class LocalS3 implements AutoCloseable {
    static final String BUCKET = "longshore-demo";

    private final FakeS3Server server;

    private LocalS3(FakeS3Server server) {
        this.server = server;
    }

    static LocalS3 start() throws IOException {
        return new LocalS3(FakeS3Server.start(BUCKET));
    }

    String endpoint() {
        return server.endpoint().toString();
    }

    /** AWS_ENDPOINT_URL_S3 and {@code <prefix>_PATH_STYLE=true} for a worker whose S3 settings use this prefix. */
    Map<String, String> workerEnvironment(String variablePrefix) {
        return TestS3.workerEnvironment(server, variablePrefix);
    }

    /** Puts an object, as an uploader would before sending the job. */
    void put(String key, byte[] body) {
        server.put(BUCKET, key, body);
    }

    /** {@code s3://BUCKET/key}. */
    static String uri(String key) {
        return "s3://" + BUCKET + "/" + key;
    }

    /** Keys under {@code prefix}, sorted. */
    List<String> keys(String prefix) {
        return server.keys(BUCKET, prefix);
    }

    /**
     * One line for what a job published under {@code prefix}, e.g.
     * {@code s3://longshore-demo/video/demo-clip/: master.m3u8 + 12 objects}; {@code entry} is the object a reader
     * starts from.
     */
    String summary(String prefix, String entry) {
        List<String> keys = keys(prefix);
        if (keys.isEmpty()) {
            return uri(prefix) + ": nothing";
        }
        boolean hasEntry = keys.contains(prefix + entry);
        return uri(prefix) + ": " + (hasEntry ? entry + " + " + (keys.size() - 1) : "no " + entry + ", " + keys.size())
                + " objects";
    }

    @Override
    public void close() {
        server.close();
    }
}
