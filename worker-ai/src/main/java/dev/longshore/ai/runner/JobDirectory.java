package dev.longshore.ai.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.Set;

/**
 * {@code WORKER_JOBS_DIR/<jobId>/}:
 *
 * <pre>
 *   inputs/        downloaded inputs
 *   models/        downloaded models
 *   outputs/       what the task writes (OUTPUT_DIR)
 *   logs/          stdout.log and stderr.log of the task (LOG_DIR); an earlier attempt's under attempt-N/
 *   state/         the task's resumable state (STATE_DIR): kept across attempts, removed on success
 *   .pgid          process group of the attempt running (or killed with the worker): ended before a rerun
 *   .attempt       the delivery (receive count) of the attempt that prepared the directory last
 *   manifest.json  outputs with size and sha256, written on success
 *   SUCCESS        marker: the job is done; a redelivery is acknowledged without running again
 *   FAILED         marker: the last attempt failed, with the reason
 * </pre>
 */
public final class JobDirectory {
    public static final String SUCCESS = "SUCCESS";
    public static final String FAILED = "FAILED";
    public static final String MANIFEST = "manifest.json";
    private static final String LOCK = ".lock";
    private static final String STATE = "state";
    private static final String PGID = ".pgid";
    private static final String ATTEMPT = ".attempt";
    private static final String LOGS = "logs";
    private static final String ATTEMPT_LOGS = "attempt-";
    /**
     * Survive {@link #prepare(int)}: the lock, the state a task resumes from, the record of a stale group, and the
     * logs (an earlier attempt's move to logs/attempt-N/).
     */
    private static final Set<String> KEEP = Set.of(LOCK, STATE, PGID, ATTEMPT, LOGS);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String jobId;
    private final Path dir;

    JobDirectory(String jobId, Path dir) {
        this.jobId = jobId;
        this.dir = dir;
    }

    public String jobId() { return jobId; }
    public Path path() { return dir; }
    public Path inputs() { return dir.resolve("inputs"); }
    public Path models() { return dir.resolve("models"); }
    public Path outputs() { return dir.resolve("outputs"); }
    public Path logs() { return dir.resolve("logs"); }
    public Path stdout() { return logs().resolve("stdout.log"); }
    public Path stderr() { return logs().resolve("stderr.log"); }
    public Path manifest() { return dir.resolve(MANIFEST); }
    public Path state() { return dir.resolve(STATE); }

