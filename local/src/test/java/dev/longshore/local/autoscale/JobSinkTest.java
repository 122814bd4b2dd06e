package dev.longshore.local.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobSinkTest {
    private static int post(HttpClient http, String url, String jobId) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("X-Longshore-Job-Id", jobId)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void holdsEachJobForItsProcessingTimeAndRecordsItByJobId() throws Exception {
        FleetClock clock = FleetClock.system();
        try (JobSink sink = JobSink.start(clock); HttpClient http = HttpClient.newHttpClient()) {
            assertEquals(200, post(http, sink.url("job-1", 0.3), "job-1"));
            List<JobSink.Execution> runs = sink.executions().get("job-1");
            assertEquals(1, runs.size());
            double held = runs.get(0).finished() - runs.get(0).started();
            assertTrue(held >= 0.3 && held < 2, "held " + held + " s");
            assertEquals(1, sink.finishedJobs());
            assertEquals(0, sink.running());
        }
    }

    @Test
    void aSecondRequestForOneJobIsCountedAsADuplicate() throws Exception {
        try (JobSink sink = JobSink.start(FleetClock.system()); HttpClient http = HttpClient.newHttpClient()) {
            post(http, sink.url("job-7", 0.001), "job-7");
            post(http, sink.url("job-7", 0.001), "job-7");
            post(http, sink.url("job-8", 0.001), "job-8");
            assertEquals(2, sink.starts().get("job-7"));
            assertEquals(1, sink.starts().get("job-8"));
            assertEquals(2, sink.executions().get("job-7").size());
            assertEquals(2, sink.finishedJobs());
        }
    }
}
