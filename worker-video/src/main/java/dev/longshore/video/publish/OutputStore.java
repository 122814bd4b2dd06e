package dev.longshore.video.publish;

import dev.longshore.core.job.JobFailure;
import dev.longshore.video.storage.Location;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Where finished outputs go. The manifest is the commit marker: it is always the last thing made visible. */
public interface OutputStore {

    /** The manifest already published under {@code output}, if any. */
    Optional<byte[]> readManifest(Location output) throws JobFailure;

    /**
     * Publishes the files of {@code staged} (paths relative to it, in the order given, manifest last) under
     * {@code output}.
     */
    void publish(Path staged, List<String> files, Location output) throws JobFailure, IOException;
}
