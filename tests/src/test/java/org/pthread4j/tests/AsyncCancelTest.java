package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.tests.TestSupport.*;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pthread4j.*;

/**
 * Asynchronous cancellation (pthread_setcanceltype(3p), PTHREAD_CANCEL_ASYNCHRONOUS) ends
 * every wait the library controls, cancellation point or not: the thread runs its cleanup
 * handlers and its join yields PTHREAD_CANCELED (as glibc, where the cancel signal unwinds
 * the thread wherever it sleeps).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AsyncCancelTest {

    /** The blocking calls, each held (practically) forever by the test. */
    enum Wait {
        MUTEX_LOCK_NORMAL, MUTEX_LOCK_ERRORCHECK, MUTEX_LOCK_RECURSIVE, MUTEX_LOCK_ROBUST, MUTEX_TIMEDLOCK,
        MUTEX_RELOCK_OWN_NORMAL, RWLOCK_RDLOCK, RWLOCK_WRLOCK, RWLOCK_TIMEDRDLOCK, RWLOCK_TIMEDWRLOCK,
        BARRIER, SPIN_LOCK, SEM_WAIT, JOIN, SLEEP
    }

    /**
     * A thread with asynchronous cancellation blocked in the wait is cancelled: it acts at
     * once (cleanup handler, PTHREAD_CANCELED) while the test still holds what it waits for.
     * MUTEX_RELOCK_OWN_NORMAL is a thread deadlocked on its own NORMAL mutex (the Open POSIX
     * Test Suite's pthread_mutex_init/1-2 and pthread_setcanceltype/1-1).
     */
    @ParameterizedTest
    @EnumSource(Wait.class)
    void asynchronousCancelEndsTheWait(Wait wait) {
        int type = switch (wait) {
            case MUTEX_LOCK_ERRORCHECK, MUTEX_TIMEDLOCK -> PTHREAD_MUTEX_ERRORCHECK;
            case MUTEX_LOCK_RECURSIVE -> PTHREAD_MUTEX_RECURSIVE;
            default -> PTHREAD_MUTEX_NORMAL;
        };
        pthread_mutex_t m = wait == Wait.MUTEX_LOCK_ROBUST ? RobustMutexTest.robust(PTHREAD_MUTEX_NORMAL) : MutexTest.mutex(type);
        pthread_rwlock_t rw = new pthread_rwlock_t();
        pthread_barrier_t b = new pthread_barrier_t();
        assertEquals(0, pthread_barrier_init(b, null, 2));
        pthread_spinlock_t spin = new pthread_spinlock_t();
        assertEquals(0, pthread_spin_init(spin, PTHREAD_PROCESS_PRIVATE));
        sem_t never = semaphore(0);
        sem_t targetRelease = semaphore(0);
        pthread_t target = wait == Wait.JOIN ? start(arg -> {
            sem_wait(targetRelease);
            return "target";
        }) : null;
        switch (wait) {
            case MUTEX_LOCK_NORMAL, MUTEX_LOCK_ERRORCHECK, MUTEX_LOCK_RECURSIVE, MUTEX_LOCK_ROBUST, MUTEX_TIMEDLOCK ->
                    assertEquals(0, pthread_mutex_lock(m));
            case RWLOCK_RDLOCK, RWLOCK_TIMEDRDLOCK -> assertEquals(0, pthread_rwlock_wrlock(rw));
            case RWLOCK_WRLOCK, RWLOCK_TIMEDWRLOCK -> assertEquals(0, pthread_rwlock_rdlock(rw));
            case SPIN_LOCK -> assertEquals(0, pthread_spin_lock(spin));
            default -> { }
        }
        AtomicReference<Thread> thread = new AtomicReference<>();
        AtomicInteger tid = new AtomicInteger();
        AtomicInteger cleanups = new AtomicInteger();
        AtomicBoolean returned = new AtomicBoolean();
        pthread_t t = start(arg -> {
            pthread_cleanup_push(v -> cleanups.incrementAndGet(), null);
            if (wait == Wait.MUTEX_RELOCK_OWN_NORMAL) {
                pthread_mutex_lock(m);
            }
            pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, null);
            tid.set(gettid());
            thread.set(Thread.currentThread());
            timespec hour = realtimeIn(3_600_000);
            int r = switch (wait) {
                case MUTEX_LOCK_NORMAL, MUTEX_LOCK_ERRORCHECK, MUTEX_LOCK_RECURSIVE, MUTEX_LOCK_ROBUST,
                        MUTEX_RELOCK_OWN_NORMAL -> pthread_mutex_lock(m);
                case MUTEX_TIMEDLOCK -> pthread_mutex_timedlock(m, hour);
                case RWLOCK_RDLOCK -> pthread_rwlock_rdlock(rw);
                case RWLOCK_WRLOCK -> pthread_rwlock_wrlock(rw);
                case RWLOCK_TIMEDRDLOCK -> pthread_rwlock_timedrdlock(rw, hour);
                case RWLOCK_TIMEDWRLOCK -> pthread_rwlock_timedwrlock(rw, hour);
                case BARRIER -> pthread_barrier_wait(b);
                case SPIN_LOCK -> pthread_spin_lock(spin);
                case SEM_WAIT -> sem_wait(never);
                case JOIN -> pthread_join(target, null);
                case SLEEP -> sleep(3600);
            };
            returned.set(true);
            return r;
        });
        await(() -> thread.get() != null, "the thread started");
        if (wait == Wait.SPIN_LOCK) {
            pause(20); // a spinner never sleeps: give it time to reach the spin
        } else {
            awaitAsleep(thread.get(), tid.get());
        }
        assertEquals(0, pthread_cancel(t));
        Object[] ret = new Object[1];
        assertEquals(0, joinWithin(t, ret, WAIT_SECONDS), "the cancelled thread ended");
        assertEquals(PTHREAD_CANCELED, ret[0]);
        assertFalse(returned.get(), "the blocking call returned instead of acting on the cancel");
        assertEquals(1, cleanups.get(), "cleanup handler runs");
        if (target != null) {
            assertEquals(0, sem_post(targetRelease));
            assertEquals("target", join(target), "the cancelled joiner left the target joinable");
        }
    }

    /**
     * A condition waiter with asynchronous cancellation, woken and then cancelled while it
     * waits to reacquire the mutex, acts on the cancel as soon as it holds the mutex again:
     * its cleanup handler runs with the mutex held (pthread_cond_wait(3p)).
     */
    @Test
    void asynchronousCancelDuringTheRelockActsOnceTheMutexIsHeld() {
        pthread_mutex_t m = MutexTest.mutex(PTHREAD_MUTEX_ERRORCHECK);
        pthread_cond_t c = new pthread_cond_t();
        AtomicReference<Thread> thread = new AtomicReference<>();
        AtomicInteger tid = new AtomicInteger();
        AtomicInteger unlockInCleanup = new AtomicInteger(-1);
        AtomicBoolean returned = new AtomicBoolean();
        boolean[] signalled = {false}; // guarded by m
        pthread_t t = start(arg -> {
            pthread_mutex_lock(m);
            pthread_cleanup_push(v -> unlockInCleanup.set(pthread_mutex_unlock(m)), null);
            pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, null);
            tid.set(gettid());
            thread.set(Thread.currentThread());
            while (!signalled[0]) {
                pthread_cond_wait(c, m);
            }
            returned.set(true);
            pthread_cleanup_pop(1);
            return "returned";
        });
        await(() -> thread.get() != null, "the thread started");
        awaitAsleep(thread.get(), tid.get());
        assertEquals(0, pthread_mutex_lock(m));
        signalled[0] = true;
        assertEquals(0, pthread_cond_signal(c));
        pause(20);
        awaitAsleep(thread.get(), tid.get()); // now waiting for m, which the test holds
        assertEquals(0, pthread_cancel(t));
        pause(20);
        assertEquals(0, pthread_mutex_unlock(m));
        assertEquals(PTHREAD_CANCELED, join(t));
        assertFalse(returned.get(), "pthread_cond_wait returned instead of acting on the cancel");
        assertEquals(0, unlockInCleanup.get(), "the cleanup handler held the (ERRORCHECK) mutex");
    }
}
