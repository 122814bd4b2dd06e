package dev.longshore.local.autoscale;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * {@code --name value}, {@code --name=value} and {@code --flag} arguments (and, for the commands that take them, a
 * few positional ones), checked against the options a command knows; every typed read throws {@link UsageException}
 * naming the option, the value and what is expected. The one option parser of the local tools: the local run, the
 * local fleet, the planner, the SQS server and the fake instance metadata.
 */
public final class CommandLine {
    /** A mistake on the command line: the command prints it on one stderr line and exits 2. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }

    /** What a tool does with its arguments once help is ruled out; returns its exit code. */
    @FunctionalInterface
    public interface Run<X extends Exception> {
        int run() throws X;
    }

    /** The highest TCP port number. */
    private static final int MAX_PORT = 65_535;

    private final Map<String, String> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();
    private final List<String> positionals = new ArrayList<>();

    private CommandLine() {
    }

    public static CommandLine parse(String[] args, Set<String> valued, Set<String> flagNames) {
        return parse(args, valued, flagNames, 0);
    }

    /** As {@link #parse(String[], Set, Set)}, also taking up to {@code maxPositionals} arguments without {@code --}. */
    public static CommandLine parse(String[] args, Set<String> valued, Set<String> flagNames, int maxPositionals) {
        CommandLine c = new CommandLine();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                if (c.positionals.size() < maxPositionals && !arg.startsWith("-")) {
                    c.positionals.add(arg);
                    continue;
                }
                throw new UsageException("unexpected argument \"" + arg + "\"");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flagNames.contains(name) && value == null) {
                c.flags.add(name);
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new UsageException("--" + name + " needs a value");
                    }
                    value = args[++i];
                }
                c.values.put(name, value);
            } else {
                throw new UsageException("unknown option --" + name);
            }
        }
        return c;
    }

    /**
     * Prints a usage mistake the way every local tool does: one line naming the problem, then the first line of
     * {@code usage} (the synopsis). Returns 2, the exit code for a wrong command line.
     */
    public static int usageError(String tool, UsageException e, String usage, PrintStream err) {
        err.println(tool + ": " + e.getMessage());
        err.println(usage.strip().lines().findFirst().orElse("") + "  (--help for details)");
        return 2;
    }

    /**
     * The command every local tool is: help ({@code usage} on stdout, exit 0), a usage mistake from {@code run}
     * ({@link #usageError}, exit 2), or {@code run}'s exit code.
     */
    public static <X extends Exception> int exec(String tool, String usage, String[] args, PrintStream out,
                                                 PrintStream err, Run<X> run) throws X {
        if (wantsHelp(args)) {
            out.print(usage);
            return 0;
        }
        try {
            return run.run();
        } catch (UsageException e) {
            return usageError(tool, e, usage, err);
        }
    }

    /** True when the arguments ask for help ({@code -h} or {@code --help} anywhere). */
    public static boolean wantsHelp(String[] args) {
        return List.of(args).contains("--help") || List.of(args).contains("-h");
    }

    /** The {@code index}th argument given without {@code --}, if there was one. */
    public Optional<String> positional(int index) {
        return index < positionals.size() ? Optional.of(positionals.get(index)) : Optional.empty();
    }

    public boolean flag(String name) {
        return flags.contains(name);
    }

    public Optional<String> string(String name) {
        return Optional.ofNullable(values.get(name));
    }

    public String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public int integer(String name, int fallback, int min, int max) {
        return typed(name, fallback, Integer::parseInt, n -> n >= min && n <= max,
                "a whole number from " + min + " to " + max);
    }

    /** A TCP port from {@code --name}, or from the positional argument {@code index} for older command lines. */
    public int port(String name, int index, int fallback) {
        Optional<String> given = string(name);
        if (given.isEmpty() && positional(index).isPresent()) {
            values.put(name, positional(index).get());
        }
        return integer(name, fallback, 1, MAX_PORT);
    }

    public long longValue(String name, long fallback) {
        return typed(name, fallback, Long::parseLong, n -> true, "a whole number");
    }

    public double number(String name, double fallback, double min, double max) {
        return typed(name, fallback, Double::parseDouble, d -> d >= min && d <= max,
                "a number from " + Figures.number(min) + " to " + Figures.number(max));
    }

    /**
     * {@code --name} read by {@code parse}, or {@code fallback} when it was not given; a value that does not parse
     * or is not {@code accepted} is a usage error naming the option, the value and what is {@code expected}.
     */
    private <T> T typed(String name, T fallback, Function<String, T> parse, Predicate<T> accepted, String expected) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            T parsed = parse.apply(v.trim());
            if (accepted.test(parsed)) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below, as a value out of range is
        }
        throw new UsageException("--" + name + " \"" + v + "\": expected " + expected);
    }

    public Duration duration(String name, Duration fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Figures.parse(v);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--" + name + " " + e.getMessage());
        }
    }

    public Optional<Path> path(String name) {
        return string(name).map(Path::of);
    }

    public LoadShape load(String name, String fallback) {
        try {
            return LoadShape.parse(string(name, fallback));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--" + name + " " + e.getMessage());
        }
    }

    public ProcessingTime processing(String name, String fallback) {
        try {
            return ProcessingTime.parse(string(name, fallback));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--" + name + " " + e.getMessage());
        }
    }

    /** The options both commands share: {@code --min --max --target --period --scale-out-periods ...}. */
    public static final Set<String> POLICY_OPTIONS = Set.of("min", "max", "target", "period", "scale-out-periods",
            "scale-in-periods", "warmup");

    /** Reads the policy options over {@code defaults}; a bad combination (max below min) is a usage error. */
    public ScalingPolicy policy(ScalingPolicy defaults) {
        int min = integer("min", defaults.min(), 0, 10_000);
        int max = integer("max", Math.max(defaults.max(), min), 1, 10_000);
        try {
            return new ScalingPolicy(min, max, number("target", defaults.target(), 0.001, 1e9),
                    duration("period", defaults.period()), integer("scale-out-periods", defaults.scaleOutPeriods(), 1, 1000),
                    integer("scale-in-periods", defaults.scaleInPeriods(), 1, 100_000), defaults.scaleInRatio(),
                    duration("warmup", defaults.warmup()));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
