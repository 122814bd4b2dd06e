package dev.longshore.ai;

import dev.longshore.core.WorkerLauncher;

/** {@code java -jar worker-ai.jar}: the AI worker (docs/ai.md). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        WorkerLauncher.launch(new AiWorker());
    }
}
