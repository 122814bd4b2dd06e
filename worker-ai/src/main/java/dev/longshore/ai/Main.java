package dev.longshore.ai;

import dev.longshore.core.WorkerLauncher;

/** {@code java -jar worker-ai.jar}: the AI worker (contract sections 2 and 7). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        WorkerLauncher.launch(new AiWorker());
    }
}
