package dev.longshore.core.queue.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/** Our signature must be the one the AWS SDK's SigV4 signer computes for the same request, or SQS refuses the call. */
class SigV4SignerTest {
    private static final Instant NOW = Instant.parse("2026-11-26T17:04:05Z");

    @ParameterizedTest(name = "{0} with session token: {1}")
    @CsvSource({
            "https://sqs.eu-west-1.amazonaws.com, false, eu-west-1",
            "https://sqs.eu-west-1.amazonaws.com, true, eu-west-1",
            "http://127.0.0.1:9324, false, us-east-1",
            "http://localhost:4566/, true, us-east-1",
    })
    void signsExactlyAsTheAwsSdkSignerDoes(String endpoint, boolean session, String region) {
        URI uri = URI.create(endpoint);
        byte[] body = "{\"QueueUrl\":\"https://sqs/123/q\",\"MaxNumberOfMessages\":10,\"Body\":\"caf\u00e9\"}"
                .getBytes(StandardCharsets.UTF_8);
        String token = session ? "FwoGZXIvYXdzEBYaDH+token/with==" : null;
        Map<String, String> headers = Map.of("Content-Type", "application/x-amz-json-1.0",
                "X-Amz-Target", "AmazonSQS.ReceiveMessage");
        String host = uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());

        Map<String, String> ours = new SigV4Signer(region, "sqs").sign(host, "/", headers, body,
                new SigningCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", token), NOW);

        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri.resolve("/"));
        headers.forEach(request::putHeader);
        AwsCredentialsIdentity identity = session
                ? AwsSessionCredentialsIdentity.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", token)
                : AwsCredentialsIdentity.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        SignedRequest sdk = AwsV4HttpSigner.create().sign(r -> r.identity(identity).request(request.build())
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sqs")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(NOW, ZoneOffset.UTC)));

        assertEquals(sdk.request().firstMatchingHeader("Authorization").orElseThrow(), ours.get("Authorization"));
        assertEquals(sdk.request().firstMatchingHeader("X-Amz-Date").orElseThrow(), ours.get("X-Amz-Date"));
        assertEquals(sdk.request().firstMatchingHeader("X-Amz-Security-Token"),
                java.util.Optional.ofNullable(ours.get("X-Amz-Security-Token")));
    }

    @ParameterizedTest(name = "a new {0} derives a new signing key")
    @CsvSource({"day", "secret"})
    void aNewDayOrANewSecretIsSignedWithItsOwnKey(String change) {
        SigV4Signer signer = new SigV4Signer("us-east-1", "sqs");
        SigningCredentials first = new SigningCredentials("AK", "secret-1", null);
        Map<String, String> headers = Map.of("X-Amz-Target", "AmazonSQS.DeleteMessageBatch");
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        String before = signer.sign("h", "/", headers, body, first, NOW).get("Authorization");
        String after = change.equals("day")
                ? signer.sign("h", "/", headers, body, first, NOW.plusSeconds(86_400)).get("Authorization")
                : signer.sign("h", "/", headers, body, new SigningCredentials("AK", "secret-2", null), NOW).get("Authorization");
        SigV4Signer fresh = new SigV4Signer("us-east-1", "sqs");
        String expected = change.equals("day")
                ? fresh.sign("h", "/", headers, body, first, NOW.plusSeconds(86_400)).get("Authorization")
                : fresh.sign("h", "/", headers, body, new SigningCredentials("AK", "secret-2", null), NOW).get("Authorization");
        assertFalse(before.equals(after));
        assertEquals(expected, after);
    }
}
