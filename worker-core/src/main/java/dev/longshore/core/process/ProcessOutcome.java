package dev.longshore.core.process;

import java.time.Duration;
import java.util.Optional;

/**
 * How a supervised process ended.
 *
 * @param termination how it ended
 * @param exitCode    its exit status: the exit code, or 128 + n when signal n ended it; -1 when unknown
 * @param pgid        its process group (and session) id
 * @param leftovers   processes of its group still alive after it exited, which the supervisor then ended
 * @param stderrTail  the last lines it wrote on stderr when stderr went to a file, for failure reasons
 * @param took        wall time from start to exit
 */
public record ProcessOutcome(Termination termination, int exitCode, long pgid, int leftovers, String stderrTail,
                             Duration took) {

    public boolean succeeded() {
        return termination == Termination.EXITED && exitCode == 0;
    }

    /** The signal that ended it, read from a 128 + n exit status (also when sent from outside the worker). */
    public Optional<Signal> signal() {
        return Signal.ofExitStatus(exitCode);
    }
}
