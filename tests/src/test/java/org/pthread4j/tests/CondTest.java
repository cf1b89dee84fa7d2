package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.tests.TestSupport.*;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.pthread4j.*;

/** Condition variables: pthread_cond_wait(3p), pthread_cond_timedwait(3p), signal and broadcast. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CondTest {

    static pthread_cond_t cond(int clock) {
        pthread_condattr_t a = new pthread_condattr_t();
        assertEquals(0, pthread_condattr_init(a));
        assertEquals(0, pthread_condattr_setclock(a, clock));
        pthread_cond_t c = new pthread_cond_t();
        assertEquals(0, pthread_cond_init(c, a));
        assertEquals(0, pthread_condattr_destroy(a));
        return c;
    }

    /** N threads waiting on one condition: state shared by the test and the waiters, guarded by {@link #m}. */
    static final class Waiters {
        final pthread_mutex_t m;
        final pthread_cond_t c = new pthread_cond_t();
        int waiting; // guarded by m
        int tokens; // guarded by m
        boolean go; // guarded by m
        final pthread_t[] threads;

        /** Starts {@code n} threads that each wait until {@code go} or a token, and returns once all of them wait. */
        Waiters(int n, pthread_mutex_t m, boolean consumeTokens) {
            this.m = m;
            threads = new pthread_t[n];
            for (int i = 0; i < n; i++) {
                threads[i] = start(arg -> {
                    pthread_mutex_lock(m);
                    waiting++;
                    while (consumeTokens ? tokens == 0 : !go) {
                        pthread_cond_wait(c, m);
                    }
                    if (consumeTokens) {
                        tokens--;
                    }
                    waiting--;
                    pthread_mutex_unlock(m);
                    return null;
                });
            }
            // Holding m while seeing all n counted proves all n are inside pthread_cond_wait.
            await(() -> {
                pthread_mutex_lock(m);
                int w = waiting;
                pthread_mutex_unlock(m);
                return w == n;
            }, "all " + n + " threads wait on the condition");
        }
    }

    /** Broadcast wakes every waiter, with mutexes of every type (pthread_cond_broadcast(3p)). */
    @ParameterizedTest
    @CsvSource({
        "1, " + PTHREAD_MUTEX_NORMAL,
        "16, " + PTHREAD_MUTEX_NORMAL,
        "200, " + PTHREAD_MUTEX_NORMAL,
        "16, " + PTHREAD_MUTEX_ERRORCHECK,
        "16, " + PTHREAD_MUTEX_RECURSIVE,
    })
    void broadcastWakesAllWaiters(int n, int type) {
        Waiters w = new Waiters(n, MutexTest.mutex(type), false);
        pthread_mutex_lock(w.m);
        w.go = true;
        assertEquals(0, pthread_cond_broadcast(w.c));
        pthread_mutex_unlock(w.m);
        joinAll(w.threads);
        assertEquals(0, w.waiting);
    }

    /** A broadcast made without holding the mutex also wakes every waiter. */
    @Test
    void broadcastOutsideTheMutexWakesAll() {
        Waiters w = new Waiters(32, new pthread_mutex_t(), false);
        pthread_mutex_lock(w.m);
        w.go = true;
        pthread_mutex_unlock(w.m);
        assertEquals(0, pthread_cond_broadcast(w.c));
        joinAll(w.threads);
    }

    /** A signal made without holding the mutex, while the mutex is free, wakes a waiter. */
    @Test
    void signalOutsideTheMutexWakesAWaiter() {
        Waiters w = new Waiters(1, new pthread_mutex_t(), true);
        pthread_mutex_lock(w.m);
        w.tokens = 1;
        pthread_mutex_unlock(w.m);
        assertEquals(0, pthread_cond_signal(w.c));
        joinAll(w.threads);
        assertEquals(0, w.tokens);
    }

    /**
     * A timed waiter whose deadline passes about when a signal comes, and which gives up on
     * ETIMEDOUT without looking at the predicate, either takes the signal (returns 0) or
     * leaves it to the untimed waiter queued after it, which then wakes: a waiter that times
     * out never takes a signal meant for another (pthread_cond_timedwait(3p)).
     */
    @Test
    void timedOutWaiterNeverTakesASignal() {
        for (int round = 0; round < 60; round++) {
            pthread_mutex_t m = new pthread_mutex_t();
            pthread_cond_t c = new pthread_cond_t();
            int[] tokens = {0}; // guarded by m
            boolean[] entered = {false}; // guarded by m
            pthread_t timed = start(arg -> {
                pthread_mutex_lock(m);
                entered[0] = true;
                int r = pthread_cond_timedwait(c, m, realtimeIn(3));
                boolean took = r == 0 && tokens[0] > 0;
                if (took) {
                    tokens[0]--;
                }
                pthread_mutex_unlock(m);
                return took;
            });
            await(() -> {
                pthread_mutex_lock(m);
                boolean in = entered[0];
                pthread_mutex_unlock(m);
                return in;
            }, "the timed waiter waits (or has already timed out)");
            pthread_t untimed = start(arg -> {
                pthread_mutex_lock(m);
                while (tokens[0] == 0) {
                    pthread_cond_wait(c, m);
                }
                tokens[0]--;
                pthread_mutex_unlock(m);
                return null;
            });
            pause(round % 6);
            pthread_mutex_lock(m);
            tokens[0]++;
            assertEquals(0, pthread_cond_signal(c));
            pthread_mutex_unlock(m);
            if ((Boolean) join(timed)) {
                pthread_mutex_lock(m);
                tokens[0]++; // the timed waiter took the first: one for the untimed
                assertEquals(0, pthread_cond_signal(c));
                pthread_mutex_unlock(m);
            }
            assertEquals(null, join(untimed), "round " + round + ": the untimed waiter got a signal");
            assertEquals(0, tokens[0]);
        }
    }

    /** Each of N signals, each with one token, lets one more waiter through: no signal is lost (pthread_cond_signal(3p)). */
    @ParameterizedTest
    @ValueSource(ints = {1, 8, 64})
    void everySignalReleasesAWaiter(int n) {
        Waiters w = new Waiters(n, new pthread_mutex_t(), true);
        for (int i = 0; i < n; i++) {
            pthread_mutex_lock(w.m);
            w.tokens++;
            assertEquals(0, pthread_cond_signal(w.c));
            pthread_mutex_unlock(w.m);
        }
        joinAll(w.threads);
        assertEquals(0, w.tokens);
    }

    /** A signal or broadcast with no waiter is not remembered: a later timedwait still times out. */
    @Test
    void signalWithoutWaiterIsNotRemembered() {
        pthread_mutex_t m = new pthread_mutex_t();
        pthread_cond_t c = new pthread_cond_t();
        assertEquals(0, pthread_cond_signal(c));
        assertEquals(0, pthread_cond_broadcast(c));
        pthread_mutex_lock(m);
        assertEquals(ETIMEDOUT, pthread_cond_timedwait(c, m, realtimeIn(50)));
        pthread_mutex_unlock(m);
    }

    /** timedwait gives ETIMEDOUT after its deadline, not before, and returns with the mutex held again. */
    @Test
    void timedwaitPastDeadlineIsEtimedoutWithMutexHeld() {
        pthread_mutex_t m = MutexTest.mutex(PTHREAD_MUTEX_ERRORCHECK);
        pthread_cond_t c = new pthread_cond_t();
        assertEquals(0, pthread_mutex_lock(m));
        long t0 = System.nanoTime();
        assertEquals(ETIMEDOUT, pthread_cond_timedwait(c, m, realtimeIn(100)));
        long waited = millisSince(t0);
        assertTrue(waited >= 90, "returned after " + waited + " ms");
        assertEquals(ETIMEDOUT, pthread_cond_timedwait(c, m, realtimeIn(-1000)), "a deadline already past");
        assertEquals(EDEADLK, pthread_mutex_lock(m), "the mutex is held again");
        assertEquals(0, pthread_mutex_unlock(m));
    }

    /** A deadline with a negative tv_sec has long passed: ETIMEDOUT at once, mutex held. */
    @Test
    void timedwaitWithNegativeSecondsIsEtimedout() {
        pthread_mutex_t m = MutexTest.mutex(PTHREAD_MUTEX_ERRORCHECK);
        pthread_cond_t c = new pthread_cond_t();
        assertEquals(0, pthread_mutex_lock(m));
        assertEquals(ETIMEDOUT, pthread_cond_timedwait(c, m, new timespec(-1, 0)));
        assertEquals(EDEADLK, pthread_mutex_lock(m));
        assertEquals(0, pthread_mutex_unlock(m));
    }

    /** timedwait with tv_nsec outside [0, 1e9) gives EINVAL and keeps the mutex held (pthread_cond_timedwait(3p)). */
    @ParameterizedTest
    @ValueSource(longs = {-1, 1_000_000_000L})
    void timedwaitWithBadNanosecondsIsEinval(long nsec) {
        pthread_mutex_t m = MutexTest.mutex(PTHREAD_MUTEX_ERRORCHECK);
        pthread_cond_t c = new pthread_cond_t();
        assertEquals(0, pthread_mutex_lock(m));
        timespec bad = realtimeIn(1000);
        bad.tv_nsec = nsec;
        assertEquals(EINVAL, pthread_cond_timedwait(c, m, bad));
        assertEquals(EDEADLK, pthread_mutex_lock(m), "still held");
        assertEquals(0, pthread_mutex_unlock(m));
    }

    /** With setclock(CLOCK_MONOTONIC) the deadline is read on the monotonic clock: it times out after the 100 ms asked (pthread_condattr_setclock(3p)). */
    @Test
    void monotonicClockDeadline() {
        pthread_cond_t c = cond(CLOCK_MONOTONIC);
        pthread_mutex_t m = new pthread_mutex_t();
        pthread_mutex_lock(m);
        long t0 = System.nanoTime();
        // Read on CLOCK_REALTIME this deadline would be decades past, and the wait would end at once.
        assertEquals(ETIMEDOUT, pthread_cond_timedwait(c, m, monotonicIn(100)));
        long waited = millisSince(t0);
        pthread_mutex_unlock(m);
        assertTrue(waited >= 90, "waited " + waited + " ms");
    }

    /** A condition on CLOCK_MONOTONIC is signalled like any other: the waiter returns 0 well before its deadline. */
    @Test
    void monotonicConditionIsSignalled() {
        pthread_cond_t c = cond(CLOCK_MONOTONIC);
        pthread_mutex_t m = new pthread_mutex_t();
        boolean[] ready = {false};
        AtomicInteger tid = new AtomicInteger();
        pthread_t t = start(arg -> {
            pthread_mutex_lock(m);
            tid.set(gettid());
            int r = 0;
            timespec deadline = monotonicIn(20_000);
            while (!ready[0] && r == 0) {
                r = pthread_cond_timedwait(c, m, deadline);
            }
            pthread_mutex_unlock(m);
            return r;
        });
        awaitBlocked(tid);
        pthread_mutex_lock(m);
        ready[0] = true;
        pthread_cond_signal(c);
        pthread_mutex_unlock(m);
        assertEquals(0, join(t));
    }

    /** cond_wait with an ERRORCHECK or RECURSIVE mutex the caller does not hold gives EPERM (pthread_cond_wait(3p)). */
    @ParameterizedTest
    @ValueSource(ints = {PTHREAD_MUTEX_ERRORCHECK, PTHREAD_MUTEX_RECURSIVE})
    void waitWithUnownedMutexIsEperm(int type) {
        pthread_mutex_t m = MutexTest.mutex(type);
        pthread_cond_t c = new pthread_cond_t();
        assertEquals(EPERM, pthread_cond_wait(c, m));
        assertEquals(EPERM, pthread_cond_timedwait(c, m, realtimeIn(1000)));
        Holder h = MutexTest.holdMutex(m);
        assertEquals(EPERM, pthread_cond_wait(c, m), "held by another thread");
        assertEquals(0, h.release());
        assertEquals(0, pthread_cond_destroy(c), "the failed waits left no waiter behind");
    }

    /** A RECURSIVE mutex held at depth 3 is released completely during the wait and restored to depth 3 after it. */
    @Test
    void recursiveDepthIsRestoredAfterWait() {
        pthread_mutex_t m = MutexTest.mutex(PTHREAD_MUTEX_RECURSIVE);
        pthread_cond_t c = new pthread_cond_t();
        for (int i = 0; i < 3; i++) {
            assertEquals(0, pthread_mutex_lock(m));
        }
        boolean[] signalled = {false};
        pthread_t t = start(arg -> {
            int r = pthread_mutex_lock(m); // possible only if the wait released all three levels
            signalled[0] = true;
            pthread_cond_signal(c);
            return r + pthread_mutex_unlock(m);
        });
        while (!signalled[0]) {
            assertEquals(0, pthread_cond_timedwait(c, m, realtimeIn(20_000)));
        }
        assertEquals(0, join(t));
        for (int i = 0; i < 3; i++) {
            assertEquals(0, pthread_mutex_unlock(m));
        }
        assertEquals(EPERM, pthread_mutex_unlock(m));
    }

    /** Destroying a condition with a waiter gives EBUSY; without waiters it destroys (pthread_cond_destroy(3p)). */
    @Test
    void destroyWithWaiterIsEbusy() {
        Waiters w = new Waiters(1, new pthread_mutex_t(), false);
        assertEquals(EBUSY, pthread_cond_destroy(w.c));
        pthread_mutex_lock(w.m);
        w.go = true;
        pthread_cond_signal(w.c);
        pthread_mutex_unlock(w.m);
        joinAll(w.threads);
        assertEquals(0, pthread_cond_destroy(w.c));
    }

    /**
     * A condition may be destroyed right after the broadcast that woke all its waiters, before
     * they have reacquired the mutex (pthread_cond_destroy(3p), the example in its rationale).
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 8})
    void destroyRightAfterBroadcast(int n) {
        Waiters w = new Waiters(n, new pthread_mutex_t(), false);
        pthread_mutex_lock(w.m);
        w.go = true;
        assertEquals(0, pthread_cond_broadcast(w.c));
        int destroyed = pthread_cond_destroy(w.c); // the waiters still need the mutex we hold
        pthread_mutex_unlock(w.m);
        joinAll(w.threads);
        assertEquals(0, destroyed);
        assertEquals(EINVAL, pthread_cond_signal(w.c), "destroyed");
    }

    /** While threads wait with one mutex, a wait on the same condition with another mutex gives EINVAL. */
    @Test
    void waitWithSecondMutexIsEinval() {
        Waiters w = new Waiters(1, new pthread_mutex_t(), false);
        pthread_mutex_t other = new pthread_mutex_t();
        pthread_mutex_lock(other);
        assertEquals(EINVAL, pthread_cond_timedwait(w.c, other, realtimeIn(1000)));
        pthread_mutex_unlock(other);
        pthread_mutex_lock(w.m);
        w.go = true;
        pthread_cond_broadcast(w.c);
        pthread_mutex_unlock(w.m);
        joinAll(w.threads);
    }

    /** Once every waiter of one mutex has left, the condition may be used with another mutex. */
    @Test
    void conditionMayChangeMutexWhenIdle() {
        pthread_cond_t c = new pthread_cond_t();
        pthread_mutex_t a = new pthread_mutex_t();
        pthread_mutex_t b = new pthread_mutex_t();
        pthread_mutex_lock(a);
        assertEquals(ETIMEDOUT, pthread_cond_timedwait(c, a, realtimeIn(5)));
        pthread_mutex_unlock(a);
        pthread_mutex_lock(b);
        assertEquals(ETIMEDOUT, pthread_cond_timedwait(c, b, realtimeIn(5)));
        pthread_mutex_unlock(b);
    }

    /**
     * Two pthreads hand a turn back and forth 50,000 times, each waiting in
     * pthread_cond_wait while the other holds the turn: every wait releases a mutex on which
     * the other sleeps, which is the hand-off on {@code virtual} (a yield and a spin before
     * the park; see ParkingLot's "Condition queues"). A wake-up lost anywhere leaves both
     * waiting, and the class's timeout fails the test. Such a loop, run longer (20 pairs of
     * 50,000 round trips), lost one about every 700,000 round trips when the parking lot
     * ordered its WAKE before the JDK's unpark with a release store only: a waiter that an
     * older unpark resumed could read its state before the WAKE and park with no unpark to
     * come. This test's 50,000 meet that rarely; it guards the liveness of every model.
     */
    @Test
    void pingPongLosesNoWakeUp() {
        int trips = 50_000;
        pthread_mutex_t m = new pthread_mutex_t();
        pthread_cond_t c = new pthread_cond_t();
        int[] turn = {0}; // guarded by m: whose turn it is, 0 or 1
        int[] trips2 = new int[2]; // guarded by m: turns each side took
        pthread_t[] t = new pthread_t[2];
        for (int k = 0; k < 2; k++) {
            int me = k;
            t[k] = start(arg -> {
                assertEquals(0, pthread_mutex_lock(m));
                for (int i = 0; i < trips; i++) {
                    while (turn[0] != me) {
                        assertEquals(0, pthread_cond_wait(c, m));
                    }
                    trips2[me]++;
                    turn[0] = 1 - me;
                    assertEquals(0, pthread_cond_signal(c));
                }
                assertEquals(0, pthread_mutex_unlock(m));
                return null;
            });
        }
        joinAll(t);
        assertEquals(trips, trips2[0]);
        assertEquals(trips, trips2[1]);
    }

    /**
     * A timed wait whose release wakes a thread asleep on the mutex (a hand-off on
     * {@code virtual}) still ends at its deadline, with ETIMEDOUT and the mutex held again,
     * and the woken thread has had the mutex meanwhile; then the same with a signal instead of
     * the deadline, which the wait returns 0 for.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void waitThatWakesAMutexSleeperEndsAsUsual(boolean signalled) {
        pthread_mutex_t m = new pthread_mutex_t();
        pthread_mutexattr_t a = new pthread_mutexattr_t();
        assertEquals(0, pthread_mutexattr_init(a));
        assertEquals(0, pthread_mutexattr_settype(a, PTHREAD_MUTEX_ERRORCHECK));
        assertEquals(0, pthread_mutex_init(m, a));
        pthread_cond_t c = new pthread_cond_t();
        AtomicInteger tid = new AtomicInteger();
        AtomicReference<Thread> sleeperThread = new AtomicReference<>();
        int[] sleeperHadIt = {0}; // guarded by m
        Object result = join(start(arg -> {
            assertEquals(0, pthread_mutex_lock(m));
            pthread_t sleeper = start(b -> {
                sleeperThread.set(Thread.currentThread());
                tid.set(gettid());
                assertEquals(0, pthread_mutex_lock(m)); // sleeps: the waiter holds m
                sleeperHadIt[0]++;
                if (signalled) {
                    assertEquals(0, pthread_cond_signal(c));
                }
                assertEquals(0, pthread_mutex_unlock(m));
                return null;
            });
            await(() -> tid.get() != 0, "the sleeper started");
            awaitAsleep(sleeperThread.get(), tid.get());
            int r = pthread_cond_timedwait(c, m, realtimeIn(signalled ? 20_000 : 200));
            // On a busy machine the woken sleeper may not have run within the first deadline:
            // more waits (each one a timeout too) give it the time, up to 10 s.
            for (int i = 0; i < 50 && !signalled && r == ETIMEDOUT && sleeperHadIt[0] == 0; i++) {
                r = pthread_cond_timedwait(c, m, realtimeIn(200));
            }
            int had = sleeperHadIt[0];
            int unlock = pthread_mutex_unlock(m); // errorcheck: 0 only if this thread holds it
            join(sleeper);
            return r + "," + had + "," + unlock;
        }));
        assertEquals((signalled ? 0 : ETIMEDOUT) + ",1,0", result);
    }
}
