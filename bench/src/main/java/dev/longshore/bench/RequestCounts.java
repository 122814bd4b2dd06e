package dev.longshore.bench;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Requests seen per operation group, added to by every proxied connection at once, read and reset by the bench. */
final class RequestCounts {
    private final Map<SqsOperation, LongAdder> counts = new EnumMap<>(SqsOperation.class);
    /** Connections whose stream stopped making sense as HTTP/1.1 (and were then passed through uncounted). */
    private final LongAdder unparsed = new LongAdder();

    RequestCounts() {
        for (SqsOperation op : SqsOperation.values()) {
            counts.put(op, new LongAdder());
        }
    }

    void add(SqsOperation op) {
        counts.get(op).increment();
    }

    void unparsed() {
        unparsed.increment();
    }

    long get(SqsOperation op) {
        return counts.get(op).sum();
    }

    long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    long unparsedConnections() {
        return unparsed.sum();
    }

    /** Between runs, when no consumer is connected (the previous one has exited). */
    void reset() {
        counts.values().forEach(LongAdder::reset);
        unparsed.reset();
    }
}
