package dev.longshore.ai.runner;

import dev.longshore.core.http.AllowedHosts;
import dev.longshore.core.http.Deadline;
import dev.longshore.core.http.DestinationPolicy;
import dev.longshore.core.http.FailureCodes;
import dev.longshore.core.http.FetchResponse;
import dev.longshore.core.http.HostResolver;
import dev.longshore.core.http.HttpFetcher;
import dev.longshore.core.http.OutboundRequest;
import dev.longshore.core.http.PrivateDestinations;
import dev.longshore.core.http.SocketConnector;
import dev.longshore.core.http.Throttle;
import dev.longshore.core.http.Urls;
import dev.longshore.core.job.JobContext;
import dev.longshore.core.job.JobFailure;
import dev.longshore.core.job.PermanentFailure;
import dev.longshore.core.job.RetryableFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * Copies a job's inputs into its directory and verifies their sha256 before the task sees them. A checksum
 * mismatch or a missing file is permanent; a server error or broken connection is retried. {@code file://}
 * sources must lie inside WORKER_AI_FILE_ROOTS and http(s) goes through worker-core's fetcher, both bounded by
 * WORKER_AI_MAX_INPUT_SIZE (README: Security).
 */
public final class InputFetcher implements AutoCloseable {
    private final HttpFetcher http;
    private final InputSettings settings;

    public InputFetcher(HttpFetcher http, InputSettings settings) {
        this.http = http;
        this.settings = settings;
    }

    /** The production wiring: system DNS, the JDK's trust store. */
    public static InputFetcher create(PrivateDestinations privateDestinations, InputSettings settings) {
        HttpFetcher http = new HttpFetcher(new DestinationPolicy(privateDestinations, AllowedHosts.ANY, HostResolver.SYSTEM),
                SocketConnector.withDefaultTrust(), Throttle.NONE, new HttpFetcher.Options(FailureCodes.INPUT,
                HttpFetcher.DEFAULT_MAX_REDIRECTS, settings.stallTimeout()));
        return new InputFetcher(http, settings);
    }

    /**
     * Fetches {@code input} to {@code dir/<name>}; returns the file.
     *
     * @param deadline when every download of this job must be over (the task's timeout)
     */
    public Path fetch(InputSpec input, Path dir, JobContext ctx, Deadline deadline) throws JobFailure, InterruptedException {
        Path target = dir.resolve(input.name());
        String scheme = input.uri().getScheme().toLowerCase(Locale.ROOT);
        String digest = switch (scheme) {
            case "file" -> copyFile(input, target);
            case "http", "https" -> download(input, target, ctx, deadline);
            default -> throw new PermanentFailure("invalid_payload", "unsupported input URI scheme '" + scheme + "'");
        };
        if (input.sha256().isPresent() && !input.sha256().get().equals(digest)) {
            deleteQuietly(target);
            throw new PermanentFailure("checksum_mismatch", "input '" + input.name() + "' from " + where(input)
                    + " has sha256 " + digest + ", the message expects " + input.sha256().get());
        }
        return target;
    }

    private String copyFile(InputSpec input, Path target) throws JobFailure {
        Path source;
        try {
            source = Path.of(input.uri());
        } catch (IllegalArgumentException e) {
            throw new PermanentFailure("invalid_payload", "input '" + input.name() + "' is not a local file URI: "
                    + e.getMessage());
        }
        Path real;
        try {
            real = source.toRealPath();
        } catch (IOException e) {
            real = null;
        }
        // Links followed first, then the roots: a link inside a root cannot lead outside it.
        if (!settings.fileRoots().allows(real == null ? source : real)) {
            throw new PermanentFailure("input_forbidden", "input '" + input.name() + "': " + source + " is outside "
                    + settings.fileRoots().variable() + " (" + settings.fileRoots().describe() + ")");
        }
        if (real == null || !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new PermanentFailure("input_not_found", "input '" + input.name() + "': " + source
                    + " is not a readable file");
        }
        try (InputStream in = Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS)) {
            return copy(in, target, input);
        } catch (NoSuchFileException e) {
            throw new PermanentFailure("input_not_found", "input '" + input.name() + "': " + source + " is gone");
        } catch (IOException e) {
            throw new RetryableFailure("input_read_failed", "input '" + input.name() + "' from " + source + ": " + e, e);
        }
    }

    private String download(InputSpec input, Path target, JobContext ctx, Deadline deadline)
            throws JobFailure, InterruptedException {
        OutboundRequest get = OutboundRequest.get(input.uri(), Map.of("User-Agent", "longshore-ai"));
        try (FetchResponse response = http.fetch(get, deadline)) {
            int status = response.status();
            if (status / 100 != 2) {
                String reason = "input '" + input.name() + "' from " + Urls.redact(response.uri()) + ": HTTP " + status;
                if (status == 408 || status == 429 || status >= 500) {
                    throw new RetryableFailure("input_download_failed", reason);
                }
                throw new PermanentFailure("input_unavailable", reason);
            }
            // A drain deadline cancels the job: closing the connection ends a read in progress.
            ctx.onCancel(response::abort);
            MessageDigest sha = sha256();
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(target), sha)) {
                response.transferTo(out, settings.maxBytes(), InputSettings.MAX_SIZE_VARIABLE);
            } catch (IOException e) {
                throw new RetryableFailure("input_write_failed", "input '" + input.name() + "': writing " + target
                        + " failed: " + e.getMessage(), e);
            } catch (JobFailure f) {
                deleteQuietly(target);
                if (ctx.isCancelled()) {
                    throw new InterruptedException("cancelled while downloading input '" + input.name() + "'");
                }
                throw f;
            }
            return HexFormat.of().formatHex(sha.digest());
        }
    }

    /** Streams {@code in} to {@code target}, at most WORKER_AI_MAX_INPUT_SIZE, returning the sha256 written. */
    private String copy(InputStream in, Path target, InputSpec input) throws IOException, PermanentFailure {
        MessageDigest sha = sha256();
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (OutputStream out = Files.newOutputStream(target)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > settings.maxBytes()) {
                    out.close();
                    deleteQuietly(target);
                    throw new PermanentFailure("input_too_large", "input '" + input.name() + "' is larger than "
                            + InputSettings.MAX_SIZE_VARIABLE + " (" + settings.maxBytes() + " bytes)");
                }
                sha.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** Where an input comes from, fit for a reason: a file path, or a URL's origin only. */
    private static String where(InputSpec input) {
        return "file".equalsIgnoreCase(input.uri().getScheme()) ? input.uri().getPath() : Urls.redact(input.uri());
    }

    private static void deleteQuietly(Path target) {
        try {
            Files.deleteIfExists(target);
        } catch (IOException ignored) {
            // the job directory is wiped on the next attempt anyway
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
