package dev.longshore.video.testing;

import java.util.Random;

/** Bodies for upload and download tests: random, so no compression or pattern hides a lost or shifted part. */
public final class RandomBytes {
    private RandomBytes() {
    }

    /** {@code size} bytes seeded by the size, so a failing test sees the same body on every run. */
    public static byte[] of(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }
}
