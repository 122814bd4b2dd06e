package dev.longshore.video.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longshore.video.storage.Locations;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a {@code video.transcode} payload into a {@link TranscodeRequest}. Strict: an unknown field is an
 * error, so a typo such as {@code "rendition"} is reported instead of silently giving the default ladder.
 * Every value is parsed into a number or a {@code Location}; no string from the payload is kept for later use
 * in a command line.
 */
public final class TranscodeRequestParser {
    private static final Set<String> FIELDS = Set.of("input", "output", "renditions", "segmentSeconds", "thumbnail");
    private static final Set<String> RENDITION_FIELDS = Set.of("height", "bitrate", "audioBitrate");
    private static final Set<String> THUMBNAIL_FIELDS = Set.of("atSeconds", "height");
    private static final Pattern BITRATE = Pattern.compile("(\\d{1,9}(?:\\.\\d{1,3})?)([kKmM]?)");
    public static final int MAX_RENDITIONS = 8;
    public static final int MAX_SEGMENT_SECONDS = 60;
    static final long MIN_VIDEO_BITRATE = 50_000;
    static final long MAX_VIDEO_BITRATE = 200_000_000;
    static final long MIN_AUDIO_BITRATE = 16_000;
    static final long MAX_AUDIO_BITRATE = 512_000;
    public static final long DEFAULT_AUDIO_BITRATE = 128_000;

    private final int defaultSegmentSeconds;

    public TranscodeRequestParser(int defaultSegmentSeconds) {
        this.defaultSegmentSeconds = defaultSegmentSeconds;
    }

    public TranscodeRequest parse(ObjectNode payload) throws InvalidRequestException {
        rejectUnknown("payload", payload, FIELDS);
        var input = location("input", payload, true);
        var output = location("output", payload, false);
        Optional<List<RenditionSpec>> renditions = Optional.empty();
        JsonNode r = payload.get("renditions");
        if (r != null && !r.isNull()) {
            renditions = Optional.of(renditions(r));
        }
        int segment = defaultSegmentSeconds;
        JsonNode s = payload.get("segmentSeconds");
        if (s != null && !s.isNull()) {
            if (!s.isIntegralNumber() || s.asLong() < 1 || s.asLong() > MAX_SEGMENT_SECONDS) {
                throw new InvalidRequestException("segmentSeconds must be a whole number from 1 to " + MAX_SEGMENT_SECONDS
                        + ", was " + s);
            }
            segment = s.asInt();
        }
        return new TranscodeRequest(input, output, renditions, segment, thumbnail(payload.get("thumbnail")));
    }

