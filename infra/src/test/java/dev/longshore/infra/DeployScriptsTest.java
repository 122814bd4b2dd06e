package dev.longshore.infra;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The operator scripts (push-images, build-images, put-env, deploy, destroy, synth) run against stand-ins for
 * the aws CLI and docker: help, early and clear failures when a prerequisite is missing, and the calls they make.
 */
class DeployScriptsTest {
    static final Path SCRIPTS = Sandbox.REPO_ROOT.resolve("scripts");
    static final Path COMMITTED = Sandbox.REPO_ROOT.resolve("infra/cloudformation/longshore.template.json");
    static final String SECRET = "smtp-pass-91ab77";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    Sandbox sandbox;

    @BeforeEach
    void sandbox() throws IOException {
        sandbox = new Sandbox(tmp, "aws", "docker", "sleep");
        sandbox.set("AWS_REGION", "eu-west-1");
        // put-env checks a file with worker-core's own parser (built by the same Maven run), in this JDK.
        sandbox.set("JAVA_HOME", System.getProperty("java.home"));
    }

    Sandbox.Result run(String script, String... args) throws Exception {
        return sandbox.run(SCRIPTS.resolve(script), args);
    }

    @ParameterizedTest
    @ValueSource(strings = {"build-images", "push-images", "put-env", "deploy", "destroy", "synth"})
    void everyScriptExplainsItselfWithHelp(String script) throws Exception {
        Sandbox.Result r = run(script, "--help");

        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.stdout().startsWith("Usage: scripts/" + script), r.stdout());
        assertTrue(sandbox.calls("aws").isEmpty() && sandbox.calls("docker").isEmpty(), "help calls nothing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"build-images", "push-images", "put-env", "deploy", "destroy", "synth"})
    void unknownOptionIsAUsageError(String script) throws Exception {
        Sandbox.Result r = run(script, "--frobnicate");

        assertEquals(2, r.exitCode(), r.output());
        String synopsis = run(script, "--help").stdout().lines().findFirst().orElseThrow();
        assertEquals("error: unknown option --frobnicate\n" + synopsis + "  (--help for details)\n",
                r.stderr().replace("unknown argument", "unknown option"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "put-env       | --region                 | error: --region needs a value",
        "put-env       | messaging                | error: expected WORKER and FILE",
        "put-env       | --stack 9x messaging f   | error: stack name '9x' is invalid",
        "deploy        | --template               | error: --template needs a file",
        "deploy        | stray                    | error: expected KEY=VALUE, got 'stray'",
        "synth         | --out                    | error: --out needs a file",
        "build-images  | audio                    | error: unknown worker 'audio'",
        "push-images   | --tag                    | error: --tag needs a value"})
    void aBadValueIsOneLineAndTheSynopsisWithExitCodeTwo(String script, String args, String problem)
            throws Exception {
        Sandbox.Result r = run(script, args.split(" "));

        assertEquals(2, r.exitCode(), r.output());
        List<String> lines = r.stderr().lines().toList();
        assertEquals(2, lines.size(), r.stderr());
        assertTrue(lines.get(0).startsWith(problem), lines.get(0));
        assertTrue(lines.get(1).startsWith("Usage: scripts/" + script + " ") && lines.get(1).endsWith("(--help for details)"),
                lines.get(1));
        assertFalse(r.output().contains("Exception") || r.output().contains("\tat "), r.output());
        assertTrue(sandbox.calls("aws").isEmpty() && sandbox.calls("docker").isEmpty(), "a mistake calls nothing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"push-images", "deploy", "destroy"})
    void missingAwsCliFailsBeforeAnythingElse(String script) throws Exception {
        sandbox.removeTool("aws");

        Sandbox.Result real = script.equals("destroy") ? run(script, "--yes") : run(script);

        assertEquals(1, real.exitCode(), real.output());
        assertTrue(real.stderr().startsWith("error: aws is not installed: install the AWS CLI v2"), real.stderr());
        assertTrue(sandbox.calls("docker").stream().noneMatch(c -> c.startsWith("buildx build")));
    }

    @Test
    void putEnvWithoutTheAwsCliFailsAfterCheckingTheFileOnly() throws Exception {
        sandbox.removeTool("aws");
        Path env = Files.writeString(tmp.resolve("m.env"), "WORKER_SMTP_PASSWORD=" + SECRET + "\n");

        Sandbox.Result r = run("put-env", "messaging", env.toString());

        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().startsWith("error: aws is not installed"), r.stderr());
    }

    @ParameterizedTest
    @ValueSource(strings = {"push-images", "deploy", "destroy", "put-env"})
    void missingCredentialsFailEarlyWithTheFix(String script) throws Exception {
        sandbox.set("SANDBOX_NO_CREDENTIALS", "1");
        Path env = Files.writeString(tmp.resolve("m.env"), "A=1\n");

        Sandbox.Result r = switch (script) {
            case "put-env" -> run(script, "messaging", env.toString());
            case "destroy" -> run(script, "--yes");
            default -> run(script);
        };

        assertEquals(1, r.exitCode(), r.output());
        assertTrue(r.stderr().contains("error: no usable AWS credentials: run 'aws configure'"), r.stderr());
        assertTrue(sandbox.calls("aws").stream().noneMatch(c -> c.startsWith("cloudformation") || c.startsWith("ssm")
                || c.startsWith("ecr")), sandbox.calls("aws").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"push-images", "deploy", "destroy"})
    void missingRegionFailsEarlyWithTheFix(String script) throws Exception {
        sandbox.env.remove("AWS_REGION");

        Sandbox.Result r = script.equals("destroy") ? run(script, "--yes") : run(script);

        assertEquals(1, r.exitCode(), r.output());
        assertTrue(r.stderr().contains("error: no AWS region: pass --region, set AWS_REGION"), r.stderr());
    }

    @Test
    void regionComesFromTheAwsProfileWhenNotGiven() throws Exception {
        sandbox.env.remove("AWS_REGION");
        sandbox.set("SANDBOX_PROFILE_REGION", "ap-southeast-2");

        Sandbox.Result r = run("destroy", "--yes");

        assertEquals(0, r.exitCode(), r.output());
        assertTrue(sandbox.calls("aws").contains("cloudformation delete-stack --region ap-southeast-2 --stack-name Longshore"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"push-images", "build-images"})
    void missingDockerFailsEarly(String script) throws Exception {
        sandbox.removeTool("docker");

        Sandbox.Result r = run(script);

        assertEquals(1, r.exitCode(), r.output());
        assertTrue(r.stderr().startsWith("error: docker is not installed: install Docker"), r.stderr());
    }

    @Test
    void stoppedDockerDaemonIsNamed() throws Exception {
        sandbox.set("SANDBOX_DOCKER_DOWN", "1");

        Sandbox.Result r = run("build-images");

        assertEquals(1, r.exitCode(), r.output());
        assertTrue(r.stderr().startsWith("error: docker is installed but its daemon is not reachable"), r.stderr());
    }

    @Test
    void putEnvStoresTheFileAsSecureStringWithoutPassingItOnTheCommandLine() throws Exception {
        Path env = Files.writeString(tmp.resolve("messaging.env"),
                "# messaging\nWORKER_SMTP_PASSWORD=" + SECRET + "\nexport WORKER_SMTP_HOST=smtp.example.com\n\n");

        Sandbox.Result r = run("put-env", "--refresh", "messaging", env.toString());

        assertEquals(0, r.exitCode(), r.output());
        List<String> aws = sandbox.calls("aws");
        String put = aws.stream().filter(c -> c.startsWith("ssm put-parameter")).findFirst().orElseThrow();
        assertEquals("ssm put-parameter --region eu-west-1 --name /Longshore/messaging/env --type SecureString "
                + "--tier Standard --overwrite --value file://" + env + " --query Version --output text", put);
        assertArrayEquals(Files.readAllBytes(env), Files.readAllBytes(tmp.resolve("put-parameter-value")));
        assertTrue(aws.stream().anyMatch(c -> c.startsWith(
                "autoscaling start-instance-refresh --region eu-west-1 --auto-scaling-group-name Longshore-messaging")));
        // The same refresh as scripts/deploy --refresh: checkpoints, roll-back on the worker's alarms, waited for.
        JsonNode preferences = refreshPreferences("Longshore-messaging");
        assertEquals("Longshore-messaging-RestartLoop", preferences.at("/AlarmSpecification/Alarms/0").asText());
        assertEquals("Wait", preferences.get("ScaleInProtectedInstances").asText());
        assertTrue(aws.stream().anyMatch(c -> c.startsWith("autoscaling describe-instance-refreshes --region eu-west-1 "
                + "--auto-scaling-group-name Longshore-messaging --instance-refresh-ids refresh-Longshore-messaging")));
        assertTrue(r.stdout().contains("instance refresh complete: every messaging instance has read "
                + "/Longshore/messaging/env"), r.stdout());
        assertFalse(String.join("\n", aws).contains(SECRET), "the secret never reaches a command line");
        assertFalse(r.output().contains(SECRET));
        assertTrue(r.stdout().contains("stored 2 variables in /Longshore/messaging/env"), r.stdout());
    }

    @Test
    void putEnvRefusesAMalformedFileNamingLinesButNotTheirContent() throws Exception {
        Path env = Files.writeString(tmp.resolve("bad.env"), "A=1\nnot a pair " + SECRET + "\n# fine\n=x\n");

        Sandbox.Result r = run("put-env", "video", env.toString());

        assertEquals(2, r.exitCode(), r.output());
        assertEquals(env + ": line 2 is not KEY=VALUE\n"
                + env + ": line 4 has an invalid name (letters, digits and _, not starting with a digit)\n"
                + "error: " + env + " is not stored: the worker would refuse the line(s) above\n", r.stderr());
        assertTrue(sandbox.calls("aws").isEmpty(), "nothing leaves the machine");
    }

    @Test
    void putEnvRefusesAnAwsVariableAsTheWorkerWouldAtStart() throws Exception {
        Path env = Files.writeString(tmp.resolve("ai.env"), "WORKER_X=1\nexport AWS_SECRET_ACCESS_KEY=" + SECRET + "\n");

        Sandbox.Result r = run("put-env", "ai", env.toString());

        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.stderr().startsWith(env + ": line 2 (AWS_SECRET_ACCESS_KEY) sets an AWS_* variable, which the AWS "
                + "SDK reads only from the process environment: the worker refuses it\n"), r.stderr());
        assertFalse(r.output().contains(SECRET), r.output());
        assertTrue(sandbox.calls("aws").isEmpty(), "nothing leaves the machine");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "WORKER_SMTP_PASSWORD=\"{s}                 | line 2 (WORKER_SMTP_PASSWORD) has a quoted value without its closing quote",
        "WORKER_SMTP_PASSWORD='{s}' and more        | line 2 (WORKER_SMTP_PASSWORD) has text after the closing quote",
        "WORKER SMTP PASSWORD={s}                   | line 2 has an invalid name",
        "{s}                                        | line 2 is not KEY=VALUE"})
    void putEnvRefusesWhatTheWorkersParserRefusesWithoutShowingTheValue(String line, String problem) throws Exception {
        Path env = Files.writeString(tmp.resolve("m.env"), "A=1\n" + line.replace("{s}", SECRET) + "\nB=2\n");

        Sandbox.Result r = run("put-env", "messaging", env.toString());

        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.stderr().startsWith(env + ": " + problem), r.stderr());
        assertEquals(2, r.stderr().lines().count(), "one line per problem, then the verdict: " + r.stderr());
        assertFalse(r.output().contains(SECRET), r.output());
        assertTrue(sandbox.calls("aws").isEmpty(), "nothing leaves the machine");
    }

    @Test
    void putEnvAcceptsWhatTheWorkerAcceptsAndCountsVariablesOnce() throws Exception {
        Path env = Files.writeString(tmp.resolve("m.env"),
                "\uFEFFA=1 # inline comment\nB=\"two\\nlines\"\nA=3\n\nexport C='#not a comment'\n");

        Sandbox.Result r = run("put-env", "messaging", env.toString());

        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.stdout().contains("stored 3 variables in /Longshore/messaging/env"), r.stdout());
    }

