package dev.longshore.core.runtime;

import dev.longshore.core.queue.QueueMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands received messages to job threads. On FIFO queues the messages of one group run one after another in
 * receive order, different groups in parallel; when one fails, the rest of its group is released so SQS hands
 * them out again after it, in order.
 */
final class Dispatcher {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final ExecutorService jobs;
    private final MessageProcessor processor;
    private final InFlightRegistry registry;
    private final BooleanSupplier draining;
    private final boolean fifo;

    Dispatcher(PipelineParts parts, ExecutorService jobs, MessageProcessor processor, boolean fifo) {
        this.registry = parts.registry();
        this.draining = parts.draining();
        this.jobs = jobs;
        this.processor = processor;
        this.fifo = fifo;
    }

    /** Registers the messages (their permits are already taken) and starts their jobs. */
    void dispatch(List<QueueMessage> messages, int visibilitySeconds, Instant receivedAt) {
        List<List<InFlightMessage>> chains = new ArrayList<>();
        Map<String, List<InFlightMessage>> groups = new LinkedHashMap<>();
        for (QueueMessage msg : messages) {
            InFlightMessage m = new InFlightMessage(msg, receivedAt, visibilitySeconds, InFlightMessage.Phase.WAITING);
            registry.add(m);
            if (fifo && msg.groupId().isPresent()) {
                groups.computeIfAbsent(msg.groupId().get(), g -> {
                    List<InFlightMessage> chain = new ArrayList<>();
                    chains.add(chain);
                    return chain;
                }).add(m);
            } else {
                chains.add(List.of(m));
            }
        }
        for (List<InFlightMessage> chain : chains) {
            try {
                jobs.execute(() -> runChain(chain));
            } catch (RejectedExecutionException e) {
                processor.release(chain, "job executor stopped");
            }
        }
    }

    private void runChain(List<InFlightMessage> chain) {
        for (int i = 0; i < chain.size(); i++) {
            InFlightMessage m = chain.get(i);
            if (draining.getAsBoolean() || !m.phase.compareAndSet(InFlightMessage.Phase.WAITING, InFlightMessage.Phase.RUNNING)) {
                processor.release(chain.subList(i, chain.size()), "worker is draining");
                return;
            }
            boolean next;
            try {
                next = processor.process(m);
            } catch (RuntimeException | Error e) {
                log.error("unexpected failure processing message {}: {}", m.id(), e.toString(), e);
                processor.release(chain.subList(i, chain.size()), "unexpected runtime failure");
                return;
            }
            if (!next && i + 1 < chain.size()) {
                processor.release(chain.subList(i + 1, chain.size()),
                        "an earlier message of FIFO group " + m.message.groupId().orElse("?") + " will be retried first");
                return;
            }
        }
    }
}
