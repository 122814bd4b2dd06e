package dev.longshore.core.storage;

import dev.longshore.core.config.ConfigException;
import dev.longshore.core.config.Env;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How a worker reaches S3. The endpoint and region are read from the worker's {@link Env} (which may include
 * values loaded from SSM) with the SDK's own variable names, so R2, MinIO and other S3-compatible stores are
 * configured exactly as the AWS CLI would be. The worker's own settings share one prefix, e.g.
 * {@code WORKER_VIDEO_S3} (docs/video.md: "Settings") or {@code WORKER_AI_S3} (docs/ai.md: "Outputs on S3").
 *
 * @param variablePrefix     the prefix of the settings below, so errors name the variable the operator set
 * @param endpoint           AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL; empty means AWS's regional endpoint
 * @param region             AWS_REGION; empty leaves it to the SDK's provider chain
 * @param pathStyle          {@code <prefix>_PATH_STYLE}: bucket in the path instead of the host name (MinIO)
 * @param multipartThreshold {@code <prefix>_MULTIPART_THRESHOLD}: files this large or larger go up in parts
 * @param partSize           {@code <prefix>_PART_SIZE}: size of each part (S3 needs at least 5 MiB)
 * @param buckets            {@code <prefix>_BUCKETS}: the buckets a message may name; empty means any bucket the
 *                           credentials reach
 * @param expectedOwner      {@code <prefix>_EXPECTED_OWNER}: the account id sent as ExpectedBucketOwner on every
 *                           request, so a bucket of the same name in another account is never read or written
 */
public record S3Settings(String variablePrefix, Optional<URI> endpoint, Optional<String> region, boolean pathStyle,
                         long multipartThreshold, long partSize, Set<String> buckets, Optional<String> expectedOwner) {
    /** S3's bucket naming rules (lower case letters, digits, dots and hyphens, 3 to 63 characters). */
    public static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");

    /** S3's smallest allowed part (all but the last). */
    public static final long MIN_PART_SIZE = 5L << 20;
    /** S3's largest allowed part. */
    public static final long MAX_PART_SIZE = 5L << 30;
    public static final long DEFAULT_MULTIPART_THRESHOLD = 64L << 20;
    /** 16 MiB parts keep memory small (one part is buffered per upload) and allow 160 GiB in 10,000 parts. */
    public static final long DEFAULT_PART_SIZE = 16L << 20;

    public S3Settings {
        if (partSize < 1 || multipartThreshold < 1) {
            throw new IllegalArgumentException("part size and threshold must be positive");
        }
        buckets = Set.copyOf(buckets);
    }

    /** Any bucket, no expected owner. */
    public S3Settings(String variablePrefix, Optional<URI> endpoint, Optional<String> region, boolean pathStyle,
                      long multipartThreshold, long partSize) {
        this(variablePrefix, endpoint, region, pathStyle, multipartThreshold, partSize, Set.of(), Optional.empty());
    }

    /** The allow list's variable, for refusals. */
    public String bucketsVariable() {
        return variablePrefix + "_BUCKETS";
    }

    public String expectedOwnerVariable() {
        return variablePrefix + "_EXPECTED_OWNER";
    }

    /** Whether a message may name this bucket. */
    public boolean allows(String bucket) {
        return buckets.isEmpty() || buckets.contains(bucket);
    }

    /** Every setting, the bucket allow list included: for workers whose messages name buckets (worker-video). */
    public static S3Settings fromEnv(Env env, String variablePrefix) {
        S3Settings s = forOperatorBuckets(env, variablePrefix);
        return new S3Settings(variablePrefix, s.endpoint, s.region, s.pathStyle, s.multipartThreshold, s.partSize,
                buckets(env, variablePrefix + "_BUCKETS"), s.expectedOwner);
    }

    /**
     * Without an allow list: for workers that only write where the operator's own settings say (worker-ai's
     * WORKER_AI_OUTPUT_PREFIX), so there is no bucket a message could choose.
     */
    public static S3Settings forOperatorBuckets(Env env, String variablePrefix) {
        Optional<URI> endpoint = endpoint(env, "AWS_ENDPOINT_URL_S3").or(() -> endpoint(env, "AWS_ENDPOINT_URL"));
        String pathStyleVariable = variablePrefix + "_PATH_STYLE";
        String thresholdVariable = variablePrefix + "_MULTIPART_THRESHOLD";
        String partVariable = variablePrefix + "_PART_SIZE";
        boolean pathStyle = env.bool(pathStyleVariable, false);
        long threshold = env.size(thresholdVariable, DEFAULT_MULTIPART_THRESHOLD);
        long part = env.size(partVariable, DEFAULT_PART_SIZE);
        if (part < MIN_PART_SIZE || part > MAX_PART_SIZE) {
            throw ConfigException.invalid(partVariable, env.string(partVariable).orElse(""),
                    "a size from 5MiB to 5GiB (S3's part size limits)");
        }
        if (threshold < part) {
            throw ConfigException.invalid(thresholdVariable,
                    env.string(thresholdVariable).orElse(String.valueOf(threshold)),
                    "a size no smaller than " + partVariable + " (" + part + " bytes)");
        }
        return new S3Settings(variablePrefix, endpoint, env.string("AWS_REGION"), pathStyle, threshold, part, Set.of(),
                expectedOwner(env, variablePrefix + "_EXPECTED_OWNER"));
    }

    private static Set<String> buckets(Env env, String variable) {
        Optional<String> raw = env.string(variable);
        if (raw.isEmpty()) {
            return Set.of();
        }
        Set<String> names = new LinkedHashSet<>();
        for (String part : raw.get().split(",")) {
            String name = part.strip();
            if (name.isEmpty()) {
                continue;
            }
            if (!BUCKET.matcher(name).matches()) {
                throw ConfigException.invalid(variable, raw.get(),
                        "a comma-separated list of S3 bucket names such as uploads,media ('" + name + "' is not one)");
            }
            names.add(name);
        }
        if (names.isEmpty()) {
            throw ConfigException.invalid(variable, raw.get(), "a comma-separated list of S3 bucket names");
        }
        return names;
    }

    private static Optional<String> expectedOwner(Env env, String variable) {
        Optional<String> owner = env.string(variable).map(String::strip);
        owner.ifPresent(id -> {
            if (!ACCOUNT_ID.matcher(id).matches()) {
                throw ConfigException.invalid(variable, id, "a 12-digit AWS account id");
            }
        });
        return owner;
    }

    private static Optional<URI> endpoint(Env env, String name) {
        return env.string(name).map(raw -> {
            try {
                URI uri = URI.create(raw);
                if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                    return uri;
                }
            } catch (IllegalArgumentException ignored) {
                // reported below
            }
            throw ConfigException.invalid(name, raw, "an http(s) URL such as https://<account>.r2.cloudflarestorage.com");
        });
    }
}
