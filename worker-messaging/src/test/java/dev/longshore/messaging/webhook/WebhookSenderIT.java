package dev.longshore.messaging.webhook;

import dev.longshore.testkit.EmbeddedSqs;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longshore.core.job.Job;
import dev.longshore.core.job.JobFailure;
import dev.longshore.core.job.PermanentFailure;
import dev.longshore.core.job.RetryableFailure;
import dev.longshore.core.metrics.Metrics;
import dev.longshore.core.http.HostResolver;
import dev.longshore.core.http.PrivateDestinations;
import dev.longshore.core.http.SocketConnector;
import dev.longshore.testkit.WebhookReceiver;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookSenderIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The local receiver listens on loopback, which is refused unless listed (README: Security). */
    private static final PrivateDestinations RECEIVER_LISTED = PrivateDestinations.parse("127.0.0.1");
    private WebhookReceiver receiver;
    private WebhookSender sender;

    @BeforeEach
    void start() throws Exception {
        receiver = WebhookReceiver.start();
        sender = new WebhookSender(new WebhookSettings(Duration.ofSeconds(1), Set.of(), 0, 5), RECEIVER_LISTED);
    }

    @AfterEach
    void stop() {
        sender.close();
        receiver.close();
    }

    private Job job(String url, String extra) throws Exception {
        ObjectNode payload = (ObjectNode) JSON.readTree("{\"url\":\"" + url + "\"" + extra + "}");
        return new Job("hook-1", "notify.webhook", payload, 1, "m-1", Optional.empty());
    }

    @Test
    void deliversJsonBodyWithHeadersAndTheJobId() throws Exception {
        sender.deliver(job(receiver.url("/ok"), ",\"headers\":{\"X-Tenant\":\"acme\"},\"body\":{\"event\":\"paid\"}"));
        WebhookReceiver.Delivery d = receiver.deliveries().get(0);
        assertEquals("POST", d.method());
        assertEquals("{\"event\":\"paid\"}", d.body());
        assertEquals("application/json", d.header("Content-Type"));
        assertEquals("acme", d.header("X-Tenant"));
        assertEquals("hook-1", d.header("X-Longshore-Job-Id"));
    }

    @Test
    void statusClassesMapToRetryOrPermanentFailure() throws Exception {
        for (int status : List.of(500, 502, 503, 408, 429)) {
            JobFailure f = assertThrows(RetryableFailure.class, () -> sender.deliver(job(receiver.url("/status/" + status), "")));
            assertEquals("webhook_http_" + status, f.code());
        }
        RetryableFailure throttled = assertThrows(RetryableFailure.class, () -> sender.deliver(job(receiver.url("/status/429"), "")));
        assertEquals(Optional.of(Duration.ofSeconds(1)), throttled.retryAfter(), "Retry-After is honoured");
        for (int status : List.of(400, 401, 404, 410, 422)) {
            JobFailure f = assertThrows(PermanentFailure.class, () -> sender.deliver(job(receiver.url("/status/" + status), "")));
            assertEquals("webhook_http_" + status, f.code());
        }
    }

    @Test
    void slowReceiverIsATimeoutAndRetryable() throws Exception {
        RetryableFailure f = assertThrows(RetryableFailure.class, () -> sender.deliver(job(receiver.url("/slow/3000"), "")));
        assertEquals("webhook_timeout", f.code());
    }

    @Test
    void connectionRefusedIsRetryable() throws Exception {
        int closed = dev.longshore.testkit.EmbeddedSqs.freePort();
        RetryableFailure f = assertThrows(RetryableFailure.class,
                () -> sender.deliver(job("http://127.0.0.1:" + closed + "/x", "")));
        assertEquals("webhook_connection", f.code());
    }

    @Test
    void getRedirectsAreFollowedAndCheckedAgain() throws Exception {
        String target = URLEncoder.encode(receiver.url("/final"), StandardCharsets.UTF_8);
        assertDoesNotThrow(() -> sender.deliver(job(receiver.url("/redirect?to=" + target), ",\"method\":\"GET\"")));
        assertEquals("/final", receiver.deliveries().get(1).path());
        assertEquals("GET", receiver.deliveries().get(1).method());
    }

    @Test
    void postRedirectedWith302FailsPermanentlyInsteadOfBecomingAGet() throws Exception {
        String target = URLEncoder.encode(receiver.url("/final"), StandardCharsets.UTF_8);
        PermanentFailure f = assertThrows(PermanentFailure.class,
                () -> sender.deliver(job(receiver.url("/redirect?to=" + target), ",\"body\":\"hi\"")));
        assertEquals("webhook_redirected", f.code());
        assertEquals(1, receiver.deliveries().size(), "the redirect was not followed");
    }

    @Test
    void loopbackReceiverIsRefusedUnlessListedInPrivateDestinations() throws Exception {
        try (WebhookSender unlisted = new WebhookSender(new WebhookSettings(Duration.ofSeconds(1), Set.of(), 0, 5),
                PrivateDestinations.none())) {
            PermanentFailure f = assertThrows(PermanentFailure.class,
                    () -> unlisted.deliver(job(receiver.url("/ok/T000/B000/xoxb-secret?token=abc"), "")));
            assertEquals("webhook_forbidden_address", f.code());
            assertTrue(f.reason().contains("loopback"), f.reason());
            assertFalse(f.reason().contains("xoxb") || f.reason().contains("token"), f.reason());
        }
        assertTrue(receiver.deliveries().isEmpty());
    }

    @Test
    void allowListedHostNameMayBePrivateButNotTheMetadataAddress() throws Exception {
        HostResolver dns = host -> List.of(InetAddress.getByName(host.equals("hooks.internal") ? "127.0.0.1" : "169.254.169.254"));
        WebhookSettings allowed = new WebhookSettings(Duration.ofSeconds(1), Set.of("hooks.internal", "meta.internal"), 0, 5);
        try (WebhookSender s = new WebhookSender(allowed, PrivateDestinations.none(), dns,
                SocketConnector.withDefaultTrust(), java.time.Clock.systemUTC())) {
            String port = String.valueOf(java.net.URI.create(receiver.url("/")).getPort());
            assertDoesNotThrow(() -> s.deliver(job("http://hooks.internal:" + port + "/ok", "")));
            PermanentFailure f = assertThrows(PermanentFailure.class,
                    () -> s.deliver(job("http://meta.internal/latest/meta-data/", "")));
            assertEquals("webhook_forbidden_address", f.code());
        }
    }

    @Test
    void failureReasonsShowTheOriginButNeverThePathOrQuery() throws Exception {
        PermanentFailure f = assertThrows(PermanentFailure.class,
                () -> sender.deliver(job(receiver.url("/status/404?token=xoxp-123"), "")));
        assertTrue(f.reason().contains(java.net.URI.create(receiver.url("/")).getAuthority()), f.reason());
        assertFalse(f.reason().contains("/status") || f.reason().contains("xoxp"), f.reason());
    }

    @Test
    void bodyIsSentAsUtf8AndTheWorkerHeadersCannotBeOverridden() throws Exception {
        sender.deliver(job(receiver.url("/ok"), ",\"headers\":{\"user-agent\":\"evil\",\"X-LONGSHORE-JOB-ID\":\"other\"},"
                + "\"body\":\"José\""));
        WebhookReceiver.Delivery d = receiver.deliveries().get(0);
        assertEquals("José", d.body());
        assertEquals(List.of("longshore-worker-messaging"), d.headers().get("User-agent"));
        assertEquals(List.of("hook-1"), d.headers().get("X-longshore-job-id"));
    }

    @Test
    void headerValuesWithControlOrNonLatin1CharactersArePermanent() throws Exception {
        for (String bad : List.of("line\\r\\nInjected: 1", "nul\\u0000", "snow\\u2603")) {
            PermanentFailure f = assertThrows(PermanentFailure.class,
                    () -> sender.deliver(job(receiver.url("/ok"), ",\"headers\":{\"X-A\":\"" + bad + "\"}")), bad);
            assertEquals("invalid_header", f.code(), bad);
        }
        assertTrue(receiver.deliveries().isEmpty());
    }

    @Test
    void retryAfterIsHonouredAsSecondsOrAsAnHttpDate() {
        java.time.Instant now = java.time.Instant.parse("2026-01-01T00:00:00Z");
        assertEquals(Optional.of(Duration.ofSeconds(120)), WebhookSender.retryAfter("120", now));
        assertEquals(Optional.of(Duration.ofSeconds(90)), WebhookSender.retryAfter("Thu, 01 Jan 2026 00:01:30 GMT", now));
        assertEquals(Optional.of(Duration.ZERO), WebhookSender.retryAfter("Wed, 31 Dec 2025 23:00:00 GMT", now));
        assertEquals(Optional.of(Duration.ofHours(12)), WebhookSender.retryAfter("Sat, 01 Jan 2028 00:00:00 GMT", now));
        assertEquals(Optional.empty(), WebhookSender.retryAfter("soon", now));
    }

    @Test
    void redirectToTheMetadataAddressIsRefused() throws Exception {
        String target = URLEncoder.encode("http://169.254.169.254/latest/meta-data/", StandardCharsets.UTF_8);
        PermanentFailure f = assertThrows(PermanentFailure.class,
                () -> sender.deliver(job(receiver.url("/redirect?to=" + target), ",\"method\":\"GET\"")));
        assertEquals("webhook_forbidden_address", f.code());
        assertEquals(1, receiver.deliveries().size());
    }

    @Test
    void redirectToAHostNameResolvingToMetadataIsRefused() throws Exception {
        HostResolver dns = host -> host.equals("metadata.attacker.test")
                ? List.of(InetAddress.getByName("169.254.169.254")) : HostResolver.SYSTEM.resolve(host);
        try (WebhookSender guarded = new WebhookSender(new WebhookSettings(Duration.ofSeconds(1), Set.of(), 0, 5),
                RECEIVER_LISTED, dns, SocketConnector.withDefaultTrust(), java.time.Clock.systemUTC())) {
            String target = URLEncoder.encode("http://metadata.attacker.test/latest/", StandardCharsets.UTF_8);
            PermanentFailure f = assertThrows(PermanentFailure.class,
                    () -> guarded.deliver(job(receiver.url("/redirect?to=" + target), ",\"method\":\"GET\"")));
            assertEquals("webhook_forbidden_address", f.code());
        }
    }

    @Test
    void redirectsBeyondTheLimitEndAsPermanentFailure() throws Exception {
        String inner = receiver.url("/redirect?to=" + URLEncoder.encode(receiver.url("/final"), StandardCharsets.UTF_8));
        String outer = receiver.url("/redirect?to=" + URLEncoder.encode(inner, StandardCharsets.UTF_8));
        try (WebhookSender strict = new WebhookSender(new WebhookSettings(Duration.ofSeconds(1), Set.of(), 0, 1),
                RECEIVER_LISTED)) {
            PermanentFailure f = assertThrows(PermanentFailure.class, () -> strict.deliver(job(outer, ",\"method\":\"GET\"")));
            assertEquals("webhook_too_many_redirects", f.code());
        }
        assertTrue(receiver.deliveries().stream().noneMatch(d -> d.path().equals("/final")));
    }

    @Test
    void invalidPayloadsArePermanent() throws Exception {
        for (String bad : List.of("{\"method\":\"POST\"}", "{\"url\":\"not a url\"}", "{\"url\":\"/relative\"}",
                "{\"url\":\"http://127.0.0.1/\",\"method\":\"TRACE\"}",
                "{\"url\":\"http://127.0.0.1/\",\"headers\":{\"Host\":\"evil\"}}")) {
            ObjectNode payload = (ObjectNode) JSON.readTree(bad);
            PermanentFailure f = assertThrows(PermanentFailure.class,
                    () -> sender.deliver(new Job("j", "notify.webhook", payload, 1, "m", Optional.empty())), bad);
            assertEquals("invalid_payload", f.code(), bad);
        }
        assertTrue(receiver.deliveries().isEmpty());
    }
    private static Job attempt(String url, String extra, int receiveCount) throws Exception {
        ObjectNode payload = (ObjectNode) JSON.readTree("{\"url\":\"" + url + "\"" + extra + "}");
        return new Job("order-42", "notify.webhook", payload, receiveCount, "m-1", Optional.empty());
    }

    @Test
    void signedRequestsCarryATimestampedHmacThatAReceiverCanVerify() throws Exception {
        String secret = "whsec_0123456789abcdef0123456789abcdef";
        java.time.Instant at = java.time.Instant.parse("2026-03-01T12:00:00Z");
        try (WebhookSender signed = new WebhookSender(new WebhookSettings(Duration.ofSeconds(1), Set.of(), 0, 5)
                .withSigningSecret(secret), RECEIVER_LISTED, HostResolver.SYSTEM, SocketConnector.withDefaultTrust(),
                java.time.Clock.fixed(at, java.time.ZoneOffset.UTC))) {
            signed.deliver(job(receiver.url("/ok"), ",\"body\":{\"amount\":\"12.50 \u20ac\"}"));
        }
        WebhookReceiver.Delivery d = receiver.deliveries().get(0);
        String header = d.header("X-Longshore-Signature");
        assertTrue(header.matches("t=\\d+,v1=[0-9a-f]{64}"), header);
        // What a receiver does (docs/messaging.md: Signing): split, check the age, recompute over "t.body", compare.
        String t = header.substring(2, header.indexOf(','));
        String v1 = header.substring(header.indexOf("v1=") + 3);
        assertEquals(at.getEpochSecond(), Long.parseLong(t));
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = mac.doFinal((t + "." + d.body()).getBytes(StandardCharsets.UTF_8));
        assertTrue(java.security.MessageDigest.isEqual(expected, java.util.HexFormat.of().parseHex(v1)), "signature verifies");
    }

    @Test
    void unsignedUnlessASecretIsSetAndAMessageCannotForgeTheWorkersHeaders() throws Exception {
        sender.deliver(attempt(receiver.url("/ok"), ",\"headers\":{\"X-Longshore-Signature\":\"t=1,v1=00\","
                + "\"Idempotency-Key\":\"mine\",\"X-Longshore-Attempt\":\"1\"}", 3));
        WebhookReceiver.Delivery d = receiver.deliveries().get(0);
        assertEquals(null, d.header("X-Longshore-Signature"));
        assertEquals(List.of("order-42"), d.headers().get("Idempotency-key"));
        assertEquals(List.of("3"), d.headers().get("X-longshore-attempt"), "the attempt is the SQS receive count");
    }

    @Test
    void unknownPayloadFieldsAreRefusedByName() throws Exception {
        PermanentFailure f = assertThrows(PermanentFailure.class,
                () -> sender.deliver(job(receiver.url("/ok"), ",\"timeout\":5")));
        assertEquals("invalid_payload", f.code());
        assertTrue(f.reason().contains("'timeout'"), f.reason());
        assertTrue(receiver.deliveries().isEmpty());
    }

    @Test
    void aReceiverThatOnlySpeaksHttp2CleartextFailsPermanentlyWithAClearReason() throws Exception {
        byte[] settingsFrame = {0, 0, 6, 0x4, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 100};
        try (java.net.ServerSocket h2c = new java.net.ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            Thread server = Thread.ofVirtual().name("h2c-receiver").start(() -> {
                try (java.net.Socket s = h2c.accept()) {
                    s.getOutputStream().write(settingsFrame);
                    s.getOutputStream().flush();
                    s.getInputStream().readNBytes(1 << 16);
                } catch (java.io.IOException closed) {
                    // the worker hung up, as it should
                }
            });
            Metrics metrics = new Metrics();
            try (WebhookSender s = new WebhookSender(new WebhookSettings(Duration.ofSeconds(5), Set.of(), 0, 5),
                    RECEIVER_LISTED, metrics)) {
                PermanentFailure f = assertThrows(PermanentFailure.class,
                        () -> s.deliver(job("http://127.0.0.1:" + h2c.getLocalPort() + "/grpc", ",\"body\":{}")));
                assertEquals("webhook_protocol_error", f.code());
                assertTrue(f.reason().contains("HTTP/2 cleartext") && f.reason().contains("not supported"), f.reason());
            }
            server.join(5000);
            assertTrue(metrics.prometheusText().contains("longshore_webhook_requests_total{outcome=\"connection\"} 1"));
        }
    }

    @Test
    void requestsAreCountedByOutcomeKindWithEveryKindExportedFromTheStart() throws Exception {
        Metrics metrics = new Metrics();
        try (WebhookSender s = new WebhookSender(new WebhookSettings(Duration.ofSeconds(1), Set.of(), 0, 5),
                RECEIVER_LISTED, metrics)) {
            String text = metrics.prometheusText();
            for (String kind : WebhookMetrics.OUTCOMES) {
                assertTrue(text.contains("longshore_webhook_requests_total{outcome=\"" + kind + "\"} 0"), kind + "\n" + text);
            }
            s.deliver(job(receiver.url("/ok"), ""));
            assertThrows(PermanentFailure.class, () -> s.deliver(job(receiver.url("/status/404"), "")));
            assertThrows(RetryableFailure.class, () -> s.deliver(job(receiver.url("/status/503"), "")));
            assertThrows(RetryableFailure.class, () -> s.deliver(job(receiver.url("/slow/3000"), "")));
            assertThrows(PermanentFailure.class, () -> s.deliver(job("http://169.254.169.254/", "")));
            String target = URLEncoder.encode(receiver.url("/final"), StandardCharsets.UTF_8);
            assertThrows(PermanentFailure.class, () -> s.deliver(job(receiver.url("/redirect?to=" + target), ",\"body\":\"x\"")));
        }
        String text = metrics.prometheusText();
        for (String kind : List.of("2xx", "3xx", "4xx", "5xx", "timeout", "refused")) {
            assertTrue(text.contains("longshore_webhook_requests_total{outcome=\"" + kind + "\"} 1"), kind + "\n" + text);
        }
    }

    @Test
    void aJobWaitsForItsTurnAndTheRequestTimeoutStartsAfterTheWait() throws Exception {
        Metrics metrics = new Metrics();
        // 2 per second: the 3rd and 4th request wait 500 ms each, longer than the 300 ms request timeout.
        try (WebhookSender limited = new WebhookSender(new WebhookSettings(Duration.ofMillis(300), Set.of(), 2, 5),
                RECEIVER_LISTED, metrics)) {
            for (int i = 0; i < 4; i++) {
                assertDoesNotThrow(() -> limited.deliver(job(receiver.url("/ok"), "")));
            }
        }
        assertEquals(4, receiver.deliveries().size());
        assertTrue(metrics.prometheusText().contains("longshore_webhook_requests_total{outcome=\"rate_limited_wait\"} 2"),
                metrics.prometheusText());
    }

    @Test
    void aTurnFurtherAwayThanTheWaitBudgetGivesTheMessageBackForThatLong() throws Exception {
        try (WebhookSender limited = new WebhookSender(new WebhookSettings(Duration.ofSeconds(1), Set.of(), 0.2, 5)
                .withRateLimitWait(Duration.ofSeconds(1)), RECEIVER_LISTED)) {
            limited.deliver(job(receiver.url("/ok"), ""));
            RetryableFailure f = assertThrows(RetryableFailure.class, () -> limited.deliver(job(receiver.url("/ok"), "")));
            assertEquals("webhook_rate_limited", f.code());
            assertTrue(f.retryAfter().orElseThrow().toSeconds() >= 4, f.retryAfter().toString());
            assertTrue(f.reason().contains("WORKER_WEBHOOK_RATE_LIMIT"), f.reason());
        }
        assertEquals(1, receiver.deliveries().size());
    }
}
