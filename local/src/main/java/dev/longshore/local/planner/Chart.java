package dev.longshore.local.planner;

import dev.longshore.local.autoscale.Figures;
import dev.longshore.local.autoscale.Timeline;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import javax.imageio.ImageIO;

/**
 * A PNG of queue depth (left axis) and instances (right axis, stacked: in service, booting, draining) over time,
 * drawn with Java2D, headless. An optional second timeline (a measured run) is drawn over it in dashed lines.
 */
public final class Chart {
    static final int WIDTH = 1200;
    static final int HEIGHT = 620;
    static final Color QUEUE = new Color(0x1f77b4);
    static final Color QUEUE_FILL = new Color(0x1f, 0x77, 0xb4, 50);
    static final Color IN_FLIGHT = new Color(0x9467bd);
    static final Color IN_SERVICE = new Color(0x2ca02c);
    static final Color BOOTING = new Color(0xff7f0e);
    static final Color DRAINING = new Color(0x7f7f7f);
    static final Color MAX_LINE = new Color(0xd62728);
    static final Color MEASURED_QUEUE = new Color(0x0b3d66);
    static final Color MEASURED_INSTANCES = new Color(0x145214);
    private static final int LEFT = 80;
    private static final int RIGHT = 80;
    private static final int TOP = 78;
    private static final int BOTTOM = 62;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private final String title;
    private final String subtitle;
    private final Timeline predicted;
    private final Timeline measured;
    private final int max;
    private final double end;

    /**
     * @param measured a measured run to draw over the prediction, or null
     * @param end      the time axis ends here (seconds)
     */
    public Chart(String title, String subtitle, Timeline predicted, Timeline measured, int max, double end) {
        this.title = title;
        this.subtitle = subtitle;
        this.predicted = predicted;
        this.measured = measured;
        this.max = max;
        this.end = end;
    }

