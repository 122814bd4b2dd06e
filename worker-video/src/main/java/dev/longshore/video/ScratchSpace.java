package dev.longshore.video;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WORKER_WORK_DIR: one directory per running job, named by us (never after anything in the message), removed
 * when the job ends. A worker killed outright leaves its directories behind; the next start removes them,
 * which is why the work directory must not be shared between worker processes.
 */
final class ScratchSpace {
    private static final Logger log = LoggerFactory.getLogger(ScratchSpace.class);
    private static final String PREFIX = "job-";

    private final Path root;

    ScratchSpace(Path root) {
        this.root = root;
    }

    /** Removes what a previous process left; returns how many job directories it found. */
    int removeLeftovers() {
        int removed = 0;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, PREFIX + "*")) {
            for (Path d : dirs) {
                delete(d);
                removed++;
            }
        } catch (IOException e) {
            log.warn("could not list {} for leftovers: {}", root, e.toString());
        }
        if (removed > 0) {
            log.info("removed {} job directories left in {} by an earlier process", removed, root);
        }
        return removed;
    }

    Path newJobDirectory() throws IOException {
        return Files.createDirectory(root.resolve(PREFIX + UUID.randomUUID()));
    }

    static void delete(Path dir) {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        // walk does not follow links: the input link in scratch is removed, never what it points to.
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.warn("could not remove scratch directory {}: {}", dir, e.toString());
        }
    }
}
