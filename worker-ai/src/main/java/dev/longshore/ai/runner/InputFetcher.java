package dev.longshore.ai.runner;

import dev.longshore.core.job.JobContext;
import dev.longshore.core.job.JobFailure;
import dev.longshore.core.job.PermanentFailure;
import dev.longshore.core.job.RetryableFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Copies a job's inputs into its directory and verifies their sha256 before the task sees them. A checksum
 * mismatch or a missing file is permanent; a server error or broken connection is retried.
 */
public final class InputFetcher {
    /** Time to connect and to receive the response headers; the body may take as long as it needs. */
    public static final Duration HTTP_TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http;
    private final Duration requestTimeout;

    public InputFetcher(HttpClient http, Duration requestTimeout) {
        this.http = http;
        this.requestTimeout = requestTimeout;
    }

    public static InputFetcher withDefaults() {
        return new InputFetcher(HttpClient.newBuilder()
                .connectTimeout(HTTP_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build(), HTTP_TIMEOUT);
    }

    /** Fetches {@code input} to {@code dir/<name>}; returns the file. */
    public Path fetch(InputSpec input, Path dir, JobContext ctx) throws JobFailure, InterruptedException {
        Path target = dir.resolve(input.name());
        String scheme = input.uri().getScheme().toLowerCase(Locale.ROOT);
        String digest = switch (scheme) {
            case "file" -> copyFile(input, target);
            case "http", "https" -> download(input, target, ctx);
            default -> throw new PermanentFailure("invalid_payload", "unsupported input URI " + input.uri());
        };
        if (input.sha256().isPresent() && !input.sha256().get().equals(digest)) {
            try {
                Files.deleteIfExists(target);
            } catch (IOException ignored) {
                // the job directory is wiped on the next attempt anyway
            }
            throw new PermanentFailure("checksum_mismatch", "input '" + input.name() + "' from " + input.uri()
                    + " has sha256 " + digest + ", the message expects " + input.sha256().get());
        }
        return target;
    }

    private String copyFile(InputSpec input, Path target) throws JobFailure {
        Path source;
        try {
            source = Path.of(input.uri());
        } catch (IllegalArgumentException e) {
            throw new PermanentFailure("invalid_payload", "input URI " + input.uri() + " is not a local file: "
                    + e.getMessage());
        }
        if (!Files.isRegularFile(source)) {
            throw new PermanentFailure("input_not_found", "input '" + input.name() + "': " + source
                    + " is not a readable file");
        }
        try (InputStream in = Files.newInputStream(source)) {
            return copy(in, target);
        } catch (NoSuchFileException e) {
            throw new PermanentFailure("input_not_found", "input '" + input.name() + "': " + source + " is gone");
        } catch (IOException e) {
            throw new RetryableFailure("input_read_failed", "input '" + input.name() + "' from " + source + ": " + e, e);
        }
    }

    private String download(InputSpec input, Path target, JobContext ctx) throws JobFailure, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(input.uri()).timeout(requestTimeout).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new RetryableFailure("input_download_failed", "input '" + input.name() + "' from " + input.uri()
                    + ": " + e, e);
        }
        int status = response.statusCode();
        try (InputStream body = response.body()) {
            if (status / 100 != 2) {
                String reason = "input '" + input.name() + "' from " + input.uri() + ": HTTP " + status;
                if (status == 408 || status == 429 || status >= 500) {
                    throw new RetryableFailure("input_download_failed", reason);
                }
                throw new PermanentFailure("input_unavailable", reason);
            }
            // A stalled body would block the read forever; cancellation (drain deadline) closes the stream.
            ctx.onCancel(() -> {
                try {
                    body.close();
                } catch (IOException ignored) {
                    // closing is all we wanted
                }
            });
            return copy(body, target);
        } catch (IOException e) {
            if (ctx.isCancelled()) {
                throw new InterruptedException("cancelled while downloading " + input.uri());
            }
            throw new RetryableFailure("input_download_failed", "input '" + input.name() + "' from " + input.uri()
                    + ": " + e, e);
        }
    }

    /** Streams {@code in} to {@code target}, returning the sha256 of what was written. */
    static String copy(InputStream in, Path target) throws IOException {
        MessageDigest sha = sha256();
        byte[] buffer = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(target)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
