package dev.longshore.core.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobEnvelopeTest {
    @Test
    void decimalsInThePayloadKeepTheFormTheMessageWrote() throws Exception {
        Job job = JobEnvelope.parse("{\"jobId\": \"j\", \"type\": \"t\", \"payload\": {\"a\": 0.0001, \"b\": 2.50, "
                + "\"c\": 4.0, \"d\": 1e3, \"e\": 7}}", Set.of("t"), 1, "m", Optional.empty());
        assertEquals("0.0001", job.payload().get("a").decimalValue().toPlainString());
        assertEquals("2.50", job.payload().get("b").decimalValue().toPlainString());
        assertEquals("4.0", job.payload().get("c").decimalValue().toPlainString());
        assertEquals("1000", job.payload().get("d").decimalValue().toPlainString());
        assertEquals(7, job.payload().get("e").intValue());
        assertEquals(0.0001, job.payload().get("a").asDouble());
    }
}
