package dev.longshore.local.autoscale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a local fleet run leaves behind for the planner to check itself against ({@code scripts/plan --against}):
 * the jobs as they were sent, the policy and instance settings, the measured boot and scale-in times, the
 * measured results and the timeline ({@code measuredBoots}: launch to READY of each instance launched during the
 * run, in launch order; {@code measuredBootSeconds} their mean; {@code measuredNoticeSeconds}: scale-in until the
 * worker stopped taking jobs, mean). Times count from the load's start; {@code firstEvaluationSeconds} is when the
 * policy was first evaluated (the periods are counted from there).
 */
public record RunRecord(String load, String processing, long seed, int concurrency, double bootDelaySeconds,
                        Policy policy, double firstEvaluationSeconds, double measuredBootSeconds, List<Double> measuredBoots, double measuredNoticeSeconds, Measured measured,
                        List<Job> jobs, List<Timeline.Point> timeline, List<Activity> activities) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public RunRecord {
        // a record written before a list was added reads as empty, not null
        measuredBoots = measuredBoots == null ? List.of() : List.copyOf(measuredBoots);
        jobs = jobs == null ? List.of() : List.copyOf(jobs);
        timeline = timeline == null ? List.of() : List.copyOf(timeline);
        activities = activities == null ? List.of() : List.copyOf(activities);
    }

    /** The {@link ScalingPolicy} with durations in seconds. */
    public record Policy(int min, int max, double target, double periodSeconds, int scaleOutPeriods, int scaleInPeriods,
                         double scaleInRatio, double warmupSeconds) {
        public static Policy of(ScalingPolicy p) {
            return new Policy(p.min(), p.max(), p.target(), Figures.seconds(p.period()), p.scaleOutPeriods(),
                    p.scaleInPeriods(), p.scaleInRatio(), Figures.seconds(p.warmup()));
        }

        public ScalingPolicy toPolicy() {
            return new ScalingPolicy(min, max, target, Figures.ofSeconds(periodSeconds), scaleOutPeriods,
                    scaleInPeriods, scaleInRatio, Figures.ofSeconds(warmupSeconds));
        }
    }

    /** A job as it was sent: {@code at} seconds after the load started. */
    public record Job(String id, double at, double processing) {
    }

    /** The fleet's measured results (seconds). */
    public record Measured(int jobs, int done, int duplicates, int lost, boolean ok, double timeToDrain,
                           int peakDesired, int peakRunning, double latencyP50, double latencyP90, double latencyP99,
                           double latencyMax, double firstJobWait, double instanceSeconds, double settledAt) {
        public static Measured of(FleetSummary s) {
            return new Measured(s.jobs(), s.done(), s.duplicates(), s.lost(), s.ok(), s.timeToDrain(), s.peakDesired(),
                    s.peakRunning(), s.latency().at(50), s.latency().at(90), s.latency().at(99), s.latency().max(),
                    s.firstJobWait(), s.instanceSeconds(), s.settledAt());
        }
    }

    public Workload workload() {
        return new Workload(jobs.stream().map(j -> new Workload.Job(j.id(), j.at(), j.processing())).toList());
    }

    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), this);
    }

    public static RunRecord read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + " does not exist (run scripts/local-fleet first; it writes target/local-fleet/run.json)");
        }
        return JSON.readValue(file.toFile(), RunRecord.class);
    }
}
