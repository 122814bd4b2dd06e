package dev.longshore.core.queue;

import java.nio.charset.StandardCharsets;

/**
 * Makes any text acceptable to SQS as a message attribute value (README: How a message is handled, permanent
 * failures). SQS accepts only {@code #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF} and
 * refuses the whole SendMessage otherwise, so a reason quoting a hostile body (a NUL in a jobId, a lone
 * surrogate, control characters) would keep a message from ever reaching the dead-letter queue.
 */
public final class SqsText {
    private static final String ELLIPSIS = "...";

    private SqsText() {
    }

    /** Whether SQS accepts this code point in a body or attribute value. */
    public static boolean allowed(int codePoint) {
        return codePoint == 0x9 || codePoint == 0xA || codePoint == 0xD
                || (codePoint >= 0x20 && codePoint <= 0xD7FF)
                || (codePoint >= 0xE000 && codePoint <= 0xFFFD)
                || (codePoint >= 0x10000 && codePoint <= 0x10FFFF);
    }

    /**
     * {@code text} with every character SQS refuses (lone surrogates included) written as {@code \\uXXXX}, cut on
     * a code point boundary so that its UTF-8 form is at most {@code maxBytes} (ending in "..." when cut).
     * Never empty: SQS refuses empty attribute values, so an empty text becomes {@code fallback}.
     */
    public static String attributeValue(String text, int maxBytes, String fallback) {
        if (maxBytes < ELLIPSIS.length() + 1) {
            throw new IllegalArgumentException("maxBytes too small: " + maxBytes);
        }
        String source = text == null || text.isEmpty() ? fallback : text;
        StringBuilder out = new StringBuilder(Math.min(source.length(), maxBytes));
        int bytes = 0;
        int cutAt = -1; // length of out where "..." still fits
        for (int i = 0; i < source.length(); ) {
            char c = source.charAt(i);
            int codePoint;
            if (Character.isHighSurrogate(c) && i + 1 < source.length() && Character.isLowSurrogate(source.charAt(i + 1))) {
                codePoint = Character.toCodePoint(c, source.charAt(i + 1));
                i += 2;
            } else {
                codePoint = c; // a lone surrogate stays a surrogate code point, which is not allowed
                i += 1;
            }
            String piece = allowed(codePoint) ? Character.toString(codePoint) : String.format("\\u%04X", codePoint);
            int pieceBytes = utf8Length(piece);
            if (bytes + pieceBytes + ELLIPSIS.length() <= maxBytes) {
                cutAt = out.length() + piece.length();
            }
            if (bytes + pieceBytes > maxBytes) {
                out.setLength(Math.max(0, cutAt));
                out.append(ELLIPSIS);
                return out.toString();
            }
            out.append(piece);
            bytes += pieceBytes;
        }
        return out.toString();
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