    /** Records the process group of the running attempt, so a rerun after a crash can end what it left. */
    public void writePgid(long pgid) throws IOException {
        writeAtomically(dir.resolve(PGID), (pgid + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** The process group an earlier attempt recorded, if any (and readable). */
    public java.util.OptionalLong readPgid() {
        try {
            return java.util.OptionalLong.of(Long.parseLong(Files.readString(dir.resolve(PGID)).strip()));
        } catch (IOException | NumberFormatException e) {
            return java.util.OptionalLong.empty();
        }
    }

    /** The attempt's group is gone (ended with it): nothing to end before the next attempt. */
    public void clearPgid() throws IOException {
        Files.deleteIfExists(dir.resolve(PGID));
    }

    public boolean succeeded() {
        return Files.isRegularFile(dir.resolve(SUCCESS), LinkOption.NOFOLLOW_LINKS);
    }

    /** The manifest of a finished job, if it has one. */
    public Optional<ObjectNode> readManifest() {
        try {
            return Optional.of((ObjectNode) JSON.readTree(manifest().toFile()));
        } catch (IOException | ClassCastException e) {
            return Optional.empty();
        }
    }

    /**
     * Takes the job's lock, so two deliveries of one job (a visibility timeout that ran out, two workers on one
     * disk) never run it at the same time.
     *
     * @return empty when someone else holds it
     */
    public Optional<Lock> tryLock() throws IOException {
        Files.createDirectories(dir);
        return lockFile();
    }

    private Optional<Lock> lockFile() throws IOException {
        FileChannel channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                return Optional.empty();
            }
            return Optional.of(new Lock(lock));
        } catch (OverlappingFileLockException e) {
            channel.close();
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Removes what an earlier, unfinished attempt left, except its resumable state and its logs, which move to
     * {@code logs/attempt-N/} (N: that attempt's delivery), and creates the layout (docs/ai.md: Job directory).
     *
     * @param attempt this attempt's delivery (SQS ApproximateReceiveCount)
     */
    public void prepare(int attempt) throws IOException {
        archiveLogs();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (!KEEP.contains(p.getFileName().toString())) {
                    deleteTree(p);
                }
            }
        }
        for (Path p : new Path[] {inputs(), models(), outputs(), logs(), state()}) {
            Files.createDirectories(p);
        }
        writeAtomically(dir.resolve(ATTEMPT), (attempt + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** Earlier attempts' log directories, oldest first by name ({@code logs/attempt-N}). */
    public java.util.List<Path> archivedLogs() throws IOException {
        if (!Files.isDirectory(logs(), LinkOption.NOFOLLOW_LINKS)) {
            return java.util.List.of();
        }
        try (var entries = Files.list(logs())) {
            return entries.filter(p -> p.getFileName().toString().startsWith(ATTEMPT_LOGS)).sorted().toList();
        }
    }

    /** Moves what the last attempt left in logs/ (stdout.log, stderr.log, the task's own files) to attempt-N/. */
    private void archiveLogs() throws IOException {
        Path logs = logs();
        if (!Files.isDirectory(logs, LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(logs);
            return;
        }
        java.util.List<Path> current;
        try (var entries = Files.list(logs)) {
            current = entries.filter(p -> !p.getFileName().toString().startsWith(ATTEMPT_LOGS)).toList();
        }
        if (current.isEmpty()) {
            return;
        }
        String previous = readAttempt().map(String::valueOf).orElse("unknown");
        Path target = logs.resolve(ATTEMPT_LOGS + previous);
        for (int k = 2; Files.exists(target, LinkOption.NOFOLLOW_LINKS); k++) {
            target = logs.resolve(ATTEMPT_LOGS + previous + "-" + k);
        }
        Files.createDirectory(target);
        for (Path p : current) {
            Files.move(p, target.resolve(p.getFileName()), LinkOption.NOFOLLOW_LINKS);
        }
    }

    private Optional<Integer> readAttempt() {
        try {
            return Optional.of(Integer.parseInt(Files.readString(dir.resolve(ATTEMPT)).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * When the job finished: the {@code finishedAt} of its SUCCESS or FAILED marker (the marker file's time if it
     * does not say); empty while it has neither (running, or never finished).
     */
    public Optional<java.time.Instant> finishedAt() {
        for (String marker : new String[] {SUCCESS, FAILED}) {
            Path m = dir.resolve(marker);
            if (!Files.isRegularFile(m, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try {
                return Optional.of(java.time.Instant.parse(JSON.readTree(m.toFile()).path("finishedAt").asText()));
            } catch (IOException | java.time.format.DateTimeParseException e) {
                try {
                    return Optional.of(Files.getLastModifiedTime(m, LinkOption.NOFOLLOW_LINKS).toInstant());
                } catch (IOException gone) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** Whether the directory is there (a job refused before it ran never gets one). */
    public boolean exists() {
        return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Writes the manifest, then the SUCCESS marker: a marker is never there without its manifest. The resumable
     * state is of no further use and goes first.
     */
    public void writeSuccess(ObjectNode manifest) throws IOException {
        Files.deleteIfExists(dir.resolve(FAILED));
        deleteTree(state());
        writeAtomically(manifest(), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
        ObjectNode marker = JSON.createObjectNode();
        marker.put("jobId", jobId);
        marker.put("finishedAt", manifest.path("finishedAt").asText());
        writeAtomically(dir.resolve(SUCCESS), JSON.writeValueAsBytes(marker));
    }

    /**
     * Writes the manifest alone, without the SUCCESS marker: what is uploaded when outputs go to S3, before the job
     * counts as done (docs/ai.md: Outputs on S3).
     */
    public void writeManifest(ObjectNode manifest) throws IOException {
        writeAtomically(manifest(), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
    }

    /** Written only into a directory that exists: a job refused before it ran leaves nothing on disk. */
    public void writeFailed(String code, String reason, boolean retryable, int attempt, String finishedAt)
            throws IOException {
        ObjectNode marker = JSON.createObjectNode();
        marker.put("jobId", jobId);
        marker.put("attempt", attempt);
        marker.put("error", code);
        marker.put("reason", reason);
        marker.put("retryable", retryable);
        marker.put("finishedAt", finishedAt);
        writeAtomically(dir.resolve(FAILED), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(marker));
    }

    /**
     * Deletes the directory of a job that finished before {@code cutoff}, unless a delivery of it holds the lock
     * (it runs): the directory is first moved to {@code trash} under the lock, so a delivery arriving meanwhile
     * starts a fresh directory rather than one being deleted under it (docs/ai.md: Job directory).
     *
     * @return whether it was removed
     */
    public boolean removeIfFinishedBefore(java.time.Instant cutoff, Path trash) throws IOException {
        if (!exists()) {
            return false;
        }
        Optional<Lock> lock;
        try {
            lock = lockFile();
        } catch (java.nio.file.NoSuchFileException gone) {
            return false;
        }
        if (lock.isEmpty()) {
            return false;
        }
        try (Lock held = lock.get()) {
            Optional<java.time.Instant> finished = finishedAt();
            if (finished.isEmpty() || !finished.get().isBefore(cutoff)) {
                return false;
            }
            Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
        }
        deleteTree(trash);
        return true;
    }

    /** Written whole or not at all: a crash never leaves a half SUCCESS marker a redelivery would trust. */
    private static void writeAtomically(Path target, byte[] content) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.write(tmp, content);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Held while the job runs; closing releases the lock and then the lock file's channel. */
    public static final class Lock implements AutoCloseable {
        private final FileLock lock;

        Lock(FileLock lock) {
            this.lock = lock;
        }

        @Override
        public void close() throws IOException {
            try {
                lock.release();
            } finally {
                lock.channel().close();
            }
        }
    }
}
