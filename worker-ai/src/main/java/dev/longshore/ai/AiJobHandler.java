package dev.longshore.ai;

import dev.longshore.ai.gpu.GpuAllocator;
import dev.longshore.ai.gpu.GpuLease;
import dev.longshore.ai.gpu.GpuUnavailableException;
import dev.longshore.ai.output.S3JobOutputs;
import dev.longshore.ai.result.JobResult;
import dev.longshore.ai.result.ResultPublisher;
import dev.longshore.ai.runner.InputFetcher;
import dev.longshore.ai.runner.InputSpec;
import dev.longshore.ai.runner.JobDirectory;
import dev.longshore.ai.runner.JobRequest;
import dev.longshore.ai.runner.JobsDirectory;
import dev.longshore.ai.runner.OutputFile;
import dev.longshore.ai.runner.Outputs;
import dev.longshore.ai.runner.ProcessRunner;
import dev.longshore.ai.runner.ProcessSpec;
import dev.longshore.ai.runner.RunOutcome;
import dev.longshore.ai.runner.StaleTaskGroup;
import dev.longshore.ai.task.ArgvTemplate;
import dev.longshore.ai.task.Task;
import dev.longshore.ai.task.TaskRegistry;
import dev.longshore.core.http.Deadline;
import dev.longshore.core.job.Job;
import dev.longshore.core.job.JobContext;
import dev.longshore.core.job.JobFailure;
import dev.longshore.core.job.JobHandler;
import dev.longshore.core.job.PermanentFailure;
import dev.longshore.core.job.RetryableFailure;
import dev.longshore.core.metrics.Counter;
import dev.longshore.core.metrics.Metrics;
import dev.longshore.core.process.Signal;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code ai.run} jobs: a registered task, in its own directory, pinned to the GPU the gate chose. The
 * message names the task and supplies arguments and inputs; the command line is the operator's. Outcomes:
 * exit 0 is success (manifest + SUCCESS marker); a retryable exit code, a timeout or a drain cancellation is
 * retried; any other exit code, a checksum mismatch, an unknown task or a bad payload is permanent (FAILED
 * marker, dead-letter queue). While the worker drains, a task ended by a signal (or that failed after it was
 * sent the drain signal) is released for another worker, not failed (docs/ai.md, "Outcomes"). Each
 * task runs in its own process group, recorded in the job directory, so a rerun after a crash first ends what
 * the earlier attempt left; {@code state/} (STATE_DIR) is kept across attempts for a task that resumes.
 * Everything a message decides (task, arguments, inputs) is checked before the job gets a directory, so a refused
 * job leaves nothing on disk (docs/ai.md: Job directory). With WORKER_AI_OUTPUT_PREFIX a successful job's files
 * are uploaded to S3, manifest last, its directory is removed, and a redelivery is checked against the uploaded
 * manifest, so a job finished on another instance is not run again (docs/ai.md: Outputs on S3).
 */
public final class AiJobHandler implements JobHandler {
    public static final String TYPE = "ai.run";
    /** The only variables a task inherits from the worker: worker secrets (SMTP, SSM .env) stay with it. */
    public static final Set<String> INHERITED_ENV = Set.of("PATH", "HOME", "LANG", "LANGUAGE", "TZ", "TMPDIR",
            "USER", "LOGNAME", "LD_LIBRARY_PATH");
    /** Failure reasons end up in an SQS message attribute and a log line; keep them readable. */
    private static final int STDERR_TAIL_BYTES = 600;
    /**
     * Failures that leave the directory alone: no directory of ours (invalid id), another delivery owns it
     * (running), or the job succeeded and only its result message is outstanding.
     */
    private static final Set<String> NO_FAILED_MARKER = Set.of("invalid_job_id", "job_running", "result_not_sent");
    /**
     * A number may start with '-'; any other argument value that does would be read as an option by the task's
     * program ("--output=/etc/..."), so it is refused (docs/ai.md: Tasks).
     */
    private static final java.util.regex.Pattern NEGATIVE_NUMBER =
            java.util.regex.Pattern.compile("-(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?");

    private static final Logger log = LoggerFactory.getLogger(AiJobHandler.class);

