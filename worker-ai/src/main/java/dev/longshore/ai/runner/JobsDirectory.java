package dev.longshore.ai.runner;

import dev.longshore.core.job.PermanentFailure;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** WORKER_JOBS_DIR: one directory per job id, never anything outside it. */
public final class JobsDirectory {
    /** The job id pattern (README: How a message is handled); "." and ".." match it and are refused separately. */
    public static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    /** Names a directory being deleted by the retention sweep; '~' is in no job id, so none collides. */
    static final String TRASH_PREFIX = ".swept~";

    private final Path root;

    public JobsDirectory(Path root) throws IOException {
        Files.createDirectories(root);
        this.root = root.toRealPath();
    }

    public Path root() {
        return root;
    }

    /**
     * The job's directory (not created yet).
     *
     * @throws PermanentFailure {@code invalid_job_id} for an id that is not a single safe path segment
     */
    public JobDirectory resolve(String jobId) throws PermanentFailure {
        if (jobId == null || !JOB_ID.matcher(jobId).matches() || jobId.equals(".") || jobId.equals("..")) {
            throw new PermanentFailure("invalid_job_id", "job id \"" + jobId + "\" is not usable as a directory name "
                    + "(expected " + JOB_ID.pattern() + ", not '.' or '..')");
        }
        Path dir = root.resolve(jobId).normalize();
        if (!root.equals(dir.getParent())) {
            throw new PermanentFailure("invalid_job_id", "job id \"" + jobId + "\" points outside " + root);
        }
        return new JobDirectory(jobId, dir);
    }

    /** Every job directory under the root (plain directories named by a job id; links and other files are not). */
    public List<JobDirectory> list() throws IOException {
        List<JobDirectory> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (JOB_ID.matcher(name).matches() && !name.equals(".") && !name.equals("..")
                        && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(new JobDirectory(name, p));
                }
            }
        }
        return out;
    }

    /**
     * Deletes a finished job's directory now (its outputs are on S3): moved aside first, so a crash half-way leaves
     * trash that the sweep removes, never a job directory with half its files (docs/ai.md: Outputs on S3).
     */
    public void remove(JobDirectory dir) throws IOException {
        Path trash = trashFor(dir);
        JobDirectory.deleteTree(trash);
        Files.move(dir.path(), trash, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        JobDirectory.deleteTree(trash);
    }

    /** Where the sweep moves a job directory before deleting it. */
    Path trashFor(JobDirectory dir) {
        return root.resolve(TRASH_PREFIX + dir.jobId());
    }

    /** Directories a sweep moved aside and did not finish deleting (the worker stopped meanwhile). */
    List<Path> leftoverTrash() throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, TRASH_PREFIX + "*")) {
            entries.forEach(out::add);
        }
        return out;
    }
}
