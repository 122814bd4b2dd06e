package dev.longshore.video.storage;

import dev.longshore.core.job.JobFailure;
import dev.longshore.core.job.PermanentFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes the input available as a file in the job's scratch directory, under a name we chose. A file:// input
 * is linked, not copied; http(s) and s3 inputs are downloaded. Either way ffmpeg only ever sees our path.
 */
public final class InputFetcher {
    private final S3Storage s3;
    private final HttpFetcher http;
    private final long maxBytes;

    public InputFetcher(S3Storage s3, HttpFetcher http, long maxBytes) {
        this.s3 = s3;
        this.http = http;
        this.maxBytes = maxBytes;
    }

    public void fetch(Location input, Path target) throws JobFailure, IOException {
        switch (input) {
            case FileLocation f -> link(f, target);
            case S3Location o -> s3.download(o, target, maxBytes);
            case HttpLocation h -> http.download(h, target, maxBytes);
        }
    }

    private void link(FileLocation from, Path target) throws PermanentFailure, IOException {
        Path source = from.path();
        // A regular file only: a FIFO or device (/dev/zero, /dev/stdin) would never end or would block.
        if (!Files.isRegularFile(source)) {
            throw new PermanentFailure("input_not_found", from.display() + " is not a regular file");
        }
        if (!Files.isReadable(source)) {
            throw new PermanentFailure("input_forbidden", from.display() + " is not readable by the worker");
        }
        long size = Files.size(source);
        if (size > maxBytes) {
            throw new PermanentFailure("input_too_large", from.display() + " is " + size
                    + " bytes; WORKER_VIDEO_MAX_INPUT_SIZE allows " + maxBytes);
        }
        Files.createSymbolicLink(target, source);
    }
}
