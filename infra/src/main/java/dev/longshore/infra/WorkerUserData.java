package dev.longshore.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders scripts/user-data.sh into a launch template: the script's shebang, then one assignment per setting the
 * stack knows (queue URL, group name, ... as CloudFormation references), then the script's body. The script reads
 * only these LONGSHORE_* variables, so it runs the same by hand or in the sandbox test with them exported.
 */
final class WorkerUserData {
    static final String SCRIPT_RESOURCE = "user-data.sh";
    /** EC2 refuses user data over 16 KiB (before base64). */
    static final int MAX_BYTES = 16 * 1024;

    private WorkerUserData() {
    }

    /** The script as shipped in the jar (copied from scripts/user-data.sh by the build). */
    static String script() {
        try (InputStream in = WorkerUserData.class.getResourceAsStream(SCRIPT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("user-data script " + SCRIPT_RESOURCE
                        + " is missing from the class path; build the infra module with Maven");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The rendered user data. Values may hold CloudFormation tokens; each is single-quoted, and none can contain a
     * quote (they are names, URLs and durations validated by the settings).
     */
    static String render(String script, Map<String, String> settings) {
        String[] lines = script.split("\n", -1);
        if (!lines[0].startsWith("#!")) {
            throw new IllegalStateException("user-data script must start with a #! line");
        }
        StringBuilder out = new StringBuilder(lines[0]).append('\n');
        out.append("# Settings rendered by the Longshore stack (infra module).\n");
        for (Map.Entry<String, String> e : settings.entrySet()) {
            if (e.getValue().contains("'")) {
                throw new IllegalArgumentException("user-data setting " + e.getKey() + " contains a quote");
            }
            out.append(e.getKey()).append("='").append(e.getValue()).append("'\n");
        }
        // Whole-line comments and blank lines are dropped to keep well under the 16 KiB limit; the script has no
        // here-documents or multi-line strings, so no line inside one can be mistaken for a comment.
        String body = Arrays.stream(lines, 1, lines.length)
                .filter(line -> !line.isBlank() && !line.stripLeading().startsWith("#"))
                .collect(Collectors.joining("\n", "", "\n"));
        return out.append(body).toString();
    }

}
