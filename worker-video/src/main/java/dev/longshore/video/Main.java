package dev.longshore.video;

import dev.longshore.core.WorkerLauncher;

/** {@code java -jar worker-video.jar}: the video worker. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        WorkerLauncher.launch(new VideoWorker());
    }
}
