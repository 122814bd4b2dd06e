package dev.longshore.video.storage;

import dev.longshore.core.http.Deadline;
import dev.longshore.core.http.FetchResponse;
import dev.longshore.core.http.HttpFetcher;
import dev.longshore.core.http.OutboundRequest;
import dev.longshore.core.http.Urls;
import dev.longshore.core.job.JobFailure;
import dev.longshore.core.job.PermanentFailure;
import dev.longshore.core.job.RetryableFailure;
import dev.longshore.core.storage.S3ObjectStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Makes the input available as a file in the job's scratch directory, under a name we chose. A file:// input
 * is linked, not copied; http(s) and s3 inputs are downloaded. Either way ffmpeg only ever sees our path.
 * http(s) goes through worker-core's fetcher: destination policy on every hop, size cap, whole-download
 * deadline and stall timeout (README: Security).
 */
public final class InputFetcher {
    static final String SIZE_SETTING = "WORKER_VIDEO_MAX_INPUT_SIZE";
    private final S3ObjectStore s3;
    private final HttpFetcher http;
    private final long maxBytes;
    private final Duration downloadTimeout;
    private final FileRoots fileRoots;

    /**
     * @param downloadTimeout the whole http(s) download, last byte included (the fetcher's stall timeout
     *                        ends a download that stops sending much sooner)
     * @param fileRoots       WORKER_VIDEO_FILE_ROOTS, checked on the real path of a file:// input as it is linked
     */
    public InputFetcher(S3ObjectStore s3, HttpFetcher http, long maxBytes, Duration downloadTimeout,
                        FileRoots fileRoots) {
        this.s3 = s3;
        this.http = http;
        this.maxBytes = maxBytes;
        this.downloadTimeout = downloadTimeout;
        this.fileRoots = fileRoots;
    }

    public void fetch(Location input, Path target) throws JobFailure, IOException, InterruptedException {
        switch (input) {
            case FileLocation f -> FileInputs.link(f, target, fileRoots, maxBytes);
            case S3Location o -> s3.download(o, target, maxBytes, SIZE_SETTING);
            case HttpLocation h -> download(h, target);
        }
    }

    private void download(HttpLocation from, Path target) throws JobFailure, IOException, InterruptedException {
        OutboundRequest get = OutboundRequest.get(from.uri(), Map.of("User-Agent", "longshore-video"));
        try (FetchResponse response = http.fetch(get, Deadline.after(downloadTimeout))) {
            if (response.status() != 200) {
                throw failure(response.status(), Urls.redact(response.uri()));
            }
            try (OutputStream out = Files.newOutputStream(target)) {
                response.transferTo(out, maxBytes, SIZE_SETTING);
            }
        }
    }

    private static JobFailure failure(int status, String where) {
        String reason = where + " answered HTTP " + status;
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

}
