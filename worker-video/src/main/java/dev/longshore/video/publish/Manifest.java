package dev.longshore.video.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longshore.video.ffmpeg.HlsCommand;
import dev.longshore.video.ladder.Rendition;
import dev.longshore.video.media.MediaInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The manifest.json published last with every output: what was made, from what, and how big it is. Its
 * presence means the output is complete; its {@code jobId} lets a redelivered job recognise its own output.
 */
public final class Manifest {
    public static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Manifest() {
    }

    /**
     * Writes manifest.json into {@code staged} after checking that every rendition is complete there.
     *
     * @throws IncompleteOutputException when a playlist or its segments are missing
     */
    public static ObjectNode write(Path staged, String jobId, String input, MediaInfo source, int segmentSeconds,
                                   List<Rendition> renditions, Optional<Thumbnail> thumbnail, List<String> notes,
                                   Instant createdAt) throws IOException, IncompleteOutputException {
        ObjectNode m = JSON.createObjectNode();
        m.put("version", VERSION);
        m.put("jobId", jobId);
        m.put("input", input);
        m.put("createdAt", createdAt.toString());
        m.put("durationSeconds", Math.round(source.durationSeconds() * 1000) / 1000.0);
        ObjectNode src = m.putObject("source");
        src.put("width", source.width());
        src.put("height", source.height());
        src.put("videoCodec", source.videoCodec());
        src.put("frameRate", Math.round(source.frameRate() * 1000) / 1000.0);
        src.put("audio", source.hasAudio());
        m.put("segmentSeconds", segmentSeconds);
        Path master = staged.resolve(HlsCommand.MASTER_PLAYLIST);
        if (!Files.isRegularFile(master)) {
            throw new IncompleteOutputException("ffmpeg wrote no master playlist");
        }
        m.put("master", HlsCommand.MASTER_PLAYLIST);
        long total = Files.size(master);
        ArrayNode list = m.putArray("renditions");
        for (Rendition r : renditions) {
            Path dir = staged.resolve(r.name());
            Path playlist = dir.resolve(HlsCommand.MEDIA_PLAYLIST);
            if (!Files.isRegularFile(playlist) || !Files.readString(playlist).contains("#EXT-X-ENDLIST")) {
                throw new IncompleteOutputException("the " + r.name() + " playlist is missing or unfinished");
            }
            List<Path> segments;
            try (Stream<Path> files = Files.list(dir)) {
                segments = files.filter(p -> p.getFileName().toString().endsWith(".ts")).toList();
            }
            if (segments.isEmpty()) {
                throw new IncompleteOutputException("the " + r.name() + " rendition has no segments");
            }
            long size = Files.size(playlist);
            for (Path s : segments) {
                size += Files.size(s);
            }
            total += size;
            ObjectNode e = list.addObject();
            e.put("name", r.name());
            e.put("width", r.width());
            e.put("height", r.height());
            e.put("videoBitrate", r.videoBitrate());
            if (source.hasAudio()) {
                e.put("audioBitrate", r.audioBitrate());
            }
            e.put("playlist", r.name() + "/" + HlsCommand.MEDIA_PLAYLIST);
            e.put("segments", segments.size());
            e.put("sizeBytes", size);
            Playlists.Measured measured = Playlists.measure(playlist);
            e.put("bandwidth", measured.peakBitsPerSecond());
            e.put("averageBandwidth", measured.averageBitsPerSecond());
        }
        if (thumbnail.isPresent()) {
            Thumbnail t = thumbnail.get();
            long size = Files.size(staged.resolve(t.path()));
            total += size;
            ObjectNode th = m.putObject("thumbnail");
            th.put("path", t.path());
            th.put("width", t.width());
            th.put("height", t.height());
            th.put("sizeBytes", size);
        }
        m.put("totalSizeBytes", total);
        if (!notes.isEmpty()) {
            // What the worker changed or left out (deinterlaced, tone-mapped, audio streams not carried, no thumbnail).
            ArrayNode n = m.putArray("notes");
            notes.forEach(n::add);
        }
        Files.write(staged.resolve(OutputLayout.MANIFEST), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(m));
        return m;
    }

    /** The job id recorded in a published manifest, or empty when the bytes are not a manifest. */
    public static Optional<String> jobIdOf(byte[] manifest) {
        try {
            JsonNode n = JSON.readTree(manifest);
            JsonNode id = n == null ? null : n.get("jobId");
            return id != null && id.isTextual() ? Optional.of(id.asText()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A thumbnail in the staged output. */
    public record Thumbnail(String path, int width, int height) {
    }

    /** ffmpeg exited 0 but the output is not all there (disk full mid-write, a muxer bug). */
    public static final class IncompleteOutputException extends Exception {
        public IncompleteOutputException(String message) {
            super(message);
        }
    }
}
