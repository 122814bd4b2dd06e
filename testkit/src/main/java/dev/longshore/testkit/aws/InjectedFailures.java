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

    /** One injected answer: the HTTP status and the service's error code. */
    record Failure(int status, String code) {
    }

    private final Map<String, Deque<Failure>> pending = new HashMap<>();
    private int answered;

    synchronized void add(String action, int times, int status, String code) {
        if (times < 1 || status < 400 || status > 599 || code == null || code.isBlank()) {
            throw new IllegalArgumentException("failNext(" + action + ", " + times + ", " + status + ", " + code
                    + "): times >= 1, a 4xx or 5xx status and an error code");
        }
        Deque<Failure> queue = pending.computeIfAbsent(action, a -> new ArrayDeque<>());
        for (int i = 0; i < times; i++) {
            queue.add(new Failure(status, code));
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
        return Optional.empty();
    }

    synchronized void clear() {
        pending.clear();
    }

    /** Calls answered with an injected failure so far. */
    synchronized int answered() {
        return answered;
    }
}
