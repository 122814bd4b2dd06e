package dev.longshore.local.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.local.autoscale.Timeline;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartTest {
    @TempDir
    Path dir;

    private static int pixels(BufferedImage image, Color color) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == (color.getRGB() & 0xffffff)) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void writesAPngWithTheQueueLineTheMaxLineAndAMeasuredOverlay() throws Exception {
        Timeline predicted = new Timeline(1);
        Timeline measured = new Timeline(1);
        for (int t = 0; t <= 100; t++) {
            predicted.record(t, Math.max(0, 500 - 6 * t), 4, t < 10 ? 1 : 0, t < 10 ? 0 : 5, 0);
            measured.record(t, Math.max(0, 510 - 6 * t), 4, t < 12 ? 1 : 0, t < 12 ? 0 : 5, 0);
        }
        Path file = dir.resolve("sub/plan.png");
        new Chart("title", "subtitle", predicted, measured, 6, 100).write(file);
        assertTrue(Files.size(file) > 5_000);
        BufferedImage image = ImageIO.read(file.toFile());
        assertEquals(Chart.WIDTH, image.getWidth());
        assertEquals(Chart.HEIGHT, image.getHeight());
        assertTrue(pixels(image, Chart.QUEUE) > 200, "queue line drawn");
        assertTrue(pixels(image, Chart.MAX_LINE) > 100, "max line drawn");
        assertTrue(pixels(image, Chart.MEASURED_QUEUE) > 100, "measured overlay drawn");
    }

    @Test
    void axisLabelsAtWholeStepsDropTheZeroes() {
        assertEquals("0", Chart.axisTime(0));
        assertEquals("45s", Chart.axisTime(45));
        assertEquals("10m", Chart.axisTime(600));
        assertEquals("1h 30m", Chart.axisTime(5400));
        assertEquals("2h", Chart.axisTime(7200));
        assertEquals(900, Chart.niceTimeStep(7200, 10), 1e-9, "2 h: 12 ticks of 10 minutes are too many");
        assertEquals(10_800, Chart.niceTimeStep(86_400, 10), 1e-9, "a day: every 3 hours");
        assertEquals(600, Chart.niceCeiling(540), 1e-9, "a 500-message peak gets a 600 axis");
        assertEquals(100, Chart.niceStep(600, 6), 1e-9);
        assertEquals(10, Chart.niceStep(40, 6), 1e-9, "instance grid lines at round numbers");
    }
}
