package dev.longshore.core.fleet;

import dev.longshore.core.testing.SleepWorkerMain;

import dev.longshore.testkit.WorkerProcess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** WORKER_SSM_ENV_PARAMETER in a worker process: the SDK finds the fake SSM through AWS_ENDPOINT_URL_SSM. */
class SsmLauncherTest extends FakeAwsWorkerProcessTest {
    private static final String PARAM = "/longshore/test/worker.env";

    private Map<String, String> environment(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(sqs.workerEnvironment());
        env.put("AWS_ENDPOINT_URL_SSM", aws.endpoint().toString());
        env.put("WORKER_SSM_ENV_PARAMETER", PARAM);
        env.put("WORKER_HEALTH_PORT", "off");
        env.put("WORKER_METRICS_NAMESPACE", "off");
        env.putAll(extra);
        return env;
    }

    @Test
    void workerTakesItsQueueFromSsmAndTheRealEnvironmentWins() throws Exception {
        String queue = sqs.createQueueWithDeadLetter("ssm-config", 5, Duration.ofSeconds(30)).queueUrl();
        aws.ssm().putSecureString(PARAM, "# from SSM\nWORKER_QUEUE_URL=" + queue
                + "\nexport WORKER_CONCURRENCY=7\nWORKER_DRAIN_TIMEOUT=\"3s\"\n");
        sqs.client().sendMessage(b -> b.queueUrl(queue).messageBody(SleepWorkerMain.job("from-ssm", 10)));

        worker = WorkerProcess.start(SleepWorkerMain.class, environment(Map.of("WORKER_DRAIN_TIMEOUT", "4s")));

        assertNotNull(worker.awaitLine(l -> l.contains("job from-ssm finished"), Duration.ofSeconds(30)), worker::stdout);
        String start = worker.awaitLine(l -> l.contains("starting worker"), Duration.ofSeconds(1)).text();
        assertTrue(start.contains("concurrency=7") && start.contains("drainTimeout=4s"), start);
        assertTrue(worker.stderrLines().isEmpty(), worker.stderrLines().toString());
    }

    @Test
    void malformedParameterEndsTheProcessWithExitTwoAndOneStderrLineNamingTheLine() throws Exception {
        aws.ssm().putSecureString(PARAM, "WORKER_QUEUE_URL=http://127.0.0.1:1/q\nsk_live_0123456789abcdef\n");
        worker = WorkerProcess.start(SleepWorkerMain.class, environment(Map.of()));

        assertEquals(2, worker.awaitExit(Duration.ofSeconds(30)));
        List<String> stderr = worker.stderrLines();
        assertEquals(1, stderr.size(), stderr.toString());
        assertTrue(stderr.get(0).contains("WORKER_SSM_ENV_PARAMETER=\"" + PARAM + "\"")
                && stderr.get(0).contains("line 2 is not KEY=VALUE"), stderr.get(0));
        assertFalse(worker.stdout().contains("sk_live") || stderr.get(0).contains("sk_live"), "the value never shows");
    }

    @Test
    void missingParameterEndsTheProcessWithExitTwo() throws Exception {
        worker = WorkerProcess.start(SleepWorkerMain.class, environment(Map.of()));
        assertEquals(2, worker.awaitExit(Duration.ofSeconds(30)));
        assertEquals(1, worker.stderrLines().size(), worker.stderrLines().toString());
        assertTrue(worker.stderrLines().get(0).contains("ParameterNotFound"), worker.stderrLines().get(0));
    }
}
