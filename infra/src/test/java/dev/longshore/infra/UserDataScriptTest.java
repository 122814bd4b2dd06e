package dev.longshore.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * scripts/user-data.sh run in a sandbox with stand-ins for aws, docker, systemctl, curl (IMDS), dnf, chown and
 * sleep. Checks what the instance would do: retries, the root-only env file, the container's restart policy,
 * stop timeout and limits, the logs shipped to CloudWatch Logs, and that no value of the SSM parameter is ever
 * printed or handed to the container: the worker reads the parameter itself (docs/security.md, "What a task can
 * reach"), and a real environment variable wins over it in the worker (SsmEnvironmentTest in testkit).
 */
class UserDataScriptTest {
    static final Path SCRIPT = Sandbox.REPO_ROOT.resolve("scripts/user-data.sh");
    static final String SMTP_SECRET = "smtp-pass-7f3a9c1e";
    static final String WEBHOOK_SECRET = "whsec_Zq81LmNn02";
    static final String ECR_PASSWORD = "ecr-token-eyJwYXlsb2FkIjoi";
    static final String QUEUE_URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/Longshore-VideoQueue-AbC123";

    @TempDir
    Path tmp;
    Sandbox sandbox;

    @BeforeEach
    void sandbox() throws IOException {
        sandbox = new Sandbox(tmp, "aws", "docker", "systemctl", "curl", "sleep", "chown", "dnf");
        settings().forEach(sandbox::set);
        sandbox.set("LONGSHORE_ROOT", sandbox.root.toString());
        sandbox.set("SANDBOX_ECR_PASSWORD", ECR_PASSWORD);
        Files.writeString(tmp.resolve("ssm-value"), String.join("\n",
                "# video worker settings",
                "WORKER_SMTP_PASSWORD=" + SMTP_SECRET,
                "export WORKER_WEBHOOK_SECRET=\"" + WEBHOOK_SECRET + "\"",
                "WORKER_VIDEO_PRESET='veryfast'",
                "",
                "this line is broken " + SMTP_SECRET,
                "WORKER_QUEUE_URL=https://sqs.eu-west-1.amazonaws.com/123456789012/someone-elses-queue"));
    }

    static Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("LONGSHORE_WORKER", "video");
        s.put("LONGSHORE_REGION", "eu-west-1");
        s.put("LONGSHORE_IMAGE", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/longshore/video:3f2c1ab");
        s.put("LONGSHORE_QUEUE_URL", QUEUE_URL);
        s.put("LONGSHORE_ASG_NAME", "Longshore-video");
        s.put("LONGSHORE_HOOK_NAME", "longshore-drain");
        s.put("LONGSHORE_ENV_PARAMETER", "/Longshore/video/env");
        s.put("LONGSHORE_LOG_GROUP", "/longshore/Longshore/video");
        s.put("LONGSHORE_METRICS_NAMESPACE", "Longshore");
        s.put("LONGSHORE_HEALTH_PORT", "8080");
        s.put("LONGSHORE_DRAIN_TIMEOUT", "30s");
        s.put("LONGSHORE_LIFECYCLE_DRAIN_TIMEOUT", "15m");
        s.put("LONGSHORE_GPU", "false");
        s.put("LONGSHORE_DEFAULT_ENV", "");
        return s;
    }

    Path envFile() {
        return sandbox.root.resolve("etc/longshore/video.env");
    }

    Path logFile() {
        return sandbox.root.resolve("var/log/longshore-user-data.log");
    }

    Map<String, String> envFileValues() throws IOException {
        return Files.readAllLines(envFile()).stream().collect(Collectors.toMap(
                l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1), (a, b) -> {
                    throw new AssertionError("duplicate key in env file: " + a + " / " + b);
                }, LinkedHashMap::new));
    }

    String dockerRun() throws IOException {
        List<String> runs = calls("docker", "run ");
        assertEquals(1, runs.size(), "docker run calls: " + runs);
        return runs.get(0);
    }

    @Test
    void startsTheWorkerContainerWithoutADockerRestartPolicyAndWithLimits() throws Exception {
        runScript(0);
        String run = dockerRun();
        assertTrue(run.contains("--restart no "), "the watchdog restarts it, docker does not: " + run);
        assertTrue(run.contains("--name longshore-video "), run);
        assertTrue(run.contains("--env-file " + envFile() + " "), run);
        int cpus = Runtime.getRuntime().availableProcessors();
        assertTrue(run.contains("--cpus " + cpus + " "), run);
        assertTrue(run.matches(".* --memory \\d+m .*"), run);
        assertTrue(run.contains("--publish 127.0.0.1:8080:8080 "), run);
        assertTrue(run.endsWith(" 123456789012.dkr.ecr.eu-west-1.amazonaws.com/longshore/video:3f2c1ab"), run);
        assertFalse(run.contains("--gpus"), run);
        assertEquals("" + cpus, envFileValues().get("JAVA_ACTIVE_PROCESSORS"));
        assertTrue(run.contains(" --pids-limit 1024 --cap-drop ALL --security-opt no-new-privileges --read-only"
                + " --tmpfs /tmp:rw,nosuid,nodev,size=256m --mount type=volume,source=longshore-video-work,target=/work "),
                "hostile input: no capabilities, no privilege gain, bounded processes, read-only root: " + run);
        assertFalse(run.contains("--init"), "the image's tini is PID 1; --init would nest a second init: " + run);
        List<String> docker = sandbox.calls("docker");
        assertTrue(docker.contains("login --username AWS --password-stdin 123456789012.dkr.ecr.eu-west-1.amazonaws.com"),
                docker.toString());
        assertTrue(docker.indexOf("pull 123456789012.dkr.ecr.eu-west-1.amazonaws.com/longshore/video:3f2c1ab")
                < docker.indexOf(run));
        assertEquals(List.of("stdin-password-ok"), sandbox.calls("docker-login-stdin"));
    }

    @Test
    void stopTimeoutOutlastsTheDrainAndSystemdOutlastsDocker() throws Exception {
        runScript(0);
        assertTrue(dockerRun().contains("--stop-timeout 60 "), "30s drain + 30s margin: " + dockerRun());
        Path dropIn = sandbox.root.resolve("etc/systemd/system/docker.service.d/longshore-stop-timeout.conf");
        assertEquals("[Service]\nTimeoutStopSec=90\n", Files.readString(dropIn));
        List<String> systemctl = sandbox.calls("systemctl");
        assertEquals(List.of("daemon-reload", "enable --now docker", "daemon-reload",
                "enable --now longshore-watchdog.timer"), systemctl);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "WORKER_DRAIN_TIMEOUT=5m                                   | 330",
        "WORKER_DRAIN_TIMEOUT=1m\\nWORKER_DRAIN_TIMEOUT=5m         | 330",
        "  export WORKER_DRAIN_TIMEOUT = \"2m\"  # longer jobs     | 150",
        "WORKER_DRAIN_TIMEOUT='90s'\\r\\nA=1                        | 120",
        "WORKER_DRAIN_TIMEOUT=45s # comment                        | 75",
        "WORKER_DRAIN_TIMEOUT=soon                                 | 60"})
    void drainTimeoutFromTheEnvParameterSizesTheStopTimeoutAndIsNotOverriddenByTheDefault(String text, int stop)
            throws Exception {
        Files.writeString(tmp.resolve("ssm-value"), text.replace("\\n", "\n").replace("\\r", "\r") + "\n");

        runScript(0);
        assertFalse(envFileValues().containsKey("WORKER_DRAIN_TIMEOUT"),
                "the worker takes the parameter's drain timeout; a real variable would win over it");
        assertTrue(dockerRun().contains("--stop-timeout " + stop + " "), dockerRun());
        assertTrue(Files.readString(logFile()).contains("defaults not passed because the .env sets them: "
                + "WORKER_DRAIN_TIMEOUT"), Files.readString(logFile()));
    }

    @Test
    void defaultsTheEnvParameterSetsAreLeftToItAndTheOthersPassed() throws Exception {
        Files.writeString(tmp.resolve("ssm-value"),
                "WORKER_LIFECYCLE_DRAIN_TIMEOUT=30m\nexport WORKER_METRICS_NAMESPACE=off\n");

        runScript(0);
        Map<String, String> env = envFileValues();
        assertFalse(env.containsKey("WORKER_LIFECYCLE_DRAIN_TIMEOUT"), env.toString());
        assertFalse(env.containsKey("WORKER_METRICS_NAMESPACE"), env.toString());
        assertEquals("30s", env.get("WORKER_DRAIN_TIMEOUT"));
        assertTrue(dockerRun().contains("--stop-timeout 60 "), dockerRun());
    }

    @Test
    void envFileIsReadableByRootOnlyAndStackValuesWin() throws Exception {
        runScript(0);
        assertEquals("rw-------", Sandbox.permissions(envFile()));
        assertEquals("rwx------", Sandbox.permissions(envFile().getParent()));
        assertEquals(List.of("root:root " + envFile() + ".tmp"), sandbox.calls("chown"));
        Map<String, String> env = envFileValues();
        assertEquals(QUEUE_URL, env.get("WORKER_QUEUE_URL"), "the stack's queue, not the one in the .env");
        assertEquals("longshore-drain", env.get("WORKER_LIFECYCLE_HOOK_NAME"));
        assertEquals("Longshore-video", env.get("WORKER_ASG_NAME"));
        assertEquals("eu-west-1", env.get("AWS_REGION"));
        assertEquals("0.0.0.0", env.get("WORKER_HEALTH_BIND"));
        assertEquals("8080", env.get("WORKER_HEALTH_PORT"));
        assertEquals("30s", env.get("WORKER_DRAIN_TIMEOUT"));
        assertEquals("15m", env.get("WORKER_LIFECYCLE_DRAIN_TIMEOUT"));
        assertEquals("Longshore", env.get("WORKER_METRICS_NAMESPACE"));
        assertEquals("/Longshore/video/env", env.get("WORKER_SSM_ENV_PARAMETER"), "the worker reads it itself");
        assertEquals(List.of("WORKER_DRAIN_TIMEOUT", "WORKER_LIFECYCLE_DRAIN_TIMEOUT", "WORKER_METRICS_NAMESPACE",
                "WORKER_SSM_ENV_PARAMETER", "WORKER_QUEUE_URL", "WORKER_LIFECYCLE_HOOK_NAME", "WORKER_ASG_NAME",
                "WORKER_HEALTH_PORT", "WORKER_HEALTH_BIND", "AWS_REGION", "JAVA_ACTIVE_PROCESSORS"),
                List.copyOf(env.keySet()), "stack values and defaults only: nothing from the parameter");
    }

    @Test
    void noValueOfTheEnvParameterReachesTheEnvFileOrAnyDockerArgument() throws Exception {
        runScript(0);
        String envFile = Files.readString(envFile());
        List<String> docker = sandbox.calls("docker");
        for (String value : List.of(SMTP_SECRET, WEBHOOK_SECRET, "veryfast", "someone-elses-queue")) {
            assertFalse(envFile.contains(value), "env file holds " + value + ": " + envFile);
            assertFalse(String.join("\n", docker).contains(value), "a docker argument holds " + value);
        }
        for (String key : List.of("WORKER_SMTP_PASSWORD", "WORKER_WEBHOOK_SECRET", "WORKER_VIDEO_PRESET")) {
            assertFalse(envFile.contains(key + "="), "env file sets " + key);
        }
        assertTrue(Files.list(sandbox.root.resolve("var/lib/longshore")).noneMatch(f -> f.toString().contains("ssm")),
                "no copy of the parameter on disk");
    }

    @Test
    void anAwsVariableInTheEnvParameterIsNamedAsOneTheWorkerRefuses() throws Exception {
        Files.writeString(tmp.resolve("ssm-value"), "AWS_SECRET_ACCESS_KEY=" + SMTP_SECRET + "\nWORKER_X=1\n");

        Sandbox.Result r = runScript(0);
        assertTrue(r.stderr().contains("the .env sets AWS_SECRET_ACCESS_KEY: the worker refuses AWS_* variables and "
                + "will exit 2; store it with scripts/put-env"), r.stderr());
        assertFalse(r.output().contains(SMTP_SECRET));
        assertFalse(envFileValues().containsKey("AWS_SECRET_ACCESS_KEY"));
    }

    @Test
    void missingEnvParameterLeavesTheStackValuesOnly() throws Exception {
        Files.delete(tmp.resolve("ssm-value"));

        Sandbox.Result r = runScript(0);
        assertEquals(QUEUE_URL, envFileValues().get("WORKER_QUEUE_URL"));
        assertFalse(envFileValues().containsKey("WORKER_SSM_ENV_PARAMETER"),
                "the worker would refuse to start with a parameter that does not exist");
        assertEquals("30s", envFileValues().get("WORKER_DRAIN_TIMEOUT"));
        assertTrue(r.stderr().contains("SSM parameter /Longshore/video/env does not exist"), r.stderr());
        assertEquals(1, count("aws", "ssm get-parameter"),
                "a missing parameter is not retried");
    }

    @Test
    void retriesEveryNetworkStepWithExponentialBackoff() throws Exception {
        sandbox.set("FAIL_IMDS", "1").set("FAIL_SSM", "2").set("FAIL_SYSTEMCTL_ENABLE", "1")
                .set("FAIL_DOCKER_INFO", "1").set("FAIL_ECR_PASSWORD", "1").set("FAIL_DOCKER_PULL", "4")
                .set("FAIL_DOCKER_RUN", "1");

        runScript(0);
        assertEquals(5, count("docker", "pull "));
        assertEquals(3, count("aws", "ssm get-parameter"));
        assertEquals(2, count("docker", "run "));
        assertEquals(2, count("docker", "rm -f longshore-video"),
                "a half-created container is removed before the next try");
        // IMDS 1 failure, SSM 2, systemctl 1, docker info 1, ECR 1, pull 4 (2, 4, 8, 16), run 1.
        assertEquals(List.of("2", "2", "4", "2", "2", "2", "2", "4", "8", "16", "2"), sandbox.calls("sleep"));
        String log = Files.readString(logFile());
        assertTrue(log.contains("pulling 123456789012.dkr.ecr.eu-west-1.amazonaws.com/longshore/video:3f2c1ab failed"
                + " (try 4 of 8, exit code 1); retrying in 16s"), log);
        assertTrue(log.contains("TLS handshake timeout"), "the failure's own message is in the log");
    }

    @Test
    void backoffIsCappedAtTheMaximumDelay() throws Exception {
        sandbox.set("FAIL_DOCKER_PULL", "7").set("LONGSHORE_RETRY_MAX_DELAY", "10");

        runScript(0);
        assertEquals(List.of("2", "4", "8", "10", "10", "10", "10"), sandbox.calls("sleep"));
    }

    @Test
    void givesUpAfterTheLastTryAndStillShipsItsLog() throws Exception {
        sandbox.set("FAIL_DOCKER_PULL", "100").set("LONGSHORE_RETRY_ATTEMPTS", "3");

        Sandbox.Result r = sandbox.run(SCRIPT);

        assertNotEquals(0, r.exitCode(), r.output());
        assertEquals(3, count("docker", "pull "));
        assertTrue(sandbox.calls("docker").stream().noneMatch(c -> c.startsWith("run ")));
        assertShipped("failed 3 times (last exit code 1); giving up",
                "FAILED (exit code 1): the instance is up but the worker may not be", "--- docker ps -a");
    }

    @Test
    void shipsItsLogAndAFinalDockerPsToCloudWatchLogs() throws Exception {
        runScript(0);
        List<String> logs = calls("aws", "logs ");
        assertEquals(2, logs.size(), logs.toString());
        assertTrue(logs.get(0).startsWith("logs create-log-stream --region eu-west-1 --log-group-name "
                + "/longshore/Longshore/video --log-stream-name i-0123456789abcdef0/user-data"), logs.get(0));
        assertShipped("container longshore-video is healthy", "--- docker ps -a",
                "longshore/worker:test    Up 5 seconds (healthy)");
        assertTrue(sandbox.shippedEvents().stream().allMatch(e -> e.get("timestamp").asLong() > 1_600_000_000_000L));
        String run = dockerRun();
        assertTrue(run.contains("--log-driver awslogs --log-opt awslogs-region=eu-west-1 "
                + "--log-opt awslogs-group=/longshore/Longshore/video "
                + "--log-opt awslogs-stream=i-0123456789abcdef0/worker --log-opt mode=non-blocking"), run);
    }

    @Test
    void logShippingRetriesAndAcceptsAnExistingStream() throws Exception {
        Files.createDirectories(tmp.resolve("streams"));
        Files.writeString(tmp.resolve("streams/i-0123456789abcdef0_user-data"), "");
        sandbox.set("FAIL_PUT_LOG_EVENTS", "2");

        runScript(0);
        assertEquals(3, count("aws", "logs put-log-events"));
        assertFalse(sandbox.shippedEvents().isEmpty());
    }

    @Test
    void neverPrintsASecret() throws Exception {
        sandbox.set("FAIL_SSM", "1").set("FAIL_ECR_PASSWORD", "1");

        Sandbox.Result r = runScript(0);
        // The stand-in's own copy of the parameter is the only place a secret may be: not even the env file.
        String everything = sandbox.everythingWrittenExcept(tmp.resolve("ssm-value"));
        for (String secret : List.of(SMTP_SECRET, WEBHOOK_SECRET, ECR_PASSWORD)) {
            assertFalse(r.output().contains(secret), "console shows " + secret);
            assertFalse(everything.contains(secret), "a file holds " + secret);
        }
        assertTrue(Files.readString(logFile()).contains("the worker reads /Longshore/video/env itself, which sets: "
                + "WORKER_SMTP_PASSWORD,WORKER_WEBHOOK_SECRET,WORKER_VIDEO_PRESET,WORKER_QUEUE_URL"),
                "names, not values, are logged");
    }

    @Test
    void installsDockerWhenTheImageLacksIt() throws Exception {
        sandbox.removeTool("docker");
        sandbox.set("FAIL_DNF", "1");

        runScript(0);
        assertEquals(List.of("install -y docker", "install -y docker"), sandbox.calls("dnf"));
        assertTrue(sandbox.calls("systemctl").contains("enable --now docker"));
        assertEquals(1, count("docker", "run "));
    }

    @Test
    void gpuFlavourPassesTheGpusToTheContainer() throws Exception {
        sandbox.addStub("nvidia-smi");
        sandbox.set("LONGSHORE_GPU", "true").set("LONGSHORE_WORKER", "ai");

        runScript(0);
        assertTrue(dockerRun().contains(" --gpus all "), dockerRun());
        Map<String, String> env = envFiles("ai");
        assertEquals("compute,utility", env.get("NVIDIA_DRIVER_CAPABILITIES"));
    }

    @Test
    void gpuFlavourWithoutTheNvidiaDriverFailsWithAClearMessage() throws Exception {
        sandbox.set("LONGSHORE_GPU", "true");

        Sandbox.Result r = runScript(1);
        assertTrue(r.stderr().contains("LONGSHORE_GPU=true but nvidia-smi is missing"), r.stderr());
        assertTrue(sandbox.calls("docker").stream().noneMatch(c -> c.startsWith("run ")));
    }

    @Test
    void cpuFlavourDefaultsAreOverridableByTheEnvParameter() throws Exception {
        sandbox.set("LONGSHORE_WORKER", "ai").set("LONGSHORE_DEFAULT_ENV", "WORKER_GPU_REQUIRED=false WORKER_X=1");
        Files.writeString(tmp.resolve("ssm-value"), "WORKER_X=2\n");

        runScript(0);
        Map<String, String> env = envFiles("ai");
        assertEquals("false", env.get("WORKER_GPU_REQUIRED"));
        assertFalse(env.containsKey("WORKER_X"), "the worker takes WORKER_X=2 from the parameter: " + env);
        assertEquals("/Longshore/video/env", env.get("WORKER_SSM_ENV_PARAMETER"));
    }

    @Test
    void waitsForTheHealthCheckAndFailsWhenTheContainerIsUnhealthy() throws Exception {
        sandbox.set("SANDBOX_HEALTH", "starting starting unhealthy");

        Sandbox.Result r = runScript(1);
        assertTrue(r.stderr().contains("container longshore-video is unhealthy; its output is in stream "
                + "i-0123456789abcdef0/worker"), r.stderr());
        assertEquals(List.of("5", "5"), sandbox.calls("sleep"));
    }

    @Test
    void givesUpWaitingForHealthAfterTheConfiguredTime() throws Exception {
        sandbox.set("SANDBOX_HEALTH", "starting").set("LONGSHORE_HEALTH_WAIT", "20");

        Sandbox.Result r = runScript(1);
        assertTrue(r.stderr().contains("is still starting after 20s"), r.stderr());
    }

    @Test
    void refusesToStartWithoutItsSettings() throws Exception {
        sandbox.env.remove("LONGSHORE_QUEUE_URL");
        sandbox.env.remove("LONGSHORE_IMAGE");

        Sandbox.Result r = runScript(2);
        assertEquals("user-data: error: missing settings: LONGSHORE_IMAGE LONGSHORE_QUEUE_URL (see --help)\n",
                r.stderr());
        assertTrue(sandbox.calls("docker").isEmpty());
    }

    @Test
    void helpListsTheSettings() throws Exception {
        Sandbox.Result r = sandbox.run(SCRIPT, "--help");

        assertEquals(0, r.exitCode());
        assertTrue(r.stdout().contains("LONGSHORE_QUEUE_URL"), r.stdout());
        assertTrue(sandbox.calls("aws").isEmpty());
    }

    @Test
    void renderedUserDataBehavesLikeTheScript() throws Exception {
        Path file = renderedUserData();

        Sandbox.Result r = sandbox.run(file);

        assertEquals(0, r.exitCode(), r.output());
        assertTrue(dockerRun().contains("--restart no --stop-timeout 60 "), dockerRun());
        assertEquals(QUEUE_URL, envFileValues().get("WORKER_QUEUE_URL"));
        String rendered = Files.readString(file);
        assertTrue(rendered.length() < Files.readString(SCRIPT).length(), "comments are dropped");
        assertTrue(rendered.startsWith("#!/usr/bin/env bash\n"));
    }

    // Liveness on the instance (docs/deploy.md): the watchdog is the user data run with --watchdog by a timer.

    Path watchdog() {
        return sandbox.root.resolve("usr/local/sbin/longshore-watchdog");
    }

    Sandbox.Result watchdogPass() throws Exception {
        Sandbox.Result r = sandbox.run(watchdog(), "--watchdog");
        assertEquals(0, r.exitCode(), r.output());
        return r;
    }

    /** What the docker stand-in's inspect reports for the container, e.g. {@code exited 143}. */
    void containerIs(String state) throws IOException {
        Files.writeString(tmp.resolve("container-state"), state);
    }

    /** What the IMDS stand-in answers for the instance's target lifecycle state. */
    void lifecycleStateIs(String state) throws IOException {
        Files.writeString(tmp.resolve("lifecycle-state"), state);
    }

    /** Whether the curl stand-in fails the /health/live probe. */
    void liveProbeFails(boolean fails) throws IOException {
        Path notLive = tmp.resolve("not-live");
        if (fails) {
            Files.writeString(notLive, "");
        } else {
            Files.delete(notLive);
        }
    }

    void bootThenClearCalls() throws Exception {
        runScript(0);
        Path calls = tmp.resolve("calls");
        for (String tool : List.of("docker", "aws", "curl", "systemctl", "sleep")) {
            Files.deleteIfExists(calls.resolve(tool + ".log"));
        }
    }

    /** The calls of {@code tool} whose arguments start with {@code prefix}, in order. */
    List<String> calls(String tool, String prefix) throws IOException {
        return sandbox.calls(tool).stream().filter(c -> c.startsWith(prefix)).toList();
    }

    long count(String tool, String prefix) throws IOException {
        return calls(tool, prefix).size();
    }

    static final String UNHEALTHY = "autoscaling set-instance-health --region eu-west-1 --instance-id i-0123456789abcdef0"
            + " --health-status Unhealthy --should-respect-grace-period";
    static final String RESTART_METRIC = "cloudwatch put-metric-data --region eu-west-1 --namespace Longshore"
            + " --metric-name WorkerRestarts --dimensions AutoScalingGroupName=Longshore-video --value 1 --unit Count";

    @Test
    void writesTheWatchdogAndASystemdTimerThatRunsItAfterEveryBoot() throws Exception {
        sandbox.set("LONGSHORE_WATCHDOG_INTERVAL", "15");

        runScript(0);
        String copy = Files.readString(watchdog());
        assertTrue(copy.startsWith("#!/usr/bin/env bash\n"), copy);
        assertTrue(copy.endsWith(Files.readString(SCRIPT)), "the watchdog is this script");
        assertTrue(copy.contains("\ndeclare -x LONGSHORE_ASG_NAME=\"Longshore-video\"\n"), "after the settings it ran with");
        assertFalse(copy.contains(SMTP_SECRET), "settings only, never the worker's .env");
        assertEquals("rwx------", Sandbox.permissions(watchdog()));
        Path units = sandbox.root.resolve("etc/systemd/system");
        assertEquals("[Unit]\nAfter=docker.service\nRequires=docker.service\n[Service]\nType=oneshot\nExecStart="
                + watchdog() + " --watchdog\n", Files.readString(units.resolve("longshore-watchdog.service")));
        assertEquals("[Timer]\nOnBootSec=15s\nOnUnitActiveSec=15s\nAccuracySec=1s\n[Install]\nWantedBy=timers.target\n",
                Files.readString(units.resolve("longshore-watchdog.timer")));
        List<String> systemctl = sandbox.calls("systemctl");
        assertEquals("enable --now longshore-watchdog.timer", systemctl.get(systemctl.size() - 1));
    }

    @Test
    void theWatchdogOfTheRenderedUserDataRunsWithTheStacksSettings() throws Exception {
        Path file = renderedUserData();
        Sandbox.Result boot = sandbox.run(file);
        assertEquals(0, boot.exitCode(), boot.output());
        containerIs("exited 1");
        sandbox.env.remove("LONGSHORE_ROOT");

        Sandbox.Result r = sandbox.run(watchdog(), "--watchdog");

        assertEquals(0, r.exitCode(), r.output());
        assertEquals(1, count("docker", "start longshore-video"), sandbox.calls("docker").toString());
        assertTrue(sandbox.run(file, "--help").stdout().contains("scripts/user-data.sh --help"));
    }

    @Test
    void aLiveWorkerIsLeftAloneAndNothingIsShipped() throws Exception {
        bootThenClearCalls();

        watchdogPass();

        assertEquals(List.of("inspect --format {{.State.Status}} {{.State.ExitCode}} longshore-video"),
                sandbox.calls("docker"));
        assertEquals(List.of("-sS -f --max-time 5 -o /dev/null http://127.0.0.1:8080/health/live"),
                sandbox.calls("curl"));
        assertTrue(sandbox.calls("aws").isEmpty(), sandbox.calls("aws").toString());
    }

    @Test
    void restartsTheContainerAfterTheConfiguredFailedProbesInARowAndPublishesWorkerRestarts() throws Exception {
        sandbox.set("LONGSHORE_WATCHDOG_FAILURES", "3");
        bootThenClearCalls();
        liveProbeFails(true);

        watchdogPass();
        watchdogPass();
        assertEquals(0, count("docker", "restart"), "two failures are not yet three");
        watchdogPass();

        assertEquals(List.of("restart longshore-video"),
                calls("docker", "restart"));
        assertEquals(List.of(RESTART_METRIC),
                calls("aws", "cloudwatch"));
        assertShipped("watchdog[video]: restarting longshore-video: /health/live failed 3 times in a row");
        assertTrue(sandbox.calls("aws").contains("logs create-log-stream --region eu-west-1 --log-group-name "
                + "/longshore/Longshore/video --log-stream-name i-0123456789abcdef0/watchdog"), sandbox.calls("aws").toString());

        liveProbeFails(false);
        watchdogPass();
        liveProbeFails(true);
        watchdogPass();
        watchdogPass();
        assertEquals(1, count("docker", "restart"), "one good probe starts the count again");
    }

    @Test
    void restartsAWorkerThatExitedOutsideADrainAlsoAfterAReboot() throws Exception {
        bootThenClearCalls();
        containerIs("exited 143");

        watchdogPass();

        assertEquals(List.of("start longshore-video"),
                calls("docker", "start"));
        assertTrue(sandbox.calls("curl").stream().anyMatch(c -> c.endsWith("/latest/meta-data/autoscaling/target-lifecycle-state")),
                sandbox.calls("curl").toString());
        assertEquals(1, count("aws", "cloudwatch put-metric-data"));
        assertEquals(0, count("aws", "autoscaling set-instance-health"));
    }

    @Test
    void aWorkerThatExitedWhileTheInstanceTerminatesStaysDown() throws Exception {
        bootThenClearCalls();
        containerIs("exited 0");
        lifecycleStateIs("Terminated");

        watchdogPass();
        watchdogPass();

        assertEquals(0, count("docker", "start"), sandbox.calls("docker").toString());
        assertEquals(0, count("aws", "cloudwatch"));
        assertEquals(0, count("aws", "autoscaling"));
        String log = Files.readString(sandbox.root.resolve("var/log/longshore-watchdog.log.1"));
        assertTrue(log.contains("longshore-video is exited (exit code 0); the instance is Terminated, so it is not"
                + " restarted"), log);
    }

    @Test
    void aWorkerThatStopsAnsweringWhileTheInstanceTerminatesIsNotRestartedMidDrain() throws Exception {
        sandbox.set("LONGSHORE_WATCHDOG_FAILURES", "1");
        bootThenClearCalls();
        liveProbeFails(true);
        lifecycleStateIs("Terminating:Wait");

        watchdogPass();

        assertEquals(0, count("docker", "restart"), sandbox.calls("docker").toString());
        assertEquals(0, count("aws", "cloudwatch"));
        lifecycleStateIs("InService");
        watchdogPass();
        assertEquals(1, count("docker", "restart"), "restarted once the instance is in service again");
    }

    @Test
    void exitCodeTwoMarksTheInstanceUnhealthyAtOnceWithoutARestart() throws Exception {
        bootThenClearCalls();
        containerIs("exited 2");

        watchdogPass();
        watchdogPass();

        assertEquals(0, count("docker", "start"));
        assertEquals(List.of(UNHEALTHY),
                calls("aws", "autoscaling"),
                "marked once, not on every pass");
        assertShipped("marking instance i-0123456789abcdef0 Unhealthy so that Longshore-video replaces it:"
                + " longshore-video exited with code 2 (configuration error");
    }

    @Test
    void marksTheInstanceUnhealthyAfterTheMaximumRestartsInTheWindow() throws Exception {
        sandbox.set("LONGSHORE_WATCHDOG_MAX_RESTARTS", "2").set("LONGSHORE_WATCHDOG_WINDOW", "600");
        bootThenClearCalls();

        for (int i = 0; i < 3; i++) {
            containerIs("exited 1");
            watchdogPass();
        }

        assertEquals(2, count("docker", "start"), sandbox.calls("docker").toString());
        assertEquals(2, count("aws", "cloudwatch put-metric-data"));
        assertEquals(List.of(UNHEALTHY),
                calls("aws", "autoscaling"));
        assertShipped("longshore-video is exited with exit code 1 outside a drain after 2 restarts in 600s;"
                + " not restarting it again");
    }

    @Test
    void anImageThatNeverPullsMarksTheInstanceUnhealthy() throws Exception {
        sandbox.set("FAIL_DOCKER_PULL", "100").set("LONGSHORE_RETRY_ATTEMPTS", "2");

        runScript(1);
        assertTrue(sandbox.calls("aws").contains(UNHEALTHY), sandbox.calls("aws").toString());
        assertShipped("Unhealthy so that Longshore-video replaces it: the user data failed before the worker started");
        assertFalse(Files.exists(watchdog()), "no watchdog for a worker that never started");
    }

    @Test
    void aContainerThatFailsItsFirstHealthCheckIsLeftToTheWatchdog() throws Exception {
        sandbox.set("SANDBOX_HEALTH", "unhealthy");

        runScript(1);
        assertEquals(0, count("aws", "autoscaling"), "the watchdog runs already and decides");
        assertTrue(Files.exists(watchdog()));
    }

    @Test
    void helpListsTheWatchdogSettings() throws Exception {
        Sandbox.Result r = sandbox.run(SCRIPT, "--help");

        assertEquals(0, r.exitCode());
        for (String setting : List.of("LONGSHORE_WATCHDOG_INTERVAL", "LONGSHORE_WATCHDOG_FAILURES",
                "LONGSHORE_WATCHDOG_MAX_RESTARTS", "LONGSHORE_WATCHDOG_WINDOW", "--watchdog")) {
            assertTrue(r.stdout().contains(setting), setting + " in --help: " + r.stdout());
        }
    }

    /**
     * The script as the stack renders it into the launch template, written to a file, with the settings taken out
     * of the sandbox's environment: the rendered file must carry them itself.
     */
    private Path renderedUserData() throws IOException {
        String rendered = WorkerUserData.render(Files.readString(SCRIPT), settings());
        Path file = Files.writeString(tmp.resolve("rendered-user-data"), rendered);
        settings().keySet().forEach(sandbox.env::remove);
        return file;
    }

    /** Runs the user-data script and checks its exit code, showing all it printed when that is not the one. */
    private Sandbox.Result runScript(int exitCode) throws Exception {
        Sandbox.Result r = sandbox.run(SCRIPT);
        assertEquals(exitCode, r.exitCode(), r.output());
        return r;
    }

    private Map<String, String> envFiles(String worker) throws IOException {
        return Files.readAllLines(sandbox.root.resolve("etc/longshore/" + worker + ".env")).stream()
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1)));
    }

    /** Each of {@code texts} is in the messages the script shipped to CloudWatch Logs. */
    private void assertShipped(String... texts) throws IOException {
        String shipped = messages(sandbox.shippedEvents());
        for (String text : texts) {
            assertTrue(shipped.contains(text), shipped);
        }
    }

    private static String messages(List<JsonNode> events) {
        return events.stream().map(e -> e.get("message").asText()).collect(Collectors.joining("\n"));
    }
}
