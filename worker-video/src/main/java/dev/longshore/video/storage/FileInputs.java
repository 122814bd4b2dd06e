package dev.longshore.video.storage;

import dev.longshore.core.job.PermanentFailure;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Puts a {@code file://} input into the job's scratch directory without copying it, so that what ffmpeg reads
 * is the file that was checked against WORKER_VIDEO_FILE_ROOTS (docs/video.md: "Safety").
 *
 * <p>The input's path is resolved to its real path once; the roots are checked on that real path; the file there
 * is examined without following links. Then the scratch name is a hard link to it, which pins the checked file
 * (inode) itself: a link in the message's path swapped after the check, or the file replaced by a link, changes
 * nothing. Where a hard link is impossible (another file system, or the kernel's protected_hardlinks for a file
 * the worker does not own) the scratch name is a symbolic link to the checked real path, never to the path the
 * message gave, and it is verified to resolve to the same file after it is made.
 */
public final class FileInputs {
    private FileInputs() {
    }

    /**
     * Links {@code target} to the input.
     *
     * @throws PermanentFailure input_not_found (missing, not a regular file), input_forbidden (outside the roots,
     *                          unreadable, swapped while being linked), input_too_large
     */
    public static void link(FileLocation from, Path target, FileRoots roots, long maxBytes)
            throws PermanentFailure, IOException {
        link(from, target, roots, maxBytes, true);
    }

    static void link(FileLocation from, Path target, FileRoots roots, long maxBytes, boolean hardLinkFirst)
            throws PermanentFailure, IOException {
        Path real;
        try {
            real = from.path().toRealPath();
        } catch (NoSuchFileException e) {
            throw new PermanentFailure("input_not_found", from.display() + " does not exist");
        } catch (AccessDeniedException e) {
            throw new PermanentFailure("input_forbidden", from.display() + " is not readable by the worker");
        }
        if (!roots.allowsReal(real)) {
            throw new PermanentFailure("input_forbidden", from.display() + " is outside " + FileRoots.VARIABLE
                    + " (links resolved)");
        }
        BasicFileAttributes checked = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        // A regular file only: a FIFO or device (/dev/zero, /dev/stdin) would never end or would block.
        if (!checked.isRegularFile()) {
            throw new PermanentFailure("input_not_found", from.display() + " is not a regular file");
        }
        if (!Files.isReadable(real)) {
            throw new PermanentFailure("input_forbidden", from.display() + " is not readable by the worker");
        }
        if (checked.size() > maxBytes) {
            throw new PermanentFailure("input_too_large", from.display() + " is " + checked.size()
                    + " bytes; WORKER_VIDEO_MAX_INPUT_SIZE allows " + maxBytes);
        }
        if (hardLinkFirst && hardLink(target, real)) {
            requireSameFile(from, target, checked, LinkOption.NOFOLLOW_LINKS);
            return;
        }
        Files.createSymbolicLink(target, real);
        requireSameFile(from, target, checked);
    }

    private static boolean hardLink(Path target, Path real) {
        try {
            Files.createLink(target, real);
            return true;
        } catch (FileSystemException | UnsupportedOperationException e) {
            return false; // another file system, protected_hardlinks, or no hard links at all: link symbolically
        } catch (IOException e) {
            return false;
        }
    }

    /** The scratch name must lead to the very file that was checked (same device and inode). */
    private static void requireSameFile(FileLocation from, Path target, BasicFileAttributes checked,
                                        LinkOption... options) throws PermanentFailure, IOException {
        BasicFileAttributes linked;
        try {
            linked = Files.readAttributes(target, BasicFileAttributes.class, options);
        } catch (NoSuchFileException e) {
            linked = null;
        }
        if (linked == null || !linked.isRegularFile() || checked.fileKey() == null
                || !Objects.equals(linked.fileKey(), checked.fileKey())) {
            Files.deleteIfExists(target);
            throw new PermanentFailure("input_forbidden", from.display() + " changed while it was being checked");
        }
    }
}
