package dev.longshore.video.publish;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The order in which a finished output is published: segments, then media playlists, then the thumbnail, then
 * the master playlist, then the manifest. A reader that starts from the master playlist or the manifest
 * therefore never finds a reference to something that is not there yet.
 */
public final class OutputLayout {
    public static final String MANIFEST = "manifest.json";

    private OutputLayout() {
    }

    /** Every file under {@code staged}, relative, '/'-separated, in publishing order. */
    public static List<String> publishingOrder(Path staged) throws IOException {
        try (Stream<Path> files = Files.walk(staged)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> staged.relativize(p).toString().replace('\\', '/'))
                    .sorted(Comparator.comparingInt(OutputLayout::rank).thenComparing(Comparator.naturalOrder()))
                    .toList();
        }
    }

    static int rank(String path) {
        if (path.equals(MANIFEST)) {
            return 4;
        }
        if (path.equals("master.m3u8")) {
            return 3;
        }
        if (!path.contains("/")) {
            return 2;
        }
        return path.endsWith(".m3u8") ? 1 : 0;
    }

    public static String contentType(String path) {
        if (path.endsWith(".m3u8")) {
            return "application/vnd.apple.mpegurl";
        }
        if (path.endsWith(".ts")) {
            return "video/mp2t";
        }
        if (path.endsWith(".jpg")) {
            return "image/jpeg";
        }
        if (path.endsWith(".json")) {
            return "application/json";
        }
        return "application/octet-stream";
    }
}
