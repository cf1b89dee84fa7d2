package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.tests.TestSupport.*;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pthread4j.*;

/** Robust mutexes: what the next locker sees when an owner ends holding one (pthread_mutexattr_setrobust(3)). */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RobustMutexTest {

    static pthread_mutex_t robust(int type) {
        pthread_mutexattr_t a = new pthread_mutexattr_t();
        assertEquals(0, pthread_mutexattr_init(a));
        assertEquals(0, pthread_mutexattr_settype(a, type));
        assertEquals(0, pthread_mutexattr_setrobust(a, PTHREAD_MUTEX_ROBUST));
        pthread_mutex_t m = new pthread_mutex_t();
        assertEquals(0, pthread_mutex_init(m, a));
        return m;
    }

    /** Lets a thread take {@code m} and end without unlocking it. */
    static void ownerEndsHolding(pthread_mutex_t m) {
        assertEquals(0, join(start(arg -> pthread_mutex_lock(m))));
    }

    /** The next locker after the owner ended holding the mutex gets EOWNERDEAD and owns it; consistent() then restores it. */
    @ParameterizedTest
    @ValueSource(ints = {PTHREAD_MUTEX_NORMAL, PTHREAD_MUTEX_ERRORCHECK, PTHREAD_MUTEX_RECURSIVE})
    void ownerDeathGivesEownerdeadThenConsistentWorks(int type) {
        pthread_mutex_t m = robust(type);
        ownerEndsHolding(m);
        assertEquals(EOWNERDEAD, pthread_mutex_lock(m));
        assertEquals(0, join(start(arg -> pthread_mutex_trylock(m) == EBUSY ? 0 : -1)), "the new owner holds it");
        assertEquals(0, pthread_mutex_consistent(m));
        assertEquals(0, pthread_mutex_unlock(m));
        assertEquals(0, pthread_mutex_lock(m), "an ordinary mutex again");
        assertEquals(0, pthread_mutex_unlock(m));
        assertEquals(0, pthread_mutex_destroy(m));
    }

    /** Unlocking after EOWNERDEAD without consistent() makes the mutex ENOTRECOVERABLE for every later locker. */
    @Test
    void unlockWithoutConsistentIsNotRecoverable() {
        pthread_mutex_t m = robust(PTHREAD_MUTEX_NORMAL);
        ownerEndsHolding(m);
        assertEquals(EOWNERDEAD, pthread_mutex_lock(m));
        assertEquals(0, pthread_mutex_unlock(m));
        assertEquals(ENOTRECOVERABLE, pthread_mutex_lock(m));
        assertEquals(ENOTRECOVERABLE, pthread_mutex_trylock(m));
        assertEquals(ENOTRECOVERABLE, pthread_mutex_timedlock(m, realtimeIn(10)));
        assertEquals(ENOTRECOVERABLE, join(start(arg -> pthread_mutex_lock(m))));
        assertEquals(0, pthread_mutex_destroy(m), "an unrecoverable mutex can only be destroyed");
    }

    /** trylock also reports the owner's death with EOWNERDEAD and takes the mutex. */
    @Test
    void trylockSeesOwnerDeath() {
        pthread_mutex_t m = robust(PTHREAD_MUTEX_ERRORCHECK);
        ownerEndsHolding(m);
        assertEquals(EOWNERDEAD, pthread_mutex_trylock(m));
        assertEquals(0, pthread_mutex_consistent(m));
        assertEquals(EDEADLK, pthread_mutex_lock(m), "we own it now");
        assertEquals(0, pthread_mutex_unlock(m));
    }

    /** A thread already blocked in lock is woken by the owner's death and gets EOWNERDEAD. */
    @Test
    void blockedLockerIsWokenByOwnerDeath() {
        pthread_mutex_t m = robust(PTHREAD_MUTEX_NORMAL);
        sem_t locked = semaphore(0);
        sem_t die = semaphore(0);
        pthread_t owner = start(arg -> {
            pthread_mutex_lock(m);
            sem_post(locked);
            sem_wait(die);
            pthread_exit("died holding it");
            return null;
        });
        awaitPost(locked, "the owner holds the mutex");
        AtomicInteger tid = new AtomicInteger();
        pthread_t waiter = start(arg -> {
            tid.set(gettid());
            int r = pthread_mutex_lock(m);
            if (r == EOWNERDEAD) {
                pthread_mutex_consistent(m);
            }
            pthread_mutex_unlock(m);
            return r;
        });
        awaitBlocked(tid);
        sem_post(die);
        assertEquals("died holding it", join(owner));
        assertEquals(EOWNERDEAD, join(waiter));
        assertEquals(0, pthread_mutex_trylock(m));
        assertEquals(0, pthread_mutex_unlock(m));
    }

    /** A cancelled owner also counts as dead: the next locker gets EOWNERDEAD. */
    @Test
    void cancelledOwnerIsDead() {
        pthread_mutex_t m = robust(PTHREAD_MUTEX_NORMAL);
        AtomicInteger tid = new AtomicInteger();
        pthread_t owner = start(arg -> {
            pthread_mutex_lock(m);
            tid.set(gettid());
            for (;;) {
                sleep(100);
            }
        });
        awaitBlocked(tid);
        assertEquals(0, pthread_cancel(owner));
        assertEquals(PTHREAD_CANCELED, join(owner));
        assertEquals(EOWNERDEAD, pthread_mutex_timedlock(m, realtimeIn(5000)));
        assertEquals(0, pthread_mutex_consistent(m));
        assertEquals(0, pthread_mutex_unlock(m));
    }

    /** A robust mutex unlocked normally before its owner ends is not marked dead. */
    @Test
    void ownerThatUnlocksLeavesNoTrace() {
        pthread_mutex_t m = robust(PTHREAD_MUTEX_ERRORCHECK);
        assertEquals(0, join(start(arg -> pthread_mutex_lock(m) + pthread_mutex_unlock(m))));
        assertEquals(0, pthread_mutex_lock(m));
        assertEquals(0, pthread_mutex_unlock(m));
    }

    /** consistent() gives EINVAL on a mutex that is not robust, or robust and already consistent (pthread_mutex_consistent(3)). */
    @Test
    void consistentOnConsistentMutexIsEinval() {
        pthread_mutex_t plain = MutexTest.mutex(PTHREAD_MUTEX_ERRORCHECK);
        assertEquals(0, pthread_mutex_lock(plain));
        assertEquals(EINVAL, pthread_mutex_consistent(plain));
        assertEquals(0, pthread_mutex_unlock(plain));
        pthread_mutex_t m = robust(PTHREAD_MUTEX_NORMAL);
        assertEquals(0, pthread_mutex_lock(m));
        assertEquals(EINVAL, pthread_mutex_consistent(m));
        assertEquals(0, pthread_mutex_unlock(m));
    }

    /** Several robust mutexes held by one ending thread are all marked: each next locker gets EOWNERDEAD. */
    @Test
    void everyHeldRobustMutexIsMarked() {
        pthread_mutex_t[] ms = {robust(PTHREAD_MUTEX_NORMAL), robust(PTHREAD_MUTEX_ERRORCHECK),
            robust(PTHREAD_MUTEX_RECURSIVE)};
        assertEquals(0, join(start(arg -> {
            int r = 0;
            for (pthread_mutex_t m : ms) {
                r |= pthread_mutex_lock(m);
            }
            r |= pthread_mutex_lock(ms[2]); // recursive, depth 2
            return r;
        })));
        for (pthread_mutex_t m : ms) {
            assertEquals(EOWNERDEAD, pthread_mutex_lock(m));
            assertEquals(0, pthread_mutex_consistent(m));
            assertEquals(0, pthread_mutex_unlock(m));
        }
        assertEquals(EPERM, pthread_mutex_unlock(ms[2]), "the dead owner's recursion depth is not inherited");
    }
}
