package dev.longshore.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Counts the HTTP/1.1 requests in one connection's client-to-server byte stream as it streams by, without
 * changing or holding a byte: it reads each request head (which may arrive split over any number of reads, or
 * several heads in one read when the client pipelines), names the operation from {@code X-Amz-Target:
 * AmazonSQS.<Operation>} (AWS JSON protocol, any header-name case) or, failing that, from an {@code Action=}
 * parameter in the URI or the form body (query protocol), then skips the body by Content-Length or chunk sizes
 * so the next head is found where it starts. One per connection; not thread-safe.
 */
final class RequestScanner {
    /** Heads larger than this are not SQS requests; the connection is passed through uncounted from there on. */
    static final int MAX_HEAD = 64 * 1024;
    /** How much of a body without X-Amz-Target is kept to look for Action= (query protocol bodies are small). */
    static final int MAX_PROBE = 8 * 1024;

    private enum State { HEAD, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILER, LOST }

    private final RequestCounts counts;
    private State state = State.HEAD;
    private byte[] line = new byte[1024];
    private int lineLength;
    private long remaining;
    /** The request whose head named no operation: its body is probed for Action= before it is counted. */
    private boolean pending;
    private final byte[] probe = new byte[MAX_PROBE];
    private int probeLength;

    RequestScanner(RequestCounts counts) {
        this.counts = counts;
    }

    void accept(byte[] buf, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            switch (state) {
                case HEAD -> i = head(buf, i, end);
                case BODY, CHUNK_DATA -> i = body(buf, i, end);
                case CHUNK_SIZE, CHUNK_END, TRAILER -> i = chunkLine(buf, i, end);
                case LOST -> i = end;
            }
        }
    }

    /** Collects head bytes up to the blank line that ends the head. */
    private int head(byte[] buf, int i, int end) {
        while (i < end) {
            byte b = buf[i++];
            if (lineLength == 0 && (b == '\r' || b == '\n')) {
                continue; // CRLFs between requests are allowed before a request line
            }
            if (!append(b, MAX_HEAD)) {
                return end;
            }
            if (b == '\n' && endsWithBlankLine()) {
                String head = new String(line, 0, lineLength, StandardCharsets.ISO_8859_1);
                lineLength = 0;
                startBody(head);
                return i;
            }
        }
        return i;
    }

    private boolean endsWithBlankLine() {
        int n = lineLength;
        return (n >= 4 && line[n - 4] == '\r' && line[n - 3] == '\n' && line[n - 2] == '\r')
                || (n >= 2 && line[n - 2] == '\n');
    }

    private void startBody(String head) {
        String[] lines = head.split("\r?\n");
        String target = null;
        long contentLength = 0;
        boolean chunked = false;
        for (int k = 1; k < lines.length; k++) {
            int colon = lines[k].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[k].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[k].substring(colon + 1).trim();
            switch (name) {
                case "x-amz-target" -> target = value;
                case "content-length" -> {
                    try {
                        contentLength = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        lose();
                        return;
                    }
                }
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                default -> { }
            }
        }
        String operation = target != null ? target.substring(target.lastIndexOf('.') + 1) : action(uriQuery(lines[0]));
        if (operation != null) {
            counts.add(SqsOperation.of(operation));
        } else {
            pending = true;
            probeLength = 0;
        }
        if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (contentLength > 0) {
            state = State.BODY;
            remaining = contentLength;
        } else {
            endRequest();
        }
    }

    /** Skips body or chunk bytes, keeping the first of them when the operation is still to be found. */
    private int body(byte[] buf, int i, int end) {
        int n = (int) Math.min(remaining, end - i);
        if (pending && probeLength < MAX_PROBE) {
            int keep = Math.min(n, MAX_PROBE - probeLength);
            System.arraycopy(buf, i, probe, probeLength, keep);
            probeLength += keep;
        }
        remaining -= n;
        if (remaining == 0) {
            if (state == State.BODY) {
                endRequest();
            } else {
                state = State.CHUNK_END;
            }
        }
        return i + n;
    }

    /** A chunk-size line, the CRLF after a chunk's data, or a trailer line (the blank one ends the request). */
    private int chunkLine(byte[] buf, int i, int end) {
        while (i < end) {
            byte b = buf[i++];
            if (!append(b, MAX_HEAD)) {
                return end;
            }
            if (b != '\n') {
                continue;
            }
            String text = new String(line, 0, lineLength, StandardCharsets.ISO_8859_1).trim();
            lineLength = 0;
            switch (state) {
                case CHUNK_SIZE -> {
                    long size;
                    try {
                        int semicolon = text.indexOf(';');
                        size = Long.parseLong(semicolon >= 0 ? text.substring(0, semicolon).trim() : text, 16);
                    } catch (NumberFormatException e) {
                        lose();
                        return end;
                    }
                    if (size == 0) {
                        state = State.TRAILER;
                    } else {
                        state = State.CHUNK_DATA;
                        remaining = size;
                    }
                }
                case CHUNK_END -> state = State.CHUNK_SIZE;
                case TRAILER -> {
                    if (text.isEmpty()) {
                        endRequest();
                    }
                }
                default -> throw new IllegalStateException(state.name());
            }
            return i;
        }
        return i;
    }

    private void endRequest() {
        if (pending) {
            String operation = action(new String(probe, 0, probeLength, StandardCharsets.ISO_8859_1));
            counts.add(operation == null ? SqsOperation.OTHER : SqsOperation.of(operation));
            pending = false;
        }
        state = State.HEAD;
    }

    private boolean append(byte b, int limit) {
        if (lineLength == line.length) {
            if (line.length >= limit) {
                lose();
                return false;
            }
            line = Arrays.copyOf(line, Math.min(limit, line.length * 2));
        }
        line[lineLength++] = b;
        return true;
    }

    private void lose() {
        state = State.LOST;
        counts.unparsed();
    }

    private static String uriQuery(String requestLine) {
        String[] parts = requestLine.split(" ");
        if (parts.length < 2) {
            return "";
        }
        int q = parts[1].indexOf('?');
        return q < 0 ? "" : parts[1].substring(q + 1);
    }

    /** The value of Action in a form-encoded string (a query string or a body), or null. */
    static String action(String form) {
        for (String pair : form.split("&")) {
            if (pair.startsWith("Action=")) {
                return pair.substring("Action=".length()).trim();
            }
        }
        return null;
    }
}
