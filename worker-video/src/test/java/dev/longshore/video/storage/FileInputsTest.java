package dev.longshore.video.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.longshore.core.job.PermanentFailure;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file:// input is linked into scratch as the very file checked against WORKER_VIDEO_FILE_ROOTS. */
class FileInputsTest {
    private static final byte[] CHECKED = "the upload inside the root".getBytes();
    private static final byte[] SECRET = "a file outside every root".getBytes();
    @TempDir
    Path tmp;
    private Path media;
    private Path real;
    private Path secret;
    private Path scratch;
    private FileRoots roots;

    @BeforeEach
    void files() throws Exception {
        media = Files.createDirectories(tmp.resolve("media"));
        real = Files.write(media.resolve("real.mp4"), CHECKED);
        secret = Files.write(Files.createDirectories(tmp.resolve("outside")).resolve("secret.mp4"), SECRET);
        scratch = Files.createDirectories(tmp.resolve("work/job"));
        roots = FileRoots.parse(media.toString());
    }

    private static FileLocation at(Path p) {
        return new FileLocation(p);
    }

    @Test
    void linkInsideARootPointingOutsideIsRefused() throws Exception {
        Path escape = Files.createSymbolicLink(media.resolve("escape.mp4"), secret);
        PermanentFailure f = assertThrows(PermanentFailure.class,
                () -> FileInputs.link(at(escape), scratch.resolve("input"), roots, 1 << 20));
        assertEquals("input_forbidden", f.code());
        assertFalse(Files.exists(scratch.resolve("input"), LinkOption.NOFOLLOW_LINKS));
    }

    /**
     * The message names a link; after the check the link is turned to a file outside the roots, and the checked
     * file itself replaced by a link outside. Before: scratch linked to the message's path, so ffmpeg read the
     * secret.
     */
    @Test
    void linkSwappedAfterTheCheckCannotEscape() throws Exception {
        Path alias = Files.createSymbolicLink(media.resolve("alias.mp4"), real);
        Path input = scratch.resolve("input");
        FileInputs.link(at(alias), input, roots, 1 << 20);

        Files.delete(alias);
        Files.createSymbolicLink(alias, secret);
        Files.move(real, media.resolve("moved-away.mp4"));
        Files.createSymbolicLink(real, secret);
        assertArrayEquals(CHECKED, Files.readAllBytes(input), "the hard link holds the checked file itself");
    }

    /** Where no hard link can be made, the symbolic link names the checked real path, not the message's path. */
    @Test
    void symbolicFallbackPointsAtTheCheckedRealPath() throws Exception {
        Path alias = Files.createSymbolicLink(media.resolve("alias.mp4"), real);
        Path input = scratch.resolve("input");
        FileInputs.link(at(alias), input, roots, 1 << 20, false);
        assertEquals(real.toRealPath(), Files.readSymbolicLink(input));

        Files.delete(alias);
        Files.createSymbolicLink(alias, secret);
        assertArrayEquals(CHECKED, Files.readAllBytes(input), "swapping the message's link changes nothing");
    }

    @Test
    void devicesAndMissingFilesAreNotInputs() {
        assertEquals("input_not_found", assertThrows(PermanentFailure.class, () -> FileInputs.link(
                at(media.resolve("none.mp4")), scratch.resolve("a"), roots, 1 << 20)).code());
        assertEquals("input_not_found", assertThrows(PermanentFailure.class, () -> FileInputs.link(
                at(Path.of("/dev/zero")), scratch.resolve("b"), FileRoots.any(), 1 << 20)).code());
        assertEquals("input_too_large", assertThrows(PermanentFailure.class, () -> FileInputs.link(
                at(real), scratch.resolve("c"), roots, 4)).code());
    }
}
