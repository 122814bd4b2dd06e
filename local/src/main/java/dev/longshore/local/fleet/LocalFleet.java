package dev.longshore.local.fleet;

import dev.longshore.local.PortCommand;
import dev.longshore.local.ShutdownLatch;
import dev.longshore.testkit.aws.AwsCall;
import dev.longshore.testkit.aws.FakeAws;
import dev.longshore.testkit.aws.FakeCloudWatch;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CountDownLatch;

/**
 * Stands in for EC2 instance metadata, Auto Scaling and CloudWatch so a local worker can be scaled in:
 * {@code java -cp local/target/longshore-local.jar dev.longshore.local.fleet.LocalFleet [--port N]}
 * prints the variables to start a worker with, then {@code scripts/scale-in <port>} flips the lifecycle state.
 * Every Auto Scaling and CloudWatch call the worker makes is printed as it arrives.
 */
public final class LocalFleet {
    /** Fixed by default so the printed variables and scripts/scale-in agree without copying a port around. */
    public static final int DEFAULT_PORT = 9401;
    public static final String USAGE = """
            usage: LocalFleet [--port N]   (or: LocalFleet N)
              --port N   where the fake instance metadata, Auto Scaling and CloudWatch listen on 127.0.0.1 (default 9401)
            """;

    private LocalFleet() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = PortCommand.portOrExit("LocalFleet", USAGE, DEFAULT_PORT, args);
        FakeAws fake = FakeAws.start(port, "i-0123456789abcdef0", "longshore-local", "drain");
        long started = System.nanoTime();
        fake.autoScaling().onCall(call -> System.out.printf("%s autoscaling %s %s%n", now(), call.action(),
                describe(call)));
        fake.cloudWatch().onCall(call -> System.out.printf("%s cloudwatch PutMetricData namespace=%s datums=%d%n", now(),
                call.param("Namespace"), FakeCloudWatch.datums(call).size()));
        CountDownLatch stop = ShutdownLatch.closing(fake::close, "local-fleet-shutdown");
        System.out.println("local fleet (instance metadata, Auto Scaling, CloudWatch, SSM) on " + fake.endpoint());
        System.out.println("start a worker with these variables added:");
        fake.workerEnvironment().forEach((k, v) -> System.out.println("  " + k + "=" + v));
        System.out.println("  WORKER_LIFECYCLE_HOOK_NAME=" + fake.autoScaling().hookName());
        System.out.println("then scale it in with: scripts/scale-in " + fake.port());
        stop.await();
        System.out.printf("local fleet stopped after %d s%n", (System.nanoTime() - started) / 1_000_000_000L);
    }

    private static String describe(AwsCall call) {
        StringBuilder out = new StringBuilder();
        for (String key : new String[] {"LifecycleHookName", "AutoScalingGroupName", "InstanceId",
                "InstanceIds.member.1", "LifecycleActionResult", "ProtectedFromScaleIn", "HealthStatus"}) {
            String v = call.param(key);
            if (v != null) {
                out.append(key.replace(".member.1", "")).append('=').append(v).append(' ');
            }
        }
        return out.toString().trim();
    }

    private static String now() {
        return LocalTime.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
