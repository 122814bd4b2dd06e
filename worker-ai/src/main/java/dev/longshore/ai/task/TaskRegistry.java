package dev.longshore.ai.task;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.longshore.core.config.ConfigException;
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
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The tasks the operator registered in WORKER_AI_TASKS, read once at start. The file is a JSON object from task
 * name to definition:
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
 * A file ending in {@code .yaml} or {@code .yml} is read as YAML with the same structure. Every mistake (unknown
 * field, bad duration, unknown placeholder, reserved variable) is reported with the task and field, so a typo
 * stops the worker at start rather than failing jobs later.
 */
public final class TaskRegistry {
    public static final Pattern TASK_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    /** Set by the runner for every job; a task may not redefine them. */
    public static final Set<String> RESERVED_ENV = Set.of("JOB_ID", "JOB_DIR", "INPUT_DIR", "MODEL_DIR",
            "OUTPUT_DIR", "LOG_DIR", "STATE_DIR", "CUDA_VISIBLE_DEVICES");
    private static final Set<String> FIELDS = Set.of("argv", "timeout", "gpus", "env", "retryableExitCodes",
            "description");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final ObjectMapper YAML = new YAMLMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final Map<String, Task> tasks;

    public TaskRegistry(Map<String, Task> tasks) {
        this.tasks = Map.copyOf(tasks);
    }

    public static TaskRegistry empty() {
        return new TaskRegistry(Map.of());
    }

    public Optional<Task> find(String name) {
        return Optional.ofNullable(tasks.get(name));
    }

    public Set<String> names() {
        return new TreeSet<>(tasks.keySet());
    }

    public static TaskRegistry load(Path file) throws TaskFileException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new TaskFileException("cannot read " + file + ": " + e);
        }
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean yaml = name.endsWith(".yaml") || name.endsWith(".yml");
        JsonNode root;
        try {
            root = (yaml ? YAML : JSON).readTree(text);
        } catch (JsonProcessingException e) {
            throw new TaskFileException("not valid " + (yaml ? "YAML" : "JSON") + ": " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr()));
        }
        if (root == null || !root.isObject()) {
            throw new TaskFileException("the top level must be an object (a mapping) from task name to task definition");
        }
        Map<String, Task> tasks = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            tasks.put(e.getKey(), task(e.getKey(), e.getValue()));
        }
        return new TaskRegistry(tasks);
    }

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
        JsonNode argvNode = def.get("argv");
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
        if (argv.get(0).isBlank()) {
            throw new TaskFileException(at + "argv[0] (the program) is empty");
        }
        Duration timeout = Task.DEFAULT_TIMEOUT;
        JsonNode t = def.get("timeout");
        if (t != null) {
            String raw = t.isNumber() ? t.asText() : t.isTextual() ? t.asText() : null;
            if (raw == null) {
                throw new TaskFileException(at + "\"timeout\" must be a duration such as \"90s\" or \"15m\"");
            }
            try {
                timeout = Env.parseDuration("timeout", raw);
            } catch (ConfigException ex) {
                throw new TaskFileException(at + "\"timeout\" is \"" + raw + "\": expected a duration such as 250ms, "
                        + "30s, 5m, 1h or a number of seconds");
            }
            if (timeout.isZero()) {
                throw new TaskFileException(at + "\"timeout\" must be longer than zero");
            }
        }
        int gpus = Task.DEFAULT_GPUS;
        JsonNode g = def.get("gpus");
        if (g != null) {
            if (!g.canConvertToInt() || !g.isIntegralNumber() || g.asInt() < 0 || g.asInt() > 64) {
                throw new TaskFileException(at + "\"gpus\" must be a whole number from 0 to 64, found " + g);
            }
            gpus = g.asInt();
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
                if (!v.getValue().isValueNode() || v.getValue().isNull()) {
                    throw new TaskFileException(at + "env '" + v.getKey() + "' must be a string");
                }
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
                if (!c.isIntegralNumber() || c.asInt() < 1 || c.asInt() > 255) {
                    throw new TaskFileException(at + "\"retryableExitCodes\" holds " + c + ": exit codes are 1-255");
                }
                retryable.add(c.asInt());
            }
        }
        JsonNode d = def.get("description");
        if (d != null && !d.isTextual()) {
            throw new TaskFileException(at + "\"description\" must be a string");
        }
        return new Task(name, argv, timeout, gpus, env, retryable);
    }
}
