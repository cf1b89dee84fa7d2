package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.tests.TestSupport.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pthread4j.*;

/**
 * Mutex protocols: the attribute calls, PTHREAD_PRIO_INHERIT mutexes of every type working as
 * mutexes on every backend (on native through the kernel's PI futex) and boosting their owner
 * on native, PTHREAD_PRIO_PROTECT ceilings checked, changed and, on native, raising a
 * real-time owner. Answers to bad input are glibc 2.36's (measured with a C program here).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PrioProtocolTest {

    static pthread_mutex_t mutex(int protocol, int type, boolean robust, int ceiling) {
        pthread_mutexattr_t a = new pthread_mutexattr_t();
        assertEquals(0, pthread_mutexattr_init(a));
        assertEquals(0, pthread_mutexattr_settype(a, type));
        assertEquals(0, pthread_mutexattr_setprotocol(a, protocol));
        if (robust) {
            assertEquals(0, pthread_mutexattr_setrobust(a, PTHREAD_MUTEX_ROBUST));
        }
        if (ceiling > 0) {
            assertEquals(0, pthread_mutexattr_setprioceiling(a, ceiling));
        }
        pthread_mutex_t m = new pthread_mutex_t();
        assertEquals(0, pthread_mutex_init(m, a));
        return m;
    }

    /** The attribute's protocol and ceiling: defaults, ranges, bad input. */
    @Test
    void attributes() {
        pthread_mutexattr_t a = new pthread_mutexattr_t();
        int[] v = new int[1];
        assertEquals(EINVAL, pthread_mutexattr_setprotocol(a, PTHREAD_PRIO_NONE), "not initialized");
        assertEquals(0, pthread_mutexattr_init(a));
        assertEquals(0, pthread_mutexattr_getprotocol(a, v));
        assertEquals(PTHREAD_PRIO_NONE, v[0]);
        assertEquals(0, pthread_mutexattr_getprioceiling(a, v));
        assertEquals(1, v[0], "glibc: the lowest SCHED_FIFO priority when never set");
        assertEquals(EINVAL, pthread_mutexattr_setprotocol(a, -1));
        assertEquals(EINVAL, pthread_mutexattr_setprotocol(a, 3));
        assertEquals(EINVAL, pthread_mutexattr_setprioceiling(a, 0));
        assertEquals(EINVAL, pthread_mutexattr_setprioceiling(a, 100));
        assertEquals(0, pthread_mutexattr_setprioceiling(a, 99));
        assertEquals(0, pthread_mutexattr_getprioceiling(a, v));
        assertEquals(99, v[0]);
        for (int p : new int[] {PTHREAD_PRIO_INHERIT, PTHREAD_PRIO_PROTECT, PTHREAD_PRIO_NONE}) {
            assertEquals(0, pthread_mutexattr_setprotocol(a, p));
            assertEquals(0, pthread_mutexattr_getprotocol(a, v));
            assertEquals(p, v[0]);
        }
        assertEquals(EINVAL, pthread_mutexattr_getprotocol(a, null));
        assertEquals(EINVAL, pthread_mutexattr_getprioceiling(null, v));
        assertEquals(0, pthread_mutexattr_destroy(a));
        assertEquals(EINVAL, pthread_mutexattr_getprotocol(a, v));
    }

    /** A PI mutex of each type excludes: four pthreads' increments under it all count. */
    @ParameterizedTest
    @ValueSource(ints = {PTHREAD_MUTEX_NORMAL, PTHREAD_MUTEX_ERRORCHECK, PTHREAD_MUTEX_RECURSIVE})
    void inheritExcludes(int type) {
        pthread_mutex_t m = mutex(PTHREAD_PRIO_INHERIT, type, false, 0);
        long[] counter = {0};
        pthread_t[] t = pthread_t.array(4);
        for (pthread_t x : t) {
            assertEquals(0, pthread_create(x, null, arg -> {
                for (int i = 0; i < 2000; i++) {
                    pthread_mutex_lock(m);
                    counter[0]++;
                    pthread_mutex_unlock(m);
                }
                return null;
            }, null));
        }
        joinAll(t);
        assertEquals(8000, counter[0]);
        assertEquals(0, pthread_mutex_destroy(m));
    }

    /** A PI mutex answers as a mutex of its type: relock, recursion, trylock, timed lock, unlock by another. */
    @Test
    void inheritAnswersByType() {
        pthread_mutex_t e = mutex(PTHREAD_PRIO_INHERIT, PTHREAD_MUTEX_ERRORCHECK, false, 0);
        assertEquals(0, pthread_mutex_lock(e));
        assertEquals(EDEADLK, pthread_mutex_lock(e));
        assertEquals(EBUSY, pthread_mutex_trylock(e));
        assertEquals(EBUSY, join(start(arg -> pthread_mutex_trylock(e))));
        assertEquals(ETIMEDOUT, join(start(arg -> pthread_mutex_timedlock(e, realtimeIn(20)))));
        assertEquals(EPERM, join(start(arg -> pthread_mutex_unlock(e))));
        assertEquals(EBUSY, pthread_mutex_destroy(e));
        assertEquals(0, pthread_mutex_unlock(e));
        assertEquals(EPERM, pthread_mutex_unlock(e));
        pthread_mutex_t r = mutex(PTHREAD_PRIO_INHERIT, PTHREAD_MUTEX_RECURSIVE, false, 0);
        assertEquals(0, pthread_mutex_lock(r));
        assertEquals(0, pthread_mutex_trylock(r));
        assertEquals(0, pthread_mutex_lock(r));
        assertEquals(0, pthread_mutex_unlock(r));
        assertEquals(0, pthread_mutex_unlock(r));
        assertEquals(EBUSY, join(start(arg -> pthread_mutex_trylock(r))), "still held once");
        assertEquals(0, pthread_mutex_unlock(r));
        assertEquals(0, join(start(arg -> pthread_mutex_trylock(r) + pthread_mutex_unlock(r))));
        pthread_mutex_t n = mutex(PTHREAD_PRIO_INHERIT, PTHREAD_MUTEX_NORMAL, false, 0);
        assertEquals(0, pthread_mutex_lock(n));
        assertEquals(ETIMEDOUT, pthread_mutex_timedlock(n, realtimeIn(20)), "a relock deadlocks until the deadline");
        assertEquals(EINVAL, pthread_mutex_timedlock(n, new timespec(1, -1)));
        assertEquals(0, pthread_mutex_unlock(n));
    }

    /** A robust PI mutex whose owner ended holding it gives EOWNERDEAD, then consistent or ENOTRECOVERABLE. */
    @Test
    void inheritRobust() {
        pthread_mutex_t m = mutex(PTHREAD_PRIO_INHERIT, PTHREAD_MUTEX_NORMAL, true, 0);
        assertEquals(0, join(start(arg -> pthread_mutex_lock(m))));
        assertEquals(EOWNERDEAD, pthread_mutex_lock(m));
        assertEquals(0, pthread_mutex_consistent(m));
        assertEquals(0, pthread_mutex_unlock(m));
        assertEquals(0, pthread_mutex_lock(m), "consistent again");
        assertEquals(0, pthread_mutex_unlock(m));
        sem_t locked = semaphore(0);
        sem_t die = semaphore(0);
        pthread_t owner = start(arg -> {
            pthread_mutex_lock(m);
            sem_post(locked);
            sem_wait(die);
            return null;
        });
        awaitPost(locked, "the owner");
        pthread_t waiter = start(arg -> {
            int r = pthread_mutex_lock(m);
            return r + " " + pthread_mutex_unlock(m);
        });
        sem_post(die);
        join(owner);
        assertEquals(EOWNERDEAD + " 0", join(waiter), "a sleeper gets the dead owner's mutex");
        assertEquals(ENOTRECOVERABLE, pthread_mutex_lock(m));
        assertEquals(ENOTRECOVERABLE, pthread_mutex_trylock(m));
        assertEquals(0, pthread_mutex_destroy(m));
    }

    /**
     * A non-robust PI mutex whose owner ended holding it stays locked, as an ordinary one
     * (POSIX: the next locker waits; a deadline ends the wait), though its word names a
     * kernel thread that is gone.
     */
    @Test
    void inheritOwnerEndedStalls() {
        pthread_mutex_t m = mutex(PTHREAD_PRIO_INHERIT, PTHREAD_MUTEX_NORMAL, false, 0);
        assertEquals(0, join(start(arg -> pthread_mutex_lock(m))));
        assertEquals(ETIMEDOUT, pthread_mutex_timedlock(m, realtimeIn(20)));
        assertEquals(EBUSY, pthread_mutex_trylock(m));
        assertEquals(ETIMEDOUT, join(start(arg -> pthread_mutex_timedlock(m, realtimeIn(20)))));
    }

    /** A condition variable works with a PI mutex: a broadcast wakes every waiter, each relocks. */
    @Test
    void inheritWithCondition() {
        pthread_mutex_t m = mutex(PTHREAD_PRIO_INHERIT, PTHREAD_MUTEX_ERRORCHECK, false, 0);
        pthread_cond_t c = new pthread_cond_t();
        int[] go = {0};
        int[] woken = {0};
        pthread_t[] t = pthread_t.array(3);
        for (pthread_t x : t) {
            assertEquals(0, pthread_create(x, null, arg -> {
                pthread_mutex_lock(m);
                while (go[0] == 0) {
                    pthread_cond_wait(c, m);
                }
                woken[0]++;
                return pthread_mutex_unlock(m);
            }, null));
        }
        pause(20);
        pthread_mutex_lock(m);
        go[0] = 1;
        pthread_cond_broadcast(c);
        pthread_mutex_unlock(m);
        for (pthread_t x : t) {
            assertEquals(0, join(x));
        }
        assertEquals(3, woken[0]);
    }

    /** /proc's effective priority ("prio", field 18 of stat) of kernel thread {@code tid}. */
    private static int kernelPrio(int tid) {
        try {
            String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(f[15]);
        } catch (IOException e) {
            return Integer.MIN_VALUE; // the thread is gone
        }
    }

    /**
     * Runs a SCHED_OTHER owner that holds {@code m} while a SCHED_FIFO 10 pthread blocks on
     * it; returns the owner's effective kernel priority seen while the waiter sleeps (-11 is
     * real-time priority 10: boosted; 20 is nice 0), or null when FIFO is not allowed here.
     */
    private static Integer ownerPrioWhileFifoWaits(pthread_mutex_t m) {
        sem_t locked = semaphore(0);
        sem_t release = semaphore(0);
        int[] tid = new int[1];
        pthread_t owner = start(arg -> {
            tid[0] = gettid();
            pthread_mutex_lock(m);
            sem_post(locked);
            sem_wait(release);
            return pthread_mutex_unlock(m);
        });
        awaitPost(locked, "the owner");
        pthread_attr_t a = new pthread_attr_t();
        pthread_attr_init(a);
        pthread_attr_setinheritsched(a, PTHREAD_EXPLICIT_SCHED);
        pthread_attr_setschedpolicy(a, SCHED_FIFO);
        pthread_attr_setschedparam(a, new sched_param(10));
        pthread_t waiter = new pthread_t();
        int created = pthread_create(waiter, a, arg -> pthread_mutex_lock(m) + pthread_mutex_unlock(m), null);
        if (created == EPERM) {
            sem_post(release);
            join(owner);
            return null;
        }
        assertEquals(0, created);
        int seen = kernelPrio(tid[0]);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (seen != -11 && System.nanoTime() < deadline) {
            pause(5);
            seen = kernelPrio(tid[0]);
        }
        sem_post(release);
        assertEquals(0, join(owner));
        assertEquals(0, join(waiter));
        return seen;
    }

    /**
     * On native the owner of a PI mutex runs at the priority of a real-time waiter (the kernel
     * boosts it through FUTEX_LOCK_PI), and the owner of an ordinary mutex does not. Native
     * only: user-level pthreads have no real-time priorities.
     */
    @Test
    void inheritBoostsTheOwner() {
        Assumptions.assumeTrue(onNative(), "no real-time policy on a user-level model");
        Integer boosted = ownerPrioWhileFifoWaits(mutex(PTHREAD_PRIO_INHERIT, PTHREAD_MUTEX_NORMAL, false, 0));
        Assumptions.assumeTrue(boosted != null, "SCHED_FIFO is not allowed here (EPERM), as for C");
        assertEquals(-11, boosted, "the owner runs at the waiter's real-time priority 10");
        assertEquals(20, ownerPrioWhileFifoWaits(mutex(PTHREAD_PRIO_NONE, PTHREAD_MUTEX_NORMAL, false, 0)),
                "an ordinary mutex's owner keeps its priority");
    }

    /**
     * On native an uncontended PI lock and unlock stay in user space (one CAS each on the
     * tid word): no futex call in 1,000 of them. The C layer's count is the whole process's,
     * and another thread (a cached kernel thread timing out, an earlier test's pthread ending)
     * may add a call during a window: of up to five windows, one must see none, where a lock
     * that entered the kernel would add 1,000 to every window. Native only: the other models
     * have no PI futex.
     */
    @Test
    void inheritFastPathStaysInUserSpace() {
        Assumptions.assumeTrue(onNative(), "counts the kernel futex calls of the C layer");
        pthread_mutex_t m = mutex(PTHREAD_PRIO_INHERIT, PTHREAD_MUTEX_ERRORCHECK, false, 0);
        assertEquals(0, pthread_mutex_lock(m)); // the first call learns the caller's tid
        assertEquals(0, pthread_mutex_unlock(m));
        List<Long> calls = new ArrayList<>();
        do {
            long before = org.pthread4j.nativ.ffi.pthread4j_h.p4j_futex_syscalls();
            for (int i = 0; i < 1000; i++) {
                pthread_mutex_lock(m);
                pthread_mutex_unlock(m);
            }
            calls.add(org.pthread4j.nativ.ffi.pthread4j_h.p4j_futex_syscalls() - before);
        } while (calls.get(calls.size() - 1) != 0 && calls.size() < 5);
        assertEquals(0L, calls.get(calls.size() - 1), "futex calls in each window of 1,000 lock+unlock: " + calls);
    }

    /** get/setprioceiling: EINVAL for another protocol or a bad ceiling; the old ceiling comes back. */
    @Test
    void ceilings() {
        int[] v = new int[1];
        assertEquals(EINVAL, pthread_mutex_getprioceiling(new pthread_mutex_t(), v));
        assertEquals(EINVAL, pthread_mutex_getprioceiling(mutex(PTHREAD_PRIO_INHERIT, PTHREAD_MUTEX_NORMAL, false, 0), v));
        assertEquals(EINVAL, pthread_mutex_setprioceiling(new pthread_mutex_t(), 5, v));
        assertEquals(EINVAL, pthread_mutex_getprioceiling(null, v));
        pthread_mutex_t m = mutex(PTHREAD_PRIO_PROTECT, PTHREAD_MUTEX_NORMAL, false, 10);
        assertEquals(0, pthread_mutex_getprioceiling(m, v));
        assertEquals(10, v[0]);
        assertEquals(EINVAL, pthread_mutex_setprioceiling(m, 100, v));
        assertEquals(EINVAL, pthread_mutex_setprioceiling(m, 0, v));
        assertEquals(0, pthread_mutex_setprioceiling(m, 20, v));
        assertEquals(10, v[0]);
        assertEquals(0, pthread_mutex_getprioceiling(m, v));
        assertEquals(20, v[0]);
        pthread_mutex_t e = mutex(PTHREAD_PRIO_PROTECT, PTHREAD_MUTEX_ERRORCHECK, false, 10);
        assertEquals(0, pthread_mutex_lock(e), "a SCHED_OTHER thread is never above a ceiling");
        assertEquals(EDEADLK, pthread_mutex_setprioceiling(e, 20, v));
        assertEquals(0, pthread_mutex_unlock(e));
        pthread_mutex_t r = mutex(PTHREAD_PRIO_PROTECT, PTHREAD_MUTEX_RECURSIVE, false, 10);
        assertEquals(0, pthread_mutex_lock(r));
        assertEquals(0, pthread_mutex_setprioceiling(r, 30, null), "the holder changes it in place");
        assertEquals(EBUSY, join(start(arg -> pthread_mutex_trylock(r))), "still held");
        assertEquals(0, pthread_mutex_unlock(r));
        assertEquals(0, pthread_mutex_getprioceiling(r, v));
        assertEquals(30, v[0]);
    }

    /**
     * A real-time thread above the ceiling may not lock (EINVAL, as glibc); one below runs at
     * the ceiling while it holds the mutex and gets its priority back at the unlock. Native
     * only: user-level pthreads have no real-time priorities.
     */
    @Test
    void protectRaisesARealTimeOwner() {
        Assumptions.assumeTrue(onNative(), "no real-time policy on a user-level model");
        pthread_mutex_t m = mutex(PTHREAD_PRIO_PROTECT, PTHREAD_MUTEX_NORMAL, false, 10);
        pthread_mutex_t low = mutex(PTHREAD_PRIO_PROTECT, PTHREAD_MUTEX_NORMAL, false, 3);
        Object r = join(start(arg -> {
            if (pthread_setschedparam(pthread_self(), SCHED_FIFO, new sched_param(5)) != 0) {
                return null;
            }
            int[] pol = new int[1];
            sched_param p = new sched_param();
            int lockLow = pthread_mutex_lock(low);
            int tryLow = pthread_mutex_trylock(low);
            int lock = pthread_mutex_lock(m);
            pthread_getschedparam(pthread_self(), pol, p);
            int held = p.sched_priority;
            int unlock = pthread_mutex_unlock(m);
            pthread_getschedparam(pthread_self(), pol, p);
            pthread_setschedparam(pthread_self(), SCHED_OTHER, new sched_param(0));
            return lockLow + " " + tryLow + " " + lock + " " + held + " " + unlock + " " + p.sched_priority;
        }));
        Assumptions.assumeTrue(r != null, "SCHED_FIFO is not allowed here (EPERM), as for C");
        assertEquals(EINVAL + " " + EINVAL + " 0 10 0 5", r);
    }

    /** A PROTECT mutex excludes and works with a condition variable on every backend. */
    @Test
    void protectExcludes() {
        pthread_mutex_t m = mutex(PTHREAD_PRIO_PROTECT, PTHREAD_MUTEX_RECURSIVE, false, 50);
        pthread_cond_t c = new pthread_cond_t();
        long[] counter = {0};
        pthread_t[] t = pthread_t.array(3);
        for (pthread_t x : t) {
            assertEquals(0, pthread_create(x, null, arg -> {
                for (int i = 0; i < 1000; i++) {
                    pthread_mutex_lock(m);
                    pthread_mutex_lock(m);
                    counter[0]++;
                    pthread_mutex_unlock(m);
                    pthread_mutex_unlock(m);
                }
                return null;
            }, null));
        }
        joinAll(t);
        assertEquals(3000, counter[0]);
        pthread_mutex_lock(m);
        assertEquals(ETIMEDOUT, pthread_cond_timedwait(c, m, realtimeIn(10)));
        assertEquals(0, pthread_mutex_unlock(m));
        assertTrue(join(start(arg -> pthread_mutex_trylock(m) + pthread_mutex_unlock(m))).equals(0), "free again");
    }
}