    private static dev.longshore.video.storage.Location location(String field, ObjectNode payload, boolean isInput)
            throws InvalidRequestException {
        JsonNode v = payload.get(field);
        if (v == null || v.isNull()) {
            throw new InvalidRequestException(field + " is required");
        }
        if (!v.isTextual()) {
            throw new InvalidRequestException(field + " must be a URI string, was " + v.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        try {
            return isInput ? Locations.input(field, v.asText()) : Locations.output(field, v.asText());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
    }

    private static List<RenditionSpec> renditions(JsonNode r) throws InvalidRequestException {
        if (!r.isArray() || r.isEmpty()) {
            throw new InvalidRequestException("renditions must be a non-empty array of {\"height\": ..., \"bitrate\": ...}");
        }
        if (r.size() > MAX_RENDITIONS) {
            throw new InvalidRequestException("renditions may list at most " + MAX_RENDITIONS + " entries, got " + r.size());
        }
        List<RenditionSpec> out = new ArrayList<>();
        for (int i = 0; i < r.size(); i++) {
            String where = "renditions[" + i + "]";
            JsonNode e = r.get(i);
            if (!e.isObject()) {
                throw new InvalidRequestException(where + " must be an object with height and bitrate");
            }
            rejectUnknown(where, e, RENDITION_FIELDS);
            JsonNode h = e.get("height");
            if (h == null || !h.isIntegralNumber()) {
                throw new InvalidRequestException(where + ".height must be a whole number of pixels");
            }
            long height = h.asLong();
            if (height < RenditionSpec.MIN_HEIGHT || height > RenditionSpec.MAX_HEIGHT || height % 2 != 0) {
                throw new InvalidRequestException(where + ".height must be an even number from " + RenditionSpec.MIN_HEIGHT
                        + " to " + RenditionSpec.MAX_HEIGHT + ", was " + height);
            }
            JsonNode b = e.get("bitrate");
            if (b == null) {
                throw new InvalidRequestException(where + ".bitrate is required (e.g. \"2800k\" or 2800000)");
            }
            long video = bitrate(where + ".bitrate", b, MIN_VIDEO_BITRATE, MAX_VIDEO_BITRATE);
            JsonNode a = e.get("audioBitrate");
            long audio = a == null || a.isNull() ? DEFAULT_AUDIO_BITRATE
                    : bitrate(where + ".audioBitrate", a, MIN_AUDIO_BITRATE, MAX_AUDIO_BITRATE);
            for (RenditionSpec earlier : out) {
                if (earlier.height() == height) {
                    throw new InvalidRequestException(where + ".height " + height + " is listed twice");
                }
            }
            out.add(new RenditionSpec((int) height, video, audio));
        }
        return out;
    }

    /** A bitrate as bits per second, or a string with a k or M suffix ("2800k", "5M", "1.5M"). */
    static long bitrate(String where, JsonNode v, long min, long max) throws InvalidRequestException {
        long bps;
        if (v.isIntegralNumber()) {
            bps = v.asLong();
        } else if (v.isTextual()) {
            Matcher m = BITRATE.matcher(v.asText().trim());
            if (!m.matches()) {
                throw new InvalidRequestException(where + " must be bits per second or a string like \"2800k\" or \"5M\", was "
                        + v);
            }
            double amount = Double.parseDouble(m.group(1));
            double scale = switch (m.group(2)) {
                case "k", "K" -> 1e3;
                case "m", "M" -> 1e6;
                default -> 1;
            };
            bps = Math.round(amount * scale);
        } else {
            throw new InvalidRequestException(where + " must be a number or a string like \"2800k\", was " + v);
        }
        if (bps < min || bps > max) {
            throw new InvalidRequestException(where + " must be from " + min + " to " + max + " bits per second, was " + bps);
        }
        return bps;
    }

    private static Optional<ThumbnailSpec> thumbnail(JsonNode t) throws InvalidRequestException {
        if (t == null || t.isNull() || (t.isBoolean() && !t.asBoolean())) {
            return Optional.empty();
        }
        if (t.isBoolean()) {
            return Optional.of(new ThumbnailSpec(OptionalDouble.empty(), ThumbnailSpec.DEFAULT_HEIGHT));
        }
        if (!t.isObject()) {
            throw new InvalidRequestException("thumbnail must be true, false or {\"atSeconds\": n, \"height\": h}");
        }
        rejectUnknown("thumbnail", t, THUMBNAIL_FIELDS);
        OptionalDouble at = OptionalDouble.empty();
        JsonNode a = t.get("atSeconds");
        if (a != null && !a.isNull()) {
            if (!a.isNumber() || a.asDouble() < 0 || !Double.isFinite(a.asDouble())) {
                throw new InvalidRequestException("thumbnail.atSeconds must be a number of seconds >= 0, was " + a);
            }
            at = OptionalDouble.of(a.asDouble());
        }
        int height = ThumbnailSpec.DEFAULT_HEIGHT;
        JsonNode h = t.get("height");
        if (h != null && !h.isNull()) {
            if (!h.isIntegralNumber() || h.asLong() < RenditionSpec.MIN_HEIGHT || h.asLong() > RenditionSpec.MAX_HEIGHT
                    || h.asLong() % 2 != 0) {
                throw new InvalidRequestException("thumbnail.height must be an even number from " + RenditionSpec.MIN_HEIGHT
                        + " to " + RenditionSpec.MAX_HEIGHT + ", was " + h);
            }
            height = h.asInt();
        }
        return Optional.of(new ThumbnailSpec(at, height));
    }

    private static void rejectUnknown(String where, JsonNode node, Set<String> known) throws InvalidRequestException {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new InvalidRequestException(where + " has an unknown field '" + abbreviate(name) + "' (known: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private static String abbreviate(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= 40 ? clean : clean.substring(0, 37) + "...";
    }
}
