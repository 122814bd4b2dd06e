package dev.longshore.local.autoscale;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * How long a job takes on an instance: {@code const:3s} (or just {@code 3s}), {@code uniform:2s-4s},
 * {@code exp:3s} (exponential with that mean), {@code lognormal:3s,1s} (mean and standard deviation; long-tailed,
 * as real job times tend to be). Samples are at least 1 ms.
 *
 * @param text how it was written, which is also how it prints
 * @param draw one time in seconds, before the 1 ms floor
 * @param mean the distribution's mean in seconds
 */
public record ProcessingTime(String text, ToDoubleFunction<SplittableRandom> draw, double mean) {
    private static final double MIN_SECONDS = 0.001;

    public static ProcessingTime constant(double seconds) {
        return constant("const:" + Figures.format(seconds), seconds);
    }

    private static ProcessingTime constant(String text, double seconds) {
        return new ProcessingTime(text, r -> seconds, seconds);
    }

    public static ProcessingTime parse(String raw) {
        String s = raw.trim().toLowerCase(Locale.ROOT);
        int colon = s.indexOf(':');
        String kind = colon < 0 ? "const" : s.substring(0, colon);
        String args = colon < 0 ? s : s.substring(colon + 1);
        try {
            return switch (kind) {
                case "const" -> constant(s, positive(args));
                case "uniform" -> {
                    int dash = args.indexOf('-');
                    if (dash < 0) {
                        throw new IllegalArgumentException("uniform needs LOW-HIGH");
                    }
                    double lo = positive(args.substring(0, dash));
                    double hi = positive(args.substring(dash + 1));
                    if (hi < lo) {
                        throw new IllegalArgumentException("uniform's high end is below its low end");
                    }
                    yield new ProcessingTime(s, r -> lo + (hi - lo) * r.nextDouble(), (lo + hi) / 2);
                }
                case "exp" -> {
                    double mean = positive(args);
                    yield new ProcessingTime(s, r -> -mean * Math.log(1 - r.nextDouble()), mean);
                }
                case "lognormal" -> {
                    String[] parts = args.split(",");
                    if (parts.length != 2) {
                        throw new IllegalArgumentException("lognormal needs MEAN,SD");
                    }
                    double mean = positive(parts[0]);
                    double sd = Figures.seconds(Figures.parse(parts[1]));
                    double sigma2 = Math.log(1 + sd * sd / (mean * mean));
                    double mu = Math.log(mean) - sigma2 / 2;
                    double sigma = Math.sqrt(sigma2);
                    yield new ProcessingTime(s, r -> Math.exp(mu + sigma * r.nextGaussian()),
                            Math.exp(mu + sigma * sigma / 2));
                }
                default -> throw new IllegalArgumentException("unknown distribution " + kind);
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + raw + "\": " + e.getMessage()
                    + " (expected const:3s, uniform:2s-4s, exp:3s or lognormal:3s,1s)");
        }
    }

    private static double positive(String text) {
        double seconds = Figures.seconds(Figures.parse(text));
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("a processing time must be positive, was " + text);
        }
        return seconds;
    }

    public double sample(SplittableRandom random) {
        return Math.max(MIN_SECONDS, draw.applyAsDouble(random));
    }

    @Override
    public String toString() {
        return text;
    }
}
