package dev.longshore.video.publish;

import dev.longshore.core.job.JobFailure;
import dev.longshore.core.job.PermanentFailure;
import dev.longshore.video.storage.FileLocation;
import dev.longshore.video.storage.Location;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes into a local (or mounted) directory. The output is assembled in a hidden sibling directory and
 * renamed into place in one step, so the directory appears complete or not at all. When that is impossible
 * (the output directory already holds files, or is a mount point) files are moved in one by one in
 * publishing order, manifest last.
 */
public final class FileOutputStore implements OutputStore {
    private static final Logger log = LoggerFactory.getLogger(FileOutputStore.class);
    /** A manifest is a few KiB; anything much larger there is not ours. */
    static final int MAX_MANIFEST_BYTES = 1 << 20;

    @Override
    public Optional<byte[]> readManifest(Location output) throws JobFailure {
        Path manifest = dir(output).resolve(OutputLayout.MANIFEST);
        try {
            if (!Files.isRegularFile(manifest)) {
                return Optional.empty();
            }
            if (Files.size(manifest) > MAX_MANIFEST_BYTES) {
                throw new PermanentFailure("output_exists", output.display() + OutputLayout.MANIFEST
                        + " exists but is not a manifest");
            }
            return Optional.of(Files.readAllBytes(manifest));
        } catch (IOException e) {
            throw new PermanentFailure("output_unreadable", "cannot read " + manifest + ": " + e.getMessage());
        }
    }

    @Override
    public void publish(Path staged, List<String> files, Location output) throws JobFailure, IOException {
        Path dest = dir(output);
        Path parent = dest.getParent();
        if (parent == null) {
            throw new PermanentFailure("invalid_payload", "output must be a directory below /, not / itself");
        }
        Files.createDirectories(parent);
        Path staging;
        try {
            staging = Files.createDirectory(parent.resolve("." + dest.getFileName() + ".partial-" + UUID.randomUUID()));
        } catch (AccessDeniedException e) {
            // The parent is not ours to write (e.g. the output is a volume mounted under a read-only directory).
            moveOneByOne(staged, files, dest);
            return;
        }
        try {
            for (String f : files) {
                Path target = staging.resolve(f);
                Files.createDirectories(target.getParent());
                Files.move(staged.resolve(f), target);
            }
            try {
                Files.move(staging, dest, StandardCopyOption.ATOMIC_MOVE);
                return;
            } catch (AtomicMoveNotSupportedException e) {
                log.info("{} cannot be renamed into place (a mount point?); publishing file by file", dest);
            } catch (FileSystemException e) {
                // rename(2) replaces an absent or empty directory only; a non-empty one (a failed earlier attempt,
                // or files the sender put there) gets the files moved in, still manifest last.
                log.info("{} already holds files; publishing file by file ({})", dest, e.getReason());
            }
            moveOneByOne(staging, files, dest);
        } finally {
            deleteTree(staging);
        }
    }

    private static void moveOneByOne(Path from, List<String> files, Path dest) throws IOException {
        for (String f : files) {
            Path target = dest.resolve(f);
            Files.createDirectories(target.getParent());
            Files.move(from.resolve(f), target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static Path dir(Location output) {
        if (!(output instanceof FileLocation f)) {
            throw new IllegalArgumentException("not a file location: " + output.display());
        }
        return f.path();
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.warn("could not remove {}: {}", root, e.toString());
        }
    }
}
