package dev.longshore.video.process;

import java.time.Instant;

/** Decides whether a running process still makes progress; asked on every supervision tick. */
@FunctionalInterface
public interface Liveness {
    Liveness ALWAYS = now -> true;

    boolean isAdvancing(Instant now);
}
