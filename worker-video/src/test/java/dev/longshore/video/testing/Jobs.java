package dev.longshore.video.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longshore.core.job.Job;
import java.util.Optional;

/** Builds jobs the way the core hands them to the handler. */
public final class Jobs {
    public static final ObjectMapper JSON = new ObjectMapper();

    private Jobs() {
    }

    public static Job transcode(String id, String payloadJson) {
        return transcode(id, payloadJson, 1);
    }

    public static Job transcode(String id, String payloadJson, int receiveCount) {
        try {
            return new Job(id, "video.transcode", (ObjectNode) JSON.readTree(payloadJson), receiveCount,
                    "msg-" + id + "-" + receiveCount, Optional.empty());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
