package dev.longshore.local;

import java.nio.file.Path;
import java.util.List;

/** The demos of the local run, one per worker. */
final class Demos {
    private Demos() {
    }

    static List<Demo> all(Path root, int jobs) {
        return List.of(new MessagingDemo(root, jobs), new VideoDemo(root), new AiDemo(root));
    }
}
