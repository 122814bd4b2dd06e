package dev.longshore.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** The table, the ratios against the targets, and the throughput-vs-concurrency plot. */
final class Report {
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e)};

    private final Figures figures;
    private final List<String> peers;
    private final BenchMain.Settings settings;

    Report(Figures figures, List<String> peers, BenchMain.Settings settings) {
        this.figures = figures;
        this.peers = peers;
        this.settings = settings;
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("Measured ").append(BenchMain.today()).append(" by `scripts/bench").append(settings.quick() ? " --quick" : "")
                .append("` on ").append(machine()).append("; Java ").append(Runtime.version()).append(", ")
                .append(command("node", "--version")).append(", ElasticMQ 1.7.1 (one server process shared by all), ")
                .append("AWS SDK for Java 2.31.78, sqs-consumer 15.0.3 with @aws-sdk/client-sqs 3.1169.0. ")
                .append(settings.repeats()).append(" run(s) per figure, shown as median (min")
                .append(settings.repeats() > 1 ? ", max" : "").append("). Drains (").append(String.join("; ", BenchMain.Drain.ALL.stream().map(BenchMain.Drain::label).toList()))
                .append("): ").append(settings.messages())
                .append(" messages (50 ms handler at C=4: ").append(settings.sleepMessagesLowConcurrency()).append("). JVM flags: `")
                .append(settings.jvmFlags().isEmpty() ? "(defaults)" : String.join(" ", settings.jvmFlags()))
                .append("`").append(Runtime.version().feature() >= 25 ? " plus a JDK 25 AOT cache from a short training run" : "")
                .append(". worker-messaging is measured idle only (start-up, idle RSS and CPU, SIGTERM). Drains reach the server ")
                .append(System.getenv("BENCH_NO_PROXY") == null ? "through a counting TCP proxy in the bench JVM (the same hop for every peer)"
                        : "directly (BENCH_NO_PROXY: no request counts)").append(".\n\n");
        md.append("| figure |");
        peers.forEach(p -> md.append(' ').append(p).append(" |"));
        md.append("\n|---|");
        peers.forEach(p -> md.append("---:|"));
        md.append('\n');
        for (String f : figures.figures()) {
            if (f.startsWith(REQUESTS_BY_OPERATION) || f.startsWith(NATIVE_MEMORY)) {
                continue; // in their own tables below
            }
            md.append("| ").append(f).append(" |");
            for (String p : peers) {
                List<Double> v = figures.get(f, p);
                md.append(' ').append(cell(v)).append(" |");
            }
            md.append('\n');
        }
        md.append(requestsTable());
        md.append(nativeMemoryTable());
        md.append("\nGoals of issue 15 (medians; longshore against sqs-consumer-batch, and idle figures):\n\n");
        goals().forEach(g -> md.append(g).append('\n'));
        md.append("\nOther ratios (medians):\n\n");
        for (String label : drainLabels()) {
            double ours = Figures.median(figures.get(throughput(label), "longshore"));
            // the better of the two sqs-consumer modes that ran (Math.max would give NaN if one did not)
            double consumer = Figures.max(List.of(Figures.median(figures.get(throughput(label), "sqs-consumer")),
                    Figures.median(figures.get(throughput(label), "sqs-consumer-batch"))));
            double raw = Figures.median(figures.get(throughput(label), "raw-sdk-loop"));
            if (Double.isNaN(consumer) && Double.isNaN(raw)) {
                continue; // neither was in this run
            }
            md.append(String.format(Locale.ROOT, "- throughput %s: longshore / best sqs-consumer = %.2fx, longshore / raw loop = %.2fx (target >= 0.9x)%n",
                    label, ours / consumer, ours / raw));
        }
        return md.toString();
    }

    /** Figures of the requests table: {@code REQUESTS_BY_OPERATION + label + ": " + operation column}. */
    static final String REQUESTS_BY_OPERATION = "SQS requests by operation per 1000 msgs ";
    /** Figures of the native memory table: {@code NATIVE_MEMORY + category}. */
    static final String NATIVE_MEMORY = "native memory committed (MiB), idle: ";
    /** The process's resident set in the same run as the native memory summary. */
    static final String NATIVE_MEMORY_RSS = NATIVE_MEMORY + "RSS of that process";

    static String throughput(String label) {
        return "throughput " + label + " (msg/s)";
    }

    static String requests(String label) {
        return "SQS requests per 1000 msgs " + label;
    }

    static String requests(String label, SqsOperation op) {
        return REQUESTS_BY_OPERATION + label + ": " + op.column;
    }

    static String consumerCpu(String label) {
        return "CPU s per 1000 msgs " + label + " (consumer)";
    }

    /** The drain configurations measured, in run order ("no-op, C=40", ...). */
    List<String> drainLabels() {
        return figures.figures().stream().filter(f -> f.startsWith("throughput ") && f.endsWith(" (msg/s)"))
                .map(f -> f.substring("throughput ".length(), f.length() - " (msg/s)".length())).toList();
    }

    /** Requests per 1000 messages by operation: one row per configuration and peer that was counted. */
    String requestsTable() {
        StringBuilder md = new StringBuilder();
        for (String label : drainLabels()) {
            for (String p : peers) {
                if (figures.get(requests(label), p).isEmpty()) {
                    continue;
                }
                if (md.isEmpty()) {
                    md.append("\nSQS requests per 1000 messages by operation (counted by a TCP proxy between the consumers and the server; medians):\n\n")
                            .append("| configuration | peer | total |");
                    for (SqsOperation op : SqsOperation.values()) {
                        md.append(' ').append(op.column).append(" |");
                    }
                    md.append("\n|---|---|---:|").append("---:|".repeat(SqsOperation.values().length)).append('\n');
                }
                md.append("| ").append(label).append(" | ").append(p).append(" | ").append(cell(figures.get(requests(label), p))).append(" |");
                for (SqsOperation op : SqsOperation.values()) {
                    md.append(' ').append(fmt(Figures.median(figures.get(requests(label, op), p)))).append(" |");
                }
                md.append('\n');
            }
        }
        return md.toString();
    }

    /** Committed native memory by NMT category of the idle workers, with the total and RSS beside it. */
    String nativeMemoryTable() {
        List<String> measured = peers.stream().filter(p -> !figures.get(NATIVE_MEMORY + NativeMemory.TOTAL, p).isEmpty()).toList();
        if (measured.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("\nNative memory of the idle worker (-XX:NativeMemoryTracking=summary, jcmd VM.native_memory "
                + "after the idle settle; committed MiB; NMT's own bookkeeping is included in the total and RSS; categories under 0.05 MiB left out):\n\n| category |");
        measured.forEach(p -> md.append(' ').append(p).append(" |"));
        md.append("\n|---|").append("---:|".repeat(measured.size())).append('\n');
        List<String> rows = new java.util.ArrayList<>(figures.figures().stream().filter(f -> f.startsWith(NATIVE_MEMORY))
                .filter(f -> !f.equals(NATIVE_MEMORY + NativeMemory.TOTAL) && !f.equals(NATIVE_MEMORY_RSS))
                .filter(f -> measured.stream().anyMatch(p -> Figures.median(figures.get(f, p)) >= 0.05)).toList());
        rows.add(NATIVE_MEMORY + NativeMemory.TOTAL);
        rows.add(NATIVE_MEMORY_RSS);
        for (String f : rows) {
            String name = f.substring(NATIVE_MEMORY.length());
            md.append("| ").append(name.equals(NativeMemory.TOTAL) ? "**total committed**" : name).append(" |");
            for (String p : measured) {
                md.append(' ').append(String.format(Locale.ROOT, "%.1f", Figures.median(figures.get(f, p)))).append(" |");
            }
            md.append('\n');
        }
        return md.toString();
    }

    /** Issue 15's goals, one line each with met or missed. */
    List<String> goals() {
        List<String> lines = new java.util.ArrayList<>();
        String ours = "longshore";
        String peer = "sqs-consumer-batch";
        for (String label : drainLabels()) {
            double ratio = median(throughput(label), ours) / median(throughput(label), peer);
            Double bound = switch (label) {
                case "no-op, C=40" -> 1.5;
                case "no-op, C=64", "50 ms, C=64" -> 1.2;
                default -> null;
            };
            String what = "throughput " + label + ", longshore / " + peer;
            lines.add(bound == null ? String.format(Locale.ROOT, "- %s: %.2fx (no goal)", what, ratio)
                    : Goal.atLeast(what, ratio, bound, "x").line());
        }
        for (String label : drainLabels()) {
            lines.add(Goal.atMost("consumer CPU per 1000 msgs " + label + ", longshore / " + peer,
                    median(consumerCpu(label), ours) / median(consumerCpu(label), peer), 0.8, "x").line());
        }
        for (String label : drainLabels()) {
            double theirs = median(requests(label), peer);
            lines.add(Goal.atMost("SQS requests per 1000 msgs " + label + ", longshore (no more than " + peer + "'s "
                    + fmt(theirs) + ")", median(requests(label), ours), theirs, "").line());
        }
        String rss = figures.figures().stream().filter(f -> f.startsWith("idle RSS after")).findFirst().orElse("idle RSS");
        for (String p : List.of(ours, "worker-messaging")) {
            lines.add(Goal.atMost(rss + ", " + p, median(rss, p), 64, " MiB").line());
            lines.add(Goal.atMost("start to first ReceiveMessage, " + p, median("start to first ReceiveMessage (ms)", p), 300, " ms").line());
            lines.add(Goal.atMost("idle CPU per 30 s, " + p, median("idle CPU (s per 30 s)", p), 0.02, " s").line());
        }
        return lines;
    }

    private double median(String figure, String peer) {
        return Figures.median(figures.get(figure, peer));
    }

    private String cell(List<Double> v) {
        if (v.isEmpty()) {
            return "-";
        }
        double med = Figures.median(v);
        if (v.size() == 1) {
            return fmt(med);
        }
        return fmt(med) + " (" + fmt(Figures.min(v)) + ", " + fmt(Figures.max(v)) + ")";
    }

    private static String fmt(double d) {
        if (Double.isNaN(d)) {
            return "n/a";
        }
        if (Math.abs(d) >= 100 || d == Math.rint(d)) {
            return String.format(Locale.ROOT, "%,.0f", d);
        }
        if (Math.abs(d) >= 1) {
            return String.format(Locale.ROOT, "%.1f", d);
        }
        return String.format(Locale.ROOT, "%.3f", d);
    }

    /** Throughput against concurrency, one line per peer, for each handler. */
    void plot(Path png) throws IOException {
        int w = 900;
        int h = 450;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        String[] handlers = {"no-op", "50 ms"};
        int[] conc = {4, 40, 64};
        List<String> drawn = peers.stream().filter(p -> !figures.get("throughput no-op, C=4 (msg/s)", p).isEmpty()).toList();
        for (int panel = 0; panel < 2; panel++) {
            int x0 = 70 + panel * 430;
            int y0 = 360;
            int pw = 330;
            int ph = 290;
            double max = 1;
            for (String p : drawn) {
                for (int c : conc) {
                    double v = Figures.median(figures.get("throughput " + handlers[panel] + ", C=" + c + " (msg/s)", p));
                    if (!Double.isNaN(v)) {
                        max = Math.max(max, v);
                    }
                }
            }
            max *= 1.1;
            g.setStroke(new BasicStroke(1f));
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString("throughput, " + handlers[panel] + " handler (msg/s)", x0, 40);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            g.drawLine(x0, y0, x0 + pw, y0);
            g.drawLine(x0, y0, x0, y0 - ph);
            for (int t = 0; t <= 4; t++) {
                int y = y0 - ph * t / 4;
                g.setColor(new Color(0xdddddd));
                g.drawLine(x0 + 1, y, x0 + pw, y);
                g.setColor(Color.BLACK);
                g.drawString(String.format(Locale.ROOT, "%,.0f", max * t / 4), x0 - 60, y + 4);
            }
            for (int i = 0; i < conc.length; i++) {
                int x = x0 + 30 + i * (pw - 60) / (conc.length - 1);
                g.drawString("C=" + conc[i], x - 12, y0 + 18);
            }
            for (int k = 0; k < drawn.size(); k++) {
                String p = drawn.get(k);
                g.setColor(COLORS[k % COLORS.length]);
                g.setStroke(new BasicStroke(2.5f));
                int px = -1;
                int py = -1;
                for (int i = 0; i < conc.length; i++) {
                    double v = Figures.median(figures.get("throughput " + handlers[panel] + ", C=" + conc[i] + " (msg/s)", p));
                    if (Double.isNaN(v)) {
                        continue;
                    }
                    int x = x0 + 30 + i * (pw - 60) / (conc.length - 1);
                    int y = y0 - (int) (ph * v / max);
                    g.fillOval(x - 4, y - 4, 8, 8);
                    if (px >= 0) {
                        g.drawLine(px, py, x, y);
                    }
                    px = x;
                    py = y;
                }
                if (panel == 0) {
                    int lx = 70 + k * 200;
                    g.fillRect(lx, 412, 18, 4);
                    g.drawString(p, lx + 24, 418);
                }
            }
        }
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    /** Reads the medians back from a results table written by {@link #markdown()}, to redraw its plot. */
    static Figures fromMarkdown(List<String> lines, List<String> peersOut) {
        Figures f = new Figures();
        for (String line : lines) {
            if (!peersOut.isEmpty() && !line.startsWith("|")) {
                break; // the figures table has ended; the tables after it have other columns
            }
            if (line.startsWith("| figure |")) {
                String[] cells = line.split("\\|");
                for (int i = 2; i < cells.length; i++) {
                    peersOut.add(cells[i].trim());
                }
            } else if (line.startsWith("| ") && !line.startsWith("|---") && !peersOut.isEmpty()) {
                String[] cells = line.split("\\|");
                String figure = cells[1].trim();
                for (int i = 2; i < cells.length && i - 2 < peersOut.size(); i++) {
                    String cell = cells[i].trim();
                    if (cell.equals("-") || cell.isEmpty()) {
                        continue;
                    }
                    String median = cell.split(" ")[0].replace(",", "");
                    try {
                        f.add(figure, peersOut.get(i - 2), Double.parseDouble(median));
                    } catch (NumberFormatException ignored) {
                        // n/a
                    }
                }
            }
        }
        return f;
    }

    private static String machine() {
        String model = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    model = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException ignored) {
            // not Linux
        }
        long memGiB = Math.round(((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getTotalMemorySize() / (1024.0 * 1024 * 1024));
        return Runtime.getRuntime().availableProcessors() + " cores (" + model + "), " + memGiB + " GiB";
    }

    private static String command(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return "Node " + out;
        } catch (Exception e) {
            return "Node (not found)";
        }
    }
}
