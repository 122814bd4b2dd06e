package dev.longshore.ai.runner;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** Lists what a task left in {@code outputs/}, for the manifest and the result message. */
public final class Outputs {
    private Outputs() {
    }

    /** Regular files only, sorted by path; symbolic links are not followed (they may point anywhere). */
    public static List<OutputFile> list(Path outputs) throws IOException {
        List<OutputFile> files = new ArrayList<>();
        if (!Files.isDirectory(outputs)) {
            return files;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(outputs)) {
            paths = walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList();
        }
        for (Path p : paths) {
            String rel = outputs.relativize(p).toString().replace('\\', '/');
            files.add(new OutputFile(rel, Files.size(p), sha256(p)));
        }
        files.sort(Comparator.comparing(OutputFile::path));
        return files;
    }

    static String sha256(Path file) throws IOException {
        MessageDigest sha = InputFetcher.sha256();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
