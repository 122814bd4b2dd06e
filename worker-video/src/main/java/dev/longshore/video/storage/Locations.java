package dev.longshore.video.storage;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Parses the URIs a job names. Only the schemes listed here are accepted, so strings ffmpeg would treat
 * specially ({@code -i}, {@code pipe:0}, {@code concat:a|b}, {@code subfile:}, {@code data:}...) are refused
 * here, long before a process is started; none of them ever reaches ffmpeg's argument list anyway.
 */
public final class Locations {
    /** S3's bucket naming rules (lower case letters, digits, dots and hyphens, 3 to 63 characters). */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final int MAX_URI_LENGTH = 4096;
    /** S3 keys are at most 1024 bytes; the longest name we add under a prefix is well under 64. */
    private static final int MAX_PREFIX_BYTES = 960;

    private Locations() {
    }

    /** An input: {@code file://}, {@code http(s)://} or {@code s3://bucket/key}. */
    public static Location input(String field, String raw) {
        URI uri = parse(field, raw);
        return switch (scheme(uri)) {
            case "file" -> file(field, uri);
            case "s3" -> s3Object(field, uri);
            case "http", "https" -> http(field, uri, raw);
            default -> throw new IllegalArgumentException(field + " scheme '" + uri.getScheme()
                    + "' is not supported: use file://, http://, https:// or s3://");
        };
    }

    /** An output prefix: {@code file:///dir/} or {@code s3://bucket/prefix/}. */
    public static Location output(String field, String raw) {
        URI uri = parse(field, raw);
        return switch (scheme(uri)) {
            case "file" -> file(field, uri);
            case "s3" -> s3Prefix(field, uri, raw);
            default -> throw new IllegalArgumentException(field + " scheme '" + uri.getScheme()
                    + "' is not supported: use file:// or s3://");
        };
    }

    private static S3Location s3Object(String field, URI uri) {
        S3Location s3 = s3(field, uri);
        if (s3.key().isEmpty() || s3.key().endsWith("/")) {
            throw new IllegalArgumentException(field + " must name an object (s3://bucket/key), not a prefix");
        }
        return s3;
    }

    private static HttpLocation http(String field, URI uri, String raw) {
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException(field + " must name a host: " + raw);
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(field + " must not carry user:password; use a pre-signed URL");
        }
        return new HttpLocation(uri);
    }

    /** The prefix with a trailing slash, so that what is published under it cannot run into a sibling's name. */
    private static S3Location s3Prefix(String field, URI uri, String raw) {
        S3Location s3 = s3(field, uri);
        String key = s3.key().isEmpty() || s3.key().endsWith("/") ? s3.key() : s3.key() + "/";
        for (String segment : key.split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException(field + " must not contain '.' or '..' segments: " + raw);
            }
        }
        if (key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PREFIX_BYTES) {
            throw new IllegalArgumentException(field + " prefix is longer than " + MAX_PREFIX_BYTES + " bytes");
        }
        return new S3Location(s3.bucket(), key);
    }

    private static URI parse(String field, String raw) {
        if (raw.isEmpty()) {
            throw new IllegalArgumentException(field + " is empty");
        }
        if (raw.length() > MAX_URI_LENGTH) {
            throw new IllegalArgumentException(field + " is longer than " + MAX_URI_LENGTH + " characters");
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException(field + " contains a control character");
            }
        }
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(field + " is not a valid URI (" + e.getReason()
                    + " at index " + e.getIndex() + "); percent-encode spaces and special characters");
        }
        if (uri.getScheme() == null) {
            throw new IllegalArgumentException(field + " must be an absolute URI with a scheme such as file:// or s3://: "
                    + abbreviate(raw));
        }
        if (uri.isOpaque()) {
            throw new IllegalArgumentException(field + " must be a hierarchical URI (scheme://...), not " + abbreviate(raw));
        }
        return uri;
    }

    private static String scheme(URI uri) {
        return uri.getScheme().toLowerCase(Locale.ROOT);
    }

    private static FileLocation file(String field, URI uri) {
        String authority = uri.getRawAuthority();
        if (authority != null && !authority.isEmpty() && !authority.equals("localhost")) {
            throw new IllegalArgumentException(field + " must be a local file URI (file:///path), not on host " + authority);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(field + " must not have a query or fragment");
        }
        String path = uri.getPath();
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException(field + " must hold an absolute path (file:///path)");
        }
        try {
            return new FileLocation(Path.of(path).normalize());
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(field + " is not a valid path: " + e.getReason());
        }
    }

    private static S3Location s3(String field, URI uri) {
        String bucket = uri.getRawAuthority();
        if (bucket == null || !BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException(field + " must be s3://bucket/key with a valid bucket name, got bucket '"
                    + bucket + "'");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(field + " must not have a query or fragment");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        String key = path.startsWith("/") ? path.substring(1) : path;
        return new S3Location(bucket, key);
    }

    private static String abbreviate(String raw) {
        return raw.length() <= 80 ? raw : raw.substring(0, 77) + "...";
    }
}