    private final TaskRegistry tasks;
    private final String tasksSource;
    private final JobsDirectory jobs;
    private final InputFetcher fetcher;
    private final ProcessRunner runner;
    private final Optional<GpuAllocator> gpus;
    private final ResultPublisher results;
    private final Map<String, String> inheritedEnv;
    private final Clock clock;
    private final Counter duplicates;
    private final AiJobMetrics jobMetrics;
    private final Optional<S3JobOutputs> uploads;

    /**
     * @param tasksSource where the tasks came from, for "unknown task" reasons
     * @param gpus        empty in the CPU flavour: tasks that need a GPU fail permanently
     * @param hostEnv     the worker's environment; only {@link #INHERITED_ENV} and {@code LC_*} pass to tasks
     */
    public AiJobHandler(TaskRegistry tasks, String tasksSource, JobsDirectory jobs, InputFetcher fetcher,
                        ProcessRunner runner, Optional<GpuAllocator> gpus, ResultPublisher results,
                        Map<String, String> hostEnv, Clock clock, Metrics metrics) {
        this(tasks, tasksSource, jobs, fetcher, runner, gpus, results, hostEnv, clock, metrics.duplicatesSkipped(),
                AiJobMetrics.register(metrics), Optional.empty());
    }

    /** For tests that only count duplicates: the per-task job counts go to a registry nobody reads. */
    public AiJobHandler(TaskRegistry tasks, String tasksSource, JobsDirectory jobs, InputFetcher fetcher,
                        ProcessRunner runner, Optional<GpuAllocator> gpus, ResultPublisher results,
                        Map<String, String> hostEnv, Clock clock, Counter duplicates) {
        this(tasks, tasksSource, jobs, fetcher, runner, gpus, results, hostEnv, clock, duplicates,
                AiJobMetrics.register(new Metrics()), Optional.empty());
    }

    /**
     * The same handler, uploading each successful job's files to S3 (WORKER_AI_OUTPUT_PREFIX) instead of keeping
     * them in its directory (docs/ai.md: Outputs on S3).
     */
    public AiJobHandler uploadingTo(S3JobOutputs outputs) {
        return new AiJobHandler(tasks, tasksSource, jobs, fetcher, runner, gpus, results, inheritedEnv, clock,
                duplicates, jobMetrics, Optional.of(outputs));
    }

    private AiJobHandler(TaskRegistry tasks, String tasksSource, JobsDirectory jobs, InputFetcher fetcher,
                         ProcessRunner runner, Optional<GpuAllocator> gpus, ResultPublisher results,
                         Map<String, String> hostEnv, Clock clock, Counter duplicates, AiJobMetrics jobMetrics,
                         Optional<S3JobOutputs> uploads) {
        this.jobMetrics = jobMetrics;
        this.uploads = uploads;
        this.tasks = tasks;
        this.tasksSource = tasksSource;
        this.jobs = jobs;
        this.fetcher = fetcher;
        this.runner = runner;
        this.gpus = gpus;
        this.results = results;
        this.clock = clock;
        this.duplicates = duplicates;
        Map<String, String> inherited = new HashMap<>();
        hostEnv.forEach((k, v) -> {
            if (INHERITED_ENV.contains(k) || k.startsWith("LC_")) {
                inherited.put(k, v);
            }
        });
        this.inheritedEnv = Map.copyOf(inherited);
    }

    @Override
    public Set<String> types() {
        return Set.of(TYPE);
    }

    @Override
    public void handle(Job job, JobContext ctx) throws Exception {
        Attempt attempt = new Attempt(job.receiveCount(), clock.instant());
        try {
            process(job, ctx, attempt);
            jobMetrics.record(attempt.task, attempt.duplicate ? AiJobMetrics.Outcome.DUPLICATE
                    : AiJobMetrics.Outcome.SUCCESS, null);
        } catch (JobFailure failure) {
            jobMetrics.record(attempt.task, failure instanceof RetryableFailure ? AiJobMetrics.Outcome.RETRY
                    : AiJobMetrics.Outcome.FAILED, failure.code());
            throw failure;
        } catch (Exception | Error e) {
            // The runtime retries what a handler did not classify (RetryableFailure.fromUnexpected).
            jobMetrics.record(attempt.task, AiJobMetrics.Outcome.RETRY,
                    RetryableFailure.fromUnexpected(e).code());
            throw e;
        }
    }

