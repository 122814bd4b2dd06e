package dev.longshore.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Renders scripts/user-data.sh into a launch template: the script's shebang, then one assignment per setting the
 * stack knows (queue URL, group name, ... as CloudFormation references), then the script's body. The script reads
 * only these LONGSHORE_* variables, so it runs the same by hand or in the sandbox test with them exported.
 */
final class WorkerUserData {
    static final String SCRIPT_RESOURCE = "user-data.sh";
    static final String USAGE_START = "<<'USAGE'";
    static final String USAGE_END = "USAGE";
    /** What --help prints in the rendered user data: the settings are listed by the script itself. */
    static final String USAGE_POINTER = "Longshore user data; its settings: scripts/user-data.sh --help, docs/deploy.md";
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
        // To stay well under the 16 KiB limit: whole-line comments, blank lines and indentation are dropped, and the
        // --help text (the USAGE here-document, the script's only one) becomes a pointer to the script. Lines of a
        // multi-line string are awk programs, where indentation does not matter and no line starts with #.
        StringBuilder body = new StringBuilder();
        boolean inUsage = false;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (inUsage) {
                inUsage = !line.equals(USAGE_END);
                if (!inUsage) {
                    body.append(USAGE_POINTER).append('\n').append(line).append('\n');
                }
                continue;
            }
            String stripped = line.strip();
            if (stripped.isEmpty() || stripped.startsWith("#")) {
                continue;
            }
            body.append(stripped).append('\n');
            inUsage = stripped.endsWith(USAGE_START);
        }
        return out.append(body).toString();
    }

}
