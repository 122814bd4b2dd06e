package dev.longshore.core.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.testkit.MutableClock;
import dev.longshore.testkit.aws.FakeAws;
import dev.longshore.testkit.aws.FakeInstanceMetadata;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** IMDSv2 through the SDK's client against a fake that enforces tokens as EC2 does. */
class ImdsInstanceMetadataTest {
    /** A fake per test: the tests change its tokens and answers. */
    @AutoClose
    private final FakeAws aws = FakeAws.start();
    /** Every test builds one, by {@link #imds} or against a server of its own. */
    @AutoClose
    private ImdsInstanceMetadata imds;

    private ImdsInstanceMetadata imds(Duration tokenTtl) {
        imds = new ImdsInstanceMetadata(Optional.of(aws.endpoint()), tokenTtl);
        return imds;
    }

    @Test
    void oneTokenServesManyReads() throws Exception {
        ImdsInstanceMetadata m = imds(ImdsInstanceMetadata.DEFAULT_TOKEN_TTL);
        for (int i = 0; i < 10; i++) {
            assertEquals(Optional.of("i-0123456789abcdef0"), m.read(InstanceMetadata.INSTANCE_ID));
        }
        assertEquals(1, aws.metadata().tokensIssued());
        assertEquals(10, aws.metadata().reads("instance-id"));
    }

    @Test
    void expiringTokenIsRenewedBeforeTheServiceRefusesIt() throws Exception {
        ImdsInstanceMetadata m = imds(Duration.ofSeconds(1));
        m.read(InstanceMetadata.INSTANCE_ID);
        Thread.sleep(1300);
        assertEquals(Optional.of("InService"), m.read(InstanceMetadata.TARGET_LIFECYCLE_STATE));
        assertEquals(Optional.of("InService"), m.read(InstanceMetadata.TARGET_LIFECYCLE_STATE));
        assertEquals(2, aws.metadata().tokensIssued());
        assertEquals(0, aws.metadata().unauthorized());
    }

    @Test
    void refusedTokenIsReplacedAndTheReadRetried() throws Exception {
        ImdsInstanceMetadata m = imds(ImdsInstanceMetadata.DEFAULT_TOKEN_TTL);
        m.read(InstanceMetadata.INSTANCE_ID);
        aws.metadata().invalidateTokens();

        assertEquals(Optional.of("InService"), m.read(InstanceMetadata.TARGET_LIFECYCLE_STATE));
        assertEquals(1, aws.metadata().unauthorized());
        assertEquals(2, aws.metadata().tokensIssued());
    }

    @Test
    void tokenThatExpiresSoonerThanAskedIsRecoveredFromItsFirst401() throws Exception {
        MutableClock serviceClock = MutableClock.atEpoch();
        aws.metadata().useClock(serviceClock);
        aws.metadata().capTokenTtl(Duration.ofSeconds(1));
        ImdsInstanceMetadata m = imds(ImdsInstanceMetadata.DEFAULT_TOKEN_TTL);
        m.read(InstanceMetadata.INSTANCE_ID);
        serviceClock.advance(Duration.ofMillis(1200));

        assertEquals(Optional.of("i-0123456789abcdef0"), m.read(InstanceMetadata.INSTANCE_ID));
        assertEquals(1, aws.metadata().unauthorized());
        assertEquals(2, aws.metadata().tokensIssued());
    }

    @Test
    void pathWithoutAValueReadsAsEmpty() throws Exception {
        assertEquals(Optional.empty(), imds(ImdsInstanceMetadata.DEFAULT_TOKEN_TTL).read(InstanceMetadata.SPOT_INSTANCE_ACTION));
        aws.metadata().set(FakeInstanceMetadata.SPOT_ACTION, "{\"action\":\"stop\"}");
        assertEquals(Optional.of("{\"action\":\"stop\"}"), imds.read(InstanceMetadata.SPOT_INSTANCE_ACTION));
    }

    @Test
    void serviceThatNeverAnswersIsUnavailableWithinTheProbeBound() throws Exception {
        try (Blackhole hole = new Blackhole()) {
            imds = new ImdsInstanceMetadata(Optional.of(hole.endpoint()), ImdsInstanceMetadata.DEFAULT_TOKEN_TTL);
            long started = System.nanoTime();
            MetadataUnavailableException e = assertThrows(MetadataUnavailableException.class,
                    () -> imds.read(InstanceMetadata.INSTANCE_ID));
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(millis >= 900 && millis < 2500, "gave up after " + millis + " ms");
            assertTrue(e.getMessage().contains(hole.endpoint().toString()), e.getMessage());
            assertTrue(!e.answered(), "silence is not an answer");
        }
    }

    @Test
    void serverErrorIsUnavailableButCountsAsAnAnswer() throws Exception {
        aws.metadata().serviceErrors(true);
        MetadataUnavailableException e = assertThrows(MetadataUnavailableException.class,
                () -> imds(ImdsInstanceMetadata.DEFAULT_TOKEN_TTL).read(InstanceMetadata.INSTANCE_ID));
        assertTrue(e.answered(), e.getMessage());
        aws.metadata().serviceErrors(false);
        assertEquals(Optional.of("i-0123456789abcdef0"), imds.read(InstanceMetadata.INSTANCE_ID));
    }

    @Test
    void refusedConnectionIsUnavailableAtOnce() throws Exception {
        imds = new ImdsInstanceMetadata(Optional.of(Blackhole.refused()), ImdsInstanceMetadata.DEFAULT_TOKEN_TTL);
        long started = System.nanoTime();
        assertThrows(MetadataUnavailableException.class, () -> imds.read(InstanceMetadata.INSTANCE_ID));
        assertTrue((System.nanoTime() - started) / 1_000_000 < 1000);
    }
}