    private void process(Job job, JobContext ctx, Attempt attempt) throws Exception {
        JobDirectory dir = jobs.resolve(job.id());
        String taskName = job.payload().path("task").asText("");
        if (dir.succeeded()) {
            attempt.duplicate = true;
            attempt.task = tasks.find(taskName).map(Task::name).orElse(null);
            acknowledgeDuplicate(dir);
            return;
        }
        try {
            if (uploads.isPresent()) {
                // Finished on any instance: its manifest is on S3 and its directory, here or there, may be gone.
                Optional<JobResult> published = uploads.get().published(job.id());
                if (published.isPresent()) {
                    attempt.duplicate = true;
                    attempt.task = tasks.find(taskName).map(Task::name).orElse(null);
                    acknowledgePublished(published.get());
                    return;
                }
            }
            JobRequest request = JobRequest.parse(job.payload());
            Task task = tasks.find(request.task()).orElseThrow(() -> new PermanentFailure("unknown_task",
                    "task '" + request.task() + "' is not registered (" + tasksSource + ")"));
            attempt.task = task.name();
            // Refusals that depend only on the message come before the directory exists.
            List<String> argv = expand(task, placeholders(dir, request));
            refuseOptionLikeArguments(task, request);
            Map<String, String> argEnv = argumentEnvironment(request);
            requireGpuFlavour(task);
            try (JobDirectory.Lock lock = dir.tryLock().orElseThrow(() -> new RetryableFailure("job_running",
                    "job " + job.id() + " is already running (its directory is locked)"))) {
                if (dir.succeeded()) {
                    attempt.duplicate = true;
                    acknowledgeDuplicate(dir);
                    return;
                }
                run(job, ctx, dir, request, task, argv, argEnv, attempt);
            }
        } catch (JobFailure failure) {
            recordFailure(dir, taskName, failure, attempt);
            throw failure;
        }
    }

    private void run(Job job, JobContext ctx, JobDirectory dir, JobRequest request, Task task, List<String> argv,
                     Map<String, String> argEnv, Attempt attempt) throws JobFailure, IOException {
        // Before anything is wiped: an attempt that died with its worker may still write into the directory.
        StaleTaskGroup.endLeftovers(dir, runner.killGrace());
        dir.prepare(job.receiveCount());
        // Every download of the job together gets the task's own timeout (README: Security).
        Deadline downloads = Deadline.after(task.timeout());
        Instant downloadsStarted = clock.instant();
        try {
            for (InputSpec in : request.inputs()) {
                fetcher.fetch(in, dir.inputs(), ctx, downloads);
            }
            for (InputSpec model : request.models()) {
                fetcher.fetch(model, dir.models(), ctx, downloads);
            }
        } catch (InterruptedException e) {
            throw cancelled(task, "while fetching inputs");
        } finally {
            attempt.download = Duration.between(downloadsStarted, clock.instant());
        }
        if (ctx.isCancelled()) {
            throw cancelled(task, "before the task started");
        }
        try (GpuLease lease = lease(task)) {
            Map<String, String> env = environment(job, dir, task, argEnv, lease);
            ProcessSpec spec = new ProcessSpec(argv, env, dir.path(), dir.stdout(), dir.stderr(), task.timeout());
            log.info("Running task {} for job {} (attempt {}) on {} (timeout {}); downloads took {} ms", task.name(),
                    job.id(), attempt.number, lease.uuids().isEmpty() ? "no GPU" : "GPU " + lease.cudaVisibleDevices(),
                    task.timeout(), attempt.download.toMillis());
            RunOutcome outcome;
            try {
                outcome = runner.run(spec, ctx, pgid -> recordGroup(dir, pgid));
            } catch (IOException e) {
                throw new PermanentFailure("task_start_failed", "task '" + task.name() + "' could not start "
                        + argv.get(0) + ": " + e.getMessage());
            }
            attempt.run = outcome.took();
            // The supervisor ended the whole group: nothing is left for a rerun to end.
            dir.clearPgid();
            if (outcome instanceof RunOutcome.Exited e) {
                attempt.exitCode = OptionalInt.of(e.exitCode());
                attempt.signal = e.signal();
            }
            finish(job, ctx, dir, task, outcome, attempt);
        }
    }

