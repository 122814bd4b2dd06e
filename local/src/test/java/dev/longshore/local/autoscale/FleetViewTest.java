package dev.longshore.local.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetViewTest {
    private static FleetView.Frame frame(double t, int visible, int done) {
        FleetSnapshot g = new FleetSnapshot(100 + t, t, 5, visible, 1, 0, 2, 1, 3, 4, List.of(),
                List.of(new Activity(0.2, 0, 1, "zero to one: 40 visible, no instance")));
        return new FleetView.Frame(g, new QueueGauge.Depth(visible, 8, 0), 40, 40, 8, done, 0, List.of());
    }

    @Test
    void linesShowQueueInstancesAndJobsAndSkipRepeats() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FleetView view = new FleetView(FleetView.Mode.LINES, new PrintStream(bytes, true, StandardCharsets.UTF_8), "h");
        view.show(frame(1.0, 30, 2));
        view.show(frame(1.5, 30, 2)); // nothing changed
        view.show(frame(1.7, 29, 3)); // only the queue moved, within a second of the last line
        view.show(frame(2.1, 28, 4));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(2, out.lines().count(), out);
        assertTrue(out.contains("queue   30 visible   8 in flight | instances 1 booting 2 in service (0 warming) 1 draining"),
                out);
        assertTrue(out.contains("jobs 40/40 sent   8 running    4 done"), out);
    }

    @Test
    void liveRedrawsOneScreenInPlace() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FleetView view = new FleetView(FleetView.Mode.LIVE, new PrintStream(bytes, true, StandardCharsets.UTF_8), "header");
        view.show(frame(1.0, 30, 2));
        view.show(frame(2.0, 20, 5));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(1, out.split("\u001b\\[2J", -1).length - 1, "the screen is cleared once");
        assertEquals(2, out.split("\u001b\\[H", -1).length - 1, "then redrawn from the top");
        assertTrue(out.contains("zero to one"), out);
    }
}
