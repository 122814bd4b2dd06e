package dev.longshore.core.queue;

import dev.longshore.core.queue.wire.SigningCredentials;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * The credentials SQS calls are signed with, asked of the SDK's provider at most once a {@link #REFRESH} and never
 * kept past their own expiry. The default chain reads the environment on every call, which cost a twentieth of a
 * busy worker's CPU (README: Performance); the providers still refresh temporary credentials themselves.
 */
final class CachedCredentials implements Supplier<SigningCredentials> {
    static final Duration REFRESH = Duration.ofSeconds(1);

    private final AwsCredentialsProvider provider;
    private final Clock clock;
    private volatile Held held;

    private record Held(SigningCredentials credentials, Instant until) {
    }

    CachedCredentials(AwsCredentialsProvider provider, Clock clock) {
        this.provider = provider;
        this.clock = clock;
    }

    @Override
    public SigningCredentials get() {
        Instant now = clock.instant();
        Held h = held;
        if (h != null && now.isBefore(h.until())) {
            return h.credentials();
        }
        AwsCredentialsIdentity id;
        try {
            id = provider.resolveCredentials();
        } catch (RuntimeException e) {
            throw new QueueUnavailableException("no AWS credentials to sign SQS calls with: " + e.getMessage(), e);
        }
        String token = id instanceof AwsSessionCredentialsIdentity s ? s.sessionToken() : null;
        SigningCredentials credentials = new SigningCredentials(id.accessKeyId(), id.secretAccessKey(), token);
        Instant until = now.plus(REFRESH);
        if (id.expirationTime().isPresent() && id.expirationTime().get().isBefore(until)) {
            until = id.expirationTime().get();
        }
        held = new Held(credentials, until);
        return credentials;
    }
}
