package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.tests.TestSupport.*;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pthread4j.*;

/** Clocks and sleeping: clock_gettime(2), nanosleep(2), sleep(3), usleep(3), sched_yield(2). */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ClockSleepTest {

    /** CLOCK_REALTIME is the wall clock: within a second of System.currentTimeMillis, with tv_nsec in [0, 1e9). */
    @Test
    void realtimeIsTheWallClock() {
        timespec t = now(CLOCK_REALTIME);
        long wall = System.currentTimeMillis();
        long millis = t.tv_sec * 1000 + t.tv_nsec / 1_000_000;
        assertTrue(Math.abs(millis - wall) < 1000, "realtime " + t + " vs wall " + wall);
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

    /** nanosleep(2) sleeps at least the time asked, and zeroes the remainder. */
    @Test
    void nanosleepSleepsAtLeastTheTimeAsked() {
        timespec rem = new timespec(9, 9);
        long t0 = System.nanoTime();
        assertEquals(0, nanosleep(new timespec(0, 50_000_000), rem));
        long slept = System.nanoTime() - t0;
        assertTrue(slept >= 50_000_000, "slept " + slept + " ns");
        assertEquals(0, rem.tv_sec);
        assertEquals(0, rem.tv_nsec);
        t0 = System.nanoTime();
        assertEquals(0, nanosleep(new timespec(0, 0), null));
        assertTrue(millisSince(t0) < 1000);
    }

    /** nanosleep(2) with tv_nsec outside [0, 1e9) or a negative tv_sec gives -1 with errno EINVAL at once. */
    @ParameterizedTest
    @CsvSource({"0, -1", "0, 1000000000", "-1, 0", "1, -5"})
    void nanosleepWithBadTimeIsEinval(long sec, long nsec) {
        long t0 = System.nanoTime();
        errno(0);
        assertEquals(-1, nanosleep(new timespec(sec, nsec), null));
        assertEquals(EINVAL, errno());
        assertTrue(millisSince(t0) < 500);
    }

    /** usleep(3) and sleep(3) sleep at least the time asked; sleep(0) returns at once. */
    @Test
    void usleepAndSleep() {
        long t0 = System.nanoTime();
        assertEquals(0, usleep(30_000));
        assertTrue(System.nanoTime() - t0 >= 30_000_000L);
        t0 = System.nanoTime();
        assertEquals(0, sleep(0));
        assertTrue(millisSince(t0) < 1000);
        t0 = System.nanoTime();
        assertEquals(0, sleep(1));
        assertTrue(System.nanoTime() - t0 >= 1_000_000_000L);
        errno(0);
        assertEquals(-1, usleep(-1));
        assertEquals(EINVAL, errno());
    }

    /** Sleeping pthreads sleep side by side: four 200 ms sleeps in four threads take far less than 800 ms. */
    @Test
    void sleepsOverlapAcrossThreads() {
        long t0 = System.nanoTime();
        pthread_t[] t = new pthread_t[4];
        for (int i = 0; i < t.length; i++) {
            t[i] = start(arg -> usleep(200_000));
        }
        for (pthread_t x : t) {
            assertEquals(0, join(x));
        }
        long took = millisSince(t0);
        assertTrue(took >= 190 && took < 780, "took " + took + " ms: the sleeps ran one after another");
    }

    /** sched_yield(2) returns 0, from the test thread and from a pthread. */
    @Test
    void schedYieldReturnsZero() {
        assertEquals(0, sched_yield());
        assertEquals(0, join(start(arg -> sched_yield())));
    }
}
