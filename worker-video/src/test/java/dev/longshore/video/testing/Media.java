package dev.longshore.video.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Measurements of published output with ffmpeg's own analysis filters. */
public final class Media {
    private static final Pattern IDET = Pattern.compile(
            "Multi frame detection: TFF:\\s*(\\d+) BFF:\\s*(\\d+) Progressive:\\s*(\\d+)");
    private static final Pattern MAX_VOLUME = Pattern.compile("max_volume: (-?[0-9.]+|-inf) dB");

    private Media() {
    }

    /** idet's multi-frame verdict over the whole file: {interlaced frames (TFF + BFF), progressive frames}. */
    public static int[] interlacing(Path file) throws IOException, InterruptedException {
        Matcher m = IDET.matcher(analyse(file, "-vf", "idet", "-an"));
        if (!m.find()) {
            throw new AssertionError("idet said nothing about " + file);
        }
        return new int[] {Integer.parseInt(m.group(1)) + Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
    }

    /** The loudest sample of the first audio stream in dBFS (-91 is digital silence). */
    public static double maxVolume(Path file) throws IOException, InterruptedException {
        Matcher m = MAX_VOLUME.matcher(analyse(file, "-af", "volumedetect", "-vn"));
        if (!m.find()) {
            throw new AssertionError("volumedetect said nothing about " + file);
        }
        return m.group(1).equals("-inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(m.group(1));
    }

    private static String analyse(Path file, String... filter) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-i", file.toString()));
        cmd.addAll(List.of(filter));
        cmd.addAll(List.of("-f", "null", "-"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("ffmpeg could not analyse " + file + ":\n" + out);
        }
        return out;
    }
}
