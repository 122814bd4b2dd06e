package dev.longshore.testkit.aws;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * Base of the tests that drive one fake through the real SDK client: a fresh server and client per test, so no
 * test sees another's calls or injected failures.
 */
abstract class FakeAwsClientTest<C extends SdkAutoCloseable> {
    protected FakeAws aws;
    protected C client;

    /** The client under test, built on {@code aws}; {@link #on} does the pointing. */
    protected abstract C newClient();

    /** {@code builder} pointed at the fake, with at most {@code maxAttempts} attempts per call. */
    protected <B extends AwsClientBuilder<B, C>> C on(B builder, int maxAttempts) {
        return aws.configure(builder).overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(maxAttempts)))
                .build();
    }

    @BeforeEach
    void startFakeAndClient() {
        aws = FakeAws.start();
        client = newClient();
    }

    @AfterEach
    void closeClientAndFake() {
        client.close();
        aws.close();
    }
}