    private static void recordGroup(JobDirectory dir, long pgid) {
        try {
            dir.writePgid(pgid);
        } catch (IOException e) {
            log.warn("Could not record process group {} of job {}: {}", pgid, dir.jobId(), e.toString());
        }
    }

    private void finish(Job job, JobContext ctx, JobDirectory dir, Task task, RunOutcome outcome, Attempt attempt)
            throws JobFailure, IOException {
        switch (outcome) {
            case RunOutcome.Exited e when e.exitCode() != 0 && ctx.isDraining()
                    && (e.signal().isPresent() || e.drainSignalled()) -> {
                String how = e.signal().map(sig -> "was ended by " + sig.fullName())
                        .orElse("exited with " + e.exitCode() + " after the drain signal");
                log.info("Task {} for job {} {} while the worker drains; releasing the message (state/ kept)",
                        task.name(), job.id(), how);
                throw new RetryableFailure("cancelled", "task '" + task.name() + "' " + how + " while the worker "
                        + "was draining; released for another worker", Duration.ZERO, null);
            }
            case RunOutcome.Exited e when e.exitCode() == 0 -> {
                List<OutputFile> outputs = Outputs.list(dir.outputs());
                Instant now = clock.instant();
                JobResult result;
                if (uploads.isPresent()) {
                    result = new JobResult(job.id(), task.name(), JobResult.Status.SUCCESS, OptionalInt.of(0),
                            Optional.empty(), Optional.empty(), Optional.empty(),
                            uploads.get().withUris(job.id(), outputs), attempt.timing(now), "", now,
                            Optional.of(uploads.get().manifestUri(job.id())));
                    upload(dir, result);
                } else {
                    result = new JobResult(job.id(), task.name(), JobResult.Status.SUCCESS, OptionalInt.of(0),
                            Optional.empty(), Optional.empty(), Optional.empty(), outputs, attempt.timing(now),
                            dir.path().toString(), now);
                    dir.writeSuccess(result.toJson());
                }
                log.info("Task {} for job {} succeeded (attempt {}) with {} output file(s): run {} ms, downloads {} ms",
                        task.name(), job.id(), attempt.number, outputs.size(), attempt.run.toMillis(),
                        attempt.download.toMillis());
                publishSuccess(result);
            }
            case RunOutcome.Exited e when task.retryableExitCodes().contains(e.exitCode()) ->
                    throw new RetryableFailure("exit_" + e.exitCode(), "task '" + task.name() + "' exited with "
                            + e.exitCode() + " (retryable)" + stderrTail(dir));
            case RunOutcome.Exited e -> throw new PermanentFailure("exit_" + e.exitCode(), "task '" + task.name()
                    + "' exited with " + e.exitCode() + stderrTail(dir));
            case RunOutcome.TimedOut t -> throw new RetryableFailure("timeout", "task '" + task.name()
                    + "' ran longer than its timeout of " + task.timeout() + "; its process tree was killed");
            case RunOutcome.Cancelled c -> throw cancelled(task, "while running; its process tree was killed");
        }
    }

    /**
     * Manifest written, files uploaded (manifest last), SUCCESS marked, directory removed. Until the manifest is up
     * the job is not done: a failure here is retried, and the retry runs the task again.
     */
    private void upload(JobDirectory dir, JobResult result) throws JobFailure, IOException {
        dir.writeManifest(result.toJson());
        uploads.get().upload(dir);
        // Marked first, so a directory that cannot be removed now is still swept after WORKER_AI_JOB_RETENTION.
        dir.writeSuccess(result.toJson());
        try {
            jobs.remove(dir);
        } catch (IOException e) {
            log.warn("Job {} is uploaded but its directory {} could not be removed now: {}", dir.jobId(), dir.path(),
                    e.toString());
        }
    }

    /** The CPU flavour refuses GPU tasks at start (AiWorker); this holds for handlers built otherwise. */
    private void requireGpuFlavour(Task task) throws PermanentFailure {
        if (task.gpus() > 0 && gpus.isEmpty()) {
            throw new PermanentFailure("gpu_not_available", "task '" + task.name() + "' needs " + task.gpus()
                    + " GPU(s) and this worker runs without GPUs (WORKER_GPU_REQUIRED=false)");
        }
    }

