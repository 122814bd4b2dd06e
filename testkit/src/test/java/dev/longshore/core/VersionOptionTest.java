package dev.longshore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.metrics.Metrics;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;

/** {@code java -jar worker-x.jar --version} and the build's version in /metrics (README: Health and metrics; docs/deploy.md: Releases). */
class VersionOptionTest {

    private static final WorkerDefinition MESSAGING = WorkerDefinition.of("messaging", 1, (config, metrics) -> {
        throw new AssertionError("--version builds no worker");
    });

    @Test
    void versionOptionPrintsWorkerAndVersionAndExitsZeroWithoutAnyWorkerVariable() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = WorkerLauncher.printVersion(MESSAGING, new BuildInfo("0.1.0-SNAPSHOT", Optional.empty()),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals(0, code);
        assertEquals("longshore messaging 0.1.0-SNAPSHOT\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void versionOptionIsRecognisedAmongTheJvmsArguments() {
        assertTrue(WorkerLauncher.versionRequested(List.of("java", "-jar", "/app/worker.jar", "--version")));
        assertFalse(WorkerLauncher.versionRequested(List.of("java", "-jar", "/app/worker.jar")));
    }

    @Test
    void manifestGivesVersionAndRevision() throws IOException {
        Manifest withCommit = new Manifest(new ByteArrayInputStream(("Manifest-Version: 1.0\n"
                + "Implementation-Version: 0.2.0\nBuild-Revision: 3f2c1ab\n").getBytes(StandardCharsets.UTF_8)));
        BuildInfo build = BuildInfo.fromManifest(withCommit);
        assertEquals("0.2.0", build.version());
        assertEquals("longshore video 0.2.0 (commit 3f2c1ab)", build.line("video"));
        Manifest bare = new Manifest(new ByteArrayInputStream("Manifest-Version: 1.0\nBuild-Revision: \n"
                .getBytes(StandardCharsets.UTF_8)));
        assertEquals(new BuildInfo(BuildInfo.UNKNOWN_VERSION, Optional.empty()), BuildInfo.fromManifest(bare));
    }

    @Test
    void buildInfoIsExportedAsOneSeries() {
        Metrics metrics = new Metrics();
        metrics.buildInfo("ai", "0.1.0-SNAPSHOT");
        assertTrue(metrics.prometheusText().contains(
                "longshore_build_info{version=\"0.1.0-SNAPSHOT\",worker=\"ai\"} 1\n"), metrics.prometheusText());
    }
}
