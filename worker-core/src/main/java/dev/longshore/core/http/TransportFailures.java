package dev.longshore.core.http;

import dev.longshore.core.job.RetryableFailure;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import javax.net.ssl.SSLException;

/** Turns what went wrong on the wire into a retryable failure whose reason names the origin only. */
final class TransportFailures {
    private TransportFailures() {
    }

    static RetryableFailure of(IOException e, FailureCodes codes, URI uri) {
        String where = Urls.redact(uri);
        if (e instanceof FetchTimeout t) {
            return new RetryableFailure(codes.of("timeout"), t.stalled()
                    ? "no data from " + where + " for " + t.getMessage().replace("no data for ", "")
                    : where + " " + t.getMessage(), e);
        }
        if (e instanceof SSLException) {
            return new RetryableFailure(codes.of("tls"), "TLS with " + where + " failed: " + e.getMessage(), e);
        }
        if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
            return new RetryableFailure(codes.of("connection"), "cannot connect to " + where + ": " + e.getMessage(), e);
        }
        return new RetryableFailure(codes.of("io"), "I/O error with " + where + ": " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
    }
}
