package dev.longshore.messaging;

import dev.longshore.core.job.Job;
import dev.longshore.core.job.JobContext;
import dev.longshore.core.job.JobHandler;
import dev.longshore.messaging.email.EmailSender;
import dev.longshore.messaging.webhook.WebhookSender;
import java.util.Set;

/** Routes {@code notify.webhook} and {@code notify.email} jobs to their senders. */
final class NotificationHandler implements JobHandler {
    static final String WEBHOOK = "notify.webhook";
    static final String EMAIL = "notify.email";

    private final WebhookSender webhooks;
    private final EmailSender email;

    NotificationHandler(WebhookSender webhooks, EmailSender email) {
        this.webhooks = webhooks;
        this.email = email;
    }

    @Override
    public Set<String> types() {
        return Set.of(WEBHOOK, EMAIL);
    }

    @Override
    public void handle(Job job, JobContext context) throws Exception {
        switch (job.type()) {
            case WEBHOOK -> webhooks.deliver(job);
            case EMAIL -> email.send(job);
            default -> throw new IllegalStateException("unexpected type " + job.type());
        }
    }

    @Override
    public void close() {
        webhooks.close();
    }
}
