package dev.longshore.core.fleet;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses {@code .env} text: {@code KEY=VALUE} lines, blank lines and {@code #} comments, an optional
 * {@code export } prefix, values unquoted (trimmed, a {@code #} after whitespace starts a comment), in single
 * quotes (literal) or in double quotes ({@code \n \t \r \" \\} escapes). A later line wins over an earlier one,
 * as in {@code docker run --env-file}. Errors name the line number and what is wrong, never the line's text,
 * since it may hold a secret.
 */
final class DotEnv {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** A line that cannot be read; {@link #getMessage()} is safe to print. */
    static final class ParseException extends Exception {
        private final int line;

        ParseException(int line, String problem) {
            super("line " + line + " " + problem);
            this.line = line;
        }

        int line() {
            return line;
        }
    }

    private DotEnv() {
    }

    static Map<String, String> parse(String text) throws ParseException {
        Map<String, String> out = new LinkedHashMap<>();
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
                throw new ParseException(number, "is not KEY=VALUE");
            }
            String key = line.substring(0, eq).strip();
            if (!NAME.matcher(key).matches()) {
                throw new ParseException(number, "has an invalid name (letters, digits and _, not starting with a digit)");
            }
            out.put(key, value(line.substring(eq + 1).stripLeading(), number));
        }
        return out;
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
