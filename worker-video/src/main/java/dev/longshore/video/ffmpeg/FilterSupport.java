package dev.longshore.video.ffmpeg;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The filters an ffmpeg build has, read once from {@code ffmpeg -filters}. Distribution builds differ: zscale
 * (libzimg), which tone mapping needs, is often missing from minimal and static builds.
 */
public final class FilterSupport {
    /** Listing the filters takes ~0.1 s; ten seconds only trips on a binary that hangs. */
    private static final long LIST_TIMEOUT_SECONDS = 10;
    private final Set<String> names;

    public FilterSupport(Set<String> names) {
        this.names = Set.copyOf(names);
    }

    public boolean has(String filter) {
        return names.contains(filter);
    }

    /** Runs {@code ffmpeg -hide_banner -filters} and reads the names from its listing. */
    public static FilterSupport detect(Path ffmpeg) throws IOException {
        try {
            return parse(FfmpegListing.read(ffmpeg, "filters", LIST_TIMEOUT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while listing ffmpeg's filters", e);
        }
    }

    /** Lines such as {@code  TS. bwdif             V->V       Deinterlace the input image.}: flags, name, pads. */
    static FilterSupport parse(String listing) {
        Set<String> names = new HashSet<>();
        for (String line : listing.lines().toList()) {
            String[] parts = line.strip().split("\\s+");
            if (parts.length >= 3 && parts[0].matches("[TSC.|]{3}") && parts[2].contains("->")) {
                names.add(parts[1]);
            }
        }
        return new FilterSupport(names);
    }
}
