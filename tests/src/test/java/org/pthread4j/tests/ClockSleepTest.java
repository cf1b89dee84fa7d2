package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.tests.TestSupport.*;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pthread4j.*;

/** Clocks and sleeping: clock_gettime(2), nanosleep(2), sleep(3), usleep(3), sched_yield(2). */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ClockSleepTest {

    /**
     * CLOCK_REALTIME is the wall clock: read between two System.currentTimeMillis calls, it
     * lies between them, with tv_nsec in [0, 1e9).
     */
    @Test
    void realtimeIsTheWallClock() {
        long before = System.currentTimeMillis();
        timespec t = now(CLOCK_REALTIME);
        long after = System.currentTimeMillis();
        long millis = t.tv_sec * 1000 + t.tv_nsec / 1_000_000;
        assertTrue(before <= millis && millis <= after, "realtime " + t + " read between " + before + " and " + after);
        assertTrue(t.tv_nsec >= 0 && t.tv_nsec < 1_000_000_000L);
    }

    /** CLOCK_MONOTONIC never goes back, and its tv_nsec stays in [0, 1e9). */
    @Test
    void monotonicNeverGoesBack() {
        timespec prev = now(CLOCK_MONOTONIC);
        for (int i = 0; i < 10_000; i++) {
            timespec t = now(CLOCK_MONOTONIC);
            assertTrue(t.tv_nsec >= 0 && t.tv_nsec < 1_000_000_000L, t.toString());
            assertTrue(t.tv_sec > prev.tv_sec || (t.tv_sec == prev.tv_sec && t.tv_nsec >= prev.tv_nsec),
                    prev + " then " + t);
            prev = t;
        }
    }

    /** An unknown clock gives -1 with errno EINVAL (clock_gettime(2)). */
    @Test
    void unknownClockIsEinval() {
        errno(0);
        assertEquals(-1, clock_gettime(42, new timespec()));
        assertEquals(EINVAL, errno());
    }

    /** nanosleep(2) sleeps at least the time asked, and zeroes the remainder; a zero time returns 0. */
    @Test
    void nanosleepSleepsAtLeastTheTimeAsked() {
        timespec rem = new timespec(9, 9);
        long t0 = System.nanoTime();
        assertEquals(0, nanosleep(new timespec(0, 50_000_000), rem));
        long slept = System.nanoTime() - t0;
        assertTrue(slept >= 50_000_000, "slept " + slept + " ns");
        assertEquals(0, rem.tv_sec);
        assertEquals(0, rem.tv_nsec);
        assertEquals(0, nanosleep(new timespec(0, 0), null));
    }

    /**
     * nanosleep(2) with tv_nsec outside [0, 1e9) or a negative tv_sec gives -1 with errno
     * EINVAL, before sleeping: the remainder it would report on an interrupted sleep stays untouched.
     */
    @ParameterizedTest
    @CsvSource({"0, -1", "0, 1000000000", "-1, 0", "1, -5"})
    void nanosleepWithBadTimeIsEinval(long sec, long nsec) {
        timespec rem = new timespec(9, 9);
        errno(0);
        assertEquals(-1, nanosleep(new timespec(sec, nsec), rem));
        assertEquals(EINVAL, errno());
        assertEquals(9, rem.tv_sec);
        assertEquals(9, rem.tv_nsec);
    }

    /** usleep(3) and sleep(3) sleep at least the time asked; sleep(0) returns 0. */
    @Test
    void usleepAndSleep() {
        long t0 = System.nanoTime();
        assertEquals(0, usleep(30_000));
        assertTrue(System.nanoTime() - t0 >= 30_000_000L);
        assertEquals(0, sleep(0));
        t0 = System.nanoTime();
        assertEquals(0, sleep(1));
        assertTrue(System.nanoTime() - t0 >= 1_000_000_000L);
        errno(0);
        assertEquals(-1, usleep(-1));
        assertEquals(EINVAL, errno());
    }

    /**
     * Sleeping pthreads sleep side by side: while one pthread sleeps for an hour, three
     * others sleep 10 ms each and end; the sleeper is then cancelled in its sleep.
     */
    @Test
    void sleepsOverlapAcrossThreads() {
        AtomicBoolean woke = new AtomicBoolean();
        pthread_t sleeper = start(arg -> {
            sleep(3600);
            woke.set(true);
            return null;
        });
        pthread_t[] t = new pthread_t[3];
        for (int i = 0; i < t.length; i++) {
            t[i] = start(arg -> usleep(10_000));
        }
        for (pthread_t x : t) {
            assertEquals(0, join(x));
        }
        assertEquals(0, pthread_cancel(sleeper));
        assertEquals(PTHREAD_CANCELED, join(sleeper));
        assertFalse(woke.get(), "the hour-long sleep returned");
    }

    /** sched_yield(2) returns 0, from the test thread and from a pthread. */
    @Test
    void schedYieldReturnsZero() {
        assertEquals(0, sched_yield());
        assertEquals(0, join(start(arg -> sched_yield())));
    }
}
