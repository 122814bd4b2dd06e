package dev.longshore.core.queue.wire;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 for the worker's SQS calls (README: Performance): POST requests with a small JSON body
 * and no query string. The derived signing key is kept for its day, so a request costs two SHA-256 digests and
 * one HMAC besides the key derivation SigV4 needs once per day, region and secret. Checked against the AWS
 * SDK's own signer in SigV4SignerTest.
 */
final class SigV4Signer {
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();
    private static final String HMAC_SHA256 = "HmacSHA256";
    /** One per thread: signing runs on the pollers, the acknowledgers and the heartbeat at once. */
    private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(SigV4Signer::newMac);

    private final String region;
    private final String service;
    private volatile SigningKey key;

    private record SigningKey(String secret, String date, byte[] bytes) {
    }

    SigV4Signer(String region, String service) {
        this.region = region;
        this.service = service;
    }

    /**
     * The headers to add to a request: {@code X-Amz-Date}, {@code X-Amz-Security-Token} for temporary credentials,
     * {@code X-Amz-Content-Sha256} and {@code Authorization}, covering {@code host}, the given headers and those.
     *
     * @param host  the Host header as sent: host, then {@code :port} unless the scheme's default port
     * @param path  the request path, already URI-encoded ("/" when empty)
     */
    Map<String, String> sign(String host, String path, Map<String, String> headers, byte[] body, SigningCredentials credentials,
                             Instant now) {
        String amzDate = AMZ_DATE.format(now);
        String date = amzDate.substring(0, 8);
        TreeMap<String, String> signed = new TreeMap<>();
        headers.forEach((name, value) -> signed.put(name.toLowerCase(java.util.Locale.ROOT), value.trim()));
        String payloadHash = HEX.formatHex(sha256(body));
        signed.put("host", host);
        // Signed as the AWS SDK's signer signs it, so the two stay comparable (SigV4SignerTest).
        signed.put("x-amz-content-sha256", payloadHash);
        signed.put("x-amz-date", amzDate);
        if (credentials.sessionToken() != null) {
            signed.put("x-amz-security-token", credentials.sessionToken());
        }
        StringBuilder canonical = new StringBuilder(256).append("POST\n").append(path).append("\n\n");
        StringBuilder names = new StringBuilder(96);
        for (var h : signed.entrySet()) {
            canonical.append(h.getKey()).append(':').append(h.getValue()).append('\n');
            names.append(names.isEmpty() ? "" : ";").append(h.getKey());
        }
        canonical.append('\n').append(names).append('\n').append(payloadHash);
        String scope = date + "/" + region + "/" + service + "/aws4_request";
        String toSign = ALGORITHM + "\n" + amzDate + "\n" + scope + "\n"
                + HEX.formatHex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        String signature = HEX.formatHex(hmac(signingKey(credentials.secretAccessKey(), date), toSign));
        Map<String, String> out = new java.util.LinkedHashMap<>();
        out.put("X-Amz-Content-Sha256", payloadHash);
        out.put("X-Amz-Date", amzDate);
        if (credentials.sessionToken() != null) {
            out.put("X-Amz-Security-Token", credentials.sessionToken());
        }
        out.put("Authorization", ALGORITHM + " Credential=" + credentials.accessKeyId() + "/" + scope
                + ", SignedHeaders=" + names + ", Signature=" + signature);
        return out;
    }

    private byte[] signingKey(String secret, String date) {
        SigningKey k = key;
        if (k != null && k.date().equals(date) && k.secret().equals(secret)) {
            return k.bytes();
        }
        byte[] bytes = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        bytes = hmac(bytes, region);
        bytes = hmac(bytes, service);
        bytes = hmac(bytes, "aws4_request");
        key = new SigningKey(secret, date, bytes);
        return bytes;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = HMAC.get();
            mac.init(new SecretKeySpec(key, HMAC_SHA256));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 refused a key", e);
        }
    }

    /**
     * The JDK's own provider first: a lookup by algorithm alone instantiates every provider ahead of it (TLS,
     * X.509: about 140 classes a worker would load at start-up for nothing). Another JDK's layout, e.g. a FIPS
     * provider list, falls back to the plain lookup.
     */
    private static Mac newMac() {
        try {
            return Mac.getInstance(HMAC_SHA256, "SunJCE");
        } catch (java.security.NoSuchProviderException | NoSuchAlgorithmException e) {
            try {
                return Mac.getInstance(HMAC_SHA256);
            } catch (NoSuchAlgorithmException none) {
                throw new IllegalStateException("this JVM has no HmacSHA256", none);
            }
        }
    }
}
