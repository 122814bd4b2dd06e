package dev.longshore.core.runtime;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Job ids this process finished successfully, with a digest of the body each was finished with, oldest out
 * first. SQS standard queues may deliver a message twice; when the second copy reaches the same worker it is
 * acknowledged without running the job again. The body decides whether it is a copy: the same jobId with a
 * different body is another job reusing the id (README: How a message is handled), which must not be skipped
 * as if it were done.
 */
final class RecentJobs {
    /** What a received job is, next to the jobs finished here. */
    enum Seen {
        /** Not finished in this process (or forgotten since). */
        NEW,
        /** Finished with the same body: a redelivery. */
        SAME_BODY,
        /** Finished with another body: the jobId was reused. */
        DIFFERENT_BODY
    }

    /** 128 bits of SHA-256: no accidental collision among the bodies one process sees. */
    private static final int DIGEST_BYTES = 16;

    private final int capacity;
    private final Map<String, byte[]> digests;

    RecentJobs(int capacity) {
        this.capacity = capacity;
        this.digests = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
                return size() > RecentJobs.this.capacity;
            }
        };
    }

    synchronized void add(String jobId, String body) {
        digests.put(jobId, digest(body));
    }

    synchronized Seen check(String jobId, String body) {
        byte[] finished = digests.get(jobId);
        if (finished == null) {
            return Seen.NEW;
        }
        return Arrays.equals(finished, digest(body)) ? Seen.SAME_BODY : Seen.DIFFERENT_BODY;
    }

    /** Over the UTF-16 code units as received, so bodies differing only in invalid text still differ. */
    static byte[] digest(String body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] chunk = new byte[8192];
            int n = 0;
            for (int i = 0; i < body.length(); i++) {
                char c = body.charAt(i);
                chunk[n++] = (byte) (c >> 8);
                chunk[n++] = (byte) c;
                if (n == chunk.length) {
                    sha.update(chunk, 0, n);
                    n = 0;
                }
            }
            sha.update(chunk, 0, n);
            return Arrays.copyOf(sha.digest(), DIGEST_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
