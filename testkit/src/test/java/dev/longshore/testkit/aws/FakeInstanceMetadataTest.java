package dev.longshore.testkit.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.longshore.testkit.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeInstanceMetadataTest {
    private FakeAws aws;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() {
        aws = FakeAws.start();
    }

    @AfterEach
    void tearDown() {
        http.close();
        aws.close();
    }

    private HttpResponse<String> token(int ttlSeconds) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(aws.endpoint() + "/latest/api/token"))
                .header(FakeInstanceMetadata.TTL_HEADER, String.valueOf(ttlSeconds))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private int read(String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(aws.endpoint() + "/latest/meta-data/instance-id"))
                .header(FakeInstanceMetadata.TOKEN_HEADER, token).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void injectedServerErrorsAnswerTheNextRequestsThenTheServiceRecovers() throws Exception {
        aws.metadata().failNext(2, 500);
        assertEquals(500, token(60).statusCode());
        assertEquals(500, token(60).statusCode());
        HttpResponse<String> ok = token(60);
        assertEquals(200, ok.statusCode());
        assertEquals(200, read(ok.body()));
        assertEquals(2, aws.metadata().serviceErrorsAnswered());
    }

    @Test
    void aRestartAnswers503UntilItEndsAndTheCountCoversBothKindsOfError() throws Exception {
        aws.metadata().failNext(1, 500);
        aws.metadata().serviceErrors(true);
        HttpResponse<String> first = token(60);
        assertEquals(500, first.statusCode(), "the one-off error comes first");
        assertEquals("Internal Server Error\n", first.body());
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> down = token(60);
            assertEquals(503, down.statusCode());
            assertEquals("Service Unavailable\n", down.body());
        }
        aws.metadata().serviceErrors(false);
        assertEquals(200, token(60).statusCode());
        assertEquals(4, aws.metadata().serviceErrorsAnswered());
    }

    @Test
    void tokensExpireOnTheServiceClockAndTtlsOutsideOneTo21600AreRefused() throws Exception {
        MutableClock clock = MutableClock.atEpoch();
        aws.metadata().useClock(clock);
        String token = token(60).body();
        assertEquals(200, read(token));
        clock.advance(Duration.ofSeconds(60));
        assertEquals(401, read(token));
        assertEquals(400, token(0).statusCode());
        assertEquals(400, token(21_601).statusCode());
    }
}
