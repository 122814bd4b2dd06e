package dev.longshore.core.storage;

import dev.longshore.core.job.JobFailure;
import dev.longshore.core.job.PermanentFailure;
import dev.longshore.core.job.RetryableFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * The S3 calls the workers make: get an object into a file, read a small object if it exists, put a file
 * (multipart above the threshold, aborted when it fails). Every request carries ExpectedBucketOwner when it is set,
 * and a bucket outside the allow list is refused before any request. The client is built on first use so a worker
 * that only sees file:// never needs S3 credentials, and it is shared by all jobs (the SDK client is thread-safe).
 *
 * <p>Failures are the outcomes of docs/video.md "Outcomes": {@code <role>_forbidden} (403, or a bucket not
 * allowed), {@code <role>_rejected} (400/404), {@code output_bucket_missing}, {@code input_not_found}; anything
 * else (5xx, network) is the retryable {@code s3_error}, and a client that cannot be built {@code s3_client}.
 * A worker with codes of its own maps the retryable ones (docs/ai.md: "Outputs on S3").
 */
public final class S3ObjectStore implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(S3ObjectStore.class);

    private final Supplier<S3Client> factory;
    private final S3Settings settings;
    private S3Client client;

    public S3ObjectStore(Supplier<S3Client> factory, S3Settings settings) {
        this.factory = factory;
        this.settings = settings;
    }

    private synchronized S3Client client() throws RetryableFailure {
        if (client == null) {
            try {
                client = factory.get();
            } catch (SdkException e) {
                throw new RetryableFailure("s3_client", "cannot build the S3 client: " + e.getMessage(), e);
            }
        }
        return client;
    }

    /**
     * Refuses a bucket outside the allow list ({@code <prefix>_BUCKETS}) before any request is made (docs/video.md:
     * "Safety").
     *
     * @param role {@code input} or {@code output}: the failure is {@code input_forbidden} or {@code output_forbidden}
     */
    public void checkAllowed(String role, S3Address location) throws PermanentFailure {
        if (!settings.allows(location.bucket())) {
            throw new PermanentFailure(role + "_forbidden", role + " bucket " + location.bucket() + " is not in "
                    + settings.bucketsVariable());
        }
    }

    /** {@code <prefix>_EXPECTED_OWNER} for ExpectedBucketOwner; null (not sent) when unset. */
    private String owner() {
        return settings.expectedOwner().orElse(null);
    }

    /**
     * Downloads an object into {@code target}, refusing one larger than {@code maxBytes}.
     *
     * @param sizeSetting the variable that sets {@code maxBytes}, named in the refusal
     */
    public void download(S3Address from, Path target, long maxBytes, String sizeSetting)
            throws JobFailure, IOException {
        checkAllowed("input", from);
        try (ResponseInputStream<GetObjectResponse> in = client().getObject(b -> b.bucket(from.bucket()).key(from.key())
                .expectedBucketOwner(owner()))) {
            Long length = in.response().contentLength();
            if (length != null && length > maxBytes) {
                in.abort();
                throw new PermanentFailure("input_too_large", from.display() + " is " + length
                        + " bytes; " + sizeSetting + " allows " + maxBytes);
            }
            copyBounded(in, target, maxBytes, from.display(), sizeSetting);
        } catch (NoSuchKeyException | NoSuchBucketException e) {
            throw new PermanentFailure("input_not_found", from.display() + " does not exist");
        } catch (S3Exception e) {
            throw classify("input", from, e);
        } catch (SdkException e) {
            throw new RetryableFailure("s3_error", "reading " + from.display() + " failed: " + e.getMessage(), e);
        }
    }

    /** The object's bytes, or empty when it does not exist. */
    public Optional<byte[]> readIfExists(S3Address location, int maxBytes) throws JobFailure {
        checkAllowed("output", location);
        try (ResponseInputStream<GetObjectResponse> in = client().getObject(b -> b.bucket(location.bucket())
                .key(location.key()).expectedBucketOwner(owner()))) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                in.abort();
                throw new PermanentFailure("output_exists", location.display() + " exists but is not a manifest (over "
                        + maxBytes + " bytes)");
            }
            return Optional.of(bytes);
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (NoSuchBucketException e) {
            throw new PermanentFailure("output_bucket_missing", "bucket " + location.bucket() + " does not exist");
        } catch (S3Exception e) {
            if (e.statusCode() == 403) {
                // Without s3:ListBucket, S3 answers 403 instead of 404 for a missing key. A policy that grants
                // only Get/PutObject is common for workers, so read this as "not there"; a real permission
                // problem still shows when the output is written.
                return Optional.empty();
            }
            throw classify("output", location, e);
        } catch (SdkException | IOException e) {
            throw new RetryableFailure("s3_error", "reading " + location.display() + " failed: " + e.getMessage(), e);
        }
    }

    /** Uploads a file; in parts when it is at least the multipart threshold. */
    public void upload(Path file, S3Address to, String contentType) throws JobFailure, IOException {
        checkAllowed("output", to);
        long size = Files.size(file);
        S3Client s3 = client();
        try {
            if (size >= settings.multipartThreshold()) {
                uploadInParts(s3, file, size, to, contentType);
            } else {
                s3.putObject(b -> b.bucket(to.bucket()).key(to.key()).contentType(contentType)
                        .expectedBucketOwner(owner()),
                        RequestBody.fromFile(file));
            }
        } catch (NoSuchBucketException e) {
            throw new PermanentFailure("output_bucket_missing", "bucket " + to.bucket() + " does not exist");
        } catch (S3Exception e) {
            throw classify("output", to, e);
        } catch (SdkException e) {
            throw new RetryableFailure("s3_error", "writing " + to.display() + " failed: " + e.getMessage(), e);
        }
    }

    private void uploadInParts(S3Client s3, Path file, long size, S3Address to, String contentType)
            throws IOException {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(to.bucket()).key(to.key()).contentType(contentType)
                        .expectedBucketOwner(owner()))
                .uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        boolean completed = false;
        try (InputStream in = Files.newInputStream(file)) {
            long remaining = size;
            int number = 1;
            while (remaining > 0) {
                // One part in memory at a time: part size (16 MiB by default) bounds what an upload holds.
                byte[] part = in.readNBytes((int) Math.min(settings.partSize(), remaining));
                if (part.length == 0) {
                    throw new IOException(file + " shrank while it was being uploaded");
                }
                int partNumber = number;
                UploadPartResponse r = s3.uploadPart(b -> b.bucket(to.bucket()).key(to.key()).uploadId(uploadId)
                        .partNumber(partNumber).contentLength((long) part.length).expectedBucketOwner(owner()),
                        RequestBody.fromBytes(part));
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(r.eTag()).build());
                remaining -= part.length;
                number++;
            }
            s3.completeMultipartUpload(b -> b.bucket(to.bucket()).key(to.key()).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)).expectedBucketOwner(owner()));
            completed = true;
            log.debug("uploaded {} in {} parts", to.display(), parts.size());
        } finally {
            if (!completed) {
                abort(s3, to, uploadId, owner());
            }
        }
    }

    private static void abort(S3Client s3, S3Address to, String uploadId, String owner) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(to.bucket()).key(to.key()).uploadId(uploadId)
                    .expectedBucketOwner(owner));
        } catch (SdkException e) {
            // The bucket's lifecycle rule for incomplete uploads is the backstop; say so once here.
            log.warn("could not abort multipart upload {} of {}: {}", uploadId, to.display(), e.toString());
        }
    }

    private static void copyBounded(InputStream in, Path target, long maxBytes, String what, String sizeSetting)
            throws IOException, PermanentFailure {
        byte[] buf = new byte[1 << 16];
        long total = 0;
        try (OutputStream out = Files.newOutputStream(target)) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                total += n;
                if (total > maxBytes) {
                    throw new PermanentFailure("input_too_large", what + " is larger than " + sizeSetting + " ("
                            + maxBytes + " bytes)");
                }
                out.write(buf, 0, n);
            }
        }
    }

    private static JobFailure classify(String role, S3Address where, S3Exception e) {
        String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
        String reason = role + " " + where.display() + ": S3 answered " + e.statusCode() + " " + code;
        int status = e.statusCode();
        if (status == 403 || status == 404 || status == 400) {
            // Wrong bucket policy, wrong name: not fixed by retrying the same message; fixed by an operator who
            // then redrives the dead-letter queue.
            return new PermanentFailure(role + "_" + (status == 403 ? "forbidden" : "rejected"), reason);
        }
        return new RetryableFailure("s3_error", reason, e);
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
