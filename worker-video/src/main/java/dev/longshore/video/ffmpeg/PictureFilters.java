package dev.longshore.video.ffmpeg;

import dev.longshore.core.job.PermanentFailure;
import dev.longshore.video.media.MediaInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * The filters every rendition shares, chosen from what ffprobe found (docs/video.md: "Picture"):
 * <ul>
 * <li>interlaced sources (field order tt/bb/tb/bt) are deinterlaced with bwdif, one frame per frame, so
 *     renditions are progressive without combing; yadif when the build lacks bwdif;</li>
 * <li>HDR sources (PQ or HLG transfer) are tone-mapped to BT.709 SDR with zscale and tonemap, since the
 *     renditions are 8-bit H.264 that players show as SDR; a build without those filters refuses the job
 *     ({@code hdr_unsupported}) rather than publish washed-out video tagged as HDR.</li>
 * </ul>
 * Every string here is fixed; only the choice depends on the input.
 */
public final class PictureFilters {
    /** Bob-weaver deinterlacer: one output frame per input frame, every frame (the stream says it is interlaced). */
    static final String BWDIF = "bwdif=mode=send_frame:parity=auto:deint=all";
    static final String YADIF = "yadif=mode=send_frame:parity=auto:deint=all";
    /**
     * HDR to SDR: to linear light (100 nits nominal peak), to BT.709 primaries in float RGB, Hable's curve without
     * desaturation, then BT.709 transfer and matrix in limited range, 8-bit 4:2:0. The usual zimg recipe.
     */
    static final String TONE_MAP = "zscale=t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,"
            + "tonemap=tonemap=hable:desat=0,zscale=t=bt709:m=bt709:r=tv,format=yuv420p";

    private PictureFilters() {
    }

    /** The plan for this source; {@code notes} receives one line per change made to the picture, for the manifest. */
    public static SourcePlan plan(MediaInfo media, FilterSupport support, List<String> notes) throws PermanentFailure {
        List<String> filters = new ArrayList<>();
        MediaInfo.Picture picture = media.picture();
        if (picture.interlaced()) {
            if (support.has("bwdif")) {
                filters.add(BWDIF);
                notes.add("deinterlaced (field order " + picture.fieldOrder() + ") with bwdif");
            } else if (support.has("yadif")) {
                filters.add(YADIF);
                notes.add("deinterlaced (field order " + picture.fieldOrder() + ") with yadif");
            } else {
                notes.add("interlaced (field order " + picture.fieldOrder() + ") but not deinterlaced: this ffmpeg "
                        + "has neither bwdif nor yadif");
            }
        }
        boolean toneMapped = false;
        if (picture.hdr().isPresent()) {
            if (!support.has("zscale") || !support.has("tonemap")) {
                throw new PermanentFailure("hdr_unsupported", "the input is " + picture.hdr().get()
                        + " high dynamic range (" + picture.primaries() + ", " + picture.pixelFormat()
                        + "); converting it to SDR needs ffmpeg's zscale and tonemap filters, which this worker's "
                        + "ffmpeg lacks (build it with libzimg)");
            }
            filters.add(TONE_MAP);
            toneMapped = true;
            notes.add("tone-mapped from " + picture.hdr().get() + " (" + picture.primaries() + ", "
                    + picture.pixelFormat() + ") to SDR BT.709");
        }
        return new SourcePlan(media.streams().video(), media.streams().audio(), filters, toneMapped);
    }
}
