package dev.longshore.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `cdk synth` through infra/cdk.json works offline and passes -c settings to the App. Needs the CDK CLI from npm
 * (scripts/test installs it); without it this test is skipped with that reason.
 */
class CdkCliTest {
    @Test
    void cdkSynthRunsTheAppWithContextSettings(@TempDir Path out) throws Exception {
        Path cdk = Stream.of(System.getenv("PATH").split(File.pathSeparator)).map(d -> Path.of(d, "cdk"))
                .filter(Files::isExecutable).findFirst().orElse(null);
        assumeTrue(cdk != null, "the CDK CLI (npm package aws-cdk) is not installed; scripts/test installs it");
        Path log = out.resolve("cdk.log");
        ProcessBuilder pb = new ProcessBuilder(List.of(cdk.toString(), "synth", "--quiet", "--no-notices",
                "--no-version-reporting", "--output", out.resolve("assembly").toString(),
                "-c", "video.max=40", "-c", "imageTag=cli-test"))
                .directory(Sandbox.REPO_ROOT.resolve("infra").toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("CDK_DISABLE_CLI_TELEMETRY", "true");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = pb.start();
        boolean finished = process.waitFor(4, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
        }
        assertTrue(finished, "cdk synth did not finish in 4 minutes");
        assertEquals(0, process.exitValue(), Files.readString(log));

        JsonNode template = new ObjectMapper().readTree(out.resolve("assembly/Longshore.template.json").toFile());
        String text = template.toString();
        assertTrue(text.contains("\"AutoScalingGroupName\":\"Longshore-video\""));
        template.get("Resources").forEach(r -> {
            if (r.get("Type").asText().equals("AWS::AutoScaling::AutoScalingGroup")
                    && r.get("Properties").get("AutoScalingGroupName").asText().equals("Longshore-video")) {
                assertEquals("40", r.get("Properties").get("MaxSize").asText());
            }
        });
        assertTrue(text.contains("/longshore/video:cli-test'"), "the image tag setting reached the user data");
    }
}
