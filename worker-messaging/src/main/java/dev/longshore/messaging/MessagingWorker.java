package dev.longshore.messaging;

import dev.longshore.core.AbstractWorkerDefinition;
import dev.longshore.core.WorkerPlugin;
import dev.longshore.core.config.WorkerConfig;
import dev.longshore.core.metrics.Metrics;
import dev.longshore.core.queue.QueueClient;
import dev.longshore.messaging.email.EmailSender;
import dev.longshore.messaging.email.SmtpSettings;
import dev.longshore.messaging.webhook.WebhookSender;
import dev.longshore.messaging.webhook.WebhookSettings;
import java.util.Optional;

/** The notification worker: webhooks and email, I/O-bound, so dozens of jobs in flight on two cores. */
public final class MessagingWorker extends AbstractWorkerDefinition {
    /** Deliveries mostly wait on the network; 32 in flight keeps two cores busy without flooding receivers. */
    public static final int DEFAULT_CONCURRENCY = 32;

    public MessagingWorker() {
        super("messaging", DEFAULT_CONCURRENCY);
    }

    @Override
    public WorkerPlugin create(WorkerConfig config, Metrics metrics, QueueClient queues) {
        WebhookSettings webhook = WebhookSettings.fromEnv(config.env());
        Optional<SmtpSettings> smtp = SmtpSettings.fromEnv(config.env());
        WebhookSender webhooks = new WebhookSender(webhook, config.privateDestinations(), metrics);
        EmailSender email = new EmailSender(smtp);
        return WorkerPlugin.of(new NotificationHandler(webhooks, email));
    }
}
