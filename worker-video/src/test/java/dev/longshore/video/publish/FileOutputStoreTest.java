package dev.longshore.video.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.video.storage.FileLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileOutputStoreTest {
    @TempDir
    Path tmp;
    private final FileOutputStore store = new FileOutputStore();

    private Path staged() throws Exception {
        Path s = Files.createDirectories(tmp.resolve("scratch/out/360p"));
        Files.writeString(s.resolve("segment_00000.ts"), "seg");
        Files.writeString(s.resolve("index.m3u8"), "#EXTM3U\n#EXT-X-ENDLIST\n");
        Files.writeString(s.getParent().resolve("master.m3u8"), "#EXTM3U\n");
        Files.writeString(s.getParent().resolve("manifest.json"), "{\"jobId\":\"j1\"}");
        return s.getParent();
    }

    @Test
    void publishingOrderPutsEntryPointsLast() throws Exception {
        Path staged = staged();
        Files.writeString(staged.resolve("thumbnail.jpg"), "jpg");
        assertEquals(List.of("360p/segment_00000.ts", "360p/index.m3u8", "thumbnail.jpg", "master.m3u8", "manifest.json"),
                OutputLayout.publishingOrder(staged));
    }

    @Test
    void newOutputDirectoryAppearsInOneRename() throws Exception {
        Path staged = staged();
        Path dest = tmp.resolve("videos/job-1");
        store.publish(staged, OutputLayout.publishingOrder(staged), new FileLocation(dest));
        assertEquals("{\"jobId\":\"j1\"}", Files.readString(dest.resolve("manifest.json")));
        assertEquals("seg", Files.readString(dest.resolve("360p/segment_00000.ts")));
        try (Stream<Path> siblings = Files.list(dest.getParent())) {
            assertEquals(List.of(dest), siblings.toList(), "no staging directory is left beside the output");
        }
        assertEquals(new String(store.readManifest(new FileLocation(dest)).orElseThrow()), "{\"jobId\":\"j1\"}");
    }

    @Test
    void existingDirectoryWithOtherFilesGetsFilesMovedInManifestLast() throws Exception {
        Path staged = staged();
        Path dest = Files.createDirectories(tmp.resolve("videos/job-1"));
        Files.writeString(dest.resolve("README"), "keep me");
        Files.createDirectories(dest.resolve("360p"));
        Files.writeString(dest.resolve("360p/segment_00000.ts"), "stale");
        store.publish(staged, OutputLayout.publishingOrder(staged), new FileLocation(dest));
        assertEquals("seg", Files.readString(dest.resolve("360p/segment_00000.ts")), "stale segment replaced");
        assertEquals("keep me", Files.readString(dest.resolve("README")));
        assertTrue(Files.exists(dest.resolve("manifest.json")));
        try (Stream<Path> siblings = Files.list(dest.getParent())) {
            assertEquals(1, siblings.count(), "staging removed");
        }
    }

    @Test
    void missingManifestReadsAsAbsent() throws Exception {
        assertTrue(store.readManifest(new FileLocation(tmp.resolve("nothing"))).isEmpty());
    }
}
