package dev.longshore.core.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;

class CachedCredentialsTest {
    private static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
    private final AtomicReference<Instant> now = new AtomicReference<>(T0);
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    @Test
    void theProviderIsAskedAtMostOnceASecond() {
        AtomicInteger asked = new AtomicInteger();
        CachedCredentials cached = new CachedCredentials(() -> {
            asked.incrementAndGet();
            return (AwsCredentials) software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("AK" + asked.get(), "SK");
        }, clock);
        assertEquals("AK1", cached.get().accessKeyId());
        now.set(T0.plusMillis(999));
        assertEquals("AK1", cached.get().accessKeyId());
        now.set(T0.plus(CachedCredentials.REFRESH));
        assertEquals("AK2", cached.get().accessKeyId());
        assertEquals(2, asked.get());
    }

    @Test
    void temporaryCredentialsAreNeverUsedPastTheirExpiry() {
        AtomicInteger asked = new AtomicInteger();
        CachedCredentials cached = new CachedCredentials(() -> AwsSessionCredentials.builder().accessKeyId("AK" + asked.incrementAndGet())
                .secretAccessKey("SK").sessionToken("TOKEN").expirationTime(T0.plusMillis(200)).build(), clock);
        assertEquals("TOKEN", cached.get().sessionToken());
        now.set(T0.plusMillis(200));
        assertEquals("AK2", cached.get().accessKeyId());
    }

    @Test
    void noCredentialsIsAnUnavailableQueueNamingTheProblem() {
        CachedCredentials cached = new CachedCredentials(() -> {
            throw SdkClientException.create("Unable to load credentials from any of the providers in the chain");
        }, clock);
        QueueUnavailableException e = assertThrows(QueueUnavailableException.class, cached::get);
        assertTrue(e.getMessage().startsWith("no AWS credentials to sign SQS calls with: Unable to load credentials"),
                e.getMessage());
        assertEquals(Duration.ofSeconds(1), CachedCredentials.REFRESH);
    }
}
