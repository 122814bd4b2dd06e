package dev.longshore.video.storage;

import dev.longshore.core.job.JobFailure;
import dev.longshore.core.job.PermanentFailure;
import dev.longshore.core.job.RetryableFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Downloads an http(s) input into scratch. Uses HttpURLConnection for its socket read timeout: a server that
 * stops sending mid-body fails the job after the timeout instead of holding it (and its message) forever.
 * Redirects are followed by hand so every hop is checked: instance metadata and other link-local addresses
 * are never fetched, whatever the message or a redirect says.
 */
public final class HttpFetcher {
    private static final int MAX_REDIRECTS = 5;
    private static final InetAddress EC2_METADATA_V6 = address("fd00:ec2::254");

    private final Duration timeout;

    public HttpFetcher(Duration timeout) {
        this.timeout = timeout;
    }

    public void download(HttpLocation from, Path target, long maxBytes) throws JobFailure, IOException {
        URI uri = from.uri();
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            refuseLinkLocal(uri);
            HttpURLConnection c;
            try {
                c = (HttpURLConnection) uri.toURL().openConnection();
            } catch (IllegalArgumentException e) {
                throw new PermanentFailure("invalid_payload", "input is not a usable URL: " + e.getMessage());
            }
            c.setInstanceFollowRedirects(false);
            c.setConnectTimeout((int) timeout.toMillis());
            c.setReadTimeout((int) timeout.toMillis());
            c.setRequestProperty("User-Agent", "longshore-video");
            try {
                int status = c.getResponseCode();
                if (status >= 300 && status < 400 && c.getHeaderField("Location") != null) {
                    uri = redirect(uri, c.getHeaderField("Location"));
                    c.disconnect();
                    continue;
                }
                if (status != 200) {
                    c.disconnect();
                    throw failure(status, new HttpLocation(uri));
                }
                long length = c.getContentLengthLong();
                if (length > maxBytes) {
                    c.disconnect();
                    throw new PermanentFailure("input_too_large", from.display() + " is " + length
                            + " bytes; WORKER_VIDEO_MAX_INPUT_SIZE allows " + maxBytes);
                }
                try (InputStream in = c.getInputStream(); OutputStream out = Files.newOutputStream(target)) {
                    byte[] buf = new byte[1 << 16];
                    long total = 0;
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        total += n;
                        if (total > maxBytes) {
                            throw new PermanentFailure("input_too_large", from.display()
                                    + " is larger than WORKER_VIDEO_MAX_INPUT_SIZE (" + maxBytes + " bytes)");
                        }
                        out.write(buf, 0, n);
                    }
                }
                return;
            } catch (UnknownHostException e) {
                throw new RetryableFailure("input_unreachable", "cannot resolve " + uri.getHost(), e);
            } catch (SocketTimeoutException e) {
                throw new RetryableFailure("input_timeout", "no data from " + new HttpLocation(uri).display() + " for "
                        + timeout.toSeconds() + "s", e);
            } catch (IOException e) {
                throw new RetryableFailure("input_unreachable", "downloading " + new HttpLocation(uri).display()
                        + " failed: " + e.getMessage(), e);
            } finally {
                c.disconnect();
            }
        }
        throw new PermanentFailure("input_redirects", from.display() + " redirected more than " + MAX_REDIRECTS + " times");
    }

    private static URI redirect(URI from, String location) throws PermanentFailure {
        URI next;
        try {
            next = from.resolve(location);
        } catch (IllegalArgumentException e) {
            throw new PermanentFailure("input_redirects", "invalid redirect from " + new HttpLocation(from).display());
        }
        String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new PermanentFailure("input_redirects", "redirect to a " + scheme + " URL refused");
        }
        return next;
    }

    /** Refuses hosts that resolve to a link-local address (169.254.169.254 is the instance metadata service). */
    static void refuseLinkLocal(URI uri) throws JobFailure {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw new RetryableFailure("input_unreachable", "cannot resolve " + uri.getHost(), e);
        }
        for (InetAddress a : addresses) {
            if (a.isLinkLocalAddress() || a.equals(EC2_METADATA_V6) || a.isAnyLocalAddress() || a.isMulticastAddress()) {
                throw new PermanentFailure("input_forbidden", "input host " + uri.getHost() + " resolves to "
                        + a.getHostAddress() + ", a link-local or metadata address the worker never fetches");
            }
        }
    }

    private static JobFailure failure(int status, HttpLocation where) {
        String reason = where.display() + " answered HTTP " + status;
        if (status == 408 || status == 429 || status >= 500) {
            return new RetryableFailure("input_http_" + status, reason);
        }
        if (status == 404 || status == 410) {
            return new PermanentFailure("input_not_found", reason);
        }
        if (status == 401 || status == 403) {
            return new PermanentFailure("input_forbidden", reason);
        }
        return new PermanentFailure("input_http_" + status, reason);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
