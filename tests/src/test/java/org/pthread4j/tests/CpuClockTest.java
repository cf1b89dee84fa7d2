package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.tests.TestSupport.*;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pthread4j.*;

/**
 * {@code pthread_getcpuclockid} and {@code clock_gettime} on its clock: on {@code native} the
 * kernel's clock of the pthread's kernel thread, which counts only that thread's CPU time; on
 * the user-level models ENOENT, since no clock measures one pthread's CPU time there.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CpuClockTest {

    private static long nanos(timespec t) {
        return t.tv_sec * 1_000_000_000L + t.tv_nsec;
    }

    /**
     * A pthread's clock advances by at least the CPU time it burns, while a pthread that sleeps
     * meanwhile has a clock that stays far below it (native); ENOENT elsewhere.
     */
    @Test
    void clockOfAThread() {
        sem_t go = semaphore(0);
        pthread_t sleeper = start(arg -> {
            sem_wait(go);
            return null;
        });
        int[] id = new int[1];
        int r = pthread_getcpuclockid(sleeper, id);
        if (!onNative()) {
            assertEquals(ENOENT, r);
            sem_post(go);
            join(sleeper);
            return;
        }
        assertEquals(0, r);
        assertTrue(id[0] < 0, "a CPU-time clock id is negative: " + id[0]);
        timespec before = now(id[0]);
        Object burnt = join(start(arg -> {
            int[] own = new int[1];
            pthread_getcpuclockid(pthread_self(), own);
            timespec t0 = new timespec();
            clock_gettime(own[0], t0);
            timespec t = new timespec();
            long x = 0;
            do {
                for (int i = 0; i < 100_000; i++) {
                    x += i ^ x;
                }
                clock_gettime(own[0], t);
            } while (nanos(t) - nanos(t0) < 50_000_000L);
            return x == 42 ? 0L : nanos(t) - nanos(t0);
        }));
        assertTrue((Long) burnt >= 50_000_000L);
        timespec after = now(id[0]);
        assertTrue(nanos(after) - nanos(before) < 50_000_000L, "the sleeper's clock counts only its own CPU time");
        sem_post(go);
        join(sleeper);
    }

    /** The caller's own clock is readable and different from another thread's (native). */
    @Test
    void ownClock() {
        int[] own = new int[1];
        int r = pthread_getcpuclockid(pthread_self(), own);
        if (!onNative()) {
            assertEquals(ENOENT, r);
            return;
        }
        assertEquals(0, r);
        assertTrue(nanos(now(own[0])) > 0);
        Object other = join(start(arg -> {
            int[] id = new int[1];
            pthread_getcpuclockid(pthread_self(), id);
            return id[0];
        }));
        assertNotEquals(own[0], other);
    }

    /**
     * Bad input: null EINVAL, a handle never created or joined ESRCH, a clock of an exited
     * kernel thread EINVAL (the pthread has a stack size of its own, so on native it runs on
     * a new kernel thread that exits with it, not on one of the cache, which lives on).
     */
    @Test
    void badInput() {
        int[] id = new int[1];
        assertEquals(EINVAL, pthread_getcpuclockid(null, id));
        assertEquals(EINVAL, pthread_getcpuclockid(pthread_self(), null));
        assertEquals(ESRCH, pthread_getcpuclockid(new pthread_t(), id));
        pthread_attr_t attr = new pthread_attr_t();
        assertEquals(0, pthread_attr_init(attr));
        assertEquals(0, pthread_attr_setstacksize(attr, 1 << 20));
        pthread_t t = start(attr, arg -> {
            int[] own = new int[1];
            return pthread_getcpuclockid(pthread_self(), own) == 0 ? own[0] : null;
        }, null);
        Object clock = join(t);
        assertEquals(ESRCH, pthread_getcpuclockid(t, id));
        if (onNative()) {
            assertEquals(-1, clock_gettime((Integer) clock, new timespec()));
            assertEquals(EINVAL, errno());
        }
        assertEquals(-1, clock_gettime(7, new timespec()));
        assertEquals(EINVAL, errno());
    }
}
