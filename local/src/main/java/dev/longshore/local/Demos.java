package dev.longshore.local;

import java.nio.file.Path;
import java.util.List;

/** The demos of the local run, one per worker. */
final class Demos {
    private Demos() {
    }

    static List<Demo> all(Path root, int jobs, LocalS3 s3) {
        return List.of(new MessagingDemo(jobs), new VideoDemo(root, s3), new AiDemo(root, s3));
    }
}
