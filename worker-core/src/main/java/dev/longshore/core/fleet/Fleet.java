package dev.longshore.core.fleet;

import dev.longshore.core.WorkerExtension;
import dev.longshore.core.WorkerPlugin;
import dev.longshore.core.config.WorkerConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds the EC2 fleet features a configuration asks for to a worker's plugin: the lifecycle watcher
 * ({@code WORKER_LIFECYCLE_HOOK_NAME}), scale-in protection ({@code WORKER_SCALE_IN_PROTECTION=true}) and the
 * CloudWatch publisher ({@code WORKER_METRICS_NAMESPACE}, unless {@code off}). Nothing is contacted here: each
 * feature probes instance metadata and builds its clients on its own thread once the worker runs.
 */
public final class Fleet {
    private Fleet() {
    }

    /**
     * @throws dev.longshore.core.config.ConfigException for an invalid fleet setting
     */
    public static WorkerPlugin attach(WorkerPlugin plugin, WorkerConfig config) {
        FleetSettings settings = FleetSettings.from(config.env());
        if (config.lifecycleHook().isEmpty() && !settings.scaleInProtection() && config.metricsNamespace().isEmpty()) {
            return plugin;
        }
        AwsClients clients = AwsClients.standard();
        FleetContext fleet = FleetContext.standard(config.asgName(), clients);
        return attach(plugin, config, settings, fleet, CloudWatchPublisher.sdkSink(clients), Clock.systemUTC());
    }

    static WorkerPlugin attach(WorkerPlugin plugin, WorkerConfig config, FleetSettings settings, FleetContext fleet,
                               CloudWatchPublisher.Sink sink, Clock clock) {
        List<WorkerExtension> added = new ArrayList<>();
        config.lifecycleHook().ifPresent(hook -> added.add(new LifecycleWatcher(fleet, hook, clock)));
        if (settings.scaleInProtection()) {
            added.add(new ScaleInProtection(fleet, settings.protectionIdle(), clock));
        }
        config.metricsNamespace().ifPresent(ns -> added.add(new CloudWatchPublisher(ns, config.workerName(),
                fleet::groupName, sink, CloudWatchPublisher.DEFAULT_INTERVAL, clock)));
        if (added.isEmpty()) {
            fleet.close();
            return plugin;
        }
        List<WorkerExtension> extensions = new ArrayList<>(plugin.extensions());
        extensions.addAll(added);
        // Last, so its clients are closed after every feature that uses them.
        extensions.add(fleet);
        return new WorkerPlugin(plugin.handler(), plugin.gates(), extensions);
    }
}
