package dev.longshore.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RecentJobsTest {

    @Test
    void aFinishedJobIdIsARedeliveryOnlyWithTheSameBody() {
        RecentJobs recent = new RecentJobs(10);
        String body = "{\"jobId\":\"a\",\"type\":\"t\",\"payload\":{\"n\":1}}";
        assertEquals(RecentJobs.Seen.NEW, recent.check("a", body));
        recent.add("a", body);
        assertEquals(RecentJobs.Seen.SAME_BODY, recent.check("a", body));
        assertEquals(RecentJobs.Seen.DIFFERENT_BODY, recent.check("a", body.replace("1", "2")));
        assertEquals(RecentJobs.Seen.NEW, recent.check("b", body));
    }

    @Test
    void bodiesDifferingOnlyInInvalidTextStillDiffer() {
        RecentJobs recent = new RecentJobs(10);
        recent.add("a", "x\uD800");
        assertEquals(RecentJobs.Seen.DIFFERENT_BODY, recent.check("a", "x\uD801"));
    }

    @Test
    void theOldestIsForgottenPastCapacity() {
        RecentJobs recent = new RecentJobs(2);
        recent.add("a", "1");
        recent.add("b", "2");
        recent.add("c", "3");
        assertEquals(RecentJobs.Seen.NEW, recent.check("a", "1"));
        assertEquals(RecentJobs.Seen.SAME_BODY, recent.check("c", "3"));
    }
}
