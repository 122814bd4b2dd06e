package dev.longshore.ai.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longshore.ai.result.JobResult;
import dev.longshore.ai.runner.JobDirectory;
import dev.longshore.ai.runner.OutputFile;
import dev.longshore.core.job.JobFailure;
import dev.longshore.core.job.PermanentFailure;
import dev.longshore.core.job.RetryableFailure;
import dev.longshore.core.storage.S3Address;
import dev.longshore.core.storage.S3ObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A finished job's files on S3, under {@code WORKER_AI_OUTPUT_PREFIX/<jobId>/}: {@code outputs/**},
 * {@code logs/**}, then {@code manifest.json} last, so a reader that finds the manifest finds every object it names.
 * The uploaded manifest is also what a redelivery is checked against, so a job finished on another instance is not
 * run again (docs/ai.md: Outputs on S3). Uploads go through worker-core's {@link S3ObjectStore} (single PUT, or
 * multipart from WORKER_AI_S3_MULTIPART_THRESHOLD, aborted on failure; ExpectedBucketOwner when set).
 */
public final class S3JobOutputs implements AutoCloseable {
    /** The retryable code of a failed upload; 403 and a missing bucket are the store's permanent codes. */
    public static final String UPLOAD_FAILED = "output_upload_failed";
    /** The retryable code of a failed read of the uploaded manifest (the redelivery check). */
    public static final String CHECK_FAILED = "output_check_failed";
    /** A manifest is one JSON document listing the outputs; anything larger at its key is not one of ours. */
    private static final int MAX_MANIFEST_BYTES = 16 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger log = LoggerFactory.getLogger(S3JobOutputs.class);

    private final S3ObjectStore store;
    private final S3Address.Plain prefix;

    /** @param prefix WORKER_AI_OUTPUT_PREFIX: a key prefix that is empty or ends with '/' */
    public S3JobOutputs(S3ObjectStore store, S3Address.Plain prefix) {
        this.store = store;
        this.prefix = prefix;
    }

    /** {@code <prefix><jobId>/}: the job id is a safe single path segment (JobsDirectory checked it). */
    public S3Address.Plain jobPrefix(String jobId) {
        return prefix.child(jobId + "/");
    }

    public String manifestUri(String jobId) {
        return jobPrefix(jobId).child(JobDirectory.MANIFEST).display();
    }

    /** The outputs with the URIs they will have once uploaded. */
    public List<OutputFile> withUris(String jobId, List<OutputFile> outputs) {
        S3Address.Plain dir = jobPrefix(jobId).child("outputs/");
        return outputs.stream().map(f -> f.withUri(dir.child(f.path()).display())).toList();
    }

    /**
     * The result of this job as uploaded by an earlier delivery (on any instance), if its manifest is there.
     *
     * @throws PermanentFailure {@code output_exists} when the key holds something that is not this job's manifest
     *                          (one job never overwrites another's output); {@code output_bucket_missing}
     * @throws RetryableFailure {@code output_check_failed} when S3 cannot be read now
     */
    public Optional<JobResult> published(String jobId) throws JobFailure {
        S3Address.Plain key = jobPrefix(jobId).child(JobDirectory.MANIFEST);
        Optional<byte[]> bytes;
        try {
            // A 403 on this read counts as "not there" (a policy without s3:ListBucket answers 403 for a missing key);
            // a real permission problem shows when the outputs are written.
            bytes = store.readIfExists(key, MAX_MANIFEST_BYTES);
        } catch (RetryableFailure e) {
            throw new RetryableFailure(CHECK_FAILED, e.reason(), e);
        }
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        JobResult result;
        try {
            JsonNode node = JSON.readTree(bytes.get());
            result = JobResult.fromJson(node);
        } catch (IOException | IllegalArgumentException e) {
            throw new PermanentFailure("output_exists", key.display() + " exists and is not a job manifest ("
                    + e.getMessage() + ")");
        }
        if (!result.jobId().equals(jobId) || result.status() != JobResult.Status.SUCCESS) {
            throw new PermanentFailure("output_exists", key.display() + " holds the manifest of job "
                    + result.jobId() + " (" + result.status() + "), not of job " + jobId);
        }
        return Optional.of(result);
    }

    /**
     * Uploads {@code outputs/**} and {@code logs/**} (regular files; links are not followed), then the manifest the
     * directory holds. Any failure stops before the manifest, so no reader trusts a partial upload.
     */
    public void upload(JobDirectory dir) throws JobFailure, IOException {
        S3Address.Plain to = jobPrefix(dir.jobId());
        List<Path> files = new ArrayList<>();
        files.addAll(regularFiles(dir.outputs()));
        files.addAll(regularFiles(dir.logs()));
        for (Path f : files) {
            put(f, to.child(dir.path().relativize(f).toString().replace('\\', '/')));
        }
        put(dir.manifest(), to.child(JobDirectory.MANIFEST));
        log.info("Uploaded {} file(s), then the manifest, to {}", files.size(), to.display());
    }

    private void put(Path file, S3Address.Plain key) throws JobFailure, IOException {
        try {
            store.upload(file, key, contentType(file));
        } catch (RetryableFailure e) {
            throw new RetryableFailure(UPLOAD_FAILED, e.reason(), e);
        }
    }

    private static List<Path> regularFiles(Path root) throws IOException {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
    }

    /** Enough for a browser or a CLI to show the common ones; everything else is octet-stream. */
    private static String contentType(Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith(".json")) {
            return "application/json";
        }
        if (name.endsWith(".log") || name.endsWith(".txt")) {
            return "text/plain; charset=utf-8";
        }
        try {
            String probed = Files.probeContentType(file);
            return probed != null ? probed : "application/octet-stream";
        } catch (IOException e) {
            return "application/octet-stream";
        }
    }

    @Override
    public void close() {
        store.close();
    }
}
