package dev.longshore.core.process;

import java.time.Instant;

/** Decides whether a running process still makes progress; asked on every supervision tick. */
@FunctionalInterface
public interface Liveness {
    boolean isAdvancing(Instant now);
}
