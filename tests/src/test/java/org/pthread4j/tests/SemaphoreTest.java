package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.tests.TestSupport.*;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.pthread4j.*;

/** Unnamed semaphores: sem_init(3), sem_wait(3), sem_post(3), sem_getvalue(3); -1 and errno on failure. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SemaphoreTest {

    static int value(sem_t s) {
        int[] v = {Integer.MIN_VALUE};
        assertEquals(0, sem_getvalue(s, v));
        return v[0];
    }

    /** sem_getvalue(3) follows every post and wait. */
    @Test
    void getvalueFollowsPostsAndWaits() {
        sem_t s = semaphore(3);
        assertEquals(3, value(s));
        assertEquals(0, sem_post(s));
        assertEquals(4, value(s));
        assertEquals(0, sem_wait(s));
        assertEquals(0, sem_trywait(s));
        assertEquals(0, sem_timedwait(s, realtimeIn(-1000)), "a unit is there: no waiting, no timeout");
        assertEquals(1, value(s));
    }

    /** sem_trywait(3) on a zero semaphore returns -1 with errno EAGAIN and changes nothing. */
    @Test
    void trywaitOnZeroIsEagain() {
        sem_t s = semaphore(0);
        errno(0);
        assertEquals(-1, sem_trywait(s));
        assertEquals(EAGAIN, errno());
        assertEquals(0, value(s));
    }

    /** sem_post(3) at SEM_VALUE_MAX returns -1 with errno EOVERFLOW and leaves the value at the maximum. */
    @Test
    void postPastMaximumIsEoverflow() {
        sem_t s = semaphore(SEM_VALUE_MAX - 1);
        assertEquals(0, sem_post(s));
        assertEquals(SEM_VALUE_MAX, value(s));
        errno(0);
        assertEquals(-1, sem_post(s));
        assertEquals(EOVERFLOW, errno());
        assertEquals(SEM_VALUE_MAX, value(s));
    }

    /** sem_init(3) with a negative value returns -1 with errno EINVAL; SEM_VALUE_MAX itself is accepted. */
    @Test
    void initWithNegativeValueIsEinval() {
        errno(0);
        assertEquals(-1, sem_init(new sem_t(), 0, -1));
        assertEquals(EINVAL, errno());
        assertEquals(0, sem_init(new sem_t(), 0, SEM_VALUE_MAX));
    }

    /** sem_timedwait(3) on a zero semaphore returns -1 with errno ETIMEDOUT after the deadline, not before. */
    @Test
    void timedwaitPastDeadlineIsEtimedout() {
        sem_t s = semaphore(0);
        long t0 = System.nanoTime();
        errno(0);
        assertEquals(-1, sem_timedwait(s, realtimeIn(100)));
        assertEquals(ETIMEDOUT, errno());
        long waited = millisSince(t0);
        assertTrue(waited >= 90, "returned after " + waited + " ms");
        errno(0);
        assertEquals(-1, sem_timedwait(s, realtimeIn(-1000)));
        assertEquals(ETIMEDOUT, errno());
        errno(0);
        assertEquals(-1, sem_clockwait(s, CLOCK_MONOTONIC, monotonicIn(50)));
        assertEquals(ETIMEDOUT, errno());
    }

    /** A deadline with a negative tv_sec has long passed: -1 with ETIMEDOUT at once, never a spin. */
    @Test
    void timedwaitWithNegativeSecondsIsEtimedout() {
        sem_t s = semaphore(0);
        errno(0);
        assertEquals(-1, sem_timedwait(s, new timespec(-1, 0)));
        assertEquals(ETIMEDOUT, errno());
        errno(0);
        assertEquals(-1, sem_clockwait(s, CLOCK_MONOTONIC, new timespec(-7, 3)));
        assertEquals(ETIMEDOUT, errno());
    }

    /** sem_timedwait(3) that would wait, given tv_nsec outside [0, 1e9), returns -1 with errno EINVAL. */
    @ParameterizedTest
    @ValueSource(longs = {-1, 1_000_000_000L})
    void timedwaitWithBadNanosecondsIsEinval(long nsec) {
        sem_t s = semaphore(0);
        timespec bad = realtimeIn(1000);
        bad.tv_nsec = nsec;
        errno(0);
        assertEquals(-1, sem_timedwait(s, bad));
        assertEquals(EINVAL, errno());
        errno(0);
        assertEquals(-1, sem_clockwait(s, 42, realtimeIn(10)), "an unknown clock");
        assertEquals(EINVAL, errno());
    }

    /** sem_wait(3) blocks on zero until another thread posts. */
    @Test
    void waitBlocksUntilPost() {
        sem_t s = semaphore(0);
        AtomicInteger tid = new AtomicInteger();
        AtomicInteger got = new AtomicInteger(-2);
        pthread_t t = start(arg -> {
            tid.set(gettid());
            got.set(sem_wait(s));
            return null;
        });
        awaitBlocked(tid);
        assertEquals(-2, got.get(), "sem_wait returned on a zero semaphore");
        assertEquals(0, value(s), "a waiter does not make the value negative (Linux)");
        assertEquals(0, sem_post(s));
        join(t);
        assertEquals(0, got.get());
        assertEquals(0, value(s));
    }

    /** errno is per thread, as in C: a failure in one thread does not change another's errno. */
    @Test
    void errnoIsPerThread() {
        errno(0);
        pthread_t t = start(arg -> {
            sem_trywait(semaphore(0));
            return errno();
        });
        assertEquals(EAGAIN, join(t));
        assertEquals(0, errno());
    }

    /**
     * A new thread's errno is 0, as C's thread-local errno starts, and reads back each value
     * set, 0 included (a block keeps a non-zero errno in its rare fields, made on the first).
     */
    @Test
    void errnoStartsAtZeroAndReadsBackWhatWasSet() {
        pthread_t t = start(arg -> {
            int first = errno();
            errno(0);
            int zero = errno();
            errno(EAGAIN);
            int set = errno();
            errno(0);
            return List.of(first, zero, set, errno());
        });
        assertEquals(List.of(0, 0, EAGAIN, 0), join(t));
    }

    /** pthread_* functions return their error and leave errno alone. */
    @Test
    void pthreadFunctionsDoNotTouchErrno() {
        errno(12345);
        pthread_mutex_t m = new pthread_mutex_t();
        Holder h = MutexTest.holdMutex(m);
        assertEquals(EBUSY, pthread_mutex_trylock(m));
        assertEquals(EINVAL, pthread_mutex_lock(null));
        assertEquals(0, h.release());
        assertEquals(12345, errno());
    }

    /** Destroying a semaphore a thread waits on returns -1 with EBUSY; once nobody waits it destroys. */
    @Test
    void destroyWithWaiterIsEbusy() {
        sem_t s = semaphore(0);
        AtomicInteger tid = new AtomicInteger();
        pthread_t t = start(arg -> {
            tid.set(gettid());
            return sem_wait(s);
        });
        awaitBlocked(tid);
        errno(0);
        assertEquals(-1, sem_destroy(s));
        assertEquals(EBUSY, errno());
        assertEquals(0, sem_post(s));
        assertEquals(0, join(t));
        assertEquals(0, sem_destroy(s));
    }

    /** Posters and waiters exchange every unit: all waits return and the value ends at 0. */
    @ParameterizedTest(name = "{0} pairs x {1} units")
    @CsvSource({"1, 20000", "4, 10000"})
    void everyPostIsConsumedOnce(int pairs, int units) {
        sem_t s = semaphore(0);
        pthread_t[] t = new pthread_t[2 * pairs];
        for (int i = 0; i < pairs; i++) {
            t[2 * i] = start(arg -> {
                int failures = 0;
                for (int k = 0; k < units; k++) {
                    failures += -sem_post(s);
                }
                return failures;
            });
            t[2 * i + 1] = start(arg -> {
                int failures = 0;
                for (int k = 0; k < units; k++) {
                    failures += -sem_wait(s);
                }
                return failures;
            });
        }
        for (pthread_t x : t) {
            assertEquals(0, join(x));
        }
        assertEquals(0, value(s));
    }
}
