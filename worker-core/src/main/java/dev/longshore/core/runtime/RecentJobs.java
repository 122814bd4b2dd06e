package dev.longshore.core.runtime;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

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
    /**
     * Read by every job thread: a synchronized map here was the most contended lock of a busy worker (a sixth of
     * its CPU samples in scripts/bench --profile), so reads take no lock and the order of arrival is kept apart.
     */
    private final Map<String, byte[]> digests = new ConcurrentHashMap<>();
    private final Queue<Finished> order = new ConcurrentLinkedQueue<>();

    private record Finished(String jobId, byte[] digest) {
    }

    RecentJobs(int capacity) {
        this.capacity = capacity;
    }

    void add(String jobId, String body) {
        byte[] d = digest(body);
        digests.put(jobId, d);
        order.add(new Finished(jobId, d));
        while (digests.size() > capacity) {
            Finished eldest = order.poll();
            if (eldest == null) {
                break;
            }
            // Only if still the entry this one recorded: a later add of the same id keeps its own.
            digests.remove(eldest.jobId(), eldest.digest());
        }
    }

    Seen check(String jobId, String body) {
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
            byte[] chunk = new byte[Math.max(2, Math.min(8192, 2 * body.length()))];
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
