package dev.longshore.video.result;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Where the message saying a job ended goes (WORKER_RESULT_QUEUE_URL), or nowhere. */
public interface ResultSink extends AutoCloseable {
    ResultSink NONE = new ResultSink() {
        @Override
        public void send(String jobId, ObjectNode result) {
        }

        @Override
        public boolean enabled() {
            return false;
        }
    };

    /** Sends one result; throws when it could not be sent, so the caller can decide whether to retry. */
    void send(String jobId, ObjectNode result) throws Exception;

    default boolean enabled() {
        return true;
    }

    @Override
    default void close() {
    }
}
