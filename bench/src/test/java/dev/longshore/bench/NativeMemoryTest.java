package dev.longshore.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NativeMemoryTest {
    private static final String JCMD = """
            12345:

            Native Memory Tracking:

            (Omitting categories weighting less than 1KB)

            Total: reserved=1480504KB, committed=81312KB
                   malloc: 6791KB #4602, peak=6879KB #4599
                   mmap:   reserved=1473713KB, committed=74521KB

            -                 Java Heap (reserved=1003520KB, committed=32768KB)
                                        (mmap: reserved=1003520KB, committed=32768KB, at peak)

            -                     Class (reserved=1048694KB, committed=438KB)
                                        (classes #476)

            -    Native Memory Tracking (reserved=85KB, committed=85KB)
                                        (tracking overhead=80KB)

            -        Shared class space (reserved=49152KB, committed=38502KB, readonly=0KB)
                                        (mmap: reserved=49152KB, committed=38502KB)
            """;

    @Test
    void readsCommittedMibPerCategoryWithTheTotalFirst() {
        Map<String, Double> m = NativeMemory.parse(JCMD);

        assertEquals(List.of("Total", "Java Heap", "Class", "Native Memory Tracking", "Shared class space"), List.copyOf(m.keySet()));
        assertEquals(81312 / 1024.0, m.get("Total"), 1e-9);
        assertEquals(32.0, m.get("Java Heap"), 1e-9);
        assertEquals(38502 / 1024.0, m.get("Shared class space"), 1e-9);
    }

    @Test
    void readsBytesWhenNoScaleIsPrinted() {
        Map<String, Double> m = NativeMemory.parse("-                 Java Heap (reserved=6320816128, committed=402653184)\n");

        assertEquals(384.0, m.get("Java Heap"), 1e-9);
    }
}
