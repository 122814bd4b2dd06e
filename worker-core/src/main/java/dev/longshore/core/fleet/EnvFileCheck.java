package dev.longshore.core.fleet;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a {@code .env} file with the worker's own grammar ({@link DotEnv}) and the worker's own rule for its SSM
 * parameter (no {@code AWS_*} names), so that {@code scripts/put-env} never stores text the worker would refuse at
 * start (docs/deploy.md, "Put each worker's settings"). Needs nothing but this module's classes: no SDK, no logging.
 *
 * <p>{@code java -cp worker-core.jar dev.longshore.core.fleet.EnvFileCheck FILE}: exit 0 and the variable names,
 * one a line, on stdout; or exit 2 and one line per problem on stderr, each naming the line number and, where the
 * line has a valid one, the variable, never a value (values are secrets). Exit 1 when the file cannot be read.
 */
public final class EnvFileCheck {
    static final int OK = 0;
    static final int UNREADABLE = 1;
    static final int INVALID = 2;

    private EnvFileCheck() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 1) {
            err.println("usage: EnvFileCheck FILE   (checks .env text as the worker reads it; prints the names)");
            return INVALID;
        }
        Path file = Path.of(args[0]);
        String text;
        try {
            text = Files.readString(file);
        } catch (CharacterCodingException e) {
            err.println(file + ": is not UTF-8 text");
            return INVALID;
        } catch (IOException e) {
            err.println(file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
            return UNREADABLE;
        }
        List<DotEnv.Problem> problems = problems(text);
        if (!problems.isEmpty()) {
            for (DotEnv.Problem p : problems) {
                err.println(file + ": line " + p.line() + p.key().map(k -> " (" + k + ")").orElse("") + " " + p.problem());
            }
            return INVALID;
        }
        Set<String> names = new LinkedHashSet<>();
        DotEnv.read(text).variables().forEach(v -> names.add(v.key()));
        names.forEach(out::println);
        return OK;
    }

    /** Every problem the worker would refuse the text for, in line order. */
    static List<DotEnv.Problem> problems(String text) {
        DotEnv.Result result = DotEnv.read(text);
        List<DotEnv.Problem> problems = new ArrayList<>(result.problems());
        for (DotEnv.Variable v : result.variables()) {
            if (DotEnv.sdkOnly(v.key())) {
                problems.add(new DotEnv.Problem(v.line(), Optional.of(v.key()), "sets an "
                        + DotEnv.SDK_ONLY_PREFIX + "* variable, which the AWS SDK reads only from the process "
                        + "environment: the worker refuses it"));
            }
        }
        problems.sort(Comparator.comparingInt(DotEnv.Problem::line));
        return problems;
    }
}
