package dev.longshore.core.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 on the wire, written by hand so the request goes over a socket we connected to the checked address
 * (README: Security). One request per connection ({@code Connection: close}); every read is bounded.
 */
final class Http1Codec {
    /** A status line or header line longer than this is not a web server talking. */
    static final int MAX_LINE = 8 * 1024;
    static final int MAX_HEADER_BYTES = 64 * 1024;
    static final int MAX_HEADERS = 200;
    /** 1xx answers (103 Early Hints...) skipped before the real one. */
    private static final int MAX_INTERIM = 10;

    private Http1Codec() {
    }

    /** Whether a header value could split or smuggle a request: control characters or beyond Latin-1. */
    static boolean unsafeValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xff || c < 0x20 && c != '\t' || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    static boolean validName(String name) {
        return name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    }

    static void writeRequest(OutputStream out, OutboundRequest request, Destination destination) throws IOException {
        URI ascii = URI.create(request.uri().toASCIIString());
        String path = ascii.getRawPath() == null || ascii.getRawPath().isEmpty() ? "/" : ascii.getRawPath();
        String target = ascii.getRawQuery() == null ? path : path + "?" + ascii.getRawQuery();
        StringBuilder head = new StringBuilder(256);
        head.append(request.method()).append(' ').append(target).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(destination.hostHeader()).append("\r\n");
        for (Map.Entry<String, String> h : request.headers().entrySet()) {
            if (!validName(h.getKey()) || unsafeValue(h.getValue())) {
                throw new IllegalArgumentException("header " + h.getKey() + " cannot be sent");
            }
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        if (request.body().isPresent() || !request.method().equals("GET") && !request.method().equals("HEAD")) {
            head.append("Content-Length: ").append(request.body().map(b -> b.length).orElse(0)).append("\r\n");
        }
        head.append("Accept-Encoding: identity\r\n");
        head.append("Connection: close\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (request.body().isPresent()) {
            out.write(request.body().get());
        }
        out.flush();
    }

    /**
     * An HTTP/2 answer to our HTTP/1.1 request: a server that speaks h2c with prior knowledge only sends its
     * connection preface ({@code PRI * HTTP/2.0}) or a SETTINGS or GOAWAY frame instead of a status line.
     */
    static final class Http2Answer extends ProtocolException {
        Http2Answer(String what) {
            super(what);
        }
    }

    private static final byte[] H2_PREFACE = "PRI * HTTP/2.0".getBytes(StandardCharsets.ISO_8859_1);
    /** Frame types a server sends first on a connection: SETTINGS (0x4) and, on a bad preface, GOAWAY (0x7). */
    private static final int FRAME_SETTINGS = 0x4;
    private static final int FRAME_GOAWAY = 0x7;
    /** An HTTP/2 frame header: 3 bytes length, type, flags, 4 bytes stream id. */
    private static final int FRAME_HEADER = 9;

    /**
     * Looks at the first bytes of the answer without consuming them ({@code in} must support mark). An HTTP/1.x
     * status line is never shorter than a frame header, so reading nine bytes waits for nothing a real answer
     * does not send anyway.
     */
    static void refuseHttp2(InputStream in) throws IOException {
        in.mark(FRAME_HEADER + H2_PREFACE.length);
        byte[] first = in.readNBytes(FRAME_HEADER);
        in.reset();
        if (first.length < FRAME_HEADER) {
            return;
        }
        if (startsWith(first, H2_PREFACE, FRAME_HEADER)) {
            throw new Http2Answer("the HTTP/2 connection preface (PRI * HTTP/2.0)");
        }
        int type = first[3] & 0xff;
        boolean streamZero = (first[5] & 0x7f) == 0 && first[6] == 0 && first[7] == 0 && first[8] == 0;
        if (first[0] == 0 && streamZero && (type == FRAME_SETTINGS || type == FRAME_GOAWAY)) {
            throw new Http2Answer("an HTTP/2 " + (type == FRAME_SETTINGS ? "SETTINGS" : "GOAWAY") + " frame");
        }
    }

    private static boolean startsWith(byte[] data, byte[] prefix, int n) {
        for (int i = 0; i < Math.min(n, prefix.length); i++) {
            if (data[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Reads the status line and headers of the final (non-1xx) answer. */
    static ResponseHead readHead(InputStream in) throws IOException {
        if (in.markSupported()) {
            refuseHttp2(in);
        }
        for (int interim = 0; interim <= MAX_INTERIM; interim++) {
            String status = readLine(in);
            if (!status.startsWith("HTTP/1.") || status.length() < 12 || status.charAt(8) != ' ') {
                throw new ProtocolException("not an HTTP/1.x status line");
            }
            int code;
            try {
                code = Integer.parseInt(status.substring(9, 12));
            } catch (NumberFormatException e) {
                throw new ProtocolException("bad status code");
            }
            ResponseHeaders headers = new ResponseHeaders();
            int total = 0;
            int count = 0;
            for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                total += line.length();
                if (++count > MAX_HEADERS || total > MAX_HEADER_BYTES) {
                    throw new ProtocolException("response headers too large");
                }
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new ProtocolException("malformed header line");
                }
                headers.add(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
            if (code >= 200 || code == 101) {
                return new ResponseHead(code, headers);
            }
        }
        throw new ProtocolException("too many interim (1xx) answers");
    }

    /** The body of {@code head} as a stream that ends where the message ends. */
    static InputStream body(InputStream in, String method, ResponseHead head) throws IOException {
        int s = head.status();
        if (method.equals("HEAD") || s == 204 || s == 304 || s < 200) {
            return InputStream.nullInputStream();
        }
        String te = String.join(",", head.headers().all("Transfer-Encoding")).toLowerCase(Locale.ROOT);
        if (te.contains("chunked")) {
            return new ChunkedBody(in);
        }
        var lengths = head.headers().all("Content-Length");
        if (!lengths.isEmpty()) {
            long length;
            try {
                length = Long.parseLong(lengths.get(0).trim());
            } catch (NumberFormatException e) {
                throw new ProtocolException("bad Content-Length");
            }
            if (length < 0 || lengths.stream().anyMatch(l -> !l.trim().equals(lengths.get(0).trim()))) {
                throw new ProtocolException("conflicting Content-Length");
            }
            return new LengthBody(in, length);
        }
        return in;
    }

    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed in the middle of a line");
            }
            if (c == '\n') {
                break;
            }
            if (line.size() >= MAX_LINE) {
                throw new ProtocolException("line longer than " + MAX_LINE + " bytes");
            }
            line.write(c);
        }
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** A body framed on the connection's stream; the framing lives in the bulk read, which a one-byte read reuses. */
    private abstract static class FramedBody extends InputStream {
        protected final InputStream in;

        FramedBody(InputStream in) {
            this.in = in;
        }

        @Override
        public final int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }
    }

    /** A body of exactly {@code length} bytes. */
    private static final class LengthBody extends FramedBody {
        private long left;

        LengthBody(InputStream in, long length) {
            super(in);
            this.left = length;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("connection closed with " + left + " bytes of the body missing");
            }
            left -= n;
            return n;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(in.available(), left);
        }
    }

    /** {@code Transfer-Encoding: chunked}, trailers read and dropped. */
    private static final class ChunkedBody extends FramedBody {
        private long chunkLeft;
        private boolean done;

        ChunkedBody(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (chunkLeft == 0) {
                String line = readLine(in);
                int semi = line.indexOf(';');
                String size = (semi < 0 ? line : line.substring(0, semi)).trim();
                try {
                    chunkLeft = Long.parseLong(size, 16);
                } catch (NumberFormatException e) {
                    throw new ProtocolException("bad chunk size");
                }
                if (chunkLeft < 0) {
                    throw new ProtocolException("bad chunk size");
                }
                if (chunkLeft == 0) {
                    int trailers = 0;
                    while (!readLine(in).isEmpty()) {
                        if (++trailers > MAX_HEADERS) {
                            throw new ProtocolException("too many trailers");
                        }
                    }
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, chunkLeft));
            if (n < 0) {
                throw new EOFException("connection closed inside a chunk");
            }
            chunkLeft -= n;
            if (chunkLeft == 0 && !readLine(in).isEmpty()) {
                throw new ProtocolException("chunk not followed by CRLF");
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return done ? 0 : (int) Math.min(in.available(), chunkLeft);
        }
    }
}
