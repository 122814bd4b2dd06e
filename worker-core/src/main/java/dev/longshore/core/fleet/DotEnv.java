package dev.longshore.core.fleet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parses {@code .env} text: {@code KEY=VALUE} lines, blank lines and {@code #} comments, an optional
 * {@code export } prefix, values unquoted (trimmed, a {@code #} after whitespace starts a comment), in single
 * quotes (literal) or in double quotes ({@code \n \t \r \" \\} escapes). A later line wins over an earlier one,
 * as in {@code docker run --env-file}. Errors name the line number and what is wrong, never the line's text,
 * since it may hold a secret.
 *
 * <p>This is the one {@code .env} grammar of the fleet (docs/fleet.md, "Configuration from SSM"): the worker
 * reads its SSM parameter with it, and {@code scripts/put-env} checks a file with it ({@link EnvFileCheck})
 * before storing it.
 */
final class DotEnv {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Names the AWS SDK reads from the process environment only; a {@code .env} cannot set them. */
    static final String SDK_ONLY_PREFIX = "AWS_";

    /** A line that cannot be read; {@link #getMessage()} is safe to print. */
    static final class ParseException extends Exception {
        private final int line;
        private final String problem;

        ParseException(int line, String problem) {
            super("line " + line + " " + problem);
            this.line = line;
            this.problem = problem;
        }

        int line() {
            return line;
        }

        /** What is wrong, without the line number. */
        String problem() {
            return problem;
        }
    }

    /**
     * One problem of one line: its number, its variable name when the line has a valid one (a name is not a
     * secret; the rest of the line may be), and what is wrong.
     */
    record Problem(int line, Optional<String> key, String problem) {
        ParseException toException() {
            return new ParseException(line, problem);
        }
    }

    /** A variable and the line that set it. */
    record Variable(int line, String key) {
    }

    /** Everything one pass over the text found: the values of the good lines, their names, every problem. */
    record Result(Map<String, String> values, List<Variable> variables, List<Problem> problems) {
    }

    private DotEnv() {
    }

    /** The variables, or the first problem. */
    static Map<String, String> parse(String text) throws ParseException {
        Result result = read(text);
        if (!result.problems().isEmpty()) {
            throw result.problems().get(0).toException();
        }
        return result.values();
    }

    /** Reads every line, collecting the problems instead of stopping at the first. */
    static Result read(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        List<Variable> variables = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        String[] lines = text.split("\r\n|\r|\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String line = lines[i].strip();
            if (number == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1).strip();
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ") || line.startsWith("export\t")) {
                line = line.substring("export".length()).strip();
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                problems.add(new Problem(number, Optional.empty(), "is not KEY=VALUE"));
                continue;
            }
            String key = line.substring(0, eq).strip();
            if (!NAME.matcher(key).matches()) {
                problems.add(new Problem(number, Optional.empty(),
                        "has an invalid name (letters, digits and _, not starting with a digit)"));
                continue;
            }
            try {
                values.put(key, value(line.substring(eq + 1).stripLeading(), number));
                variables.add(new Variable(number, key));
            } catch (ParseException e) {
                problems.add(new Problem(number, Optional.of(key), e.problem()));
            }
        }
        return new Result(values, List.copyOf(variables), List.copyOf(problems));
    }

    /** Whether a {@code .env} may not set this name: {@code AWS_*}, which the SDK reads from the process only. */
    static boolean sdkOnly(String key) {
        return key.startsWith(SDK_ONLY_PREFIX);
    }

    private static String value(String raw, int number) throws ParseException {
        if (raw.isEmpty()) {
            return "";
        }
        char quote = raw.charAt(0);
        if (quote != '"' && quote != '\'') {
            return unquoted(raw);
        }
        StringBuilder value = new StringBuilder();
        int i = 1;
        boolean closed = false;
        while (i < raw.length()) {
            char c = raw.charAt(i++);
            if (c == quote) {
                closed = true;
                break;
            }
            if (c == '\\' && quote == '"' && i < raw.length()) {
                char e = raw.charAt(i++);
                switch (e) {
                    case 'n' -> value.append('\n');
                    case 't' -> value.append('\t');
                    case 'r' -> value.append('\r');
                    case '"', '\\', '$' -> value.append(e);
                    default -> value.append('\\').append(e);
                }
            } else {
                value.append(c);
            }
        }
        if (!closed) {
            throw new ParseException(number, "has a quoted value without its closing quote (values cannot span lines)");
        }
        String rest = raw.substring(i).strip();
        if (!rest.isEmpty() && !rest.startsWith("#")) {
            throw new ParseException(number, "has text after the closing quote");
        }
        return value.toString();
    }

    private static String unquoted(String raw) {
        for (int i = 1; i < raw.length(); i++) {
            if (raw.charAt(i) == '#' && Character.isWhitespace(raw.charAt(i - 1))) {
                return raw.substring(0, i).strip();
            }
        }
        return raw.strip();
    }
}
