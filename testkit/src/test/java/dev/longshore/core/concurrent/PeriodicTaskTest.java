package dev.longshore.core.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.testkit.MutableClock;
import dev.longshore.testkit.TestWorkers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The schedule on a clock the fake sleeper moves: no test waits for the schedule's real time to pass. */
class PeriodicTaskTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String NAME = "test-periodic";

    private final MutableClock clock = MutableClock.atEpoch();
    private final Instant start = clock.instant();
    /** When each run began, from the start. */
    private final List<Duration> runs = new CopyOnWriteArrayList<>();
    private PeriodicTask task;

    @AfterEach
    void tearDown() {
        if (task != null) {
            task.interruptAndClose(WAIT);
        }
    }

    private PeriodicTask onFakeTime(Duration firstDelay, Duration interval) {
        task = new PeriodicTask(NAME, firstDelay, interval, clock, clock::advance);
        return task;
    }

    private Duration now() {
        return Duration.between(start, clock.instant());
    }

    /** Records the run, takes {@code took} of clock time, and asks for more until {@code total} runs were made. */
    private boolean run(Duration took, int total) {
        runs.add(now());
        clock.advance(took);
        return runs.size() < total;
    }

    private static List<Duration> seconds(long... offsets) {
        return Arrays.stream(offsets).mapToObj(Duration::ofSeconds).toList();
    }

    @Test
    void runsFirstAfterTheFirstDelayThenAtAFixedRate() throws Exception {
        // Each run takes 2 s: a fixed delay would drift to 17, 29, 41; the rate stays one run per 10 s.
        onFakeTime(Duration.ofSeconds(5), Duration.ofSeconds(10)).start(() -> run(Duration.ofSeconds(2), 4));
        assertTrue(task.awaitEnd(WAIT));
        assertEquals(seconds(5, 15, 25, 35), runs);
    }

    @Test
    void aFirstDelayOfZeroRunsAtOnce() throws Exception {
        onFakeTime(Duration.ZERO, Duration.ofSeconds(10)).start(() -> run(Duration.ZERO, 3));
        assertTrue(task.awaitEnd(WAIT));
        assertEquals(seconds(0, 10, 20), runs);
    }

    @Test
    void skipsMissedRunsInsteadOfBurstingAfterFallingBehind() throws Exception {
        // The second run ends at 45 s (a suspended VM): the runs due at 20, 30 and 40 s are skipped, not made up.
        onFakeTime(Duration.ZERO, Duration.ofSeconds(10))
                .start(() -> run(runs.size() == 1 ? Duration.ofSeconds(35) : Duration.ZERO, 4));
        assertTrue(task.awaitEnd(WAIT));
        assertEquals(seconds(0, 10, 55, 65), runs);
    }

    @Test
    void aRunThatEndsExactlyWhenTheNextIsDueKeepsTheRate() throws Exception {
        onFakeTime(Duration.ZERO, Duration.ofSeconds(10)).start(() -> run(Duration.ofSeconds(10), 3));
        assertTrue(task.awaitEnd(WAIT));
        assertEquals(seconds(0, 10, 20), runs);
    }

    @Test
    void stopsWhenTheBodySaysSo() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        onFakeTime(Duration.ZERO, Duration.ofSeconds(1)).start(() -> calls.incrementAndGet() < 3);
        assertTrue(task.awaitEnd(WAIT), "the thread ended by itself");
        assertEquals(3, calls.get());
        assertFalse(task.closed(), "ended by its body, not closed");
    }

    @Test
    void theSetUpRunsOnceOnTheNamedDaemonThreadBeforeTheFirstRun() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        onFakeTime(Duration.ofSeconds(1), Duration.ofSeconds(1)).start(
                () -> events.add("set up on " + Thread.currentThread().getName()),
                () -> {
                    Thread t = Thread.currentThread();
                    events.add("run on " + t.getName() + (t.isDaemon() ? " (daemon)" : ""));
                    return events.size() < 3;
                });
        assertTrue(task.awaitEnd(WAIT));
        assertEquals(List.of("set up on " + NAME, "run on " + NAME + " (daemon)", "run on " + NAME + " (daemon)"),
                events);
    }

    @Test
    void closeCutsAWaitShortAndEndsTheThread() throws Exception {
        task = new PeriodicTask(NAME, Duration.ofHours(1), Duration.ofHours(1), clock, Sleeper.SYSTEM);
        task.start(() -> run(Duration.ZERO, Integer.MAX_VALUE));
        // Read once by start() and once by the thread on its way into the hour's wait.
        assertTrue(TestWorkers.eventually(WAIT, () -> clock.reads() >= 2));
        // True only when the thread ended within WAIT: an hour's wait that close() did not cut would still run.
        assertTrue(task.close(WAIT), "ended without an interrupt");
        assertTrue(task.closed());
        assertEquals(List.of(), runs, "the wait was not waited out");
    }

    @Test
    void interruptAndCloseCutsAnInjectedSleepersWaitShort() throws Exception {
        CountDownLatch waiting = new CountDownLatch(1);
        Sleeper blocking = d -> {
            waiting.countDown();
            new CountDownLatch(1).await();
        };
        task = new PeriodicTask(NAME, Duration.ofHours(1), Duration.ofHours(1), clock, blocking);
        task.start(() -> run(Duration.ZERO, Integer.MAX_VALUE));
        assertTrue(waiting.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertTrue(task.interruptAndClose(WAIT));
        assertEquals(List.of(), runs);
    }

    @Test
    void theSystemSleeperWaitsOutTheScheduleInRealTime() throws Exception {
        List<Long> at = new CopyOnWriteArrayList<>();
        long started = System.nanoTime();
        task = new PeriodicTask(NAME, Duration.ofMillis(20), Duration.ofMillis(20), Clock.systemUTC(), Sleeper.SYSTEM);
        task.start(() -> {
            at.add(System.nanoTime());
            return at.size() < 3;
        });
        assertTrue(task.awaitEnd(WAIT));
        // Due at 20, 40 and 60 ms; a little slack for the wall clock and the nano clock drifting apart.
        long third = at.get(2) - started;
        assertTrue(third >= TimeUnit.MILLISECONDS.toNanos(55), "third run after " + third + " ns");
    }

    @Test
    void startsOnlyOnce() {
        onFakeTime(Duration.ofHours(1), Duration.ofHours(1));
        assertFalse(task.started());
        assertTrue(task.start(() -> true));
        assertTrue(task.started());
        assertFalse(task.start(() -> true));
    }

    @Test
    void anIntervalMustBePositive() {
        assertThrows(IllegalArgumentException.class,
                () -> new PeriodicTask(NAME, Duration.ZERO, Duration.ZERO, clock, Sleeper.SYSTEM));
        assertThrows(IllegalArgumentException.class,
                () -> new PeriodicTask(NAME, Duration.ZERO, Duration.ofSeconds(-1), clock, Sleeper.SYSTEM));
    }
}
