package dev.longshore.core.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLineEncoderTest {
    @Test
    void durationMsIsANumberOnlyWhenItIsAnInteger() throws Exception {
        assertTrue(JsonLineEncoder.isLong("42"));
        assertTrue(JsonLineEncoder.isLong("-7"));
        assertTrue(JsonLineEncoder.isLong("123456789012345678"));
        assertFalse(JsonLineEncoder.isLong("1234567890123456789"));
        assertFalse(JsonLineEncoder.isLong(""));
        assertFalse(JsonLineEncoder.isLong("-"));
        assertFalse(JsonLineEncoder.isLong("4.2"));
        assertFalse(JsonLineEncoder.isLong("12a"));

        JsonNode line = encode(Map.of("durationMs", "1500", "jobId", "j-1"));
        assertTrue(line.get("durationMs").isNumber());
        assertEquals(1500, line.get("durationMs").asLong());
        assertEquals("j-1", line.get("jobId").asText());
        assertTrue(encode(Map.of("durationMs", "soon")).get("durationMs").isTextual());
    }

    private static JsonNode encode(Map<String, String> mdc) throws Exception {
        Logger logger = new LoggerContext().getLogger("dev.longshore.core.runtime.MessageProcessor");
        LoggingEvent event = new LoggingEvent("test", logger, Level.INFO, "job succeeded", null, null);
        event.setMDCPropertyMap(mdc);
        JsonLineEncoder encoder = new JsonLineEncoder();
        byte[] bytes = encoder.encode(event);
        assertEquals('\n', bytes[bytes.length - 1]);
        JsonNode line = new ObjectMapper().readTree(new String(bytes, StandardCharsets.UTF_8));
        assertEquals("MessageProcessor", line.get("logger").asText());
        return line;
    }
}
