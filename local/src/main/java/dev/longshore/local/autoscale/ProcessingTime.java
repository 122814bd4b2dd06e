package dev.longshore.local.autoscale;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * How long a job takes on an instance: {@code const:3s} (or just {@code 3s}), {@code uniform:2s-4s},
 * {@code exp:3s} (exponential with that mean), {@code lognormal:3s,1s} (mean and standard deviation; long-tailed,
 * as real job times tend to be). Samples are at least 1 ms.
 */
public final class ProcessingTime {
    private enum Kind { CONST, UNIFORM, EXP, LOGNORMAL }

    private static final double MIN_SECONDS = 0.001;

    private final String text;
    private final Kind kind;
    private final double a;
    private final double b;

    private ProcessingTime(String text, Kind kind, double a, double b) {
        this.text = text;
        this.kind = kind;
        this.a = a;
        this.b = b;
    }

    public static ProcessingTime constant(double seconds) {
        return new ProcessingTime("const:" + Figures.format(seconds), Kind.CONST, seconds, 0);
    }

    public static ProcessingTime parse(String raw) {
        String s = raw.trim().toLowerCase(Locale.ROOT);
        int colon = s.indexOf(':');
        String kind = colon < 0 ? "const" : s.substring(0, colon);
        String args = colon < 0 ? s : s.substring(colon + 1);
        try {
            return switch (kind) {
                case "const" -> new ProcessingTime(s, Kind.CONST, positive(args), 0);
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
                    yield new ProcessingTime(s, Kind.UNIFORM, lo, hi);
                }
                case "exp" -> new ProcessingTime(s, Kind.EXP, positive(args), 0);
                case "lognormal" -> {
                    String[] parts = args.split(",");
                    if (parts.length != 2) {
                        throw new IllegalArgumentException("lognormal needs MEAN,SD");
                    }
                    double mean = positive(parts[0]);
                    double sd = Figures.seconds(Figures.parse(parts[1]));
                    double sigma2 = Math.log(1 + sd * sd / (mean * mean));
                    yield new ProcessingTime(s, Kind.LOGNORMAL, Math.log(mean) - sigma2 / 2, Math.sqrt(sigma2));
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
        double v = switch (kind) {
            case CONST -> a;
            case UNIFORM -> a + (b - a) * random.nextDouble();
            case EXP -> -a * Math.log(1 - random.nextDouble());
            case LOGNORMAL -> Math.exp(a + b * random.nextGaussian());
        };
        return Math.max(MIN_SECONDS, v);
    }

    /** The distribution's mean in seconds. */
    public double mean() {
        return switch (kind) {
            case CONST, EXP -> a;
            case UNIFORM -> (a + b) / 2;
            case LOGNORMAL -> Math.exp(a + b * b / 2);
        };
    }

    @Override
    public String toString() {
        return text;
    }
}
