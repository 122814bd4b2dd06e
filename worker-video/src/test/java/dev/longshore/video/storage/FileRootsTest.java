package dev.longshore.video.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRootsTest {
    @TempDir
    Path tmp;

    @Test
    void pathsUnderARootAreAllowedEvenBeforeTheyExist() throws Exception {
        Path media = Files.createDirectories(tmp.resolve("media"));
        FileRoots roots = FileRoots.parse(tmp.resolve("uploads") + ", " + media);
        assertTrue(roots.allows(media.resolve("in/clip.mp4")));
        assertTrue(roots.allows(media.resolve("hls/new/dir")));
        assertFalse(roots.allows(tmp.resolve("elsewhere/clip.mp4")));
        assertFalse(roots.allows(media.resolve("../elsewhere/clip.mp4")), "no escape by ..");
        assertFalse(roots.allows(Path.of("/etc/passwd")));
    }

    @Test
    void symbolicLinkInsideARootCannotLeadOutside() throws Exception {
        Path media = Files.createDirectories(tmp.resolve("media"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createSymbolicLink(media.resolve("escape"), outside);
        FileRoots roots = FileRoots.parse(media.toString());
        assertFalse(roots.allows(media.resolve("escape/secret.mp4")));
        assertFalse(roots.allows(media.resolve("escape/new-output-dir")));
    }

    @Test
    void unsetMeansAnyPath() {
        assertTrue(FileRoots.any().allows(Path.of("/anything")));
        assertFalse(FileRoots.any().restricted());
    }

    @Test
    void relativeRootsAreRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> FileRoots.parse("/srv/media,uploads"));
        assertEquals(FileRoots.VARIABLE, e.variable());
    }
}
