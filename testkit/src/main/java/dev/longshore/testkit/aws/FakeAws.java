package dev.longshore.testkit.aws;

import dev.longshore.testkit.EmbeddedSqs;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;

/**
 * The AWS endpoints a worker on an Auto Scaling group talks to besides SQS, in one HTTP server on 127.0.0.1:
 * instance metadata (IMDSv2), Auto Scaling and CloudWatch (query protocol, XML answers) and SSM (JSON 1.1), as
 * SDK 2.31.78 speaks them. Point a worker at it with {@link #workerEnvironment()}; tests steer and inspect it
 * through {@link #metadata()}, {@link #autoScaling()}, {@link #cloudWatch()}, {@link #ssm()}.
 */
public final class FakeAws implements AutoCloseable {
    public static final String REGION = "us-east-1";

    private final HttpServer server;
    private final ExecutorService executor;
    private final FakeInstanceMetadata metadata;
    private final FakeAutoScaling autoScaling;
    private final FakeCloudWatch cloudWatch = new FakeCloudWatch();
    private final FakeSsm ssm = new FakeSsm();
    private final LocalControl control;

    private FakeAws(HttpServer server, String instanceId, String groupName, String hookName) {
        this.server = server;
        this.metadata = new FakeInstanceMetadata(instanceId);
        this.autoScaling = new FakeAutoScaling(instanceId, groupName, hookName);
        this.control = new LocalControl(metadata, autoScaling);
        this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("fake-aws-", 1).factory());
        server.setExecutor(executor);
        server.createContext("/", this::route);
    }

    /** Starts on a free port with instance {@code i-0123456789abcdef0} in group {@code longshore-local}. */
    public static FakeAws start() {
        return start(0, "i-0123456789abcdef0", "longshore-local", "drain");
    }

    public static FakeAws start(int port, String instanceId, String groupName, String hookName) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
            FakeAws fake = new FakeAws(server, instanceId, groupName, hookName);
            server.start();
            return fake;
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public FakeInstanceMetadata metadata() {
        return metadata;
    }

    public FakeAutoScaling autoScaling() {
        return autoScaling;
    }

    public FakeCloudWatch cloudWatch() {
        return cloudWatch;
    }

    public FakeSsm ssm() {
        return ssm;
    }

    /** What Auto Scaling does when it scales this instance in: opens the lifecycle action, then IMDS says Terminated. */
    public void scaleIn() {
        LocalControl.scaleIn(autoScaling, metadata);
    }

    /** The one-line status {@code GET /local/status} gives. */
    public String status() {
        return control.status();
    }

    /** Points an SDK client {@code builder} at this server, in its region, with test credentials. */
    public <B extends AwsClientBuilder<B, ?>> B configure(B builder) {
        return builder.endpointOverride(endpoint()).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
    }

    /** The SDK's standard variables pointing a worker process (instance metadata included) at this server. */
    public Map<String, String> workerEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoint().toString());
        // EmbeddedSqs.workerEnvironment() turns instance metadata off; this stand-in is the metadata service.
        env.put("AWS_EC2_METADATA_DISABLED", "false");
        env.put("AWS_ENDPOINT_URL_AUTO_SCALING", endpoint().toString());
        env.put("AWS_ENDPOINT_URL_CLOUDWATCH", endpoint().toString());
        env.put("AWS_ENDPOINT_URL_SSM", endpoint().toString());
        return env;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void route(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = readBody(exchange);
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/latest/")) {
                metadata.handle(exchange);
            } else if (path.startsWith("/local/")) {
                control.handle(exchange, body);
            } else if (exchange.getRequestHeaders().getFirst("X-Amz-Target") != null) {
                ssm.handle(exchange, body);
            } else if ("POST".equals(exchange.getRequestMethod())) {
                Map<String, String> form = parseForm(new String(body, StandardCharsets.UTF_8));
                String version = form.getOrDefault("Version", "");
                if (version.equals(FakeAutoScaling.API_VERSION)) {
                    autoScaling.handle(exchange, form);
                } else if (version.equals(FakeCloudWatch.API_VERSION)) {
                    cloudWatch.handle(exchange, form);
                } else {
                    Http.send(exchange, 400, "text/plain", "unknown API version " + version + "\n");
                }
            } else {
                Http.send(exchange, 404, "text/plain", "not found\n");
            }
        } catch (RuntimeException e) {
            Http.send(exchange, 500, "text/plain", e.toString() + "\n");
        }
    }

    private static byte[] readBody(HttpExchange exchange) throws IOException {
        InputStream in = exchange.getRequestBody();
        String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        // CloudWatch PutMetricData bodies are gzip-compressed by the SDK once they pass 10 KiB.
        if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("gzip")) {
            in = new GZIPInputStream(in);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    static Map<String, String> parseForm(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            form.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return form;
    }
}
