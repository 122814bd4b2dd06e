package dev.longshore.video.publish;

import dev.longshore.core.job.JobFailure;
import dev.longshore.core.storage.S3ObjectStore;
import dev.longshore.video.storage.Location;
import dev.longshore.video.storage.S3Location;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Publishes under an S3 prefix. S3 has no rename, so completeness is carried by order: every object a playlist
 * names is uploaded before the playlist, and the manifest goes last. Each object appears atomically; a reader
 * who starts from master.m3u8 or manifest.json never sees a partial output.
 */
public final class S3OutputStore implements OutputStore {
    private final S3ObjectStore s3;

    public S3OutputStore(S3ObjectStore s3) {
        this.s3 = s3;
    }

    @Override
    public Optional<byte[]> readManifest(Location output) throws JobFailure {
        return s3.readIfExists(prefix(output).child(OutputLayout.MANIFEST), FileOutputStore.MAX_MANIFEST_BYTES);
    }

    @Override
    public void publish(Path staged, List<String> files, Location output) throws JobFailure, IOException {
        S3Location prefix = prefix(output);
        for (String f : files) {
            s3.upload(staged.resolve(f), prefix.child(f), OutputLayout.contentType(f));
        }
    }

    private static S3Location prefix(Location output) {
        if (!(output instanceof S3Location s)) {
            throw new IllegalArgumentException("not an s3 location: " + output.display());
        }
        return s;
    }
}
