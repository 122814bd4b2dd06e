package dev.longshore.messaging.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a webhook so its receiver can tell it came from us and was not replayed later (docs/messaging.md:
 * Signing): {@code X-Longshore-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body bytes>">}, the
 * scheme Stripe and others use. The timestamp is inside the signed text, so it cannot be changed to replay an old
 * delivery; the receiver refuses timestamps outside its tolerance.
 */
final class WebhookSigner {
    static final String HEADER = "X-Longshore-Signature";
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    WebhookSigner(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    /** The header value for {@code body} (empty for a request without one) sent at {@code now}. */
    String sign(Instant now, byte[] body) {
        long t = now.getEpochSecond();
        return "t=" + t + ",v1=" + hmacHex(t, body);
    }

    String hmacHex(long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("the JDK cannot compute " + ALGORITHM, e);
        }
    }
}
