package dev.longshore.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A real SQS-protocol server (ElasticMQ) inside this JVM, on 127.0.0.1. Queues live in memory: a restart on the
 * same port keeps the URLs but not the queues, so callers re-create them.
 */
public final class EmbeddedSqs implements AutoCloseable {
    public static final String REGION = "us-east-1";
    public static final String ACCESS_KEY = "local";
    public static final String SECRET_KEY = "local";

    private final int port;
    private SQSRestServer server;
    private SqsClient client;

    private EmbeddedSqs(int port) {
        this.port = port;
    }

    /** Starts on a free port. */
    public static EmbeddedSqs start() {
        return start(freePort());
    }

    public static EmbeddedSqs start(int port) {
        EmbeddedSqs sqs = new EmbeddedSqs(port);
        sqs.startServer();
        return sqs;
    }

    private void startServer() {
        server = SQSRestServerBuilder.withInterface("127.0.0.1")
                .withPort(port)
                .withServerAddress(new NodeAddress("http", "127.0.0.1", port, ""))
                .withAWSRegion(REGION)
                .start();
        server.waitUntilStarted();
    }

    /** Stops the server, keeping the port, to simulate an SQS outage. */
    public synchronized void stopServer() {
        if (server != null) {
            server.stopAndWait();
            server = null;
        }
    }

    /** Starts the server again on the same port (queues are empty and must be created again). */
    public synchronized void restartServer() {
        stopServer();
        startServer();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** A client for test set-up and assertions (not the one under test). */
    public synchronized SqsClient client() {
        if (client == null) {
            client = newClient(endpoint());
        }
        return client;
    }

    public static SqsClient newClient(URI endpoint) {
        return SqsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)).build())
                .build();
    }

    /** Environment for a worker process pointed at this server through the SDK's standard variables. */
    public Map<String, String> workerEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", REGION);
        env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
        env.put("AWS_ENDPOINT_URL_SQS", endpoint().toString());
        // Off EC2: no instance metadata lookups for region or credentials.
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        return env;
    }

    /**
     * The environment of a worker process that reads {@code queueUrl} here: {@link #workerEnvironment()}, and no
     * health port or CloudWatch publishing, which a test reads neither of. Mutable, for the test's own settings.
     */
    public Map<String, String> workerEnvironment(String queueUrl) {
        Map<String, String> env = workerEnvironment();
        env.put("WORKER_QUEUE_URL", queueUrl);
        env.put("WORKER_HEALTH_PORT", "off");
        env.put("WORKER_METRICS_NAMESPACE", "off");
        return env;
    }

    /** Creates a queue and its dead-letter queue, wired by RedrivePolicy. */
    public QueuePair createQueueWithDeadLetter(String name, int maxReceiveCount, Duration visibility) {
        return Queues.createWithDeadLetter(client(), name, maxReceiveCount, visibility);
    }

    public String createQueue(String name, Map<QueueAttributeName, String> attributes) {
        return client().createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
        // ElasticMQ's stop waits for long polls still open on the server side (up to 20 s) even when their
        // clients are gone; nothing needs that wait at the end, so it is bounded here.
        SQSRestServer s = server;
        server = null;
        if (s != null) {
            Thread stopper = Thread.ofPlatform().name("elasticmq-stop").daemon().start(s::stopAndWait);
            try {
                stopper.join(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port on 127.0.0.1", e);
        }
    }
}
