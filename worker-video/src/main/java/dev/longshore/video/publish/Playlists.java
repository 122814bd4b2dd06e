package dev.longshore.video.publish;

import dev.longshore.video.ffmpeg.HlsCommand;
import dev.longshore.video.ladder.Rendition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what ffmpeg wrote and corrects the master playlist from measurement (docs/video.md: "Output").
 *
 * <p>ffmpeg declares {@code BANDWIDTH} from the requested bitrates, which under-states real peaks: the encoder
 * may burst to its buffer size within a segment, and MPEG-TS adds packet and PES headers that weigh most on
 * small rungs (measured here: 7% over on a 144p rung). RFC 8216 section 4.3.4.2 defines BANDWIDTH as the peak
 * segment bit rate, so it is measured from the segments on disk and written back, with
 * {@code AVERAGE-BANDWIDTH} and {@code VIDEO-RANGE=SDR} (every rendition is 8-bit BT.709 or source SDR).
 */
public final class Playlists {
    private static final Pattern EXTINF = Pattern.compile("^#EXTINF:([0-9.]+)");
    private static final Pattern TARGET = Pattern.compile("^#EXT-X-TARGETDURATION:([0-9]+)");
    private static final Pattern DROPPED_ATTRIBUTES = Pattern.compile(",(AVERAGE-BANDWIDTH|VIDEO-RANGE)=[^,]*");
    private static final Pattern BANDWIDTH = Pattern.compile("(?<=[:,])BANDWIDTH=\\d+");

    private Playlists() {
    }

    /** One media playlist's segments as written: file name, duration, bytes. */
    public record Segment(String file, double seconds, long bytes) {
    }

    /**
     * A rendition's measured output.
     *
     * @param seconds          sum of the segment durations
     * @param peakBitsPerSecond RFC 8216's peak segment bit rate
     * @param averageBitsPerSecond total bits over total duration
     */
    public record Measured(int segments, double seconds, long peakBitsPerSecond, long averageBitsPerSecond) {
    }

    /** Reads the segments a media playlist names, with their sizes on disk. */
    public static List<Segment> segments(Path playlist) throws IOException {
        List<Segment> out = new ArrayList<>();
        double pending = -1;
        for (String line : Files.readAllLines(playlist)) {
            Matcher inf = EXTINF.matcher(line);
            if (inf.find()) {
                pending = Double.parseDouble(inf.group(1));
            } else if (!line.isBlank() && !line.startsWith("#") && pending >= 0) {
                out.add(new Segment(line.strip(), pending, Files.size(playlist.resolveSibling(line.strip()))));
                pending = -1;
            }
        }
        return out;
    }

    static int targetDuration(Path playlist) throws IOException {
        for (String line : Files.readAllLines(playlist)) {
            Matcher m = TARGET.matcher(line);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        return 0;
    }

    /** Measures a rendition's playlist. */
    public static Measured measure(Path playlist) throws IOException {
        List<Segment> segments = segments(playlist);
        int target = targetDuration(playlist);
        double seconds = 0;
        long bytes = 0;
        for (Segment s : segments) {
            seconds += s.seconds();
            bytes += s.bytes();
        }
        long average = seconds > 0 ? (long) Math.ceil(bytes * 8 / seconds) : 0;
        return new Measured(segments.size(), seconds, Math.max(average, peak(segments, target)), average);
    }

    /**
     * RFC 8216 4.3.4.2: the largest bit rate of any contiguous run of segments lasting 0.5 to 1.5 target durations
     * (so a short last segment counts together with its neighbour, not alone). 0 when no run qualifies.
     */
    static long peak(List<Segment> segments, int targetSeconds) {
        double low = 0.5 * targetSeconds;
        double high = 1.5 * targetSeconds;
        long peak = 0;
        for (int i = 0; i < segments.size(); i++) {
            double seconds = 0;
            long bytes = 0;
            for (int j = i; j < segments.size() && seconds <= high; j++) {
                seconds += segments.get(j).seconds();
                bytes += segments.get(j).bytes();
                if (seconds >= low && seconds <= high) {
                    peak = Math.max(peak, (long) Math.ceil(bytes * 8 / seconds));
                }
            }
        }
        return peak;
    }

    /**
     * Rewrites {@code master.m3u8} in {@code staged}: each variant's BANDWIDTH and AVERAGE-BANDWIDTH from
     * {@code measured} (keyed by rendition name), and VIDEO-RANGE=SDR.
     */
    public static void rewriteMaster(Path staged, Map<String, Measured> measured) throws IOException {
        Path master = staged.resolve(HlsCommand.MASTER_PLAYLIST);
        List<String> lines = Files.readAllLines(master);
        List<String> out = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("#EXT-X-STREAM-INF:") && i + 1 < lines.size()) {
                String uri = lines.get(i + 1).strip();
                String name = uri.contains("/") ? uri.substring(0, uri.indexOf('/')) : uri;
                Measured m = measured.get(name);
                if (m != null) {
                    line = DROPPED_ATTRIBUTES.matcher(line).replaceAll("");
                    line = BANDWIDTH.matcher(line).replaceFirst("BANDWIDTH=" + m.peakBitsPerSecond()
                            + ",AVERAGE-BANDWIDTH=" + m.averageBitsPerSecond());
                    line = line + ",VIDEO-RANGE=SDR";
                }
            }
            out.add(line);
        }
        Files.write(master, out);
    }

    /** Measures every rendition under {@code staged}, by name. */
    public static Map<String, Measured> measureAll(Path staged, List<Rendition> renditions) throws IOException {
        Map<String, Measured> out = new LinkedHashMap<>();
        for (Rendition r : renditions) {
            Path playlist = staged.resolve(r.name()).resolve(HlsCommand.MEDIA_PLAYLIST);
            if (Files.isRegularFile(playlist)) {
                out.put(r.name(), measure(playlist));
            }
        }
        return out;
    }
}
