package dev.longshore.local.autoscale;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The end of a fleet run in numbers, counted by job id from what actually happened: the sink's record of every
 * job execution (and the workers' own "webhook delivered" log lines as a cross-check), not from the workers'
 * metrics. Times are seconds since the load started.
 *
 * @param jobs            jobs in the workload
 * @param sent            jobs the burst generator sent
 * @param done            distinct jobs that finished at least once
 * @param duplicates      extra executions: a job run twice counts 1
 * @param lost            jobs sent and never finished
 * @param deadLettered    messages in the dead-letter queue at the end
 * @param loggedDuplicates extra "webhook delivered" lines for one job in the workers' logs
 * @param timeToDrain     first message sent until the last job finished (NaN if not all finished)
 * @param latency         sent to finished, per job
 * @param waits           sent to started, per job
 * @param firstJobWait    how long the first job sent waited before a worker started it
 * @param peakDesired     most instances booting or in service at once
 * @param peakRunning     most instances alive at once, draining ones included
 * @param launched        instances launched after the load started
 * @param boot            launch to READY, per instance launched after the load started
 * @param scaledIn        instances scaled in through the lifecycle hook during the run
 * @param notice          scale-in until the worker stopped taking jobs, per instance scaled in during the run
 * @param drain           scale-in to exit, per instance scaled in during the run
 * @param cleanScaleIns   instances (run and teardown) that completed the hook with CONTINUE and exited 0
 * @param instanceSeconds instance lifetime inside [load start, settled]
 * @param settledAt       when the group was back at min with nothing booting or draining, all jobs done
 * @param failedInstances instances that did not end through the hook with CONTINUE and exit 0, with why
 * @param workerErrors    ERROR lines (and stderr) of the workers
 * @param workerWarnings  WARN lines of the workers
 */
public record FleetSummary(int jobs, int sent, int done, int duplicates, int lost, int deadLettered,
                           int loggedDuplicates, double timeToDrain, Percentiles latency, Percentiles waits,
                           double firstJobWait, int peakDesired, int peakRunning, int launched, Percentiles boot,
                           int scaledIn, Percentiles notice, Percentiles drain, int cleanScaleIns, double instanceSeconds, double settledAt,
                           List<String> failedInstances, List<String> workerErrors, List<String> workerWarnings) {

    /**
     * @param loadStart when the load started on the fleet clock; sink and instance times are on that clock,
     *                  {@code sentAt} is relative to it
     */
    public static FleetSummary of(Workload workload, Map<String, Double> sentAt, Map<String, Integer> starts,
                                  Map<String, List<JobSink.Execution>> executions, WorkerLogTally tally,
                                  FleetSnapshot end, double loadStart, double settledAt, int deadLettered) {
        int done = 0;
        int duplicates = 0;
        double firstSent = Double.POSITIVE_INFINITY;
        double lastFinish = Double.NEGATIVE_INFINITY;
        List<Double> latencies = new ArrayList<>();
        List<Double> waits = new ArrayList<>();
        double firstJobWait = Double.NaN;
        for (Workload.Job job : workload.jobs()) {
            Double sent = sentAt.get(job.id());
            List<JobSink.Execution> runs = executions.getOrDefault(job.id(), List.of());
            duplicates += Math.max(0, Math.max(runs.size(), starts.getOrDefault(job.id(), 0)) - 1);
            if (sent == null) {
                continue;
            }
            firstSent = Math.min(firstSent, sent);
            if (runs.isEmpty()) {
                continue;
            }
            done++;
            JobSink.Execution first = runs.stream().min((a, b) -> Double.compare(a.finished(), b.finished())).orElseThrow();
            double finished = first.finished() - loadStart;
            double started = first.started() - loadStart;
            lastFinish = Math.max(lastFinish, finished);
            latencies.add(finished - sent);
            waits.add(started - sent);
            if (Double.isNaN(firstJobWait)) {
                firstJobWait = started - sent;
            }
        }
        int loggedDuplicates = tally.deliveries().values().stream().mapToInt(n -> Math.max(0, n - 1)).sum();
        int sentCount = sentAt.size();
        List<Double> boots = new ArrayList<>();
        List<Double> drains = new ArrayList<>();
        List<Double> notices = new ArrayList<>();
        int launched = 0;
        int scaledIn = 0;
        int clean = 0;
        double instanceSeconds = 0;
        List<String> failed = new ArrayList<>();
        double settledOnClock = loadStart + settledAt;
        for (FleetInstance i : end.instances()) {
            if (!i.initial()) {
                launched++;
                if (!Double.isNaN(i.readyAt())) {
                    boots.add(i.bootSeconds());
                }
            }
            if (!Double.isNaN(i.scaledInAt()) && i.scaledInAt() <= settledOnClock && !Double.isNaN(i.endedAt())) {
                scaledIn++;
                drains.add(i.drainSeconds());
                if (!Double.isNaN(i.noticeSeconds())) {
                    notices.add(i.noticeSeconds());
                }
            }
            if (i.state() == InstanceState.TERMINATED) {
                clean++;
            }
            if (i.problem() != null) {
                failed.add(i.id() + ": " + i.problem());
            }
            double from = Math.max(i.launchedAt(), loadStart);
            double to = Math.min(Double.isNaN(i.endedAt()) ? settledOnClock : i.endedAt(), settledOnClock);
            instanceSeconds += Math.max(0, to - from);
        }
        boolean allDone = done == workload.size();
        return new FleetSummary(workload.size(), sentCount, done, duplicates, sentCount - done, deadLettered,
                loggedDuplicates, allDone ? lastFinish - firstSent : Double.NaN, percentiles(latencies),
                percentiles(waits), firstJobWait, end.peakDesired(), end.peakRunning(), launched, percentiles(boots),
                scaledIn, percentiles(notices), percentiles(drains), clean, instanceSeconds, settledAt, List.copyOf(failed), tally.errors(),
                tally.warnings());
    }

    private static Percentiles percentiles(List<Double> values) {
        return new Percentiles(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Every job done exactly once, nothing lost or dead-lettered, every instance ended through the hook. */
    public boolean ok() {
        return done == jobs && sent == jobs && duplicates == 0 && lost == 0 && deadLettered == 0
                && loggedDuplicates == 0 && failedInstances.isEmpty() && workerErrors.isEmpty();
    }

    public void print(PrintStream out, List<Activity> activities) {
        out.println("local fleet summary");
        out.printf(Locale.ROOT, "  jobs           %d sent, %d done, %d duplicates, %d lost, %d dead-lettered"
                + " (counted by job id at the receiver; worker logs: %d duplicate deliveries)%n",
                sent, done, duplicates, lost, deadLettered, loggedDuplicates);
        out.printf(Locale.ROOT, "  time to drain  %s (first message sent to last job done)%n", Figures.format(timeToDrain));
        out.printf(Locale.ROOT, "  latency        %s (sent to done)%n", latency.describe());
        out.printf(Locale.ROOT, "  wait           first job %s, %s (sent to started)%n", Figures.format(firstJobWait),
                waits.describe());
        out.printf(Locale.ROOT, "  instances      peak %d (%d with draining ones), %d launched, boot (launch to READY)"
                        + " mean %s [%s-%s]%n", peakDesired, peakRunning, launched, Figures.format(boot.mean()),
                Figures.format(boot.min()), Figures.format(boot.max()));
        out.printf(Locale.ROOT, "  scale-in       %d during the run: the worker stopped taking jobs after %s (mean), ended"
                        + " after %s [%s-%s]; %d instance(s) ended with CONTINUE and exit 0, %d otherwise%n", scaledIn,
                Figures.format(notice.mean()), Figures.format(drain.mean()), Figures.format(drain.min()),
                Figures.format(drain.max()), cleanScaleIns, failedInstances.size());
        out.printf(Locale.ROOT, "  instance time  %s until settled at +%s%n", Figures.format(instanceSeconds),
                Figures.format(settledAt));
        out.println("  scaling activity");
        for (Activity a : activities) {
            out.println("    " + a);
        }
        list(out, "instances that did not end through the lifecycle hook", failedInstances);
        list(out, "worker errors", workerErrors);
        list(out, "worker warnings", workerWarnings);
    }

    private static void list(PrintStream out, String title, List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        out.println("  " + title);
        lines.stream().limit(10).forEach(p -> out.println("    " + p));
        if (lines.size() > 10) {
            out.println("    ... " + (lines.size() - 10) + " more in the worker logs");
        }
    }
}
