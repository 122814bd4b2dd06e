package dev.longshore.core;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The build a process runs (docs/deploy.md: Releases): {@code Implementation-Version} (the Maven
 * project version) and {@code Build-Revision} (the git commit the image was built from, when the build knew it)
 * from the runnable jar's manifest. Outside a jar (tests, an IDE) the version is {@link #UNKNOWN_VERSION}.
 *
 * @param version  the project version, e.g. {@code 0.1.0-SNAPSHOT}
 * @param revision the short git commit, or empty
 */
public record BuildInfo(String version, Optional<String> revision) {
    public static final String UNKNOWN_VERSION = "unknown";
    static final String REVISION_ATTRIBUTE = "Build-Revision";

    /** Read once from the jar that holds this class. */
    public static BuildInfo current() {
        return Holder.CURRENT;
    }

    /** {@code longshore <worker> <version>}, then {@code (commit <revision>)} when known. */
    public String line(String worker) {
        return "longshore " + worker + " " + version + revision.map(r -> " (commit " + r + ")").orElse("");
    }

    static BuildInfo fromManifest(Manifest manifest) {
        Attributes main = manifest.getMainAttributes();
        String version = main.getValue(Attributes.Name.IMPLEMENTATION_VERSION);
        String revision = main.getValue(REVISION_ATTRIBUTE);
        return new BuildInfo(version == null || version.isBlank() ? UNKNOWN_VERSION : version.trim(),
                revision == null || revision.isBlank() ? Optional.empty() : Optional.of(revision.trim()));
    }

    private static final class Holder {
        static final BuildInfo CURRENT = read();

        private static BuildInfo read() {
            try {
                CodeSource source = BuildInfo.class.getProtectionDomain().getCodeSource();
                if (source != null) {
                    Path path = Path.of(source.getLocation().toURI());
                    if (Files.isRegularFile(path)) {
                        try (JarFile jar = new JarFile(path.toFile())) {
                            Manifest manifest = jar.getManifest();
                            if (manifest != null) {
                                return fromManifest(manifest);
                            }
                        }
                    }
                }
            } catch (IOException | URISyntaxException | RuntimeException e) {
                // no manifest to read: the version is unknown, which --version and build_info say as such
            }
            return new BuildInfo(UNKNOWN_VERSION, Optional.empty());
        }
    }
}
