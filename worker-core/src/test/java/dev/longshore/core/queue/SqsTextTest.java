package dev.longshore.core.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SqsTextTest {

    private static void assertAcceptedBySqs(String s) {
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            assertTrue(SqsText.allowed(cp), "refused code point U+" + Integer.toHexString(cp) + " in " + s);
            assertTrue(!Character.isSurrogate((char) cp), "lone surrogate in " + s);
            i += Character.charCount(cp);
        }
    }

    @Test
    void charactersSqsRefusesAreEscapedAndTheRestKept() {
        String text = "jobId 'a\u0000b\u0001c\uD800d\uDC00e\uFFFEf' \t\n\r caf\u00e9 \uD83D\uDE00";
        String value = SqsText.attributeValue(text, 1024, "-");
        assertEquals("jobId 'a\\u0000b\\u0001c\\uD800d\\uDC00e\\uFFFEf' \t\n\r caf\u00e9 \uD83D\uDE00", value);
        assertAcceptedBySqs(value);
    }

    @Test
    void longTextIsCutOnACodePointWithinTheByteLimit() {
        String text = "\uD83D\uDE00".repeat(1000); // 4 UTF-8 bytes each
        String value = SqsText.attributeValue(text, 1024, "-");
        assertTrue(value.endsWith("..."), value);
        assertTrue(value.getBytes(StandardCharsets.UTF_8).length <= 1024);
        assertAcceptedBySqs(value);
        assertEquals(255 * 2 + 3, value.length(), "255 whole emoji and the ellipsis");
        String escapes = "\u0000".repeat(1000);
        String cut = SqsText.attributeValue(escapes, 100, "-");
        assertEquals("\\u0000".repeat(16) + "...", cut, "an escape is never cut in half");
    }

    @Test
    void emptyTextBecomesTheFallbackSinceSqsRefusesEmptyValues() {
        assertEquals("(none)", SqsText.attributeValue("", 100, "(none)"));
        assertEquals("(none)", SqsText.attributeValue(null, 100, "(none)"));
        assertEquals("short", SqsText.attributeValue("short", 100, "(none)"));
    }
}
