package dev.longshore.core.http;

import dev.longshore.core.job.JobFailure;
import dev.longshore.core.job.PermanentFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An answer whose body has not been read yet. The body is only ever read up to a bound the caller gives
 * (README: Security): a few KiB for a failure reason, the size cap for a download. {@link #abort()} may be
 * called from another thread (job cancellation) and unblocks a read in progress.
 */
public final class FetchResponse implements AutoCloseable {
    /** At most this much of an unread body is discarded, and only what already arrived, before closing. */
    static final int MAX_DRAIN = 64 * 1024;
    private static final Logger log = LoggerFactory.getLogger(FetchResponse.class);

    private final URI uri;
    private final int status;
    private final ResponseHeaders headers;
    private final InputStream body;
    private final Socket socket;
    private final Future<?> watchdog;
    private final FailureCodes codes;
    private final AtomicBoolean closed = new AtomicBoolean();

    FetchResponse(URI uri, ResponseHead head, InputStream body, Socket socket, Future<?> watchdog, FailureCodes codes) {
        this.uri = uri;
        this.status = head.status();
        this.headers = head.headers();
        this.body = body;
        this.socket = socket;
        this.watchdog = watchdog;
        this.codes = codes;
    }

    /** The URL that answered, after redirects. Log it only through {@link Urls#redact}. */
    public URI uri() {
        return uri;
    }

    public int status() {
        return status;
    }

    public ResponseHeaders headers() {
        return headers;
    }

    /** The declared length, or -1. */
    public long contentLength() {
        try {
            return headers.first("Content-Length").map(v -> Long.parseLong(v.trim())).orElse(-1L);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Up to {@code maxBytes} of the body as text (invalid UTF-8 replaced), whitespace runs folded. */
    public String readText(int maxBytes) throws JobFailure {
        byte[] buf = new byte[maxBytes];
        int filled = 0;
        try {
            int n;
            while (filled < maxBytes && (n = body.read(buf, filled, maxBytes - filled)) > 0) {
                filled += n;
            }
        } catch (IOException e) {
            throw TransportFailures.of(e, codes, uri);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(java.nio.ByteBuffer.wrap(buf, 0, filled)).toString().replaceAll("\\s+", " ").strip();
        } catch (java.nio.charset.CharacterCodingException e) {
            return "";
        }
    }

    /**
     * Streams the body to {@code out}, never more than {@code maxBytes}.
     *
     * @param limitName the setting that bounds it, for the failure reason
     * @return the bytes written
     * @throws PermanentFailure {@code <prefix>_too_large} when the body is (or says it is) larger
     * @throws IOException      when writing to {@code out} fails (a local problem)
     */
    public long transferTo(OutputStream out, long maxBytes, String limitName) throws JobFailure, IOException {
        long declared = contentLength();
        if (declared > maxBytes) {
            throw tooLarge(limitName, maxBytes, " (it declares " + declared + " bytes)");
        }
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        while (true) {
            int n;
            try {
                n = body.read(buf);
            } catch (FetchTimeout t) {
                if (t.stalled()) {
                    log.warn("Download from {} stalled: no data for {}; giving up after {} bytes",
                            Urls.redact(uri), t.getMessage().replace("no data for ", ""), total);
                }
                throw TransportFailures.of(t, codes, uri);
            } catch (IOException e) {
                throw TransportFailures.of(e, codes, uri);
            }
            if (n < 0) {
                return total;
            }
            total += n;
            if (total > maxBytes) {
                throw tooLarge(limitName, maxBytes, "");
            }
            out.write(buf, 0, n);
        }
    }

    private PermanentFailure tooLarge(String limitName, long maxBytes, String detail) {
        return new PermanentFailure(codes.of("too_large"), Urls.redact(uri) + " sent more than " + limitName
                + " allows (" + maxBytes + " bytes)" + detail);
    }

    /** Closes the connection at once, from any thread: a read in progress fails. For job cancellation. */
    public void abort() {
        if (closed.compareAndSet(false, true)) {
            watchdog.cancel(false);
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing left to do with it
            }
        }
    }

    /** Discards what already arrived (at most {@value #MAX_DRAIN} bytes, never waiting) and closes. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            byte[] buf = new byte[8192];
            int drained = 0;
            while (drained < MAX_DRAIN && body.available() > 0) {
                int n = body.read(buf, 0, Math.min(buf.length, MAX_DRAIN - drained));
                if (n <= 0) {
                    break;
                }
                drained += n;
            }
        } catch (IOException ignored) {
            // closing anyway
        } finally {
            watchdog.cancel(false);
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing left to do with it
            }
        }
    }
}
