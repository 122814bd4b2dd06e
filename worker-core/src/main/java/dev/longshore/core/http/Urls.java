package dev.longshore.core.http;

import java.net.URI;
import java.util.Locale;

/**
 * What of a URL may be shown. Webhook paths carry Slack and Discord tokens and pre-signed input URLs carry
 * signatures in the query, so logs, failure reasons and result messages get the origin only (README: Security).
 */
public final class Urls {
    private Urls() {
    }

    /** {@code scheme://host[:port]}: never the user info, path, query or fragment. */
    public static String redact(URI uri) {
        if (uri == null) {
            return "(none)";
        }
        String scheme = uri.getScheme() == null ? "?" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost();
        if (host == null) {
            return scheme + "://(no host)";
        }
        return scheme + "://" + host + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }
}
