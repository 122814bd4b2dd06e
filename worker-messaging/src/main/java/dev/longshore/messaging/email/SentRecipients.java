package dev.longshore.messaging.email;

import jakarta.mail.internet.InternetAddress;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which recipients of a job the relay already accepted (its DATA got 250), kept until the job ends, so that a
 * retry in this process sends only to the others (docs/messaging.md: E-mail). Another process retrying the job
 * does not know: the fixed Message-ID is then what lets mailboxes drop the second copy. Bounded, least recently
 * used jobs first.
 */
final class SentRecipients {
    private final int maxJobs;
    private final LinkedHashMap<String, Set<String>> byJob = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
            return size() > maxJobs;
        }
    };

    SentRecipients(int maxJobs) {
        this.maxJobs = maxJobs;
    }

    static String key(InternetAddress a) {
        return a.getAddress().toLowerCase(Locale.ROOT);
    }

    synchronized Set<String> of(String jobId) {
        Set<String> sent = byJob.get(jobId);
        return sent == null ? Set.of() : Set.copyOf(sent);
    }

    synchronized void add(String jobId, Collection<InternetAddress> accepted) {
        Set<String> sent = byJob.computeIfAbsent(jobId, id -> new HashSet<>());
        accepted.forEach(a -> sent.add(key(a)));
    }

    synchronized void forget(String jobId) {
        byJob.remove(jobId);
    }
}
