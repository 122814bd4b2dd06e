package dev.longshore.local.autoscale;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The terminal view of a fleet run. {@code live} redraws one screen in place (ANSI cursor movement, for a
 * terminal); {@code lines} prints a line when the group changes, and at most one a second while only the queue and jobs move (for logs and CI).
 */
public final class FleetView {
    public enum Mode { LIVE, LINES }

    /** Everything one refresh shows. */
    public record Frame(FleetSnapshot group, QueueGauge.Depth queue, int sent, int jobs, int running, int done,
                        int duplicates, List<Integer> inFlightPerInstance) {
    }

    private static final String HOME = "\u001b[H";
    private static final String CLEAR_LINE = "\u001b[K";
    private static final String CLEAR_BELOW = "\u001b[J";
    private static final String CLEAR_SCREEN = "\u001b[2J";
    private static final int ACTIVITY_LINES = 6;
    private static final double LINE_INTERVAL = 1.0;

    private final Mode mode;
    private final PrintStream out;
    private final String header;
    private boolean cleared;
    private String lastLine = "";
    private String lastInstances = "";
    private double lastPrinted = Double.NEGATIVE_INFINITY;

    public FleetView(Mode mode, PrintStream out, String header) {
        this.mode = mode;
        this.out = out;
        this.header = header;
    }

    public void show(Frame f) {
        if (mode == Mode.LINES) {
            String line = line(f);
            String state = line.substring(line.indexOf(' '));
            String instances = line.substring(line.indexOf('|'), line.lastIndexOf('|'));
            // every change of the group at once, queue and job progress at most once a second
            if (!instances.equals(lastInstances) || (!state.equals(lastLine) && f.group().t() - lastPrinted >= LINE_INTERVAL)) {
                out.println(line);
                lastLine = state;
                lastInstances = instances;
                lastPrinted = f.group().t();
            }
            return;
        }
        StringBuilder screen = new StringBuilder();
        if (!cleared) {
            screen.append(CLEAR_SCREEN);
            cleared = true;
        }
        screen.append(HOME);
        for (String l : screen(f)) {
            screen.append(l).append(CLEAR_LINE).append('\n');
        }
        screen.append(CLEAR_BELOW);
        out.print(screen);
        out.flush();
    }

    /** One line: {@code +12.5s queue 64 visible 20 in flight | instances 1 booting 4 in service ... | jobs ...}. */
    static String line(Frame f) {
        FleetSnapshot g = f.group();
        return String.format(Locale.ROOT, "%-8s queue %4d visible %3d in flight | instances %d booting %d in service"
                        + " (%d warming) %d draining | jobs %d/%d sent %3d running %4d done", time(g.t()),
                f.queue().visible(), f.queue().inFlight(), g.booting(), g.inService(), g.warming(), g.draining(),
                f.sent(), f.jobs(), f.running(), f.done());
    }

    List<String> screen(Frame f) {
        FleetSnapshot g = f.group();
        List<String> lines = new ArrayList<>();
        lines.add(header);
        lines.add("");
        lines.add(String.format(Locale.ROOT, "  time       %s", time(g.t())));
        lines.add(String.format(Locale.ROOT, "  queue      %5d visible  %4d in flight  %3d dead-lettered   %s",
                f.queue().visible(), f.queue().inFlight(), f.queue().deadLettered(), bar(f.queue().visible(), f.jobs())));
        lines.add(String.format(Locale.ROOT, "  instances  %5d booting  %4d in service (%d warming)  %d draining"
                + "   desired %d, peak %d", g.booting(), g.inService(), g.warming(), g.draining(), g.desired(),
                g.peakDesired()));
        lines.add(String.format(Locale.ROOT, "  jobs       %5d/%d sent  %4d running  %5d done  %d duplicates",
                f.sent(), f.jobs(), f.running(), f.done(), f.duplicates()));
        lines.add("");
        List<FleetInstance> instances = g.instances();
        for (int i = 0; i < instances.size(); i++) {
            FleetInstance in = instances.get(i);
            if (!in.state().alive() && g.now() - in.endedAt() > 15) {
                continue; // ended a while ago: the summary lists it
            }
            int inFlight = i < f.inFlightPerInstance().size() ? f.inFlightPerInstance().get(i) : -1;
            lines.add(String.format(Locale.ROOT, "  %-5s %-11s %s %s", in.id(), label(in, g), inFlight < 0 ? "         "
                    : String.format(Locale.ROOT, "%2d running", inFlight), in.problem() == null ? "" : in.problem()));
        }
        lines.add("");
        List<Activity> activities = g.activities();
        lines.add("  scaling activity:");
        for (Activity a : activities.subList(Math.max(0, activities.size() - ACTIVITY_LINES), activities.size())) {
            lines.add("    " + a);
        }
        return lines;
    }

    private static String label(FleetInstance in, FleetSnapshot g) {
        return switch (in.state()) {
            case IN_SERVICE -> !in.initial() && g.now() - in.readyAt() < g.warmupSeconds() ? "warming" : "in service";
            case BOOTING -> "booting";
            case STARTING -> "starting";
            case DRAINING -> "draining";
            case TERMINATED -> "terminated";
            case FAILED -> "FAILED";
        };
    }

    private static String time(double t) {
        return (t < 0 ? "-" : "+") + Figures.format(Math.abs(t));
    }

    private static String bar(int value, int scale) {
        int width = 30;
        int n = scale <= 0 ? 0 : (int) Math.round(Math.min(1.0, (double) value / scale) * width);
        return "[" + "#".repeat(n) + " ".repeat(width - n) + "]";
    }
}
