package dev.longshore.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/** Summarises a JFR recording: where the CPU samples landed, by top frame and by the first Longshore frame. */
final class Profile {
    private Profile() {
    }

    static String summary(Path jfr, int top) throws IOException {
        Map<String, Integer> topFrames = new HashMap<>();
        Map<String, Integer> ourFrames = new HashMap<>();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            samples++;
            topFrames.merge(name(frames.get(0)), 1, Integer::sum);
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (n.startsWith("dev.longshore")) {
                    ourFrames.merge(n, 1, Integer::sum);
                    break;
                }
            }
        }
        StringBuilder out = new StringBuilder("JFR: " + samples + " CPU samples\ntop frames:\n");
        append(out, topFrames, samples, top);
        out.append("first Longshore frame on the stack:\n");
        append(out, ourFrames, samples, top);
        return out.toString();
    }

    private static void append(StringBuilder out, Map<String, Integer> counts, int total, int top) {
        counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(top)
                .forEach(e -> out.append(String.format("  %5.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, total), e.getKey())));
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }
}
