package dev.longshore.video.result;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longshore.core.config.ConfigException;
import dev.longshore.core.config.Env;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

/** Sends result messages to an SQS queue; a FIFO queue gets the job id as group and deduplication id. */
public final class SqsResultSink implements ResultSink {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SqsClient sqs;
    private final String queueUrl;
    private final boolean fifo;

    public SqsResultSink(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.fifo = queueUrl.endsWith(".fifo");
    }

    /** A client configured like the core's: AWS_ENDPOINT_URL_SQS / AWS_ENDPOINT_URL and AWS_REGION from the env. */
    public static SqsResultSink create(String queueUrl, Env env) {
        SqsClientBuilder b = SqsClient.builder().httpClient(UrlConnectionHttpClient.builder()
                .socketTimeout(Duration.ofSeconds(30)).connectionTimeout(Duration.ofSeconds(10)).build());
        env.string("AWS_ENDPOINT_URL_SQS").or(() -> env.string("AWS_ENDPOINT_URL")).ifPresent(e -> {
            try {
                b.endpointOverride(URI.create(e));
            } catch (IllegalArgumentException ex) {
                throw ConfigException.invalid("AWS_ENDPOINT_URL_SQS", e, "an http(s) URL");
            }
        });
        env.string("AWS_REGION").ifPresent(r -> b.region(Region.of(r)));
        return new SqsResultSink(b.build(), queueUrl);
    }

    @Override
    public void send(String jobId, ObjectNode result) throws Exception {
        String body = JSON.writeValueAsString(result);
        String status = result.path("status").asText("ended");
        sqs.sendMessage(b -> {
            b.queueUrl(queueUrl).messageBody(body);
            if (fifo) {
                b.messageGroupId(jobId).messageDeduplicationId(jobId + "-" + status);
            }
        });
    }

    @Override
    public void close() {
        sqs.close();
    }
}
