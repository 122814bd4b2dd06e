package dev.longshore.video.request;

import dev.longshore.video.storage.Location;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated {@code video.transcode} payload.
 *
 * @param input          where the source video is read from
 * @param output         the prefix (file:// directory or s3:// key prefix) the HLS output is published under
 * @param renditions     the ladder asked for; empty means the default ladder
 * @param segmentSeconds HLS segment length
 * @param thumbnail      a poster image, when asked for
 */
public record TranscodeRequest(Location input, Location output, Optional<List<RenditionSpec>> renditions,
                               int segmentSeconds, Optional<ThumbnailSpec> thumbnail) {
    public TranscodeRequest {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        renditions = renditions.map(List::copyOf);
    }
}
