package dev.longshore.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The worker images' definitions. No docker engine is needed (nor available in CI), so this reads the Dockerfiles
 * for what the contract and the user data rely on; scripts/build-images builds them where docker runs.
 */
class DockerfilesTest {
    @ParameterizedTest
    @ValueSource(strings = {"messaging", "video", "ai"})
    void imagesAreMultiStageNonRootAndStopOnSigterm(String worker) throws Exception {
        List<String> lines = Files.readAllLines(Sandbox.REPO_ROOT.resolve("worker-" + worker + "/Dockerfile"));
        List<String> from = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
        assertEquals(2, from.size(), "build stage and runtime stage");
        assertTrue(from.get(0).matches("FROM --platform=\\$BUILDPLATFORM maven:\\S*temurin-21 AS build"), from.get(0));
        assertTrue(from.get(1).matches("FROM eclipse-temurin:21-jre"), from.get(1));
        assertTrue(lines.contains("RUN --mount=type=cache,target=/root/.m2 mvn -B -q -DskipTests -pl worker-" + worker
                + " -am package"));
        assertTrue(lines.contains("COPY --from=build --chown=10001:10001 /src/worker-" + worker + "/target/worker-"
                + worker + ".jar /app/worker.jar"), "the contract's jar");
        List<String> users = lines.stream().filter(l -> l.startsWith("USER ")).toList();
        assertEquals(List.of("USER 10001:10001"), users);
        assertTrue(lines.indexOf("USER 10001:10001") > lines.indexOf(from.get(1)), "the runtime stage runs as 10001");
        assertTrue(lines.contains("STOPSIGNAL SIGTERM"));
        String text = String.join("\n", lines);
        assertTrue(text.contains("HEALTHCHECK ") && text.contains("GET /health/live HTTP/1.0")
                && text.contains("${WORKER_HEALTH_PORT:-8080}"), "health check on /health/live");
        assertTrue(text.contains("WORKER_HEALTH_BIND=0.0.0.0"));
        assertTrue(text.contains("-XX:MaxRAMPercentage=") && text.contains("JAVA_GC=-XX:+UseSerialGC")
                && text.contains("${JAVA_ACTIVE_PROCESSORS:+-XX:ActiveProcessorCount=$JAVA_ACTIVE_PROCESSORS}"));
        assertTrue(text.contains("ENTRYPOINT [\"bash\", \"-c\", \"exec java "), "java is PID 1 and gets SIGTERM");
        assertTrue(Files.exists(Sandbox.REPO_ROOT.resolve("worker-" + worker + "/Dockerfile.dockerignore")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"messaging", "ai"})
    void imagesWithoutRunStepsCrossBuildWithoutEmulation(String worker) throws Exception {
        List<String> lines = Files.readAllLines(Sandbox.REPO_ROOT.resolve("worker-" + worker + "/Dockerfile"));
        int runtime = lines.indexOf("FROM eclipse-temurin:21-jre");
        assertFalse(lines.subList(runtime, lines.size()).stream().anyMatch(l -> l.startsWith("RUN ")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"video"})
    void videoImageCarriesFfmpegAndAWritableWorkDirectory(String worker) throws Exception {
        String text = Files.readString(Sandbox.REPO_ROOT.resolve("worker-" + worker + "/Dockerfile"));
        assertTrue(text.contains("apt-get install -y --no-install-recommends ffmpeg"));
        assertTrue(text.contains("WORKER_WORK_DIR=/work") && text.contains("chown longshore:longshore /work"));
    }
}
