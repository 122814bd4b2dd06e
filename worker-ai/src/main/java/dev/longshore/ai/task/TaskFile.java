package dev.longshore.ai.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longshore.core.config.ConfigException;
import dev.longshore.core.config.Durations;
import dev.longshore.core.config.Env;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * WORKER_AI_TASKS, the file of the tasks the operator registered: read and checked once at start into the
 * {@link TaskRegistry}. The file is a JSON object from task name to definition:
 *
 * <pre>{@code
 * {
 *   "upscale": {
 *     "argv": ["/opt/models/upscale", "--in", "${input.image}", "--out", "${outputs.dir}/out.png",
 *              "--scale", "${arg.scale}"],
 *     "timeout": "15m",
 *     "gpus": 1,
 *     "env": {"MODEL_CACHE": "/var/cache/models"},
 *     "retryableExitCodes": [75]
 *   }
 * }
 * }</pre>
 *
 * A file ending in {@code .yaml} or {@code .yml} is read as YAML with the same structure. Values are taken as the
 * file wrote them ({@code 1.10}, {@code yes}, {@code 0755} stay text). Every mistake (unknown field, bad duration,
 * unknown placeholder, reserved variable, a program that is not an absolute path to an executable file, a
 * placeholder in the program or in a shell's {@code -c} script, an empty file) is reported on one line with the
 * task and field, so a typo stops the worker at start rather than failing jobs later (docs/ai.md: Tasks).
 */
final class TaskFile {
    static final Pattern TASK_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    /** Set by the runner for every job; a task may not redefine them. */
    static final Set<String> RESERVED_ENV = Set.of("JOB_ID", "JOB_DIR", "INPUT_DIR", "MODEL_DIR",
            "OUTPUT_DIR", "LOG_DIR", "STATE_DIR", "CUDA_VISIBLE_DEVICES");
    private static final Set<String> FIELDS = Set.of("argv", "timeout", "gpus", "env", "retryableExitCodes",
            "description");
    private static final Pattern SMALL_NUMBER = Pattern.compile("\\d{1,4}");
    /** Shells whose {@code -c} script is code (by the program's file name). */
    static final Set<String> SHELLS = Set.of("sh", "bash", "dash", "zsh", "ksh", "mksh", "ash");
    /** Long shell options that take the next argument as their value. */
    private static final Set<String> OPTIONS_WITH_VALUE = Set.of("--rcfile", "--init-file");

    private TaskFile() {
    }

    /** The tasks {@code file} registers, in the file's order; every mistake is a {@link TaskFileException}. */
    static Map<String, Task> read(Path file) throws TaskFileException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new TaskFileException("cannot read " + file + ": " + e);
        }
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean yaml = name.endsWith(".yaml") || name.endsWith(".yml");
        JsonNode root = TaskFileReader.read(text, yaml);
        if (root == null) {
            throw new TaskFileException("the file is empty: it must register at least one task (task name to "
                    + "definition with at least \"argv\")");
        }
        if (!root.isObject()) {
            throw new TaskFileException("the top level must be an object (a mapping) from task name to task definition");
        }
        if (root.isEmpty()) {
            throw new TaskFileException("the file registers no task: every job would name an unknown task");
        }
        Map<String, Task> tasks = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            tasks.put(e.getKey(), task(e.getKey(), e.getValue()));
        }
        return tasks;
    }


    /*
     * Every scalar of the tree is the text the file wrote (TaskFileReader): numbers, booleans and strings alike
     * are text nodes here, and each field parses its own.
     */
    private static Task task(String name, JsonNode def) throws TaskFileException {
        if (!TASK_NAME.matcher(name).matches()) {
            throw new TaskFileException("task name '" + name + "' is invalid: use letters, digits, '.', '_', '-'");
        }
        String at = "task '" + name + "': ";
        if (!def.isObject()) {
            throw new TaskFileException(at + "the definition must be an object with at least \"argv\"");
        }
        for (Iterator<String> f = def.fieldNames(); f.hasNext(); ) {
            String field = f.next();
            if (!FIELDS.contains(field)) {
                throw new TaskFileException(at + "unknown field '" + field + "' (known: " + new TreeSet<>(FIELDS) + ")");
            }
        }
        List<String> argv = argv(at, def.get("argv"));
        Duration timeout = Task.DEFAULT_TIMEOUT;
        JsonNode t = def.get("timeout");
        if (t != null) {
            if (!t.isTextual()) {
                throw new TaskFileException(at + "\"timeout\" must be a duration such as \"90s\" or \"15m\"");
            }
            String raw = t.asText();
            try {
                timeout = Env.parseDuration("timeout", raw);
            } catch (ConfigException ex) {
                throw new TaskFileException(at + "\"timeout\" is \"" + raw + "\": expected " + Durations.FORM);
            }
            if (timeout.isZero()) {
                throw new TaskFileException(at + "\"timeout\" must be longer than zero");
            }
        }
        int gpus = Task.DEFAULT_GPUS;
        JsonNode g = def.get("gpus");
        if (g != null) {
            if (!g.isTextual() || !SMALL_NUMBER.matcher(g.asText()).matches() || Integer.parseInt(g.asText()) > 64) {
                throw new TaskFileException(at + "\"gpus\" must be a whole number from 0 to 64, found " + g);
            }
            gpus = Integer.parseInt(g.asText());
        }
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode e = def.get("env");
        if (e != null) {
            if (!e.isObject()) {
                throw new TaskFileException(at + "\"env\" must be an object of variable name to string");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = e.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> v = it.next();
                if (!ENV_NAME.matcher(v.getKey()).matches()) {
                    throw new TaskFileException(at + "env name '" + v.getKey() + "' is not a valid variable name");
                }
                if (RESERVED_ENV.contains(v.getKey())) {
                    throw new TaskFileException(at + "env '" + v.getKey() + "' is set by the worker for every job "
                            + "and cannot be redefined");
                }
                if (!v.getValue().isTextual()) {
                    throw new TaskFileException(at + "env '" + v.getKey() + "' must be a string");
                }
                // As written: 1.10 stays 1.10, yes stays yes, 0755 stays 0755 (docs/ai.md: Tasks).
                env.put(v.getKey(), v.getValue().asText());
            }
        }
        Set<Integer> retryable = new LinkedHashSet<>();
        JsonNode r = def.get("retryableExitCodes");
        if (r != null) {
            if (!r.isArray()) {
                throw new TaskFileException(at + "\"retryableExitCodes\" must be an array of exit codes (1-255)");
            }
            for (JsonNode c : r) {
                if (!c.isTextual() || !SMALL_NUMBER.matcher(c.asText()).matches()
                        || Integer.parseInt(c.asText()) < 1 || Integer.parseInt(c.asText()) > 255) {
                    throw new TaskFileException(at + "\"retryableExitCodes\" holds " + c + ": exit codes are 1-255");
                }
                retryable.add(Integer.parseInt(c.asText()));
            }
        }
        JsonNode d = def.get("description");
        if (d != null && !d.isTextual()) {
            throw new TaskFileException(at + "\"description\" must be a string");
        }
        return new Task(name, argv, timeout, gpus, env, retryable);
    }

    private static List<String> argv(String at, JsonNode argvNode) throws TaskFileException {
        if (argvNode == null || !argvNode.isArray() || argvNode.isEmpty()) {
            throw new TaskFileException(at + "\"argv\" must be a non-empty array of strings (program first)");
        }
        List<String> argv = new ArrayList<>();
        for (JsonNode a : argvNode) {
            if (!a.isTextual()) {
                throw new TaskFileException(at + "\"argv\" elements must be strings, found " + a);
            }
            String problem = ArgvTemplate.problem(a.asText());
            if (problem != null) {
                throw new TaskFileException(at + "argv element \"" + a.asText() + "\": " + problem);
            }
            argv.add(a.asText());
        }
        program(at, argv.get(0));
        shellScript(at, argv);
        return argv;
    }

    /**
     * The program is the operator's: never chosen by a message, never looked up on a PATH, and there when the
     * worker starts rather than missing at the first job.
     */
    private static void program(String at, String program) throws TaskFileException {
        if (ArgvTemplate.hasPlaceholder(program)) {
            throw new TaskFileException(at + "argv[0] \"" + program + "\" holds a placeholder: the program a task "
                    + "runs is fixed in the task file, never chosen by a message");
        }
        if (program.isBlank()) {
            throw new TaskFileException(at + "argv[0] (the program) is empty");
        }
        Path path = Path.of(program);
        if (!path.isAbsolute()) {
            throw new TaskFileException(at + "argv[0] \"" + program + "\" must be an absolute path (e.g. /usr/bin/"
                    + path.getFileName() + "): tasks are started without a PATH lookup");
        }
        if (!Files.isRegularFile(path)) {
            throw new TaskFileException(at + "argv[0] " + program + " does not exist (or is not a file)");
        }
        if (!Files.isExecutable(path)) {
            throw new TaskFileException(at + "argv[0] " + program + " is not executable by this user");
        }
    }

    /**
     * A placeholder in a shell's script is shell code chosen by the message ({@code "echo ${arg.size}"} with
     * size {@code "1; id > ..."}), so it is refused; the script reads {@code $ARG_SIZE} or {@code "$1"} instead
     * (docs/ai.md: Tasks). Placeholders after the script (its positional parameters) are plain data.
     */
    private static void shellScript(String at, List<String> argv) throws TaskFileException {
        if (!SHELLS.contains(Path.of(argv.get(0)).getFileName().toString())) {
            return;
        }
        boolean command = false;
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            boolean option = (a.startsWith("-") || a.startsWith("+")) && a.length() > 1 && !a.equals("--");
            if (option && ArgvTemplate.hasPlaceholder(a)) {
                throw new TaskFileException(at + "argv element \"" + a + "\" is an option of the shell "
                        + argv.get(0) + " and may not hold a placeholder");
            }
            if (a.equals("--") || a.equals("-")) {
                i++;
            } else if (option) {
                if (a.startsWith("--")) {
                    if (OPTIONS_WITH_VALUE.contains(a)) {
                        i++;
                    }
                    continue;
                }
                String letters = a.substring(1);
                command |= a.charAt(0) == '-' && letters.indexOf('c') >= 0;
                if (letters.indexOf('o') >= 0 || letters.indexOf('O') >= 0) {
                    i++; // -o NAME / +O NAME: the option's value, not the script
                }
                continue;
            }
            if (command && i < argv.size() && ArgvTemplate.hasPlaceholder(argv.get(i))) {
                throw new TaskFileException(at + "the script of " + argv.get(0) + " -c holds a placeholder (\""
                        + argv.get(i) + "\"): a message's value would run as shell code; read it from the "
                        + "environment ($ARG_NAME, $INPUT_DIR, ...) or pass it after the script as a positional "
                        + "parameter (\"$1\")");
            }
            return;
        }
    }
}