    private GpuLease lease(Task task) throws JobFailure {
        if (task.gpus() == 0) {
            return GpuLease.none();
        }
        try {
            return gpus.get().acquire(task.gpus());
        } catch (GpuUnavailableException e) {
            throw new RetryableFailure("gpu_unavailable", e.getMessage());
        }
    }

    private static Map<String, String> placeholders(JobDirectory dir, JobRequest request) {
        Map<String, String> values = new HashMap<>();
        values.put("job.id", dir.jobId());
        for (JobFolder folder : JobFolder.values()) {
            values.put(folder.placeholder, folder.in(dir));
        }
        request.inputs().forEach(i -> values.put("input." + i.name(), dir.inputs().resolve(i.name()).toString()));
        request.models().forEach(m -> values.put("model." + m.name(), dir.models().resolve(m.name()).toString()));
        request.args().forEach((k, v) -> values.put("arg." + k, v));
        return values;
    }

    private static List<String> expand(Task task, Map<String, String> values) throws PermanentFailure {
        try {
            return ArgvTemplate.expand(task.argv(), values);
        } catch (ArgvTemplate.MissingValueException e) {
            String p = e.placeholder();
            String what = p.startsWith("arg.") ? "argument '" + p.substring(4) + "'"
                    : p.startsWith("input.") ? "input named '" + p.substring(6) + "'"
                    : "model named '" + p.substring(6) + "'";
            throw new PermanentFailure(p.startsWith("arg.") ? "missing_argument" : "missing_input",
                    "task '" + task.name() + "' uses ${" + p + "} and the message has no " + what);
        }
    }

    /**
     * {@code ${arg.NAME}} values that start with '-' and are not numbers are refused: the program would take them
     * for options. The same value is fine in the environment ({@code ARG_NAME}), where nothing parses options.
     */
    private static void refuseOptionLikeArguments(Task task, JobRequest request) throws PermanentFailure {
        for (String name : ArgvTemplate.argNames(task.argv())) {
            String value = request.args().get(name);
            if (value != null && value.startsWith("-") && !NEGATIVE_NUMBER.matcher(value).matches()) {
                throw new PermanentFailure("invalid_argument", "argument '" + name + "' starts with '-' and is not "
                        + "a number: task '" + task.name() + "' puts it on its command line, where it would be "
                        + "read as an option");
            }
        }
    }

    /** Each argument as {@code ARG_<NAME>} (upper case); two names that would become one variable are refused. */
    private static Map<String, String> argumentEnvironment(JobRequest request) throws PermanentFailure {
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, String> argNames = new HashMap<>();
        for (Map.Entry<String, String> a : request.args().entrySet()) {
            String name = "ARG_" + a.getKey().toUpperCase(Locale.ROOT);
            String other = argNames.put(name, a.getKey());
            if (other != null) {
                throw new PermanentFailure("invalid_payload", "arguments '" + other + "' and '" + a.getKey()
                        + "' both become " + name);
            }
            env.put(name, a.getValue());
        }
        return env;
    }

    private Map<String, String> environment(Job job, JobDirectory dir, Task task, Map<String, String> argEnv,
                                            GpuLease lease) {
        Map<String, String> env = new LinkedHashMap<>(inheritedEnv);
        env.putAll(task.env());
        env.putAll(argEnv);
        env.put("JOB_ID", job.id());
        for (JobFolder folder : JobFolder.values()) {
            env.put(folder.variable, folder.in(dir));
        }
        // Always set, also to "" for no GPU: an unset variable would let CUDA see every GPU on the machine.
        env.put("CUDA_VISIBLE_DEVICES", lease.cudaVisibleDevices());
        return env;
    }

    private void acknowledgeDuplicate(JobDirectory dir) throws RetryableFailure {
        duplicates.increment();
        log.info("Job {} already succeeded (SUCCESS marker in {}); acknowledging the redelivery without running "
                + "it again", dir.jobId(), dir.path());
        JobResult result;
        try {
            result = JobResult.fromJson(dir.readManifest().orElseThrow(
                    () -> new IllegalArgumentException("no readable " + JobDirectory.MANIFEST)));
        } catch (IllegalArgumentException e) {
            log.warn("Manifest of job {} is unreadable, result not re-sent: {}", dir.jobId(), e.getMessage());
            return;
        }
        // The result may not have reached the queue before the crash that caused this redelivery: send it again.
        publishSuccess(result);
    }

