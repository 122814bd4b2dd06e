package dev.longshore.video.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longshore.core.job.JobFailure;
import dev.longshore.core.job.PermanentFailure;
import dev.longshore.core.job.RetryableFailure;
import dev.longshore.video.ffmpeg.InputFormats;
import dev.longshore.video.ffmpeg.StderrSummary;
import dev.longshore.core.process.ProcessOutcome;
import dev.longshore.core.process.ProcessSupervisor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads an input's streams and duration with ffprobe, and refuses inputs the worker will not transcode. */
public final class Prober {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** ffprobe's JSON for a normal file is a few KiB; a file claiming thousands of streams is not a video upload. */
    private static final long MAX_PROBE_OUTPUT = 4L << 20;
    /** ffprobe's refusal of a demuxer: {@code [mp3 @ 0x55c6...] Format not on whitelist '...'}. */
    private static final Pattern NOT_ON_WHITELIST = Pattern.compile("\\[([A-Za-z0-9_,]+) @ 0x[0-9a-f]+\\] Format not on whitelist");

    private final Path ffprobe;
    private final Duration timeout;
    private final Duration maxDuration;

    public Prober(Path ffprobe, Duration timeout, Duration maxDuration) {
        this.ffprobe = ffprobe;
        this.timeout = timeout;
        this.maxDuration = maxDuration;
    }

    /** The argument list: the input is always a path in our scratch directory, never a string from a message. */
    List<String> command(Path input) {
        return List.of(ffprobe.toString(), "-v", "error", "-hide_banner",
                "-protocol_whitelist", InputFormats.PROTOCOL_WHITELIST,
                "-format_whitelist", InputFormats.PROBE_FORMAT_WHITELIST,
                "-print_format", "json", "-show_format", "-show_streams",
                "file:" + input.toAbsolutePath());
    }

    /**
     * @param input    the local copy (or link) of the input
     * @param scratch  where ffprobe's output files go
     * @param onCancel the job's cancellation hook
     */
    public MediaInfo probe(Path input, Path scratch, Consumer<Runnable> onCancel) throws JobFailure, IOException {
        Path out = scratch.resolve("probe.json");
        Path err = scratch.resolve("probe.log");
        ProcessOutcome outcome = ProcessSupervisor.builder(command(input))
                .stdoutTo(out).stderrTo(err).timeLimit(timeout).build()
                .run(onCancel);
        switch (outcome.termination()) {
            case TIMED_OUT -> throw new RetryableFailure("probe_timeout",
                    "ffprobe did not finish reading the input within " + timeout.toSeconds() + "s");
            case CANCELLED -> throw new RetryableFailure("cancelled", "cancelled while probing");
            default -> {
                // EXITED: look at the code below
            }
        }
        if (outcome.exitCode() != 0) {
            Matcher refused = NOT_ON_WHITELIST.matcher(outcome.stderrTail());
            if (refused.find()) {
                // The whitelist is ours to keep; the sender needs to know which kinds of file are read.
                throw new PermanentFailure("input_unreadable", "the input is " + refused.group(1)
                        + ", which is not a container the worker reads (" + InputFormats.DESCRIPTION + ")");
            }
            throw new PermanentFailure("input_unreadable", "ffprobe cannot read the input: "
                    + StderrSummary.of(outcome.stderrTail(), "exit code " + outcome.exitCode()));
        }
        if (Files.size(out) > MAX_PROBE_OUTPUT) {
            throw new PermanentFailure("input_unreadable", "the input declares too many streams to be a video upload");
        }
        JsonNode root;
        try {
            root = JSON.readTree(out.toFile());
        } catch (IOException e) {
            throw new PermanentFailure("input_unreadable", "ffprobe's report is not JSON: " + e.getMessage());
        }
        return interpret(root);
    }

