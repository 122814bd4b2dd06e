package dev.longshore.video.ffmpeg;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

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
        Process p = new ProcessBuilder(ffmpeg.toString(), "-hide_banner", "-nostdin", "-filters")
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readNBytes(1 << 20);
        }
        try {
            if (!p.waitFor(LIST_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("'" + ffmpeg + " -filters' did not finish in " + LIST_TIMEOUT_SECONDS + "s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while listing ffmpeg's filters", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException("'" + ffmpeg + " -filters' exited with " + p.exitValue());
        }
        return parse(new String(out, StandardCharsets.UTF_8));
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
