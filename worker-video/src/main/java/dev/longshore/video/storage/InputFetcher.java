package dev.longshore.video.storage;

import dev.longshore.core.job.JobFailure;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Makes the input available as a file in the job's scratch directory, under a name we chose. A file:// input
 * is linked, not copied; http(s) and s3 inputs are downloaded. Either way ffmpeg only ever sees our path.
 */
public final class InputFetcher {
    private final S3Storage s3;
    private final HttpFetcher http;
    private final long maxBytes;
    private final FileRoots fileRoots;

    /** @param fileRoots WORKER_VIDEO_FILE_ROOTS, checked on the real path of a file:// input as it is linked */
    public InputFetcher(S3Storage s3, HttpFetcher http, long maxBytes, FileRoots fileRoots) {
        this.s3 = s3;
        this.http = http;
        this.maxBytes = maxBytes;
        this.fileRoots = fileRoots;
    }

    public void fetch(Location input, Path target) throws JobFailure, IOException {
        switch (input) {
            case FileLocation f -> FileInputs.link(f, target, fileRoots, maxBytes);
            case S3Location o -> s3.download(o, target, maxBytes);
            case HttpLocation h -> http.download(h, target, maxBytes);
        }
    }
}
