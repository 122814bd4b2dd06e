package dev.longshore.local.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The scripts' --help is their header; it must list what the tools accept. */
class RedriveAndStatusHelpTest {
    private static void check(String script, String usage) throws Exception {
        String text = Files.readString(Path.of("../scripts/" + script));
        for (String line : usage.split("\n")) {
            if (line.startsWith("  ")) {
                assertTrue(text.contains("# " + line), "scripts/" + script + " --help lacks: " + line);
            }
        }
    }

    @Test
    void redriveAndStatusHelpListEveryOption() throws Exception {
        check("redrive", RedriveMain.USAGE);
        check("status", StatusMain.USAGE);
    }
}
