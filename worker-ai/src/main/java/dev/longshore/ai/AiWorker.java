package dev.longshore.ai;

import dev.longshore.ai.gpu.GpuAllocator;
import dev.longshore.ai.gpu.GpuGate;
import dev.longshore.ai.gpu.GpuHealth;
import dev.longshore.ai.gpu.InstanceHealthReporter;
import dev.longshore.ai.gpu.TopologyWatcher;
import dev.longshore.ai.nvml.Nvml;
import dev.longshore.ai.nvml.XidWatcher;
import dev.longshore.ai.output.S3JobOutputs;
import dev.longshore.ai.result.QueueResultPublisher;
import dev.longshore.ai.result.ResultPublisher;
import dev.longshore.ai.runner.InputFetcher;
import dev.longshore.ai.runner.JobSweeper;
import dev.longshore.ai.runner.JobsDirectory;
import dev.longshore.ai.runner.ParentProtection;
import dev.longshore.ai.runner.ProcessRunner;
import dev.longshore.ai.task.TaskFileException;
import dev.longshore.ai.task.TaskRegistry;
import dev.longshore.core.WorkerControl;
import dev.longshore.core.AbstractWorkerDefinition;
import dev.longshore.core.WorkerExtension;
import dev.longshore.core.WorkerPlugin;
import dev.longshore.core.concurrent.Sleeper;
import dev.longshore.core.config.ConfigException;
import dev.longshore.core.config.WorkerConfig;
import dev.longshore.core.gate.ReceiveGate;
import dev.longshore.core.metrics.Metrics;
import dev.longshore.core.process.ProcessSupervisor;
import dev.longshore.core.queue.QueueClient;
import dev.longshore.core.storage.S3Clients;
import dev.longshore.core.storage.S3ObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AI worker: runs registered tasks ({@code ai.run}) on a GPU chosen by the GPU gate, restarts itself when
 * the GPU topology changes, and drains and exits 1 when a GPU is lost. With WORKER_GPU_REQUIRED=false (the CPU
 * flavour) nothing of NVML is loaded.
 */
public final class AiWorker extends AbstractWorkerDefinition {
    public static final String NAME = "ai";
    /** One task per GPU is the usual fit; operators with several GPUs or MIG instances raise it. */
    public static final int DEFAULT_CONCURRENCY = 1;

    private static final Logger log = LoggerFactory.getLogger(AiWorker.class);

    private final InstanceHealthReporter healthReporter;
    private final Clock clock;

    public AiWorker() {
        this(new dev.longshore.ai.gpu.AutoScalingHealthReporter(), Clock.systemUTC());
    }

    /** @param healthReporter how a lost GPU is reported to the fleet (SetInstanceHealth on an Auto Scaling group) */
    public AiWorker(InstanceHealthReporter healthReporter, Clock clock) {
        super(NAME, DEFAULT_CONCURRENCY);
        this.healthReporter = healthReporter;
        this.clock = clock;
    }