    MediaInfo interpret(JsonNode root) throws PermanentFailure {
        JsonNode video = null;
        List<JsonNode> audio = new ArrayList<>();
        for (JsonNode s : root.path("streams")) {
            String type = s.path("codec_type").asText();
            boolean attachedPicture = s.path("disposition").path("attached_pic").asInt(0) == 1;
            if ("video".equals(type) && !attachedPicture && video == null) {
                video = s;
            } else if ("audio".equals(type)) {
                audio.add(s);
            }
        }
        if (video == null) {
            throw new PermanentFailure("no_video_stream", audio.isEmpty() ? "the input has no video stream"
                    : "the input has no video stream, only audio");
        }
        int width = video.path("width").asInt(0);
        int height = video.path("height").asInt(0);
        if (width <= 0 || height <= 0) {
            throw new PermanentFailure("input_unreadable", "the video stream has no frame size");
        }
        double duration = number(root.path("format").path("duration"));
        if (!(duration > 0)) {
            duration = number(video.path("duration"));
        }
        if (!(duration > 0)) {
            throw new PermanentFailure("input_unreadable", "the input's duration is unknown (a live or truncated stream?)");
        }
        if (duration > maxDuration.toMillis() / 1000.0) {
            throw new PermanentFailure("input_too_long", String.format(Locale.ROOT,
                    "the input is %.1fs long; WORKER_VIDEO_MAX_DURATION allows %ds", duration, maxDuration.toSeconds()));
        }
        double sar = ratio(video.path("sample_aspect_ratio").asText(""));
        if (sar > 0 && Math.abs(sar - 1) > 1e-6) {
            width = (int) Math.round(width * sar);
        }
        if (Math.abs(rotation(video)) % 180 == 90) {
            int w = width;
            width = height;
            height = w;
        }
        double fps = ratio(video.path("avg_frame_rate").asText(""));
        if (!(fps > 0)) {
            fps = ratio(video.path("r_frame_rate").asText(""));
        }
        return new MediaInfo(duration, width, height, fps > 0 ? fps : 0, video.path("codec_name").asText("unknown"),
                root.path("format").path("format_name").asText("unknown"), streams(video, audio), picture(video));
    }

    /**
     * The audio stream a player would pick, the one flagged default, else the first; the others are listed so the
     * manifest can say what was left out (docs/video.md: "Output").
     */
    private static MediaInfo.Streams streams(JsonNode video, List<JsonNode> audio) {
        JsonNode chosen = audio.stream().filter(a -> a.path("disposition").path("default").asInt(0) == 1)
                .findFirst().orElse(audio.isEmpty() ? null : audio.getFirst());
        List<String> dropped = new ArrayList<>();
        for (JsonNode a : audio) {
            if (a != chosen) {
                dropped.add(describeAudio(a));
            }
        }
        return new MediaInfo.Streams(video.path("index").asInt(0),
                chosen == null ? OptionalInt.empty() : OptionalInt.of(chosen.path("index").asInt()), dropped);
    }

    private static String describeAudio(JsonNode a) {
        StringBuilder d = new StringBuilder("stream ").append(a.path("index").asInt()).append(": ")
                .append(a.path("codec_name").asText("unknown"));
        int channels = a.path("channels").asInt(0);
        if (channels > 0) {
            d.append(", ").append(channels).append(channels == 1 ? " channel" : " channels");
        }
        String language = a.path("tags").path("language").asText("");
        if (!language.isEmpty() && !language.equals("und")) {
            d.append(", ").append(safe(language));
        }
        String title = a.path("tags").path("title").asText("");
        if (!title.isEmpty()) {
            d.append(", \"").append(safe(title)).append('"');
        }
        return d.toString();
    }

    /** Tags are the uploader's text: printable characters only, and short, before they reach the manifest. */
    private static String safe(String tag) {
        String printable = tag.codePoints().filter(c -> c >= 0x20 && c != 0x7f && !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return printable.length() <= 40 ? printable : printable.substring(0, 40) + "...";
    }

    private static MediaInfo.Picture picture(JsonNode video) {
        return new MediaInfo.Picture(video.path("field_order").asText("unknown"),
                video.path("color_transfer").asText("unknown"), video.path("color_primaries").asText("unknown"),
                video.path("pix_fmt").asText("unknown"));
    }

    private static int rotation(JsonNode video) {
        for (JsonNode side : video.path("side_data_list")) {
            if (side.has("rotation")) {
                return side.path("rotation").asInt(0);
            }
        }
        return video.path("tags").path("rotate").asInt(0);
    }

    private static double number(JsonNode n) {
        if (n.isNumber()) {
            return n.asDouble();
        }
        try {
            return Double.parseDouble(n.asText(""));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static double ratio(String r) {
        int colon = r.indexOf(':') >= 0 ? r.indexOf(':') : r.indexOf('/');
        try {
            if (colon < 0) {
                return Double.parseDouble(r);
            }
            double num = Double.parseDouble(r.substring(0, colon));
            double den = Double.parseDouble(r.substring(colon + 1));
            return den == 0 ? 0 : num / den;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
