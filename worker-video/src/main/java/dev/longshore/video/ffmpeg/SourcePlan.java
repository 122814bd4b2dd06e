package dev.longshore.video.ffmpeg;

import java.util.List;
import java.util.OptionalInt;

/**
 * How the source is read before the ladder's split: which streams, and the picture filters every rendition
 * shares (deinterlacing, tone mapping). Built by {@link PictureFilters} from ffprobe's numbers and fixed filter
 * strings only.
 *
 * @param videoStream the input's video stream index ({@code 0:N})
 * @param audioStream the audio stream carried into every rendition; empty for none
 * @param filters     filters applied once to the decoded video, in order, before the split
 * @param tagBt709    whether the encoded video is tagged BT.709 (primaries, transfer, matrix): set when the
 *                    filters converted the picture to BT.709, so players do not read it as the source's colour
 */
public record SourcePlan(int videoStream, OptionalInt audioStream, List<String> filters, boolean tagBt709) {
    public SourcePlan {
        filters = List.copyOf(filters);
        if (videoStream < 0 || (audioStream.isPresent() && audioStream.getAsInt() < 0)) {
            throw new IllegalArgumentException("stream indexes are not negative");
        }
    }

    /** Video stream 0, audio stream 1 when {@code hasAudio}, no filters: a plain progressive SDR file. */
    public static SourcePlan plain(boolean hasAudio) {
        return new SourcePlan(0, hasAudio ? OptionalInt.of(1) : OptionalInt.empty(), List.of(), false);
    }

    public boolean hasAudio() {
        return audioStream.isPresent();
    }
}
