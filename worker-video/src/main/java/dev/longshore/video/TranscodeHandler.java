package dev.longshore.video;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longshore.core.config.Durations;
import dev.longshore.core.job.Job;
import dev.longshore.core.job.JobContext;
import dev.longshore.core.job.JobFailure;
import dev.longshore.core.job.JobHandler;
import dev.longshore.core.job.PermanentFailure;
import dev.longshore.core.job.RetryableFailure;
import dev.longshore.core.process.Output;
import dev.longshore.core.process.ProcessOutcome;
import dev.longshore.core.process.ProcessSupervisor;
import dev.longshore.core.process.Termination;
import dev.longshore.core.storage.S3ObjectStore;
import dev.longshore.video.config.VideoSettings;
import dev.longshore.video.ffmpeg.FailureCause;
import dev.longshore.video.ffmpeg.FilterSupport;
import dev.longshore.video.ffmpeg.HlsCommand;
import dev.longshore.video.ffmpeg.PictureFilters;
import dev.longshore.video.ffmpeg.ProgressParser;
import dev.longshore.video.ffmpeg.StallWatchdog;
import dev.longshore.video.ffmpeg.StderrSummary;
import dev.longshore.video.ffmpeg.SourcePlan;
import dev.longshore.video.ffmpeg.ThumbnailCommand;
import dev.longshore.video.ladder.LadderPlanner;
import dev.longshore.video.ladder.Rendition;
import dev.longshore.video.media.MediaInfo;
import dev.longshore.video.media.Prober;
import dev.longshore.video.publish.FileOutputStore;
import dev.longshore.video.publish.Manifest;
import dev.longshore.video.publish.OutputLayout;
import dev.longshore.video.publish.OutputStore;
import dev.longshore.video.publish.Playlists;
import dev.longshore.video.publish.S3OutputStore;
import dev.longshore.video.request.InvalidRequestException;
import dev.longshore.video.request.ThumbnailSpec;
import dev.longshore.video.request.TranscodeRequest;
import dev.longshore.video.request.TranscodeRequestParser;
import dev.longshore.video.result.ResultSink;
import dev.longshore.core.http.AllowedHosts;
import dev.longshore.core.http.DestinationPolicy;
import dev.longshore.core.http.FailureCodes;
import dev.longshore.core.http.HostResolver;
import dev.longshore.core.http.HttpFetcher;
import dev.longshore.core.http.PrivateDestinations;
import dev.longshore.core.http.SocketConnector;
import dev.longshore.core.http.Throttle;
import dev.longshore.video.storage.FileLocation;
import dev.longshore.video.storage.FileRoots;
import dev.longshore.video.storage.InputFetcher;
import dev.longshore.video.storage.Location;
import dev.longshore.video.storage.S3Location;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code video.transcode}: fetch, probe, plan the ladder, encode to HLS under a stall watchdog, publish with the
 * manifest last, report. Safe to run concurrently and to receive the same job twice: a job whose manifest is
 * already published is acknowledged without transcoding again.
 */
