package dev.longshore.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The worker images' definition: one Dockerfile, docker/worker.Dockerfile, with one final stage per worker. No
 * docker engine is needed (nor available in CI), so this reads the file for what the README and the user data rely
 * on; scripts/build-images builds the images where docker runs.
 */
class DockerfilesTest {
    static final Path DOCKERFILE = Sandbox.REPO_ROOT.resolve("docker/worker.Dockerfile");
    static final Path JVM_OPTIONS = Sandbox.REPO_ROOT.resolve("scripts/jvm.options");
    static final Path START_WORKER = Sandbox.REPO_ROOT.resolve("docker/start-worker");
    static final String AOT_TRAINING = "RUN --network=none JAVA_AOT=-XX:AOTCacheOutput=/app/worker.aot"
            + " JAVA_ACTIVE_PROCESSORS=2 WORKER_HEALTH_PORT=off WORKER_METRICS_NAMESPACE=off WORKER_GPU_REQUIRED=false"
            + " AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=training AWS_SECRET_ACCESS_KEY=training"
            + " WORKER_QUEUE_URL=http://127.0.0.1:9/000000000000/aot-training timeout -s TERM 10 /app/start-worker;"
            + " test -s /app/worker.aot";

    static List<String> lines() throws IOException {
        return Files.readAllLines(DOCKERFILE);
    }

