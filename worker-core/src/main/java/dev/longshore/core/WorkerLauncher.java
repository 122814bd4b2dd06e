package dev.longshore.core;

import dev.longshore.core.config.ConfigException;
import dev.longshore.core.config.Env;
import dev.longshore.core.config.WorkerConfig;
import dev.longshore.core.fleet.Fleet;
import dev.longshore.core.fleet.SsmEnvironment;
import dev.longshore.core.metrics.Metrics;
import dev.longshore.core.queue.QueueClient;
import dev.longshore.core.queue.SqsQueueClient;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The process entry point shared by every worker: configuration (exit 2 with one stderr line when invalid),
 * wiring, the SIGTERM/SIGINT shutdown hook that turns a signal into a drain, and the final exit code.
 */
public final class WorkerLauncher {
    private final Map<String, String> environment;
    private final PrintStream stderr;
    private final Function<Env, QueueClient> clients;

    WorkerLauncher(Map<String, String> environment, PrintStream stderr, Function<Env, QueueClient> clients) {
        this.environment = environment;
        this.stderr = stderr;
        this.clients = clients;
    }

    /** The one command-line option: prints {@link BuildInfo#line} and exits 0, reading no WORKER_* variable. */
    static final String VERSION_OPTION = "--version";

    /**
     * As {@link #launch(WorkerDefinition, String[])}, with the arguments the JVM was started with (read from the
     * operating system, so a worker's {@code main} need not pass them).
     */
    public static void launch(WorkerDefinition definition) {
        launch(definition, ProcessHandle.current().info().arguments().orElse(new String[0]));
    }

    /**
     * Runs the worker until it terminates and exits the JVM with its exit code (README: Signals, states and exit
     * codes). Never returns. With {@code --version} among {@code args}, prints the build and exits 0 instead.
     */
    public static void launch(WorkerDefinition definition, String[] args) {
        if (versionRequested(List.of(args))) {
            System.exit(printVersion(definition, BuildInfo.current(), System.out));
        }
        // The JDK keeps only 5 idle HTTP connections per host by default; with several receives and delete
        // batches in flight, the rest were closed after each call and reopened, costing a connect per request.
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", "64");
        }
        WorkerLauncher launcher = new WorkerLauncher(System.getenv(), System.err, env -> SqsQueueClient.fromEnvironment());
        int code = launcher.run(definition);
        System.out.flush();
        System.exit(code);
    }

    static boolean versionRequested(List<String> args) {
        return args.contains(VERSION_OPTION);
    }

    /** Prints {@code longshore <worker> <version>}; the exit code, always 0. */
    static int printVersion(WorkerDefinition definition, BuildInfo build, PrintStream out) {
        out.println(build.line(definition.name()));
        out.flush();
        return ExitCodes.OK;
    }

    int run(WorkerDefinition definition) {
        Env env;
        WorkerConfig config;
        QueueClient sqs;
        try {
            env = new Env(SsmEnvironment.overlay(environment));
            config = WorkerConfig.fromEnv(definition.name(), env, definition.defaultConcurrency());
            sqs = createClient(env);
        } catch (ConfigException e) {
            stderr.println(e.getMessage());
            return ExitCodes.CONFIG;
        }
        Logger log = LoggerFactory.getLogger(WorkerLauncher.class);
        Metrics metrics = new Metrics();
        BuildInfo build = BuildInfo.current();
        metrics.buildInfo(definition.name(), build.version());
        log.info("{}", build.line(definition.name()));
        WorkerPlugin plugin;
        try {
            plugin = Fleet.attach(definition.create(config, metrics, sqs), config);
        } catch (ConfigException e) {
            sqs.close();
            stderr.println(e.getMessage());
            return ExitCodes.CONFIG;
        } catch (Exception e) {
            sqs.close();
            log.error("worker {} could not be created: {}", definition.name(), e.toString(), e);
            return ExitCodes.RESTART;
        }
        Worker worker = new Worker(config, plugin, sqs, metrics, Clock.systemUTC());
        Thread hook = new Thread(() -> drainOnSignal(worker), "worker-" + definition.name() + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            worker.start();
        } catch (BindException e) {
            stderr.println(ConfigException.invalid("WORKER_HEALTH_PORT", env.string("WORKER_HEALTH_PORT", "8080"),
                    "a free TCP port (" + e.getMessage() + "), or off").getMessage());
            worker.drain("health port unavailable", java.time.Duration.ZERO, ExitCodes.CONFIG);
            awaitQuietly(worker);
            return ExitCodes.CONFIG;
        } catch (IOException | RuntimeException e) {
            log.error("worker {} failed to start: {}", definition.name(), e.toString(), e);
            worker.drain("start-up failed", java.time.Duration.ZERO, ExitCodes.RESTART);
            awaitQuietly(worker);
            return ExitCodes.RESTART;
        }
        int code = awaitQuietly(worker);
        if (code == ExitCodes.CONFIG && worker.fatalConfigError() != null) {
            stderr.println(worker.fatalConfigError());
        }
        return code;
    }

    private QueueClient createClient(Env env) {
        try {
            return clients.apply(env);
        } catch (SdkClientException e) {
            String message = String.valueOf(e.getMessage());
            if (message.toLowerCase().contains("region")) {
                throw ConfigException.missing("AWS_REGION",
                        "an AWS region such as us-east-1 (on EC2 it is read from instance metadata)");
            }
            throw new ConfigException("AWS", "configuration error: the SQS client could not be created: " + message);
        }
    }

    private static int awaitQuietly(Worker worker) {
        try {
            return worker.awaitExitCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.RESTART;
        }
    }

    /**
     * Runs on SIGTERM/SIGINT (and on System.exit): drains if nothing else has, then halts with the worker's
     * exit code, since a JVM ending on a signal would otherwise report 143 instead of the documented 0.
     */
    private static void drainOnSignal(Worker worker) {
        worker.drain("shutdown signal", worker.drainTimeout(), ExitCodes.OK);
        int code = awaitQuietly(worker);
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(code);
    }
}
