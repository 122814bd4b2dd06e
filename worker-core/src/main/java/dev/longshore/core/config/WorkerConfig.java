package dev.longshore.core.config;

import dev.longshore.core.http.PrivateDestinations;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Every setting of the shared runtime, read once from the environment, validated, then frozen. Worker-specific
 * settings are read by each worker from {@link #env()} with the same rules.
 */
public final class WorkerConfig {
    public static final int MAX_CONCURRENCY = 10_000;
    public static final Duration SQS_MAX_VISIBILITY = Duration.ofHours(12);
    /**
     * Visibility asked for on receive when WORKER_VISIBILITY_TIMEOUT is unset: SQS's own default. A message handed
     * to a poll that is then abandoned (drain, crash) comes back after this, never after a long derived value; the
     * heartbeat extends it once its job runs.
     */
    public static final Duration DEFAULT_RECEIVE_VISIBILITY = Duration.ofSeconds(30);
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_RETRY_BASE_DELAY = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RETRY_MAX_DELAY = Duration.ofMinutes(15);
    /** SQS's own ceiling for WaitTimeSeconds; the longest poll costs the least when idle. */
    public static final Duration DEFAULT_RECEIVE_WAIT = Duration.ofSeconds(20);
    public static final int DEFAULT_HEALTH_PORT = 8080;
    /** Loopback unless told otherwise: the container image sets 0.0.0.0 so the endpoint is reachable. */
    public static final String DEFAULT_HEALTH_BIND = "127.0.0.1";
    public static final Duration DEFAULT_LIFECYCLE_DRAIN_TIMEOUT = Duration.ofMinutes(15);
    /** AWS's own example polls target-lifecycle-state every 5 s. */
    public static final Duration DEFAULT_LIFECYCLE_POLL_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_LIFECYCLE_HEARTBEAT_INTERVAL = Duration.ofSeconds(60);
    public static final String DEFAULT_METRICS_NAMESPACE = "Longshore";

    private final String workerName;
    private final Optional<String> queueUrl;
    private final Optional<String> queueName;
    private final int concurrency;
    private final Optional<Duration> visibilityTimeout;
    private final Duration drainTimeout;
    private final Duration retryBaseDelay;
    private final Duration retryMaxDelay;
    private final Duration receiveWait;
    private final OptionalInt healthPort;
    private final String healthBind;
    private final Optional<String> ssmEnvParameter;
    private final Optional<LifecycleHook> lifecycleHook;
    private final Optional<String> asgName;
    private final Optional<String> metricsNamespace;
    private final PrivateDestinations privateDestinations;
    private final Env env;
    private final Duration defaultReceiveVisibility;

    private WorkerConfig(String workerName, Env env, int defaultConcurrency, Duration defaultReceiveVisibility) {
        this.workerName = workerName;
        this.env = env;
        this.defaultReceiveVisibility = defaultReceiveVisibility;
        this.queueUrl = env.string("WORKER_QUEUE_URL");
        this.queueName = env.string("WORKER_QUEUE_NAME");
        if (queueUrl.isEmpty() && queueName.isEmpty()) {
            throw ConfigException.missing("WORKER_QUEUE_URL",
                    "the URL of the SQS queue to consume (or WORKER_QUEUE_NAME with the queue's name)");
        }
        queueUrl.ifPresent(url -> {
            if (!(url.startsWith("https://") || url.startsWith("http://"))) {
                throw ConfigException.invalid("WORKER_QUEUE_URL", url,
                        "an http(s) queue URL such as https://sqs.us-east-1.amazonaws.com/123456789012/jobs");
            }
        });
        queueName.ifPresent(name -> {
            if (!name.matches("[A-Za-z0-9_-]{1,75}(\\.fifo)?")) {
                throw ConfigException.invalid("WORKER_QUEUE_NAME", name,
                        "an SQS queue name: up to 80 letters, digits, '-' or '_', optionally ending in .fifo");
            }
        });
        this.concurrency = env.positiveInt("WORKER_CONCURRENCY", defaultConcurrency, MAX_CONCURRENCY);
        this.visibilityTimeout = env.optionalDuration("WORKER_VISIBILITY_TIMEOUT");
        visibilityTimeout.ifPresent(v -> {
            if (v.toMillis() % 1000 != 0 || v.getSeconds() < 1 || v.compareTo(SQS_MAX_VISIBILITY) > 0) {
                throw ConfigException.invalid("WORKER_VISIBILITY_TIMEOUT", env.string("WORKER_VISIBILITY_TIMEOUT").get(),
                        "whole seconds from 1s to 12h (SQS's visibility limits)");
            }
        });
        this.drainTimeout = env.duration("WORKER_DRAIN_TIMEOUT", DEFAULT_DRAIN_TIMEOUT, Duration.ZERO, Duration.ofHours(12));
        this.retryBaseDelay = env.duration("WORKER_RETRY_BASE_DELAY", DEFAULT_RETRY_BASE_DELAY, Duration.ZERO, SQS_MAX_VISIBILITY);
        this.retryMaxDelay = env.duration("WORKER_RETRY_MAX_DELAY", DEFAULT_RETRY_MAX_DELAY, Duration.ZERO, SQS_MAX_VISIBILITY);
        if (retryBaseDelay.compareTo(retryMaxDelay) > 0) {
            throw ConfigException.invalid("WORKER_RETRY_BASE_DELAY", env.string("WORKER_RETRY_BASE_DELAY", Durations.format(retryBaseDelay)),
                    "a delay no longer than WORKER_RETRY_MAX_DELAY (" + Durations.format(retryMaxDelay) + ")");
        }
        this.receiveWait = env.duration("WORKER_RECEIVE_WAIT", DEFAULT_RECEIVE_WAIT, Duration.ZERO, DEFAULT_RECEIVE_WAIT);
        this.healthPort = env.portOrOff("WORKER_HEALTH_PORT", DEFAULT_HEALTH_PORT);
        this.healthBind = env.string("WORKER_HEALTH_BIND", DEFAULT_HEALTH_BIND);
        this.ssmEnvParameter = env.string("WORKER_SSM_ENV_PARAMETER");
        // The timings are checked even without a hook: a wrong value is an error at start, not at the first scale-in.
        Duration lifecycleDrainTimeout = env.duration("WORKER_LIFECYCLE_DRAIN_TIMEOUT", DEFAULT_LIFECYCLE_DRAIN_TIMEOUT,
                Duration.ZERO, Duration.ofHours(48));
        Duration lifecyclePollInterval = env.duration("WORKER_LIFECYCLE_POLL_INTERVAL", DEFAULT_LIFECYCLE_POLL_INTERVAL,
                Duration.ofMillis(100), Duration.ofMinutes(5));
        Duration lifecycleHeartbeatInterval = env.duration("WORKER_LIFECYCLE_HEARTBEAT_INTERVAL",
                DEFAULT_LIFECYCLE_HEARTBEAT_INTERVAL, Duration.ofSeconds(1), Duration.ofHours(2));
        this.lifecycleHook = env.string("WORKER_LIFECYCLE_HOOK_NAME").map(name -> new LifecycleHook(name,
                lifecycleDrainTimeout, lifecyclePollInterval, lifecycleHeartbeatInterval));
        this.asgName = env.string("WORKER_ASG_NAME");
        String ns = env.string("WORKER_METRICS_NAMESPACE", DEFAULT_METRICS_NAMESPACE);
        if (!ns.equalsIgnoreCase("off") && !ns.matches("[A-Za-z0-9._/#:-]{1,255}") || ns.startsWith("AWS/")) {
            throw ConfigException.invalid("WORKER_METRICS_NAMESPACE", ns,
                    "a CloudWatch namespace (letters, digits, . - _ / # :, not starting with AWS/) or off");
        }
        this.metricsNamespace = ns.equalsIgnoreCase("off") ? Optional.empty() : Optional.of(ns);
        this.privateDestinations = env.string(PrivateDestinations.VARIABLE).map(PrivateDestinations::parse)
                .orElse(PrivateDestinations.none());
    }

    /**
     * Reads and validates the runtime's settings.
     *
     * @throws ConfigException naming the first variable that is wrong
     */
    public static WorkerConfig fromEnv(String workerName, Env env, int defaultConcurrency) {
        Objects.requireNonNull(workerName, "workerName");
        return new WorkerConfig(workerName, env, defaultConcurrency, DEFAULT_RECEIVE_VISIBILITY);
    }

    /**
     * The same settings, but asking for {@code visibility} on receive when WORKER_VISIBILITY_TIMEOUT is unset,
     * instead of {@link #DEFAULT_RECEIVE_VISIBILITY}: for tests that cannot wait 30 s for an abandoned message.
     */
    public WorkerConfig withDefaultReceiveVisibility(Duration visibility) {
        if (visibility.toMillis() % 1000 != 0 || visibility.getSeconds() < 1 || visibility.compareTo(SQS_MAX_VISIBILITY) > 0) {
            throw new IllegalArgumentException("whole seconds from 1s to 12h: " + visibility);
        }
        // The same environment parsed again: its concurrency is the default it fell back to, or the one it set.
        return new WorkerConfig(workerName, env, concurrency, visibility);
    }

    public String workerName() { return workerName; }
    public Optional<String> queueUrl() { return queueUrl; }
    public Optional<String> queueName() { return queueName; }
    public int concurrency() { return concurrency; }
    public Optional<Duration> visibilityTimeout() { return visibilityTimeout; }

    /** Visibility asked for on receive: WORKER_VISIBILITY_TIMEOUT when set, else 30 s (README: Configuration). */
    public Duration receiveVisibility() { return visibilityTimeout.orElse(defaultReceiveVisibility); }
    public Duration drainTimeout() { return drainTimeout; }
    public Duration retryBaseDelay() { return retryBaseDelay; }
    public Duration retryMaxDelay() { return retryMaxDelay; }
    public Duration receiveWait() { return receiveWait; }
    public OptionalInt healthPort() { return healthPort; }
    public String healthBind() { return healthBind; }
    public Optional<String> ssmEnvParameter() { return ssmEnvParameter; }
    /** The scale-in hook to complete and its timings; empty when WORKER_LIFECYCLE_HOOK_NAME is unset. */
    public Optional<LifecycleHook> lifecycleHook() { return lifecycleHook; }
    public Optional<String> asgName() { return asgName; }
    public Optional<String> metricsNamespace() { return metricsNamespace; }
    /** WORKER_PRIVATE_DESTINATIONS: the non-public destinations outbound requests may reach (README: Security). */
    public PrivateDestinations privateDestinations() { return privateDestinations; }
    public Env env() { return env; }

    /** The queue as it is best named in logs: its URL, or the name still to be resolved. */
    public String queueLabel() {
        return queueUrl.orElseGet(queueName::get);
    }

    /** For the one start-up log line; no value here is secret. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("worker", workerName);
        m.put("queue", queueLabel());
        m.put("concurrency", concurrency);
        m.put("visibilityTimeout", visibilityTimeout.map(Durations::format)
                .orElse(Durations.format(defaultReceiveVisibility) + " on receive, then derived"));
        m.put("drainTimeout", Durations.format(drainTimeout));
        m.put("retryBaseDelay", Durations.format(retryBaseDelay));
        m.put("retryMaxDelay", Durations.format(retryMaxDelay));
        m.put("receiveWait", Durations.format(receiveWait));
        m.put("healthPort", healthPort.isPresent() ? String.valueOf(healthPort.getAsInt()) : "off");
        m.put("lifecycleHook", lifecycleHook.map(LifecycleHook::name).orElse("off"));
        m.put("metricsNamespace", metricsNamespace.orElse("off"));
        m.put("privateDestinations", privateDestinations.describe());
        return m;
    }
}