    /** The instruction lines of one stage (no comments or blank lines): from its FROM up to the next FROM. */
    static List<String> stage(String name) throws IOException {
        List<String> all = lines();
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String l : all) {
            if (l.startsWith("FROM ")) {
                in = l.endsWith(" AS " + name);
            }
            if (in && !l.isBlank() && !l.startsWith("#")) {
                out.add(l);
            }
        }
        assertFalse(out.isEmpty(), "no stage " + name);
        return out;
    }

    @Test
    void oneDefinitionServesEveryWorker() throws Exception {
        try (Stream<Path> files = Files.list(Sandbox.REPO_ROOT)) {
            for (Path module : files.filter(p -> p.getFileName().toString().startsWith("worker-")).toList()) {
                assertFalse(Files.exists(module.resolve("Dockerfile")), module + "/Dockerfile: a second definition");
            }
        }
        List<String> from = lines().stream().filter(l -> l.startsWith("FROM ")).toList();
        assertEquals(List.of("FROM --platform=$BUILDPLATFORM ${BUILD_IMAGE} AS build",
                "FROM --platform=$BUILDPLATFORM ${INIT_IMAGE} AS init", "FROM ${RUNTIME_IMAGE} AS runtime",
                "FROM runtime AS messaging", "FROM runtime AS ai", "FROM runtime AS video"), from);
        assertTrue(lines().contains("ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-21"));
        assertTrue(lines().contains("ARG RUNTIME_IMAGE=eclipse-temurin:25-jre"), "JDK 25: the AOT cache");
        assertTrue(lines().contains("RUN --mount=type=cache,target=/root/.m2 mvn -B -q -DskipTests "
                + "-pl worker-messaging,worker-video,worker-ai -am package"));
        assertTrue(Files.exists(Sandbox.REPO_ROOT.resolve("docker/worker.Dockerfile.dockerignore")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"messaging", "video", "ai"})
    void eachWorkersStageCarriesItsJarAsAppWorkerJar(String worker) throws Exception {
        List<String> stage = stage(worker);
        assertEquals(List.of("COPY --from=build --chown=10001:10001 /src/worker-" + worker + "/target/worker-" + worker
                + ".jar /app/worker.jar", "USER root", AOT_TRAINING, "USER 10001:10001"),
                stage.subList(stage.size() - 4, stage.size()),
                "the README's jar copied last (cache), then the AOT cache trained on it");
        List<String> users = stage.stream().filter(l -> l.startsWith("USER ")).toList();
        assertTrue(users.isEmpty() || users.get(users.size() - 1).equals("USER 10001:10001"), "ends as 10001");
    }

    @Test
    void theRuntimeIsNonRootStopsOnSigtermAndChecksLiveness() throws Exception {
        List<String> runtime = stage("runtime");
        assertEquals(List.of("USER 10001:10001"), runtime.stream().filter(l -> l.startsWith("USER ")).toList());
        assertTrue(runtime.contains("STOPSIGNAL SIGTERM"));
        String text = String.join("\n", runtime);
        assertTrue(text.contains("HEALTHCHECK ") && text.contains("GET /health/live HTTP/1.0")
                && text.contains("${WORKER_HEALTH_PORT:-8080}"), "health check on /health/live");
        assertTrue(text.contains("WORKER_HEALTH_BIND=0.0.0.0"));
        assertTrue(runtime.contains("COPY --from=init --chown=10001:10001 /empty/ /work/"), "writable /work");
    }

    @Test
    void tiniIsPidOneAndJavaItsOnlyChild() throws Exception {
        List<String> runtime = stage("runtime");
        assertTrue(runtime.contains("COPY --from=init /tini /usr/bin/tini"));
        assertTrue(String.join("\n", stage("init")).contains("apt-get download -qq \"tini:$TARGETARCH\""),
                "tini from Debian's package for the target platform");
        String entrypoint = runtime.stream().filter(l -> l.startsWith("ENTRYPOINT ")).findFirst().orElseThrow();
        assertEquals("ENTRYPOINT [\"/usr/bin/tini\", \"--\", \"/app/start-worker\"]", entrypoint,
                "no tini -g: it would SIGTERM a job's processes before the drain");
        assertTrue(runtime.contains("COPY --chmod=0755 docker/start-worker /app/start-worker"));
        assertTrue(Files.readString(START_WORKER).contains("\nexec java @/app/jvm.options "), "java replaces bash");
    }

    @Test
    void jvmFlagsComeFromScriptsJvmOptionsOnly() throws Exception {
        List<String> runtime = stage("runtime");
        assertTrue(runtime.contains("COPY scripts/jvm.options /app/jvm.options"));
        String command = Files.readString(START_WORKER).replace(" \\\n  ", " ");
        assertTrue(command.contains("exec java @/app/jvm.options ${JAVA_ACTIVE_PROCESSORS:+-XX:ActiveProcessorCount"
                + "=$JAVA_ACTIVE_PROCESSORS} -XX:+ExitOnOutOfMemoryError -Duser.home=/tmp $JAVA_WORKER_OPTS $JAVA_AOT"
                + " ${JAVA_MAX_RAM_PERCENTAGE:+-XX:MaxRAMPercentage=$JAVA_MAX_RAM_PERCENTAGE} $JAVA_GC $JAVA_OPTS"
                + " -jar /app/worker.jar \"$@\""), command);
        String text = Files.readString(DOCKERFILE) + Files.readString(START_WORKER);
        // The earlier images' JAVA_MAX_RAM_PERCENTAGE and JAVA_GC still override when an operator sets them; no
        // image sets them, so the defaults have one source.
        String besidesVideoHeap = text.replace("JAVA_WORKER_OPTS=-XX:MaxRAMPercentage=40", "")
                .replace("${JAVA_MAX_RAM_PERCENTAGE:+-XX:MaxRAMPercentage=$JAVA_MAX_RAM_PERCENTAGE}", "");
        for (String flag : Files.readAllLines(JVM_OPTIONS)) {
            if (flag.startsWith("#") || flag.isBlank()) {
                continue;
            }
            String name = flag.startsWith("-XX:") ? flag.substring(4).replaceFirst("^[+-]", "").replaceFirst("=.*", "")
                    : flag.replaceFirst("\\d.*", "");
            assertFalse(besidesVideoHeap.contains(name), name + " is in the Dockerfile too; scripts/jvm.options is"
                    + " the one source (a worker stage may add JAVA_WORKER_OPTS)");
        }
        assertFalse(text.contains("JAVA_MAX_RAM_PERCENTAGE=") || text.contains("JAVA_GC="),
                "no image sets the earlier override variables");
        assertEquals(List.of("ENV WORKER_FFMPEG=ffmpeg \\", "    WORKER_WORK_DIR=/work \\",
                "    JAVA_WORKER_OPTS=-XX:MaxRAMPercentage=40"), stage("video").stream()
                .dropWhile(l -> !l.startsWith("ENV ")).limit(3).toList(), "the one per-worker JVM difference");
        assertTrue(Files.readAllLines(JVM_OPTIONS).contains("-XX:MaxRAMPercentage=50"));
        assertTrue(Files.readAllLines(JVM_OPTIONS).contains("-XX:+UseSerialGC"));
    }

    @Test
    void theRuntimeStageHasNoRunStepAndMessagingAndAiOnlyTheAotTraining() throws Exception {
        assertFalse(stage("runtime").stream().anyMatch(l -> l.startsWith("RUN ")), "runtime");
        for (String stage : List.of("messaging", "ai")) {
            assertEquals(List.of(AOT_TRAINING), stage(stage).stream().filter(l -> l.startsWith("RUN ")).toList(), stage);
        }
    }

    @Test
    void theAotCacheIsTrainedWithTheImagesOwnCommandAndUsedByIt() throws Exception {
        List<String> runtime = stage("runtime");
        assertTrue(runtime.contains("    JAVA_AOT=-XX:AOTCache=/app/worker.aot \\"), runtime.toString());
        // The training run and the entrypoint both run docker/start-worker, so the JVM flags are the same; only
        // JAVA_AOT differs (AOTCacheOutput at training, AOTCache at use). No network: nothing to reach at build.
        assertTrue(AOT_TRAINING.contains(" /app/start-worker;") && AOT_TRAINING.startsWith("RUN --network=none "));
        assertTrue(AOT_TRAINING.contains(" WORKER_HEALTH_PORT=off "), "no port to bind at build");
        assertTrue(Files.isExecutable(START_WORKER));
    }

    @Test
    void videoAddsFfmpegAndWorksInWork() throws Exception {
        String video = String.join("\n", stage("video"));
        assertTrue(video.contains("apt-get install -y --no-install-recommends ffmpeg"));
        assertTrue(video.contains("WORKER_WORK_DIR=/work"));
        String ai = String.join("\n", stage("ai"));
        assertTrue(ai.contains("WORKER_JOBS_DIR=/work/ai-jobs") && ai.contains("NVIDIA_DRIVER_CAPABILITIES=compute,utility"));
    }
    @Test
    void theAiTasksExampleBuildsFromTheStacksAiImageAndRegistersItsTasks() throws Exception {
        Path docker = Sandbox.REPO_ROOT.resolve("docker");
        List<String> example = Files.readAllLines(docker.resolve("ai-tasks.example.Dockerfile")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertEquals(List.of("ARG AI_IMAGE=longshore/ai:latest", "FROM ${AI_IMAGE}"), example.subList(0, 2),
                "FROM the ai stage's image, as scripts/build-images tags it");
        assertEquals(1, example.stream().filter(l -> l.startsWith("FROM ")).count(), "one stage: the ai image plus files");
        assertTrue(example.contains("ENV WORKER_AI_TASKS=/opt/tasks/tasks.json"), example.toString());
        assertFalse(example.stream().anyMatch(l -> l.startsWith("USER ") || l.startsWith("ENTRYPOINT ")
                || l.startsWith("RUN ")), "the worker's user, entrypoint and AOT cache stay the ai image's");
        assertTrue(example.contains("COPY --chown=0:0 --chmod=0644 ai-tasks.example/tasks.json /opt/tasks/tasks.json"));
        assertTrue(example.contains("COPY --chown=0:0 --chmod=0755 ai-tasks.example/bin/ /opt/tasks/bin/"));
        // Every program the tasks file names is in the image: shipped under bin/ or part of the base image.
        com.fasterxml.jackson.databind.JsonNode tasks = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(docker.resolve("ai-tasks.example/tasks.json").toFile());
        assertTrue(tasks.size() > 0);
        tasks.fields().forEachRemaining(task -> {
            String program = task.getValue().get("argv").get(0).asText();
            assertTrue(program.startsWith("/opt/tasks/bin/"), task.getKey() + ": " + program);
            assertTrue(Files.isExecutable(docker.resolve("ai-tasks.example/bin").resolve(
                    program.substring("/opt/tasks/bin/".length()))), program + " is shipped");
            assertEquals(0, task.getValue().get("gpus").asInt(), "runs on the CPU flavour too");
        });
    }

    @Test
    void imagesCarryOciLabelsFromBuildArguments() throws Exception {
        List<String> runtime = stage("runtime");
        for (String arg : new String[] {"IMAGE_VERSION", "IMAGE_REVISION", "IMAGE_SOURCE", "IMAGE_TITLE"}) {
            assertTrue(runtime.stream().anyMatch(l -> l.startsWith("ARG " + arg)), arg + " in " + runtime);
        }
        String text = String.join("\n", runtime);
        for (String label : new String[] {"version=\"${IMAGE_VERSION}\"", "revision=\"${IMAGE_REVISION}\"",
                "source=\"${IMAGE_SOURCE}\"", "title=\"${IMAGE_TITLE}\""}) {
            assertTrue(text.contains("org.opencontainers.image." + label), label);
        }
    }
}
