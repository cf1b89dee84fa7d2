package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.tests.TestSupport.*;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pthread4j.*;

/**
 * {@code pthread_tryjoin_np}, {@code pthread_timedjoin_np} and {@code pthread_clockjoin_np}:
 * the answers glibc 2.36 gives for the same calls (measured with a C program on this machine
 * kind), a timed-out join that leaves the thread joinable, and a join that returns the exit
 * value once the thread ends before the deadline.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ClockJoinTest {

    /** A thread that waits on {@code go} and then returns "done". */
    private static pthread_t waiter(sem_t go) {
        return start(arg -> {
            sem_wait(go);
            return "done";
        });
    }

    /** tryjoin answers EBUSY while the thread runs and joins it, with its value, once it has ended. */
    @Test
    void tryjoin() {
        sem_t go = semaphore(0);
        pthread_t t = waiter(go);
        Object[] ret = new Object[1];
        assertEquals(EBUSY, pthread_tryjoin_np(t, ret));
        assertEquals(EBUSY, pthread_tryjoin_np(pthread_self(), ret), "glibc: EBUSY for the caller, which runs");
        sem_post(go);
        int r;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while ((r = pthread_tryjoin_np(t, ret)) == EBUSY && System.nanoTime() < deadline) {
            pause(1);
        }
        assertEquals(0, r);
        assertEquals("done", ret[0]);
        assertEquals(ESRCH, pthread_tryjoin_np(t, ret));
        assertEquals(EINVAL, pthread_tryjoin_np(null, ret));
        assertEquals(ESRCH, pthread_tryjoin_np(new pthread_t(), ret));
    }

    /** A running detached thread is EBUSY for tryjoin (glibc looks at the tid first), EINVAL for a timed join. */
    @Test
    void detached() {
        sem_t go = semaphore(0);
        sem_t gone = semaphore(0);
        pthread_t t = startDetached(arg -> {
            sem_wait(go);
            sem_post(gone);
            return null;
        });
        assertEquals(EBUSY, pthread_tryjoin_np(t, null));
        assertEquals(EINVAL, pthread_timedjoin_np(t, null, realtimeIn(10_000)));
        sem_post(go);
        awaitPost(gone, "the detached thread");
    }

    /** A deadline that passes gives ETIMEDOUT and the thread stays joinable; a later join gets its value. */
    @Test
    void timeoutLeavesJoinable() {
        for (int clock : new int[] {CLOCK_REALTIME, CLOCK_MONOTONIC}) {
            sem_t go = semaphore(0);
            pthread_t t = waiter(go);
            Object[] ret = new Object[1];
            assertEquals(ETIMEDOUT, pthread_clockjoin_np(t, ret, clock, plusMillis(now(clock), 20)));
            assertEquals(ETIMEDOUT, pthread_clockjoin_np(t, ret, clock, new timespec(-1, 0)), "before the epoch");
            assertEquals(ETIMEDOUT, pthread_timedjoin_np(t, ret, realtimeIn(-1000)));
            sem_post(go);
            assertEquals(0, pthread_clockjoin_np(t, ret, clock, plusMillis(now(clock), 20_000)));
            assertEquals("done", ret[0]);
        }
    }

    /** A waiting timed join returns 0 with the value when the thread ends before the deadline. */
    @Test
    void endsBeforeDeadline() {
        sem_t go = semaphore(0);
        pthread_t t = waiter(go);
        pthread_t poster = start(arg -> {
            usleep(20_000);
            return sem_post(go);
        });
        Object[] ret = new Object[1];
        assertEquals(0, pthread_timedjoin_np(t, ret, realtimeIn(20_000)));
        assertEquals("done", ret[0]);
        join(poster);
    }

    /**
     * Bad input: an unknown clock is EINVAL before anything else (glibc), a bad tv_nsec EINVAL
     * when the join would wait, null EINVAL, the caller EDEADLK.
     */
    @Test
    void badInput() {
        sem_t go = semaphore(0);
        pthread_t t = waiter(go);
        assertEquals(EINVAL, pthread_clockjoin_np(t, null, 5, monotonicIn(1000)));
        assertEquals(EINVAL, pthread_clockjoin_np(t, null, -7, monotonicIn(1000)));
        assertEquals(EINVAL, pthread_timedjoin_np(t, null, new timespec(now(CLOCK_REALTIME).tv_sec, 1_000_000_000L)));
        assertEquals(EINVAL, pthread_timedjoin_np(t, null, new timespec(now(CLOCK_REALTIME).tv_sec, -1)));
        assertEquals(EINVAL, pthread_timedjoin_np(t, null, null));
        assertEquals(EINVAL, pthread_timedjoin_np(null, null, realtimeIn(10)));
        assertEquals(EDEADLK, pthread_timedjoin_np(pthread_self(), null, realtimeIn(10)));
        sem_post(go);
        Object[] ret = new Object[1];
        assertEquals(0, pthread_clockjoin_np(t, ret, CLOCK_MONOTONIC, monotonicIn(20_000)));
        assertTrue("done".equals(ret[0]));
        assertEquals(ESRCH, pthread_timedjoin_np(t, null, realtimeIn(10)));
    }

    /** A timed join is a cancellation point: a cancelled joiner unwinds and the target stays joinable. */
    @Test
    void cancellable() {
        sem_t go = semaphore(0);
        pthread_t t = waiter(go);
        sem_t joining = semaphore(0);
        pthread_t joiner = start(arg -> {
            sem_post(joining);
            return pthread_timedjoin_np(t, null, realtimeIn(60_000));
        });
        awaitPost(joining, "the joiner");
        assertEquals(0, pthread_cancel(joiner));
        assertEquals(PTHREAD_CANCELED, join(joiner));
        sem_post(go);
        assertEquals("done", join(t));
    }
}