public final class TranscodeHandler implements JobHandler {
    public static final String TYPE = "video.transcode";
    private static final Logger log = LoggerFactory.getLogger(TranscodeHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * SIGTERM to SIGKILL for ffmpeg: on SIGTERM it stops and closes its files within a second, and a cancelled
     * transcode's output is scrapped anyway. Short, since a drain waits for it (README "Signals, states and exit
     * codes").
     */
    static final Duration FFMPEG_KILL_GRACE = Duration.ofSeconds(2);
    /**
     * How much shorter than the probed duration the encoded output may be: container durations and the last
     * frame's length differ by a fraction of a second, while a cut-off upload loses whole seconds
     * (docs/video.md: "Outcomes", input_truncated).
     */
    static final double TRUNCATION_TOLERANCE_SECONDS = 1.0;
    static final double TRUNCATION_TOLERANCE_RATIO = 0.05;

    private final VideoSettings settings;
    private final TranscodeRequestParser parser;
    private final Prober prober;
    private final HttpFetcher http;
    private final InputFetcher fetcher;
    private final S3ObjectStore s3;
    private final OutputStore files = new FileOutputStore();
    private final OutputStore objects;
    private final ResultSink results;
    private final ScratchSpace scratch;
    private final VideoMetrics metrics;
    private final Clock clock;
    /** ffmpeg's filter list, read on the first job that needs a picture filter. */
    private FilterSupport filterSupport;

    public TranscodeHandler(VideoSettings settings, S3ObjectStore s3, ResultSink results, VideoMetrics metrics,
                            Clock clock) {
        this(settings, s3, results, metrics, clock, PrivateDestinations.none());
    }

    /** @param privateDestinations WORKER_PRIVATE_DESTINATIONS, for http(s) inputs (README: Security) */
    public TranscodeHandler(VideoSettings settings, S3ObjectStore s3, ResultSink results, VideoMetrics metrics,
                            Clock clock, PrivateDestinations privateDestinations) {
        this.settings = settings;
        this.parser = new TranscodeRequestParser(settings.segmentSeconds());
        this.prober = new Prober(settings.ffprobe(), settings.probeTimeout(), settings.maxMediaDuration());
        this.s3 = s3;
        this.http = new HttpFetcher(new DestinationPolicy(privateDestinations, AllowedHosts.ANY, HostResolver.SYSTEM),
                SocketConnector.withDefaultTrust(), Throttle.NONE, new HttpFetcher.Options(FailureCodes.INPUT,
                HttpFetcher.DEFAULT_MAX_REDIRECTS, settings.httpTimeout()));
        // A download is part of the job: it may take as long as a transcode may run, no longer.
        this.fetcher = new InputFetcher(s3, http, settings.maxInputBytes(), settings.maxRuntime(),
                settings.fileRoots());
        this.objects = new S3OutputStore(s3);
        this.results = results;
        this.scratch = new ScratchSpace(settings.workDir());
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Removes job directories a previous process left in the work directory. */
    public int removeScratchLeftovers() {
        return scratch.removeLeftovers();
    }

    @Override
    public Set<String> types() {
        return Set.of(TYPE);
    }

    @Override
    public void handle(Job job, JobContext ctx) throws Exception {
        TranscodeRequest request;
        try {
            request = parser.parse(job.payload());
        } catch (InvalidRequestException e) {
            throw reportFailure(job, Optional.empty(), new PermanentFailure("invalid_payload", e.getMessage()));
        }
        try {
            transcode(job, ctx, request);
        } catch (PermanentFailure f) {
            throw reportFailure(job, Optional.of(request), f);
        }
    }

    private void transcode(Job job, JobContext ctx, TranscodeRequest request) throws Exception {
        checkFileRoots("input", request.input());
        checkFileRoots("output", request.output());
        if (request.input() instanceof S3Location in) {
            s3.checkAllowed("input", in);
        }
        if (request.output() instanceof S3Location out) {
            s3.checkAllowed("output", out);
        }
        OutputStore store = storeFor(request.output());
        Optional<byte[]> existing = store.readManifest(request.output());
        if (existing.isPresent()) {
            acknowledgeExisting(job, request, existing.get());
            return;
        }
        Path dir = scratch.newJobDirectory();
        String key = job.id() + "/" + job.messageId();
        Instant started = clock.instant();
        try {
            Path input = dir.resolve("input");
            fetcher.fetch(request.input(), input);
            MediaInfo media = prober.probe(input, dir, ctx::onCancel);
            List<String> notes = new ArrayList<>();
            SourcePlan source = sourcePlan(media, notes);
            List<Rendition> ladder = LadderPlanner.plan(request.renditions(), media);
            log.info("transcoding {} ({}x{}, {}s, {}) to {} as {}", request.input().display(), media.width(),
                    media.height(), String.format(Locale.ROOT, "%.1f", media.durationSeconds()), media.videoCodec(),
                    request.output().display(), ladder.stream().map(Rendition::name).toList());
            Path out = Files.createDirectory(dir.resolve("out"));
            for (Rendition r : ladder) {
                Files.createDirectory(out.resolve(r.name()));
            }
            encode(job, ctx, key, dir, new HlsCommand(settings.ffmpeg(), input, out, ladder, source,
                    request.segmentSeconds(), settings.threads(), settings.preset()), media);
            Map<String, Playlists.Measured> measured = measure(out, ladder);
            checkNothingMissing(media, measured);
            Playlists.rewriteMaster(out, measured);
            Optional<Manifest.Thumbnail> thumbnail = request.thumbnail().isPresent()
                    ? thumbnail(ctx, dir, input, out, media, source, request.thumbnail().get(), notes)
                    : Optional.empty();
            ObjectNode manifest;
            try {
                manifest = Manifest.write(out, job.id(), request.input().display(), media, request.segmentSeconds(),
                        ladder, thumbnail, notes, clock.instant());
            } catch (Manifest.IncompleteOutputException e) {
                throw new RetryableFailure("output_incomplete", e.getMessage());
            }
            store.publish(out, OutputLayout.publishingOrder(out), request.output());
            Duration took = Duration.between(started, clock.instant());
            metrics.mediaSeconds.add(Math.round(media.durationSeconds()));
            log.info("published {} ({} bytes, {} renditions) in {}s", request.output().display(),
                    manifest.path("totalSizeBytes").asLong(), ladder.size(),
                    String.format(Locale.ROOT, "%.1f", took.toMillis() / 1000.0));
            ctx.progress(1.0);
            reportSuccess(job, request, manifest, false);
        } finally {
            metrics.finished(key);
            ScratchSpace.delete(dir);
        }
    }

    private void encode(Job job, JobContext ctx, String key, Path dir, HlsCommand command, MediaInfo media)
            throws IOException, JobFailure {
        StallWatchdog watchdog = new StallWatchdog(clock, settings.stallTimeout());
        ProgressParser progress = new ProgressParser();
        ProgressReporter reporter = new ProgressReporter(key, media.durationMicros(), ctx, metrics);
        metrics.progress(key, 0);
        ProcessOutcome outcome = ProcessSupervisor.builder(command.arguments())
                .threadName(Thread.currentThread().getName() + "-ffmpeg")
                .stdout(Output.toLines(line -> progress.accept(line).ifPresent(p -> {
                    watchdog.observe(p);
                    reporter.report(p);
                })))
                .stderrTo(dir.resolve("ffmpeg.log"))
                .timeLimit(settings.maxRuntime())
                .stallTimeout(settings.stallTimeout(), watchdog)
                .clock(clock)
                .killGrace(FFMPEG_KILL_GRACE)
                .build()
                .run(ctx::onCancel);
        metrics.encodeSeconds.add(outcome.took().toSeconds());
        String at = String.format(Locale.ROOT, "%.0f%%", reporter.best() * 100);
        switch (outcome.termination()) {
            case STALLED -> {
                metrics.stalls.increment();
                log.warn("ffmpeg made no progress for {} at {}; killed it", Durations.format(settings.stallTimeout()), at);
                throw new RetryableFailure("transcode_stalled", "ffmpeg made no progress for "
                        + Durations.format(settings.stallTimeout()) + " (WORKER_VIDEO_STALL_TIMEOUT) at " + at
                        + "; killed");
            }
            case TIMED_OUT -> throw new PermanentFailure("transcode_too_long", "the transcode ran longer than "
                    + Durations.format(settings.maxRuntime()) + " (WORKER_VIDEO_MAX_RUNTIME) and was killed at " + at);
            case CANCELLED -> {
                log.info("transcode cancelled at {}; ffmpeg killed", at);
                throw new RetryableFailure("cancelled", "the transcode was cancelled at " + at + " (worker draining)");
            }
            case EXITED -> {
                if (outcome.exitCode() != 0) {
                    String said = StderrSummary.of(outcome.stderrTail(), "no message");
                    Optional<String> damage = FailureCause.inputDamage(outcome.exitCode(), dir.resolve("ffmpeg.log"));
                    if (damage.isPresent()) {
                        // The same bytes fail the same way on every receive: do not transcode them again.
                        log.info("ffmpeg stopped on damaged input data, first sign: {}", damage.get());
                        throw new PermanentFailure("input_corrupt", "the input's data cannot be decoded (ffmpeg exited "
                                + "with " + outcome.exitCode() + " at " + at + "): " + said);
                    }
                    throw new RetryableFailure("ffmpeg_failed", "ffmpeg exited with " + outcome.exitCode() + " at " + at
                            + ": " + said);
                }
            }
        }
        log.debug("ffmpeg finished in {} for job {}", outcome.took(), job.id());
    }

    /**
     * The streams to read and the shared picture filters. Notes what the renditions will not carry (other audio
     * streams) and what was done to the picture.
     */
    private SourcePlan sourcePlan(MediaInfo media, List<String> notes) throws JobFailure {
        if (!media.streams().droppedAudio().isEmpty()) {
            notes.add("audio: stream " + media.streams().audio().getAsInt() + " carried (the default or first audio "
                    + "stream); not carried: " + String.join("; ", media.streams().droppedAudio()));
        }
        FilterSupport support = media.picture().interlaced() || media.picture().hdr().isPresent()
                ? filterSupport() : new FilterSupport(Set.of());
        return PictureFilters.plan(media, support, notes);
    }

    private synchronized FilterSupport filterSupport() throws RetryableFailure {
        if (filterSupport == null) {
            try {
                filterSupport = FilterSupport.detect(settings.ffmpeg());
            } catch (IOException e) {
                throw new RetryableFailure("ffmpeg_failed", "cannot list ffmpeg's filters: " + e.getMessage(), e);
            }
        }
        return filterSupport;
    }

    private static Map<String, Playlists.Measured> measure(Path out, List<Rendition> ladder) throws IOException,
            RetryableFailure {
        try {
            return Playlists.measureAll(out, ladder);
        } catch (NoSuchFileException e) {
            throw new RetryableFailure("output_incomplete", "a segment named in a playlist is missing: "
                    + out.relativize(Path.of(e.getFile())));
        }
    }

    /**
     * ffmpeg ends without an error at the end of the data it can read, so an upload cut off after its index (an
     * MP4 with the moov atom first) transcodes "successfully" to a part of the video. The output's length,
     * measured from the playlists, must match what the container declared.
     */
    static void checkNothingMissing(MediaInfo media, Map<String, Playlists.Measured> measured) throws PermanentFailure {
        double declared = media.durationSeconds();
        double encoded = measured.values().stream().mapToDouble(Playlists.Measured::seconds).min().orElse(0);
        double tolerance = Math.max(TRUNCATION_TOLERANCE_SECONDS, declared * TRUNCATION_TOLERANCE_RATIO);
        if (encoded < declared - tolerance) {
            throw new PermanentFailure("input_truncated", String.format(Locale.ROOT, "the input declares %.1fs but "
                    + "only %.1fs of it could be read: the file is cut short (an interrupted upload?)", declared, encoded));
        }
    }

    /**
     * Best effort (docs/video.md: "Output"): a thumbnail that cannot be made is logged and noted in the manifest,
     * and the job still succeeds. Never a reason to transcode again.
     */
    private Optional<Manifest.Thumbnail> thumbnail(JobContext ctx, Path dir, Path input, Path out, MediaInfo media,
                                                   SourcePlan source, ThumbnailSpec spec, List<String> notes)
            throws IOException, JobFailure {
        int height = Math.min(spec.height(), media.height() - media.height() % 2);
        int width = (int) Math.max(2, Math.round((double) media.width() * height / media.height() / 2.0) * 2);
        double duration = media.durationSeconds();
        // Past the end there is no frame; default to a quarter in, where titles and black lead-ins are usually over.
        double at = Math.min(spec.atSeconds().orElse(duration / 4), Math.max(0, duration - 0.5));
        Path file = out.resolve(ThumbnailCommand.FILE_NAME);
        ProcessOutcome outcome = ProcessSupervisor.builder(new ThumbnailCommand(settings.ffmpeg(), input, file, at,
                        width, height, settings.threads(), source).arguments())
                .stdoutTo(dir.resolve("thumbnail.out"))
                .stderrTo(dir.resolve("thumbnail.log"))
                .threadName(Thread.currentThread().getName() + "-thumbnail")
                .timeLimit(settings.stallTimeout())
                .clock(clock)
                .killGrace(FFMPEG_KILL_GRACE)
                .build()
                .run(ctx::onCancel);
        if (outcome.termination() == Termination.CANCELLED) {
            throw new RetryableFailure("cancelled", "cancelled while taking the thumbnail");
        }
        if (!outcome.succeeded() || !Files.isRegularFile(file) || Files.size(file) == 0) {
            String why = StderrSummary.of(outcome.stderrTail(), outcome.termination() == Termination.EXITED
                    ? "exit code " + outcome.exitCode() : outcome.termination().name().toLowerCase(Locale.ROOT));
            log.warn("no thumbnail; publishing without it: {}", why);
            notes.add("thumbnail not made: " + why);
            Files.deleteIfExists(file);
            return Optional.empty();
        }
        return Optional.of(new Manifest.Thumbnail(ThumbnailCommand.FILE_NAME, width, height));
    }

    private void acknowledgeExisting(Job job, TranscodeRequest request, byte[] manifest) throws Exception {
        Optional<String> owner = Manifest.jobIdOf(manifest);
        if (owner.isEmpty() || !owner.get().equals(job.id())) {
            throw new PermanentFailure("output_exists", request.output().display() + " already holds "
                    + owner.map(o -> "the output of job " + o).orElse("a manifest.json that is not ours")
                    + "; choose another output or remove it");
        }
        metrics.alreadyPublished.increment();
        log.info("output {} is already published by this job; acknowledging without transcoding again",
                request.output().display());
        reportSuccess(job, request, (ObjectNode) JSON.readTree(manifest), true);
    }

    private void checkFileRoots(String role, Location location) throws PermanentFailure {
        if (location instanceof FileLocation f && !settings.fileRoots().allows(f.path())) {
            throw new PermanentFailure(role + "_forbidden", role + " " + f.display() + " is outside "
                    + FileRoots.VARIABLE);
        }
    }

    private OutputStore storeFor(Location output) {
        return switch (output) {
            case FileLocation f -> files;
            case S3Location s -> objects;
            default -> throw new IllegalStateException("outputs are file:// or s3://: " + output.display());
        };
    }

    private void reportSuccess(Job job, TranscodeRequest request, ObjectNode manifest, boolean alreadyPublished)
            throws RetryableFailure {
        if (!results.enabled()) {
            return;
        }
        ObjectNode r = JSON.createObjectNode();
        r.put("jobId", job.id());
        r.put("type", TYPE);
        r.put("status", "succeeded");
        r.put("output", request.output().display());
        r.put("manifest", switch (request.output()) {
            case FileLocation f -> new FileLocation(f.path().resolve(OutputLayout.MANIFEST)).display();
            case S3Location s -> s.child(OutputLayout.MANIFEST).display();
            default -> throw new IllegalStateException("outputs are file:// or s3://");
        });
        r.put("durationSeconds", manifest.path("durationSeconds").asDouble());
        var names = r.putArray("renditions");
        manifest.path("renditions").forEach(e -> names.add(e.path("name").asText()));
        r.put("alreadyPublished", alreadyPublished);
        try {
            results.send(job.id(), r);
        } catch (Exception e) {
            // The output is published; a retry finds the manifest and only sends this message again.
            throw new RetryableFailure("result_not_sent", "the output is published but the result message could not be sent: "
                    + e.getMessage(), e);
        }
    }

    private PermanentFailure reportFailure(Job job, Optional<TranscodeRequest> request, PermanentFailure failure) {
        if (results.enabled()) {
            ObjectNode r = JSON.createObjectNode();
            r.put("jobId", job.id());
            r.put("type", TYPE);
            r.put("status", "failed");
            request.ifPresent(q -> r.put("output", q.output().display()));
            r.put("error", failure.code());
            r.put("reason", failure.reason());
            try {
                results.send(job.id(), r);
            } catch (Exception e) {
                // The failure itself still goes to the dead-letter queue with its reason; that is the record that counts.
                log.warn("could not send the failure result for job {}: {}", job.id(), e.toString());
            }
        }
        return failure;
    }

    @Override
    public void close() {
        http.close();
        results.close();
        s3.close();
    }
}