    @Override
    public WorkerPlugin create(WorkerConfig config, Metrics metrics, QueueClient queues) {
        AiConfig ai = AiConfig.from(config.env());
        // Tasks run in their own process group, started through setsid (README "Signals, states and exit codes").
        ProcessSupervisor.requireSetsid();
        // Tasks run as this user: they must not read this process's environment or memory (docs/security.md).
        if (ParentProtection.apply()) {
            log.info("Worker process marked not dumpable: tasks cannot read its /proc environ or memory");
        }
        TaskRegistry tasks = tasks(ai);
        JobsDirectory jobs = jobs(ai);
        log.info("AI worker configuration {}, tasks {}", ai.describe(), tasks.names());
        ResultPublisher results = ai.resultQueueUrl()
                .<ResultPublisher>map(url -> new QueueResultPublisher(new dev.longshore.core.queue.ResultPublisher(queues, url)))
                .orElse(ResultPublisher.NONE);
        String tasksSource = ai.tasksFile().map(p -> "WORKER_AI_TASKS " + p + " registers " + tasks.names())
                .orElse("WORKER_AI_TASKS is not set, so no task is registered");

        String prefix = "worker-" + config.workerName() + "-";
        // Finished job directories are deleted after WORKER_AI_JOB_RETENTION (docs/ai.md: Job directory).
        Optional<WorkerExtension> sweeper = ai.jobRetention()
                .map(retention -> new JobSweeper(jobs, retention, clock, prefix + "job-sweeper"));
        if (sweeper.isEmpty()) {
            log.info("Job directories are kept (WORKER_AI_JOB_RETENTION=off)");
        }

        if (!ai.gpuRequired()) {
            log.info("CPU flavour (WORKER_GPU_REQUIRED=false): NVML is not loaded, tasks run without a GPU");
            return new WorkerPlugin(handler(tasks, tasksSource, jobs, Optional.empty(), results, config, ai, metrics),
                    List.of(), sweeper.stream().toList());
        }

        Nvml nvml = Nvml.load(ai.nvmlLibrary());
        nvml.unavailableReason().ifPresent(r -> log.warn("GPU not usable, the worker stays PAUSED: {}", r));
        GpuHealth health = new GpuHealth(healthReporter);
        GpuGate gate = new GpuGate(nvml::snapshot, ai.requirements(), health, clock);
        metrics.gauge("longshore_gpu_usable_units", "GPUs or MIG instances that qualified at the last check.",
                () -> gate.usableUnits().size());
        List<WorkerExtension> extensions = new ArrayList<>();
        extensions.add(health);
        extensions.add(new XidWatcher(nvml, health, prefix + "xid-watcher"));
        if (ai.topologyWatch()) {
            extensions.add(new TopologyWatcher(nvml::topology, ai.topologyInterval(), ai.topologyCooldown(),
                    ai.failureThreshold(), clock, Sleeper.SYSTEM, prefix + "gpu-topology"));
        } else {
            log.info("GPU topology watch is off (WORKER_GPU_TOPOLOGY_WATCH=false)");
        }
        extensions.add(new NvmlShutdown(nvml));
        sweeper.ifPresent(extensions::add);
        AiJobHandler handler = handler(tasks, tasksSource, jobs, Optional.of(gate), results, config, ai, metrics);
        return new WorkerPlugin(handler, List.<ReceiveGate>of(gate), extensions);
    }

    private AiJobHandler handler(TaskRegistry tasks, String tasksSource, JobsDirectory jobs,
                                 Optional<GpuAllocator> gpus, ResultPublisher results, WorkerConfig config,
                                 AiConfig ai, Metrics metrics) {
        InputFetcher inputs = InputFetcher.create(config.privateDestinations(), ai.inputs());
        AiJobHandler handler = new AiJobHandler(tasks, tasksSource, jobs, inputs,
                new ProcessRunner(ProcessSupervisor.DEFAULT_KILL_GRACE, ai.drainSignal()), gpus,
                results, config.env().asMap(), clock, metrics);
        if (ai.outputPrefix().isEmpty()) {
            return handler;
        }
        // The client is built on the first upload, so a worker without S3 credentials still starts and says why
        // in each job's failure (docs/ai.md: Outputs on S3).
        S3ObjectStore store = new S3ObjectStore(() -> S3Clients.create(ai.s3()), ai.s3());
        return handler.uploadingTo(new S3JobOutputs(store, ai.outputPrefix().get()));
    }

    private static TaskRegistry tasks(AiConfig ai) {
        if (ai.tasksFile().isEmpty()) {
            log.warn("WORKER_AI_TASKS is not set: every ai.run job names an unknown task and is dead-lettered");
            return TaskRegistry.empty();
        }
        Path file = ai.tasksFile().get();
        try {
            TaskRegistry tasks = TaskRegistry.load(file);
            if (!ai.gpuRequired()) {
                tasks.requireNoGpus();
            }
            return tasks;
        } catch (TaskFileException e) {
            // One line on stderr, whatever a parser wrote (README "Configuration").
            throw ConfigException.invalid("WORKER_AI_TASKS", file.toString(),
                    "a task file (JSON, or YAML when named .yaml/.yml): "
                            + e.getMessage().strip().replaceAll("\\s*\\R\\s*", " "));
        }
    }

    private static JobsDirectory jobs(AiConfig ai) {
        try {
            JobsDirectory jobs = new JobsDirectory(ai.jobsDir());
            if (!Files.isWritable(jobs.root())) {
                throw new IOException("not writable by this user");
            }
            return jobs;
        } catch (IOException e) {
            throw ConfigException.invalid("WORKER_JOBS_DIR", ai.jobsDir().toString(),
                    "a directory the worker can create and write (" + e.getMessage() + ")");
        }
    }

    /** Shuts NVML down when the worker stops; watchers that still ask see a closed session and stop quietly. */
    private record NvmlShutdown(Nvml nvml) implements WorkerExtension {
        @Override
        public void start(WorkerControl control) {
        }

        @Override
        public void close() {
            nvml.close();
        }
    }
}
