package dev.longshore.messaging;

import dev.longshore.core.WorkerLauncher;

/** {@code java -jar worker-messaging.jar}: delivers notify.webhook and notify.email jobs. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        WorkerLauncher.launch(new MessagingWorker());
    }
}
