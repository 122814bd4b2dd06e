package dev.longshore.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an idle JVM's memory goes: {@code jcmd <pid> VM.native_memory summary} of a process started with
 * {@code -XX:NativeMemoryTracking=summary}, read as committed MiB per NMT category.
 */
final class NativeMemory {
    /** The category the whole-process line is filed under. */
    static final String TOTAL = "Total";
    static final String JVM_OPTION = "-XX:NativeMemoryTracking=summary";

    private static final Pattern TOTAL_LINE = Pattern.compile("^Total: reserved=\\d+\\w*, committed=(\\d+)(\\w*)");
    private static final Pattern CATEGORY_LINE = Pattern.compile("^-\\s+(.+?) \\(reserved=\\d+\\w*, committed=(\\d+)(\\w*)");

    private NativeMemory() {
    }

    /** Committed MiB by category, Total first, the categories in the order the JVM prints them. */
    static Map<String, Double> parse(String summary) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String line : summary.split("\n")) {
            String l = line.strip();
            Matcher t = TOTAL_LINE.matcher(l);
            if (t.find()) {
                out.put(TOTAL, mib(t.group(1), t.group(2)));
                continue;
            }
            Matcher c = CATEGORY_LINE.matcher(l);
            if (c.find()) {
                out.put(c.group(1).strip(), mib(c.group(2), c.group(3)));
            }
        }
        return out;
    }

    private static double mib(String amount, String unit) {
        double n = Double.parseDouble(amount);
        return switch (unit.toUpperCase(Locale.ROOT)) {
            case "KB" -> n / 1024;
            case "MB" -> n;
            case "GB" -> n * 1024;
            default -> n / (1024 * 1024); // bytes: no unit
        };
    }

    /** Asks the JVM with the given pid for its summary (jcmd next to the java that runs the bench). */
    static String summary(Path java, long pid) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(java.resolveSibling("jcmd").toString(), String.valueOf(pid),
                "VM.native_memory", "summary", "scale=KB").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("jcmd " + pid + " VM.native_memory failed: " + out.strip());
        }
        return out;
    }
}
