package dev.longshore.ai.task;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Placeholders in a task's argv, replaced per job. Each argv element stays one argument whatever the value
 * holds (spaces, quotes, {@code $(...)}): there is no shell to interpret it.
 *
 * <ul>
 *   <li>{@code ${job.id}}, {@code ${job.dir}}, {@code ${inputs.dir}}, {@code ${models.dir}},
 *       {@code ${outputs.dir}}, {@code ${logs.dir}}, {@code ${state.dir}}</li>
 *   <li>{@code ${input.NAME}} / {@code ${model.NAME}}: path of the downloaded input or model called NAME</li>
 *   <li>{@code ${arg.NAME}}: the message's argument NAME</li>
 * </ul>
 *
 * A placeholder always has a dot, which no shell variable name can have, so a task that runs a shell script
 * keeps its {@code $VAR}, {@code ${VAR}} and {@code $$} as they are. A shell's script itself may hold no
 * placeholder ({@link TaskRegistry} refuses it at start): a value spliced into shell text is code, so a script
 * reads the message's values from {@code $ARG_NAME} or its positional parameters (docs/ai.md: Tasks).
 */
public final class ArgvTemplate {
    private static final Pattern TOKEN = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)\\.([^}]*)}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final Set<String> REFERENCES = Set.of("input", "model", "arg");
    public static final Set<String> FIXED = Set.of("job.id", "job.dir", "inputs.dir", "models.dir", "outputs.dir",
            "logs.dir", "state.dir");

    private ArgvTemplate() {
    }

    /** Whether {@code element} holds any placeholder, known or not. */
    static boolean hasPlaceholder(String element) {
        return TOKEN.matcher(element).find();
    }

    /** The names of the {@code ${arg.NAME}} placeholders in {@code argv}, in order of first use. */
    public static Set<String> argNames(List<String> argv) {
        Set<String> names = new LinkedHashSet<>();
        for (String element : argv) {
            Matcher m = TOKEN.matcher(element);
            while (m.find()) {
                if (m.group(1).equals("arg")) {
                    names.add(m.group(2));
                }
            }
        }
        return names;
    }

    /** Checks every placeholder of {@code element}; returns a problem or null. */
    static String problem(String element) {
        Matcher m = TOKEN.matcher(element);
        while (m.find()) {
            String key = m.group(1) + "." + m.group(2);
            if (!FIXED.contains(key) && !(REFERENCES.contains(m.group(1)) && NAME.matcher(m.group(2)).matches())) {
                return "unknown placeholder ${" + key + "} (known: " + String.join(", ", FIXED.stream().sorted()
                        .map(s -> "${" + s + "}").toList()) + ", ${input.NAME}, ${model.NAME}, ${arg.NAME})";
            }
        }
        return null;
    }

    /**
     * @param values every placeholder's value by its name ({@code job.id}, {@code arg.width}, ...)
     * @throws MissingValueException naming the first placeholder without a value
     */
    public static List<String> expand(List<String> argv, Map<String, String> values) throws MissingValueException {
        List<String> out = new ArrayList<>(argv.size());
        for (String element : argv) {
            Matcher m = TOKEN.matcher(element);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String key = m.group(1) + "." + m.group(2);
                String replacement = values.get(key);
                if (replacement == null) {
                    throw new MissingValueException(key);
                }
                m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
            }
            m.appendTail(sb);
            out.add(sb.toString());
        }
        return out;
    }

    /** A placeholder the job gives no value for, e.g. an argument the message left out. */
    public static final class MissingValueException extends Exception {
        private final String placeholder;

        MissingValueException(String placeholder) {
            super("${" + placeholder + "} has no value");
            this.placeholder = placeholder;
        }

        public String placeholder() {
            return placeholder;
        }
    }
}
