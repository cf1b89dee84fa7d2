package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.tests.TestSupport.*;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pthread4j.*;

/**
 * A waiter cancelled while blocked never takes the wake-up another waiter needs
 * (pthread_cond_wait(3p): a cancelled waiter "shall not consume any condition signal that
 * may be directed concurrently at the condition variable if there are other threads blocked
 * on the condition variable"), for every cancellable wait on a word that several threads
 * sleep on. Deferred cancellation for the cancellation points, asynchronous for the lock
 * waits. Join is not here: a thread has at most one joiner, so its word has one sleeper.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CancelWakeTest {

    /** Rounds per wait: enough that an interleaving that loses one wake in a few rounds shows. */
    static final int ROUNDS = 100;

    /** The waits, and how each is woken once. */
    enum Wait {
        COND_WAIT(false), COND_TIMEDWAIT(false), SEM_WAIT(false), SEM_TIMEDWAIT(false),
        MUTEX_LOCK(true), MUTEX_TIMEDLOCK(true), RWLOCK_WRLOCK(true), BARRIER(true);

        /** Whether the waiters cancel asynchronously (the wait is not a cancellation point). */
        final boolean asynchronous;

        Wait(boolean asynchronous) {
            this.asynchronous = asynchronous;
        }
    }

    /** One round's primitives, a waiter body, and the single wake-up. */
    static final class Round {
        final Wait wait;
        final pthread_mutex_t m;
        final pthread_cond_t c = new pthread_cond_t();
        final sem_t s = semaphore(0);
        final pthread_rwlock_t rw = new pthread_rwlock_t();
        final pthread_barrier_t b = new pthread_barrier_t();
        boolean go; // guarded by m

        Round(Wait wait) {
            this.wait = wait;
            // NORMAL takes the anonymous (glibc-like) contended path, ERRORCHECK the owner-tid one.
            m = MutexTest.mutex(wait == Wait.MUTEX_TIMEDLOCK ? PTHREAD_MUTEX_ERRORCHECK : PTHREAD_MUTEX_NORMAL);
            assertEquals(0, pthread_barrier_init(b, null, 3));
            switch (wait) {
                case MUTEX_LOCK, MUTEX_TIMEDLOCK -> assertEquals(0, pthread_mutex_lock(m));
                case RWLOCK_WRLOCK -> assertEquals(0, pthread_rwlock_wrlock(rw));
                default -> { }
            }
        }

        /** Starts a waiter and returns once it sleeps in the wait. */
        pthread_t waiter() {
            AtomicReference<Thread> thread = new AtomicReference<>();
            AtomicInteger tid = new AtomicInteger();
            pthread_t t = start(arg -> {
                if (wait.asynchronous) {
                    pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, null);
                }
                tid.set(gettid());
                thread.set(Thread.currentThread());
                return block();
            });
            await(() -> thread.get() != null, "the waiter started");
            awaitAsleep(thread.get(), tid.get());
            return t;
        }

        /** The wait itself: 0 once woken by {@link #wakeOnce}, else the wait's error. */
        private int block() {
            long hour = 3_600_000;
            switch (wait) {
                case COND_WAIT, COND_TIMEDWAIT -> {
                    pthread_mutex_lock(m);
                    pthread_cleanup_push(v -> pthread_mutex_unlock(m), null);
                    int r = 0;
                    while (!go && r == 0) {
                        r = wait == Wait.COND_WAIT ? pthread_cond_wait(c, m) : pthread_cond_timedwait(c, m, realtimeIn(hour));
                    }
                    pthread_cleanup_pop(1);
                    return r;
                }
                case SEM_WAIT -> {
                    return sem_wait(s) == 0 ? 0 : errno();
                }
                case SEM_TIMEDWAIT -> {
                    return sem_timedwait(s, realtimeIn(hour)) == 0 ? 0 : errno();
                }
                case MUTEX_LOCK, MUTEX_TIMEDLOCK -> {
                    int r = wait == Wait.MUTEX_LOCK ? pthread_mutex_lock(m) : pthread_mutex_timedlock(m, realtimeIn(hour));
                    return r != 0 ? r : pthread_mutex_unlock(m);
                }
                case RWLOCK_WRLOCK -> {
                    int r = pthread_rwlock_wrlock(rw);
                    return r != 0 ? r : pthread_rwlock_unlock(rw);
                }
                case BARRIER -> {
                    int r = pthread_barrier_wait(b);
                    return r == PTHREAD_BARRIER_SERIAL_THREAD ? 0 : r;
                }
            }
            throw new AssertionError(wait);
        }

        /** One wake-up: a signal with the predicate set, a post, an unlock, the last arrival. */
        void wakeOnce() {
            switch (wait) {
                case COND_WAIT, COND_TIMEDWAIT -> {
                    pthread_mutex_lock(m);
                    go = true;
                    pthread_cond_signal(c);
                    pthread_mutex_unlock(m);
                }
                case SEM_WAIT, SEM_TIMEDWAIT -> assertEquals(0, sem_post(s));
                case MUTEX_LOCK, MUTEX_TIMEDLOCK -> assertEquals(0, pthread_mutex_unlock(m));
                case RWLOCK_WRLOCK -> assertEquals(0, pthread_rwlock_unlock(rw));
                case BARRIER -> assertEquals(PTHREAD_BARRIER_SERIAL_THREAD, pthread_barrier_wait(b));
            }
        }
    }

    /**
     * Two threads sleep in the same wait; the first is cancelled and then the wait is woken
     * once: the cancelled one ends with PTHREAD_CANCELED and the other wakes, in every round.
     */
    @ParameterizedTest
    @EnumSource(Wait.class)
    void cancelledWaiterPassesTheWakeOn(Wait wait) {
        for (int round = 0; round < ROUNDS; round++) {
            Round r = new Round(wait);
            pthread_t first = r.waiter();
            pthread_t second = r.waiter();
            assertEquals(0, pthread_cancel(first));
            r.wakeOnce();
            assertEquals(PTHREAD_CANCELED, join(first), "round " + round + ": the cancelled waiter");
            Object[] ret = new Object[1];
            try {
                assertEquals(0, joinWithin(second, ret, WAIT_SECONDS));
            } catch (AssertionError e) {
                throw new AssertionError("round " + round + ": the other waiter missed the wake-up", e);
            }
            assertEquals(0, ret[0], "round " + round + ": the other waiter's wait");
        }
    }
}
