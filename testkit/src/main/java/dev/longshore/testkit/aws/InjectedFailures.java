package dev.longshore.testkit.aws;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Failures a test asked a fake to answer with, per action, in the order asked: "the next 2 PutMetricData calls
 * answer 400 Throttling". Shared by the fakes so that every one of them can exercise a client's retries the same way.
 */
final class InjectedFailures {
    /** Matches every action of the fake. */
    static final String ANY = "*";

    /** One injected answer: the HTTP status and the service's error code (a plain-text service's reason phrase). */
    record Failure(int status, String code) {
    }

    private final Map<String, Deque<Failure>> pending = new HashMap<>();
    /** Failures that answer every call of their action until {@link #clear()}: an outage, whatever a client retries. */
    private final Map<String, Failure> standing = new HashMap<>();
    private int answered;

    synchronized void add(String action, int times, int status, String code) {
        check("failNext(" + action + ", " + times + ", " + status + ", " + code + ")", times, status, code);
        Deque<Failure> queue = pending.computeIfAbsent(action, a -> new ArrayDeque<>());
        for (int i = 0; i < times; i++) {
            queue.add(new Failure(status, code));
        }
    }

    /** Every call of {@code action} (or {@link #ANY}) fails with this status and code until {@link #clear()}. */
    synchronized void addUntilCleared(String action, int status, String code) {
        check("failing(" + action + ", " + status + ", " + code + ")", 1, status, code);
        standing.put(action, new Failure(status, code));
    }

    private static void check(String call, int times, int status, String code) {
        if (times < 1 || status < 400 || status > 599 || code == null || code.isBlank()) {
            throw new IllegalArgumentException(call + ": times >= 1, a 4xx or 5xx status and an error code");
        }
    }

    /** The failure this call of {@code action} must answer with, if one is pending (its own first, then ANY). */
    synchronized Optional<Failure> take(String action) {
        for (String key : new String[] {action, ANY}) {
            Deque<Failure> queue = pending.get(key);
            if (queue != null && !queue.isEmpty()) {
                answered++;
                return Optional.of(queue.poll());
            }
        }
        for (String key : new String[] {action, ANY}) {
            Failure always = standing.get(key);
            if (always != null) {
                answered++;
                return Optional.of(always);
            }
        }
        return Optional.empty();
    }

    synchronized void clear() {
        pending.clear();
        standing.clear();
    }

    /** Calls answered with an injected failure so far. */
    synchronized int answered() {
        return answered;
    }
}
