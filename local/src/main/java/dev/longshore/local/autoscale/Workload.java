package dev.longshore.local.autoscale;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The jobs of one run, each with its arrival time and processing time in seconds, sorted by arrival. The local
 * fleet sends exactly these and records them as an arrival log; the planner replays such a log.
 */
public final class Workload {
    /** One job: {@code at} seconds after the start it is sent; it keeps an instance slot for {@code processing} s. */
    public record Job(String id, double at, double processing) {
    }

    private final List<Job> jobs;

    public Workload(List<Job> jobs) {
        List<Job> sorted = new ArrayList<>(jobs);
        sorted.sort(Comparator.comparingDouble(Job::at));
        this.jobs = List.copyOf(sorted);
    }

    /** Jobs at the times {@code shape} gives, each with a processing time drawn from {@code processing}. */
    public static Workload generate(LoadShape shape, boolean poisson, ProcessingTime processing, long seed, String idPrefix) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] at = shape.arrivals(poisson, random.split());
        SplittableRandom durations = random.split();
        List<Job> jobs = new ArrayList<>(at.length);
        String format = "%s%0" + Math.max(3, String.valueOf(at.length).length()) + "d";
        for (int i = 0; i < at.length; i++) {
            jobs.add(new Job(String.format(Locale.ROOT, format, idPrefix, i + 1), at[i], processing.sample(durations)));
        }
        return new Workload(jobs);
    }

    /**
     * Reads an arrival log: one job a line, {@code at,processing,id}, comma-separated. {@code at} is seconds from
     * the start or an ISO-8601 instant (then counted from the earliest); {@code processing} (seconds or a duration
     * such as {@code 3s}) and {@code id} are optional, a missing processing time is drawn from {@code fallback}.
     * Blank lines, {@code #} comments and a header line are skipped.
     */
    public static Workload readLog(Path file, ProcessingTime fallback, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String[]> rows = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split(",", -1);
            if (rows.isEmpty() && !looksLikeTime(fields[0].trim())) {
                continue; // a header
            }
            rows.add(fields);
            lineNumbers.add(i + 1);
        }
        Double origin = null;
        List<double[]> times = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            String first = rows.get(r)[0].trim();
            try {
                double at;
                if (first.contains("T")) {
                    double epoch = Instant.parse(first).toEpochMilli() / 1000.0;
                    at = epoch;
                    origin = origin == null ? epoch : Math.min(origin, epoch);
                    times.add(new double[] {at, 1});
                } else {
                    at = Double.parseDouble(first);
                    if (at < 0) {
                        throw new IllegalArgumentException("negative time");
                    }
                    times.add(new double[] {at, 0});
                }
            } catch (IllegalArgumentException | DateTimeParseException e) {
                throw new IllegalArgumentException(file + " line " + lineNumbers.get(r) + ": \"" + first
                        + "\" is neither seconds nor an ISO-8601 instant");
            }
        }
        long instants = times.stream().filter(t -> t[1] == 1).count();
        if (instants != 0 && instants != times.size()) {
            throw new IllegalArgumentException(file + " mixes ISO-8601 instants and seconds in its first column");
        }
        List<Job> jobs = new ArrayList<>(rows.size());
        for (int r = 0; r < rows.size(); r++) {
            String[] f = rows.get(r);
            double at = times.get(r)[1] == 1 ? times.get(r)[0] - origin : times.get(r)[0];
            double processing;
            String p = f.length > 1 ? f[1].trim() : "";
            try {
                processing = p.isEmpty() ? fallback.sample(random) : Figures.secondsOf(p);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line " + lineNumbers.get(r) + ": processing time " + e.getMessage());
            }
            if (!(processing > 0)) {
                throw new IllegalArgumentException(file + " line " + lineNumbers.get(r) + ": processing time must be positive");
            }
            String id = f.length > 2 && !f[2].isBlank() ? f[2].trim() : "job-" + (r + 1);
            jobs.add(new Job(id, at, processing));
        }
        if (jobs.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no job (expected lines of at_s,processing_s,job_id)");
        }
        return new Workload(jobs);
    }

    private static boolean looksLikeTime(String field) {
        return !field.isEmpty() && (Character.isDigit(field.charAt(0)) || field.charAt(0) == '.');
    }

    /** Writes the log {@link #readLog} reads, with a header. */
    public void writeLog(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("at_s,processing_s,job_id\n");
            for (Job j : jobs) {
                out.write(String.format(Locale.ROOT, "%.3f,%.3f,%s%n", j.at(), j.processing(), j.id()));
            }
        }
    }

    public List<Job> jobs() {
        return jobs;
    }

    public int size() {
        return jobs.size();
    }

    public double lastArrival() {
        return jobs.isEmpty() ? 0 : jobs.get(jobs.size() - 1).at();
    }

    public double meanProcessing() {
        return jobs.stream().mapToDouble(Job::processing).average().orElse(Double.NaN);
    }

    public double maxProcessing() {
        return jobs.stream().mapToDouble(Job::processing).max().orElse(0);
    }
}