    private void acknowledgePublished(JobResult result) throws RetryableFailure {
        duplicates.increment();
        log.info("Job {} already succeeded (manifest at {}); acknowledging the redelivery without running it again",
                result.jobId(), result.manifest().orElse("?"));
        publishSuccess(result);
    }

    /** A success whose result was not delivered is retried: the redelivery finds the marker and re-sends. */
    private void publishSuccess(JobResult result) throws RetryableFailure {
        try {
            results.publish(result);
        } catch (Exception e) {
            throw new RetryableFailure("result_not_sent", "job " + result.jobId() + " succeeded but its result "
                    + "could not be sent: " + e.getMessage(), e);
        }
    }

    private void recordFailure(JobDirectory dir, String taskName, JobFailure failure, Attempt attempt) {
        if (NO_FAILED_MARKER.contains(failure.code())) {
            return;
        }
        // Marker files are written with NIO, which refuses on an interrupted thread (drain cancellation).
        boolean interrupted = Thread.interrupted();
        try {
            Instant now = clock.instant();
            boolean retryable = failure instanceof RetryableFailure;
            boolean hasDirectory = dir.exists();
            if (hasDirectory) {
                try {
                    dir.writeFailed(failure.code(), failure.reason(), retryable, attempt.number, now.toString());
                } catch (IOException e) {
                    log.warn("Could not write the FAILED marker of job {}: {}", dir.jobId(), e.toString());
                }
                log.info("Task {} for job {} failed (attempt {}, {}): run {} ms, downloads {} ms", taskName,
                        dir.jobId(), attempt.number, failure.code(), attempt.run.toMillis(),
                        attempt.download.toMillis());
            }
            if (!retryable) {
                JobResult result = new JobResult(dir.jobId(), taskName, JobResult.Status.FAILED, attempt.exitCode,
                        attempt.signal.map(Signal::fullName), Optional.of(failure.code()),
                        Optional.of(failure.reason()), List.of(), attempt.timing(now),
                        hasDirectory ? dir.path().toString() : "", now);
                try {
                    results.publish(result);
                } catch (Exception e) {
                    log.warn("Result of failed job {} could not be sent: {}", dir.jobId(), e.toString());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static RetryableFailure cancelled(Task task, String when) {
        return new RetryableFailure("cancelled", "task '" + task.name() + "' was cancelled by the drain deadline "
                + when);
    }

    /** The last lines the task wrote on stderr: usually the one that says what went wrong. */
    private static String stderrTail(JobDirectory dir) {
        Path f = dir.stderr();
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "r")) {
            long len = raf.length();
            if (len == 0) {
                return "";
            }
            int n = (int) Math.min(len, STDERR_TAIL_BYTES);
            byte[] buf = new byte[n];
            raf.seek(len - n);
            raf.readFully(buf);
            String tail = new String(buf, StandardCharsets.UTF_8).strip().replaceAll("\\s*\\R\\s*", " | ");
            return "; stderr: " + (len > n ? "..." : "") + tail;
        } catch (IOException e) {
            return Files.exists(f) ? "; stderr unreadable: " + e.getMessage() : "";
        }
    }

    /**
     * What one delivery of a job did, for its result, its log lines and the metrics: its number, the registered
     * task it ran (null until known), where its time went and how the task process exited, when it did by itself.
     */
    private static final class Attempt {
        final int number;
        final Instant started;
        String task;
        boolean duplicate;
        Duration download = Duration.ZERO;
        Duration run = Duration.ZERO;
        OptionalInt exitCode = OptionalInt.empty();
        Optional<Signal> signal = Optional.empty();

        Attempt(int number, Instant started) {
            this.number = number;
            this.started = started;
        }

        JobResult.Timing timing(Instant now) {
            return new JobResult.Timing(number, download, run, Duration.between(started, now));
        }
    }

    @Override
    public void close() {
        fetcher.close();
        results.close();
        uploads.ifPresent(S3JobOutputs::close);
    }
}