    public void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        if (!ImageIO.write(render(), "png", file.toFile())) {
            throw new IOException("no PNG writer in this JVM");
        }
    }

    BufferedImage render() {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            draw(g);
        } finally {
            g.dispose();
        }
        return image;
    }

    private void draw(Graphics2D g) {
        List<Timeline.Point> p = predicted.points();
        List<Timeline.Point> m = measured == null ? List.of() : measured.points();
        double xEnd = end > 0 ? end : Math.max(predicted.end(), measured == null ? 0 : measured.end());
        int queueTop = 1;
        int instanceTop = Math.max(1, max);
        for (Timeline.Point pt : p) {
            queueTop = Math.max(queueTop, Math.max(pt.visible(), pt.inFlight()));
            instanceTop = Math.max(instanceTop, pt.booting() + pt.inService() + pt.draining());
        }
        for (Timeline.Point pt : m) {
            queueTop = Math.max(queueTop, Math.max(pt.visible(), pt.inFlight()));
            instanceTop = Math.max(instanceTop, pt.booting() + pt.inService() + pt.draining());
        }
        double qMax = niceCeiling(queueTop * 1.08);
        double iMax = Math.max(instanceTop + 1, niceCeiling(instanceTop * 1.15));
        Plot plot = new Plot(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM, xEnd, qMax, iMax);

        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
        g.drawString(title, LEFT, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.setColor(new Color(0x444444));
        g.drawString(subtitle, LEFT, 48);

        grid(g, plot);
        instances(g, plot, p);
        queue(g, plot, p);
        if (!m.isEmpty()) {
            dashed(g, plot, m, Timeline.Point::visible, MEASURED_QUEUE, false);
            dashed(g, plot, m, pt -> pt.inService() + pt.booting(), MEASURED_INSTANCES, true);
        }
        if (max > 0) {
            g.setColor(MAX_LINE);
            g.setStroke(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
            int y = plot.yInstances(max);
            g.drawLine(plot.x, y, plot.x + plot.w, y);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString("max " + max, plot.x + plot.w - 48, y - 4);
        }
        legend(g, plot, !m.isEmpty());
    }

    private void grid(Graphics2D g, Plot plot) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        Stroke thin = new BasicStroke(1f);
        g.setStroke(thin);
        double qStep = niceStep(plot.qMax, 6);
        for (double v = 0; v <= plot.qMax + 1e-9; v += qStep) {
            int y = plot.yQueue(v);
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(plot.x, y, plot.x + plot.w, y);
            g.setColor(QUEUE);
            String label = Figures.number(v);
            g.drawString(label, plot.x - 8 - g.getFontMetrics().stringWidth(label), y + 4);
        }
        double iStep = Math.max(1, niceStep(plot.iMax, 6));
        g.setColor(IN_SERVICE.darker());
        for (double v = 0; v <= plot.iMax + 1e-9; v += iStep) {
            int y = plot.yInstances(v);
            g.drawString(Figures.number(v), plot.x + plot.w + 8, y + 4);
        }
        double tStep = niceTimeStep(plot.xEnd, 10);
        for (double t = 0; t <= plot.xEnd + 1e-9; t += tStep) {
            int x = plot.x(t);
            g.setColor(new Color(0xf0f0f0));
            g.drawLine(x, plot.y, x, plot.y + plot.h);
            g.setColor(Color.DARK_GRAY);
            String label = axisTime(t);
            g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, plot.y + plot.h + 18);
        }
        g.setColor(Color.GRAY);
        g.drawRect(plot.x, plot.y, plot.w, plot.h);
        g.setColor(QUEUE);
        g.drawString("messages", 8, plot.y - 10);
        g.setColor(IN_SERVICE.darker());
        String right = "instances";
        g.drawString(right, WIDTH - 8 - g.getFontMetrics().stringWidth(right), plot.y - 10);
        g.setColor(Color.DARK_GRAY);
        String time = "time since the first arrival";
        g.drawString(time, plot.x + plot.w / 2 - g.getFontMetrics().stringWidth(time) / 2, HEIGHT - 14);
    }

    private void instances(Graphics2D g, Plot plot, List<Timeline.Point> p) {
        // stacked bands, bottom up: in service, booting, draining
        band(g, plot, p, pt -> 0, Timeline.Point::inService, IN_SERVICE);
        band(g, plot, p, Timeline.Point::inService, pt -> pt.inService() + pt.booting(), BOOTING);
        band(g, plot, p, pt -> pt.inService() + pt.booting(), pt -> pt.inService() + pt.booting() + pt.draining(), DRAINING);
    }

    private void band(Graphics2D g, Plot plot, List<Timeline.Point> p, ToIntFunction<Timeline.Point> low,
                      ToIntFunction<Timeline.Point> high, Color color) {
        if (p.isEmpty()) {
            return;
        }
        double width = p.size() > 1 ? p.get(1).t() - p.get(0).t() : plot.xEnd;
        Path2D area = new Path2D.Double();
        area.moveTo(plot.x(0), plot.yInstances(low.applyAsInt(p.get(0))));
        for (Timeline.Point pt : p) {
            area.lineTo(plot.x(pt.t()), plot.yInstances(high.applyAsInt(pt)));
            area.lineTo(plot.x(Math.min(plot.xEnd, pt.t() + width)), plot.yInstances(high.applyAsInt(pt)));
        }
        for (int i = p.size() - 1; i >= 0; i--) {
            Timeline.Point pt = p.get(i);
            area.lineTo(plot.x(Math.min(plot.xEnd, pt.t() + width)), plot.yInstances(low.applyAsInt(pt)));
            area.lineTo(plot.x(pt.t()), plot.yInstances(low.applyAsInt(pt)));
        }
        area.closePath();
        g.setColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 80));
        g.fill(area);
    }

    private void queue(Graphics2D g, Plot plot, List<Timeline.Point> p) {
        if (p.isEmpty()) {
            return;
        }
        Path2D line = new Path2D.Double();
        Path2D fill = new Path2D.Double();
        fill.moveTo(plot.x(0), plot.yQueue(0));
        boolean first = true;
        for (Timeline.Point pt : p) {
            double x = plot.x(pt.t());
            double y = plot.yQueue(pt.visible());
            if (first) {
                line.moveTo(x, y);
                first = false;
            } else {
                line.lineTo(x, y);
            }
            fill.lineTo(x, y);
        }
        fill.lineTo(plot.x(p.get(p.size() - 1).t()), plot.yQueue(0));
        fill.closePath();
        g.setColor(QUEUE_FILL);
        g.fill(fill);
        g.setColor(QUEUE);
        g.setStroke(new BasicStroke(2.2f));
        g.draw(line);
        Path2D running = new Path2D.Double();
        first = true;
        for (Timeline.Point pt : p) {
            if (first) {
                running.moveTo(plot.x(pt.t()), plot.yQueue(pt.inFlight()));
                first = false;
            } else {
                running.lineTo(plot.x(pt.t()), plot.yQueue(pt.inFlight()));
            }
        }
        g.setColor(IN_FLIGHT);
        g.setStroke(new BasicStroke(1.4f));
        g.draw(running);
    }

    private void dashed(Graphics2D g, Plot plot, List<Timeline.Point> m, ToIntFunction<Timeline.Point> value, Color color,
                        boolean instances) {
        Path2D line = new Path2D.Double();
        boolean first = true;
        int previous = 0;
        for (Timeline.Point pt : m) {
            int v = value.applyAsInt(pt);
            double x = plot.x(pt.t());
            double y = instances ? plot.yInstances(v) : plot.yQueue(v);
            if (first) {
                line.moveTo(x, y);
                first = false;
            } else if (instances) {
                line.lineTo(x, instances ? plot.yInstances(previous) : y);
                line.lineTo(x, y);
            } else {
                line.lineTo(x, y);
            }
            previous = v;
        }
        g.setColor(color);
        g.setStroke(new BasicStroke(2.4f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10, new float[] {9, 6}, 0));
        g.draw(line);
    }

    private void legend(Graphics2D g, Plot plot, boolean withMeasured) {
        List<Object[]> items = new ArrayList<>();
        items.add(new Object[] {QUEUE, "queue depth (visible)", "line"});
        items.add(new Object[] {IN_FLIGHT, "jobs running", "line"});
        items.add(new Object[] {IN_SERVICE, "in service", "box"});
        items.add(new Object[] {BOOTING, "booting", "box"});
        items.add(new Object[] {DRAINING, "draining", "box"});
        if (withMeasured) {
            items.add(new Object[] {MEASURED_QUEUE, "measured queue", "dash"});
            items.add(new Object[] {MEASURED_INSTANCES, "measured instances", "dash"});
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int x = LEFT;
        int y = TOP - 14;
        x = WIDTH - RIGHT;
        int total = 0;
        for (Object[] item : items) {
            total += 28 + g.getFontMetrics().stringWidth((String) item[1]) + 14;
        }
        x -= total;
        for (Object[] item : items) {
            Color c = (Color) item[0];
            String kind = (String) item[2];
            g.setColor(kind.equals("box") ? new Color(c.getRed(), c.getGreen(), c.getBlue(), 120) : c);
            switch (kind) {
                case "box" -> g.fillRect(x, y - 9, 20, 10);
                case "dash" -> {
                    g.setStroke(new BasicStroke(2.4f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10, new float[] {6, 4}, 0));
                    g.drawLine(x, y - 4, x + 20, y - 4);
                }
                default -> {
                    g.setStroke(new BasicStroke(2.2f));
                    g.drawLine(x, y - 4, x + 20, y - 4);
                }
            }
            g.setColor(Color.DARK_GRAY);
            String text = (String) item[1];
            g.drawString(text, x + 26, y);
            x += 28 + g.getFontMetrics().stringWidth(text) + 14;
        }
    }

    /** {@code 0}, {@code 45s}, {@code 10m}, {@code 1h 30m}: axis labels at whole steps need no zero seconds. */
    static String axisTime(double t) {
        long s = Math.round(t);
        if (Math.abs(t - s) > 1e-6) {
            return Figures.format(t);
        }
        if (s == 0) {
            return "0";
        }
        if (s < 60) {
            return s + "s";
        }
        if (s % 60 != 0) {
            return s / 60 + "m " + s % 60 + "s";
        }
        long m = s / 60;
        if (m < 60) {
            return m + "m";
        }
        return m % 60 == 0 ? m / 60 + "h" : m / 60 + "h " + m % 60 + "m";
    }

    /** The axis top: the first of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x 10^k at or above {@code v}. */
    static double niceCeiling(double v) {
        return ceiling(v, new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10});
    }

    /** A grid step: the first of 1, 2, 2.5, 5 x 10^k that gives at most {@code ticks} steps. */
    static double niceStep(double range, int ticks) {
        return ceiling(range / ticks, new double[] {1, 2, 2.5, 5, 10});
    }

    private static double ceiling(double v, double[] factors) {
        if (v <= 1) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double f : factors) {
            if (f * magnitude >= v - 1e-9) {
                return f * magnitude;
            }
        }
        return 10 * magnitude;
    }

    /** A step of seconds, minutes or hours that gives at most {@code ticks} labels. */
    static double niceTimeStep(double range, int ticks) {
        double[] steps = {0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400};
        for (double s : steps) {
            if (range / s <= ticks) {
                return s;
            }
        }
        return niceCeiling(range / ticks);
    }

    private record Plot(int x, int y, int w, int h, double xEnd, double qMax, double iMax) {
        int x(double t) {
            return x + (int) Math.round(Math.min(1, t / xEnd) * w);
        }

        int yQueue(double v) {
            return y + h - (int) Math.round(v / qMax * h);
        }

        int yInstances(double v) {
            return y + h - (int) Math.round(v / iMax * h);
        }
    }
}