    @Test
    void putEnvWarnsThatTheStacksOwnValuesWinAndLaunchVariablesHaveNoEffect() throws Exception {
        Path env = Files.writeString(tmp.resolve("ai.env"), "WORKER_QUEUE_URL=https://elsewhere\nJAVA_OPTS=-Xmx1g\n");

        Sandbox.Result r = run("put-env", "ai", env.toString());

        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.stderr().contains("warning: " + env + " sets WORKER_QUEUE_URL; the stack's values win"),
                r.stderr());
        assertTrue(r.stderr().contains("warning: " + env + " sets JAVA_OPTS; only the container's own environment"),
                r.stderr());
    }

    @Test
    void putEnvUsesTheAdvancedTierOnlyWhenTheFileNeedsIt() throws Exception {
        Path big = Files.writeString(tmp.resolve("big.env"), "A=" + "x".repeat(5000) + "\n");
        Path huge = Files.writeString(tmp.resolve("huge.env"), "A=" + "x".repeat(9000) + "\n");

        Sandbox.Result advanced = run("put-env", "ai", big.toString());
        Sandbox.Result refused = run("put-env", "ai", huge.toString());

        assertEquals(0, advanced.exitCode(), advanced.output());
        assertTrue(sandbox.calls("aws").stream().anyMatch(c -> c.contains("--tier Advanced")));
        assertEquals(1, refused.exitCode());
        assertTrue(refused.stderr().contains("an SSM parameter holds at most 8192"), refused.stderr());
    }

    @Test
    void putEnvNamesAnUnknownWorker() throws Exception {
        Path env = Files.writeString(tmp.resolve("x.env"), "A=1\n");

        Sandbox.Result r = run("put-env", "audio", env.toString());

        assertEquals(2, r.exitCode());
        assertTrue(r.stderr().startsWith("error: unknown worker 'audio': expected one of messaging video ai"));
    }

    @Test
    void deployDryRunWorksOfflineWithTheCommittedTemplate() throws Exception {
        sandbox.removeTool("aws");
        sandbox.env.remove("AWS_REGION");

        Sandbox.Result r = run("deploy", "--dry-run", "--refresh", "--template", COMMITTED.toString());

        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.stdout().contains("stack Longshore, workers messaging video ai, images :" + buildVersion()),
                r.stdout());
        assertTrue(r.stdout().contains("+ aws ssm get-parameter --region REGION --name /longshore/template-bucket "
                + "--query Parameter.Value --output text"), r.stdout());
        assertTrue(r.stdout().contains("+ aws s3api head-bucket --bucket BUCKET --expected-bucket-owner ACCOUNT"),
                r.stdout());
        assertTrue(r.stdout().contains("+ aws cloudformation deploy --region REGION --stack-name Longshore "
                + "--template-file " + COMMITTED + " --s3-bucket BUCKET "
                + "--s3-prefix longshore --capabilities CAPABILITY_IAM --no-fail-on-empty-changeset"), r.stdout());
        assertTrue(r.stdout().contains("+ aws autoscaling start-instance-refresh --region REGION "
                + "--auto-scaling-group-name Longshore-video --desired-configuration GROUP_LAUNCH_TEMPLATE "
                + "--preferences '{\"MinHealthyPercentage\": 75, \"CheckpointPercentages\": [25, 50, 75, 100], "
                + "\"CheckpointDelay\": 300, \"SkipMatching\": false, \"AutoRollback\": true, \"AlarmSpecification\": "
                + "{\"Alarms\": [\"Longshore-video-RestartLoop\", \"Longshore-video-Paused\"]}, "
                + "\"ScaleInProtectedInstances\": \"Wait\", \"StandbyInstances\": \"Ignore\"}' "
                + "--query InstanceRefreshId --output text\n"), r.stdout());
        assertTrue(r.stdout().contains("+ aws autoscaling describe-auto-scaling-groups --region REGION "
                + "--auto-scaling-group-names Longshore-ai --query "), r.stdout());
        assertTrue(r.stdout().contains("+ aws autoscaling describe-instance-refreshes --region REGION "
                + "--auto-scaling-group-name Longshore-WORKER --instance-refresh-ids REFRESH_ID"), r.stdout());
    }

    @Test
    void refreshHasCheckpointsAndRollsBackOnTheWorkersOwnAlarmsWaitingForBusyInstances() throws Exception {
        sandbox.set("SANDBOX_IMAGES_EXIST", "1");

        Sandbox.Result r = run("deploy", "--template", COMMITTED.toString(), "--refresh");

        assertEquals(0, r.exitCode(), r.output());
        String template = Files.readString(COMMITTED);
        for (String worker : List.of("messaging", "video", "ai")) {
            String group = "Longshore-" + worker;
            JsonNode p = refreshPreferences(group);
            assertTrue(p.get("AutoRollback").asBoolean(), p.toString());
            List<String> alarms = List.of(group + "-RestartLoop", group + "-Paused");
            assertEquals(alarms, JSON.convertValue(p.at("/AlarmSpecification/Alarms"), List.class), p.toString());
            for (String alarm : alarms) {
                // The names the script derives are the names the stack gives its alarms.
                assertTrue(template.contains("\"AlarmName\": \"" + alarm + "\""), alarm + " is not in the template");
            }
            assertEquals(List.of(25, 50, 75, 100), JSON.convertValue(p.get("CheckpointPercentages"), List.class));
            assertEquals(300, p.get("CheckpointDelay").asInt());
            assertEquals("Wait", p.get("ScaleInProtectedInstances").asText());
            assertEquals("Ignore", p.get("StandbyInstances").asText());
            assertFalse(p.get("SkipMatching").asBoolean(), "every instance must boot again to read its .env");
            assertEquals(75, p.get("MinHealthyPercentage").asInt());
            // AWS rolls back only a refresh with a desired configuration: the group's own launch template.
            assertEquals(JSON.readTree("{\"LaunchTemplate\": {\"LaunchTemplateId\": \"lt-" + group
                    + "\", \"Version\": \"7\"}}"), JSON.readTree(tmp.resolve("refresh-desired-" + group).toFile()));
        }
        assertTrue(r.stdout().contains("instance refresh complete"), r.stdout());
    }

    @Test
    void deployWaitsForTheRefreshPrintingProgress() throws Exception {
        Sandbox.Result r = deployRefreshing(7, "refresh-states", """
                Pending\tNone\tNone\tNone
                InProgress\t0\t4\tNone
                InProgress\t50\t2\tWaiting for instances to warm up.
                Successful\t100\t0\tNone
                """);

        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.stdout().contains("Longshore-video: started instance refresh refresh-Longshore-video\n"),
                r.stdout());
        assertTrue(r.stdout().contains("Longshore-video: Pending, 0% done, ? instance(s) to update\n"), r.stdout());
        assertTrue(r.stdout().contains("Longshore-video: InProgress, 50% done, 2 instance(s) to update "
                + "(Waiting for instances to warm up.)\n"), r.stdout());
        assertTrue(r.stdout().contains("Longshore-ai: Successful, 100% done, 0 instance(s) to update\n"), r.stdout());
        assertTrue(r.stdout().endsWith("instance refresh complete: every instance runs the deployed launch template "
                + "and .env\n"), r.stdout());
        assertEquals(List.of("7", "7", "7"), sandbox.calls("sleep"), "one poll of all groups per interval");
        assertEquals(12, sandbox.calls("aws").stream()
                .filter(c -> c.startsWith("autoscaling describe-instance-refreshes")).count());
        assertEquals("", r.stderr());
    }

    @Test
    void aRefreshRolledBackOnAnAlarmFailsTheDeployNamingTheAlarm() throws Exception {
        Sandbox.Result r = deployRefreshing(1, "refresh-states-Longshore-video", """
                InProgress\t25\t3\tNone
                RollbackInProgress\t25\t3\tAn alarm went into ALARM state: Longshore-video-RestartLoop.
                RollbackSuccessful\t100\t0\tInstance refresh rolled back because alarm \
                Longshore-video-RestartLoop went into ALARM state.
                """);

        assertEquals(1, r.exitCode(), r.output());
        assertTrue(r.stderr().startsWith("error: the instance refresh of Longshore-video was rolled back: Instance "
                + "refresh rolled back because alarm Longshore-video-RestartLoop went into ALARM state. Its instances "
                + "run the previous launch template again."), r.stderr());
        assertTrue(r.stderr().endsWith("\nerror: the stack is deployed, but the instance refresh did not complete "
                + "(above)\n"), r.stderr());
        assertEquals(2, r.stderr().lines().count(), "one line on what happened, one on the deploy: " + r.stderr());
        assertTrue(r.stdout().contains("Longshore-messaging: Successful"), "the other groups are waited for too");
        assertTrue(r.stdout().contains("| MessagingQueueUrl |"), "the stack's outputs come before the wait");
    }

    @Test
    void aRefreshStillRunningAtTheTimeoutSaysHowToWatchCancelOrRollItBack() throws Exception {
        Sandbox.Result r = deployRefreshing(60, "refresh-states", "InProgress\t50\t2\tNone\n", "--refresh-timeout", "3");

        assertEquals(1, r.exitCode(), r.output());
        assertEquals(List.of("60", "60", "60"), sandbox.calls("sleep"));
        assertTrue(r.stderr().startsWith("error: the instance refresh refresh-Longshore-messaging of "
                + "Longshore-messaging is still running after 3 minutes and goes on without this script. Watch it: "
                + "'aws autoscaling describe-instance-refreshes --region eu-west-1 --auto-scaling-group-name "
                + "Longshore-messaging --instance-refresh-ids refresh-Longshore-messaging'; stop it where it is: "
                + "'aws autoscaling cancel-instance-refresh --region eu-west-1 --auto-scaling-group-name "
                + "Longshore-messaging'; or undo it: 'aws autoscaling rollback-instance-refresh --region eu-west-1 "
                + "--auto-scaling-group-name Longshore-messaging'\n"), r.stderr());
        assertEquals(4, r.stderr().lines().count(), r.stderr());
    }

    @Test
    void aRefreshAlreadyInProgressIsNamedAndTheOtherGroupsAreStillRefreshed() throws Exception {
        sandbox.set("SANDBOX_IMAGES_EXIST", "1").set("SANDBOX_REFRESH_IN_PROGRESS", "Longshore-ai");

        Sandbox.Result r = run("deploy", "--template", COMMITTED.toString(), "--refresh");

        assertEquals(1, r.exitCode(), r.output());
        assertTrue(r.stderr().startsWith("error: Longshore-ai already has an instance refresh in progress: watch it "
                + "with 'aws autoscaling describe-instance-refreshes --region eu-west-1 --auto-scaling-group-name "
                + "Longshore-ai', or stop it with 'aws autoscaling cancel-instance-refresh --region eu-west-1 "
                + "--auto-scaling-group-name Longshore-ai', then run this again\n"), r.stderr());
        assertFalse(r.stderr().contains("InstanceRefreshInProgress"), "the CLI's own message is replaced: " + r.stderr());
        assertTrue(r.stdout().contains("Longshore-video: Successful"), r.stdout());
    }

    @Test
    void putEnvRefreshOfAGroupTheStackDoesNotHaveStartsNothing() throws Exception {
        sandbox.set("SANDBOX_NO_GROUP", "1");
        Path env = Files.writeString(tmp.resolve("ai.env"), "WORKER_MODEL=small\n");

        Sandbox.Result r = run("put-env", "--stack", "Other", "--refresh", "ai", env.toString());

        assertEquals(1, r.exitCode(), r.output());
        assertTrue(r.stderr().startsWith("error: group Other-ai was not found in eu-west-1, or its launch template "
                + "could not be read: is stack Other deployed there with worker ai? No refresh was started for it\n"
                + "error: /Other/ai/env is stored, but the instance refresh did not complete (above)\n"), r.stderr());
        assertTrue(sandbox.calls("aws").stream().noneMatch(c -> c.startsWith("autoscaling start-instance-refresh")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "soon", "-5"})
    void aBadRefreshTimeoutIsAUsageError(String value) throws Exception {
        Sandbox.Result r = run("deploy", "--dry-run", "--refresh", "--refresh-timeout", value, "--template",
                COMMITTED.toString());

        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.stderr().startsWith("error: --refresh-timeout takes a whole number of minutes, not '" + value
                + "'\n"), r.stderr());
    }

    /**
     * scripts/deploy --refresh, polling every {@code pollSeconds}, the sandbox's aws answering the polls of the groups
     * named by {@code statesFile} (refresh-states: all; refresh-states-GROUP: one) from {@code states}: one
     * "Status, percent done, instances to update, reason" line per poll, tab-separated as the aws CLI's text output
     * is, the last one repeating.
     */
    private Sandbox.Result deployRefreshing(int pollSeconds, String statesFile, String states, String... options)
            throws Exception {
        sandbox.set("SANDBOX_IMAGES_EXIST", "1").set("LONGSHORE_REFRESH_POLL_SECONDS", Integer.toString(pollSeconds));
        Files.writeString(tmp.resolve(statesFile), states);
        List<String> args = new ArrayList<>(List.of("--template", COMMITTED.toString(), "--refresh"));
        args.addAll(List.of(options));
        return run("deploy", args.toArray(String[]::new));
    }

    private JsonNode refreshPreferences(String group) throws IOException {
        return JSON.readTree(tmp.resolve("refresh-preferences-" + group).toFile());
    }

    @Test
    void deployDryRunSynthesizesTheSettingsOffline() throws Exception {
        sandbox.removeTool("aws");
        assertTrue(sandbox.addRealCommand("node"), "node is needed to synthesize");
        sandbox.set("JAVA_HOME", System.getProperty("java.home"));

        Sandbox.Result r = run("deploy", "--dry-run", "--region", "eu-west-1", "video.max=27", "imageTag=abc123");

        assertEquals(0, r.exitCode(), r.output());
        Path template = Sandbox.REPO_ROOT.resolve("infra/cdk.out/longshore-deploy.template.json");
        assertTrue(r.stdout().contains("dry run: template " + template), r.stdout());
        assertTrue(r.stdout().contains("images :abc123"), r.stdout());
        assertTrue(r.stdout().contains("+ aws cloudformation deploy --region eu-west-1 --stack-name Longshore"));
        String json = Files.readString(template);
        assertTrue(json.contains("\"MaxSize\": \"27\""), "video.max reached the template");
        assertTrue(json.contains("/longshore/video:abc123'"));
    }

    @Test
    void synthRefusesABadSettingWithExitCodeTwoNamingIt() throws Exception {
        assertTrue(sandbox.addRealCommand("node"), "node is needed to synthesize");
        sandbox.set("JAVA_HOME", System.getProperty("java.home"));

        Sandbox.Result r = run("synth", "--out", tmp.resolve("t.json").toString(), "video.max=lots");

        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.stderr().contains("error: setting video.max=\"lots\" is invalid: expected a whole number from 1 "
                + "to 1000\n"), r.stderr());
        assertFalse(Files.exists(tmp.resolve("t.json")));
    }

    @Test
    void deployCreatesAPrivateTemplateBucketWithAnUnguessableNameAndDeploysTheTemplate() throws Exception {
        Sandbox.Result r = run("deploy", "--template", COMMITTED.toString());

        assertEquals(0, r.exitCode(), r.output());
        List<String> aws = sandbox.calls("aws");
        assertEquals("sts get-caller-identity --query Account --output text", aws.get(0));
        String bucket = createdBucket(aws);
        assertTrue(bucket.matches("longshore-cfn-123456789012-eu-west-1-[a-z0-9]{16}"), bucket);
        assertTrue(aws.contains("s3api create-bucket --bucket " + bucket + " --region eu-west-1 "
                + "--create-bucket-configuration LocationConstraint=eu-west-1"), aws.toString());
        assertTrue(aws.stream().anyMatch(c -> c.startsWith("s3api put-public-access-block --bucket " + bucket
                + " --expected-bucket-owner 123456789012 --public-access-block-configuration BlockPublicAcls=true")));
        assertTrue(aws.contains("ssm put-parameter --region eu-west-1 --name /longshore/template-bucket --type String "
                + "--value " + bucket + " --description Longshore: the bucket scripts/deploy uploads templates to "
                + "--query Version --output text"), aws.toString());
        assertTrue(aws.contains("cloudformation deploy --region eu-west-1 --stack-name Longshore --template-file "
                + COMMITTED + " --s3-bucket " + bucket + " --s3-prefix longshore "
                + "--capabilities CAPABILITY_IAM --no-fail-on-empty-changeset"), aws.toString());
        assertArrayEquals(Files.readAllBytes(COMMITTED), Files.readAllBytes(tmp.resolve("deployed-template.json")));
        assertTrue(r.stderr().contains("warning: no image longshore/video:" + buildVersion() + " in ECR yet"),
                r.stderr());
    }

    @Test
    void everyS3CallNamesTheAccountAsTheBucketsExpectedOwner() throws Exception {
        Sandbox.Result r = run("deploy", "--template", COMMITTED.toString());

        assertEquals(0, r.exitCode(), r.output());
        List<String> s3 = sandbox.calls("aws").stream().filter(c -> c.startsWith("s3")).toList();
        assertEquals(4, s3.size(), s3.toString());
        // CreateBucket has no expected-owner parameter: whoever creates a bucket owns it, or the call fails.
        assertTrue(s3.stream().filter(c -> !c.startsWith("s3api create-bucket"))
                .allMatch(c -> c.contains(" --expected-bucket-owner 123456789012")), s3.toString());
    }

    @Test
    void theNextDeployReusesTheRememberedBucketAndAnotherAccountDrawsAnotherName() throws Exception {
        assertEquals(0, run("deploy", "--template", COMMITTED.toString()).exitCode());
        String first = createdBucket(sandbox.calls("aws"));

        Sandbox.Result again = run("deploy", "--template", COMMITTED.toString());

        assertEquals(0, again.exitCode(), again.output());
        assertEquals(1, sandbox.calls("aws").stream().filter(c -> c.startsWith("s3api create-bucket")).count());
        List<String> deploys = sandbox.calls("aws").stream().filter(c -> c.startsWith("cloudformation deploy")).toList();
        assertEquals(2, deploys.size());
        assertTrue(deploys.stream().allMatch(c -> c.contains("--s3-bucket " + first + " ")), deploys.toString());
        Files.delete(tmp.resolve("params/_longshore_template-bucket"));
        assertEquals(0, run("deploy", "--template", COMMITTED.toString()).exitCode());
        List<String> created = sandbox.calls("aws").stream().filter(c -> c.startsWith("s3api create-bucket")).toList();
        assertEquals(2, created.size());
        assertNotEquals(created.get(0), created.get(1), "the name is drawn at random, not derived");
    }

    @Test
    void deployRefusesABucketOfAnotherAccountAndUploadsNothing() throws Exception {
        sandbox.set("SANDBOX_BUCKET_EXISTS", "1").set("SANDBOX_BUCKET_OWNER", "999999999999");

        Sandbox.Result r = run("deploy", "--template", COMMITTED.toString(), "--s3-bucket", "longshore-cfn-123456789012-eu-west-1");

        assertEquals(1, r.exitCode(), r.output());
        assertTrue(r.stderr().contains("error: template bucket longshore-cfn-123456789012-eu-west-1 is not owned by "
                + "account 123456789012"), r.stderr());
        assertTrue(sandbox.calls("aws").stream().noneMatch(c -> c.startsWith("cloudformation deploy")
                || c.startsWith("s3api create-bucket") || c.startsWith("s3api put-public-access-block")));
    }

    @Test
    void deployUsesAnExistingBucketAndDoesNotWarnWhenImagesArePushed() throws Exception {
        sandbox.set("SANDBOX_BUCKET_EXISTS", "1").set("SANDBOX_IMAGES_EXIST", "1");

        Sandbox.Result r = run("deploy", "--template", COMMITTED.toString(), "--s3-bucket", "my-bucket");

        assertEquals(0, r.exitCode(), r.output());
        assertTrue(sandbox.calls("aws").stream().noneMatch(c -> c.startsWith("s3api create-bucket")));
        assertTrue(sandbox.calls("aws").contains("s3api head-bucket --bucket my-bucket --expected-bucket-owner 123456789012"));
        assertTrue(sandbox.calls("aws").stream().noneMatch(c -> c.startsWith("ssm")), "a given bucket is not remembered");
        assertTrue(sandbox.calls("aws").stream().anyMatch(c -> c.contains("--s3-bucket my-bucket")));
        assertFalse(r.stderr().contains("warning"), r.stderr());
    }

    private static String createdBucket(List<String> aws) {
        String create = aws.stream().filter(c -> c.startsWith("s3api create-bucket --bucket ")).findFirst().orElseThrow();
        return create.split(" ")[3];
    }

    @Test
    void deployRefusesSettingsItCannotApplyToAFixedTemplate() throws Exception {
        Sandbox.Result r = run("deploy", "--template", COMMITTED.toString(), "video.max=40");

        assertEquals(2, r.exitCode());
        assertTrue(r.stderr().startsWith("error: settings (video.max=40) need a synthesis"), r.stderr());
    }

    @Test
    void destroyWithoutATerminalNeedsYes() throws Exception {
        Sandbox.Result r = run("destroy");

        assertEquals(1, r.exitCode(), r.output());
        assertTrue(r.stderr().contains("no terminal to confirm on: pass --yes"), r.stderr());
        assertTrue(sandbox.calls("aws").stream().noneMatch(c -> c.startsWith("cloudformation")));
    }

    @Test
    void destroyDeletesTheStackAndOnRequestTheParametersAndRepositories() throws Exception {
        Sandbox.Result r = run("destroy", "--yes", "--stack", "Staging", "--delete-env", "--delete-images");

        assertEquals(0, r.exitCode(), r.output());
        List<String> aws = sandbox.calls("aws");
        assertTrue(aws.contains("cloudformation delete-stack --region eu-west-1 --stack-name Staging"));
        assertTrue(aws.contains("cloudformation wait stack-delete-complete --region eu-west-1 --stack-name Staging"));
        assertTrue(aws.contains("ssm delete-parameters --region eu-west-1 --names /Staging/messaging/env "
                + "/Staging/video/env /Staging/ai/env --query DeletedParameters --output text"), aws.toString());
        assertTrue(aws.contains("ecr delete-repository --region eu-west-1 --repository-name longshore/ai --force"));
    }

    @Test
    void pushImagesCreatesMissingRepositoriesAndPushesArmAndAmdImages() throws Exception {
        Files.createDirectories(tmp.resolve("repos"));
        Files.writeString(tmp.resolve("repos/longshore_messaging"), "");
        sandbox.set("SANDBOX_ECR_PASSWORD", "ecr-token-xyz");

        Sandbox.Result r = run("push-images", "--tag", "t1", "messaging", "video");

        assertEquals(0, r.exitCode(), r.output());
        List<String> aws = sandbox.calls("aws");
        assertTrue(aws.stream().noneMatch(c -> c.startsWith("ecr create-repository --region eu-west-1 "
                + "--repository-name longshore/messaging")), "an existing repository is kept");
        assertTrue(aws.stream().anyMatch(c -> c.startsWith("ecr create-repository --region eu-west-1 "
                + "--repository-name longshore/video --image-scanning-configuration scanOnPush=true")), aws.toString());
        List<String> docker = sandbox.calls("docker");
        assertTrue(docker.contains("buildx create --name longshore --driver docker-container"), docker.toString());
        assertTrue(docker.contains("login --username AWS --password-stdin 123456789012.dkr.ecr.eu-west-1.amazonaws.com"));
        assertEquals(List.of("stdin-password-ok"), sandbox.calls("docker-login-stdin"));
        String registry = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/longshore/video";
        assertTrue(docker.stream().anyMatch(c -> c.startsWith("buildx build --builder longshore --platform "
                + "linux/arm64,linux/amd64 --file " + Sandbox.REPO_ROOT.resolve("docker/worker.Dockerfile")
                + " --target video --tag " + registry + ":t1 --build-arg IMAGE_VERSION=")
                && c.endsWith(" --push " + Sandbox.REPO_ROOT)), docker.toString());
        assertFalse(String.join("\n", docker).contains(":latest"), "latest is never pushed");
        assertEquals(2, docker.stream().filter(c -> c.startsWith("buildx build")).count());
        assertFalse(String.join("\n", docker).contains("ecr-token-xyz"));
    }

    @Test
    void pushImagesExplainsHowToBuildArm64OnAnAmd64Machine() throws Exception {
        sandbox.set("SANDBOX_PLATFORMS", "linux/amd64, linux/amd64/v2, linux/386");

        Sandbox.Result r = run("push-images", "--tag", "t1");

        assertEquals(1, r.exitCode(), r.output());
        assertTrue(r.stderr().contains("builder longshore cannot build linux/arm64")
                && r.stderr().contains("tonistiigi/binfmt --install arm64"), r.stderr());
        assertTrue(sandbox.calls("docker").stream().noneMatch(c -> c.startsWith("buildx build")));
    }

    @Test
    void buildImagesLoadsOneImagePerWorkerForThisMachine() throws Exception {
        Sandbox.Result r = run("build-images", "--tag", "local", "ai");

        assertEquals(0, r.exitCode(), r.output());
        assertEquals(List.of("buildx build --load --file " + Sandbox.REPO_ROOT.resolve("docker/worker.Dockerfile")
                + " --target ai --tag longshore/ai:local " + Sandbox.REPO_ROOT), sandbox.calls("docker").stream()
                .filter(c -> c.startsWith("buildx build")).toList());
    }

    /** The root pom's project version: the jars' Implementation-Version and the stack's default imageTag. */
    static String buildVersion() throws IOException {
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("<artifactId>longshore-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Sandbox.REPO_ROOT.resolve("pom.xml")));
        assertTrue(m.find(), "root pom version");
        return m.group(1);
    }

    @Test
    void pushImagesPushesTheBuildVersionAndTheCommitIntoImmutableRepositoriesNeverLatest() throws Exception {
        sandbox.set("SANDBOX_ECR_PASSWORD", "ecr-token-xyz");

        Sandbox.Result r = run("push-images", "video");

        assertEquals(0, r.exitCode(), r.output());
        assertTrue(sandbox.calls("aws").stream().anyMatch(c -> c.startsWith("ecr create-repository --region eu-west-1 "
                + "--repository-name longshore/video ") && c.contains(" --image-tag-mutability IMMUTABLE ")),
                sandbox.calls("aws").toString());
        List<String> builds = sandbox.calls("docker").stream().filter(c -> c.startsWith("buildx build")).toList();
        assertEquals(1, builds.size(), builds.toString());
        String build = builds.get(0);
        String registry = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/longshore/video";
        assertTrue(build.contains(" --tag " + registry + ":" + buildVersion() + " "), build);
        assertTrue(build.matches(".* --tag " + java.util.regex.Pattern.quote(registry) + ":[0-9a-f]{7,}(-dirty)? .*"),
                "the short commit too: " + build);
        assertFalse(build.contains(":latest"), build);
        assertTrue(build.contains(" --build-arg IMAGE_VERSION=" + buildVersion() + " "), build);
        assertTrue(build.matches(".* --build-arg IMAGE_REVISION=[0-9a-f]{40} .*"), build);
        assertTrue(build.contains(" --build-arg IMAGE_TITLE=longshore-video "), build);
        assertTrue(r.stdout().contains("scripts/deploy imageTag=" + buildVersion()), r.stdout());
    }

    @Test
    void pushImagesLeavesATagTheRepositoryHoldsAlone() throws Exception {
        Files.createDirectories(tmp.resolve("repos"));
        Files.writeString(tmp.resolve("repos/longshore_ai"), "");
        sandbox.set("SANDBOX_IMAGES_EXIST", "1").set("SANDBOX_ECR_PASSWORD", "ecr-token-xyz");

        Sandbox.Result r = run("push-images", "--tag", "v1.2.0", "ai");

        assertEquals(0, r.exitCode(), r.output());
        assertTrue(sandbox.calls("aws").contains("ecr describe-images --region eu-west-1 --repository-name longshore/ai "
                + "--image-ids imageTag=v1.2.0"), sandbox.calls("aws").toString());
        assertTrue(sandbox.calls("docker").stream().noneMatch(c -> c.startsWith("buildx build")), "immutable: not rebuilt");
        assertTrue(r.stdout().contains("longshore/ai:v1.2.0 exists"), r.stdout());
    }

    @Test
    void pushImagesRefusesTheLatestTag() throws Exception {
        Sandbox.Result r = run("push-images", "--tag", "latest");

        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.stderr().contains("the stack refuses a moving tag"), r.stderr());
        assertTrue(sandbox.calls("docker").isEmpty());
    }

    @Test
    void deployChecksTheImageTagTheTemplatePullsAndRefusesLatest() throws Exception {
        Path latest = tmp.resolve("latest.template.json");
        Files.writeString(latest, Files.readString(COMMITTED)
                .replaceAll("\"ImageTag\": *\"[^\"]*\"", "\"ImageTag\": \"latest\""));

        Sandbox.Result r = run("deploy", "--dry-run", "--template", latest.toString());

        assertEquals(1, r.exitCode(), r.output());
        assertTrue(r.stderr().contains("pulls the image tag latest, which the stack refuses"), r.stderr());
    }
}
