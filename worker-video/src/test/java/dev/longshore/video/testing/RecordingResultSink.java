package dev.longshore.video.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longshore.video.result.ResultSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps the result messages a handler sent. */
public final class RecordingResultSink implements ResultSink {
    private final List<ObjectNode> sent = new CopyOnWriteArrayList<>();

    @Override
    public void send(String jobId, ObjectNode result) {
        sent.add(result.deepCopy());
    }

    public List<ObjectNode> sent() {
        return List.copyOf(sent);
    }
}
