package dev.longshore.video.process;

import java.time.Duration;

/**
 * @param termination how it ended
 * @param exitCode    the exit code (meaningful for {@link Termination#EXITED})
 * @param stderrTail  the last lines it wrote on stderr, for failure reasons
 * @param took        wall time from start to exit
 */
public record ProcessOutcome(Termination termination, int exitCode, String stderrTail, Duration took) {

    public boolean succeeded() {
        return termination == Termination.EXITED && exitCode == 0;
    }
}
