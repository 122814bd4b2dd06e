package dev.longshore.core.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Job ids this process finished successfully, most recent first out. SQS standard queues may deliver a message
 * twice; when the second copy reaches the same worker it is acknowledged without running the job again.
 */
final class RecentJobs {
    private final int capacity;
    private final Map<String, Boolean> ids;

    RecentJobs(int capacity) {
        this.capacity = capacity;
        this.ids = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > RecentJobs.this.capacity;
            }
        };
    }

    synchronized void add(String jobId) {
        ids.put(jobId, Boolean.TRUE);
    }

    synchronized boolean contains(String jobId) {
        return ids.containsKey(jobId);
    }
}
