package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pthread4j.Pthreads.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pthread4j.*;

/**
 * A seeded fuzzer of the facade: random sequences of calls on random, null, never-initialized,
 * destroyed and foreign handles, from several pthreads at once. It checks that nothing crashes
 * the JVM or hangs (a watchdog bounds the run), and that every return value is one that the
 * function documents. Reproduce a failure with {@code -Dpthread4j.fuzz.seed=<seed>}; run
 * longer with {@code -Dpthread4j.fuzz.calls=<n>} (default 100,000 per backend).
 *
 * <p>Only calls that cannot block forever are made: timed variants with short deadlines in
 * place of {@code lock}, {@code wait} and {@code rdlock}, trylock for spin locks, and barriers
 * of count 1. Undefined behaviour (unlocking another thread's NORMAL mutex, waiting on a
 * condition without the mutex) is allowed to do what it does, but never to crash or hang.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class FuzzTest {

    static final int THREADS = 4;
    static final int POOL = 6;

    static final Set<Integer> LOCK = Set.of(0, EBUSY, EINVAL, EDEADLK, EAGAIN, EOWNERDEAD, ENOTRECOVERABLE, ETIMEDOUT);
    static final Set<Integer> UNLOCK = Set.of(0, EPERM, EINVAL);
    static final Set<Integer> DESTROY = Set.of(0, EBUSY, EINVAL);
    static final Set<Integer> INIT = Set.of(0, EINVAL);
    static final Set<Integer> COND_WAIT = Set.of(0, ETIMEDOUT, EINVAL, EPERM, EOWNERDEAD, ENOTRECOVERABLE);
    static final Set<Integer> SIGNAL = Set.of(0, EINVAL);
    static final Set<Integer> SEM = Set.of(0, -1);
    static final Set<Integer> SEM_ERRNO = Set.of(EINVAL, EAGAIN, ETIMEDOUT, EOVERFLOW, EBUSY);
    static final Set<Integer> RW = Set.of(0, EBUSY, EINVAL, EDEADLK, EAGAIN, ETIMEDOUT);
    static final Set<Integer> RW_UNLOCK = Set.of(0, EPERM, EINVAL);
    static final Set<Integer> BARRIER = Set.of(0, PTHREAD_BARRIER_SERIAL_THREAD, EINVAL);
    static final Set<Integer> SPIN = Set.of(0, EBUSY, EINVAL, EDEADLK, EPERM);
    static final Set<Integer> KEY = Set.of(0, EINVAL, EAGAIN);
    static final Set<Integer> THREAD = Set.of(0, EINVAL, ESRCH, EDEADLK, EAGAIN);

    /** The shared handle pools; slots are replaced at random, so handles go stale. */
    static final class Pools {
        final pthread_mutex_t[] mutexes = new pthread_mutex_t[POOL];
        final pthread_cond_t[] conds = new pthread_cond_t[POOL];
        final pthread_rwlock_t[] rwlocks = new pthread_rwlock_t[POOL];
        final sem_t[] sems = new sem_t[POOL];
        final pthread_spinlock_t[] spins = new pthread_spinlock_t[POOL];
        final pthread_barrier_t[] barriers = new pthread_barrier_t[POOL];
        final pthread_key_t[] keys = new pthread_key_t[POOL];
        /** Every key created, deleted after the run: keys are a process-wide resource of 1,024. */
        final List<pthread_key_t> created = java.util.Collections.synchronizedList(new ArrayList<>());
        final pthread_once_t[] onces = new pthread_once_t[POOL];
        final pthread_t[] threads = new pthread_t[POOL];

        Pools() {
            for (int i = 0; i < POOL; i++) {
                mutexes[i] = new pthread_mutex_t();
                conds[i] = new pthread_cond_t();
                rwlocks[i] = new pthread_rwlock_t();
                sems[i] = new sem_t();
                spins[i] = new pthread_spinlock_t();
                barriers[i] = new pthread_barrier_t();
                keys[i] = new pthread_key_t();
                onces[i] = new pthread_once_t();
                threads[i] = new pthread_t();
            }
        }
    }

    /** Two mutexes per worker for condition waits (ERRORCHECK and NORMAL). */
    static final ThreadLocal<pthread_mutex_t[]> OWN = ThreadLocal.withInitial(() -> {
        pthread_mutex_t errorcheck = new pthread_mutex_t();
        pthread_mutexattr_t a = new pthread_mutexattr_t();
        pthread_mutexattr_init(a);
        pthread_mutexattr_settype(a, PTHREAD_MUTEX_ERRORCHECK);
        pthread_mutex_init(errorcheck, a);
        return new pthread_mutex_t[] {errorcheck, new pthread_mutex_t()};
    });

    final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    final List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());

    void check(String call, int r, Set<Integer> allowed) {
        counts.computeIfAbsent(call, k -> new AtomicLong()).incrementAndGet();
        if (!allowed.contains(r)) {
            violations.add(call + " returned " + r + " (" + strerror(r) + ")");
        }
    }

    void checkSem(String call, int r) {
        check(call, r, SEM);
        if (r == -1 && !SEM_ERRNO.contains(errno())) {
            violations.add(call + " set errno " + errno());
        }
    }

    static <T> T pick(SplittableRandom rnd, T[] pool) {
        int i = rnd.nextInt(POOL + 1);
        return i == POOL ? null : pool[i];
    }

    static timespec soon(SplittableRandom rnd) {
        timespec ts = new timespec();
        clock_gettime(CLOCK_REALTIME, ts);
        switch (rnd.nextInt(8)) {
            case 0 -> ts.tv_nsec = -1;                       // not normalized
            case 1 -> ts.tv_nsec = 1_000_000_000L;           // not normalized
            case 2 -> ts.tv_sec = -5;                        // before the epoch
            case 3 -> ts.tv_sec -= 1;                        // in the past
            default -> {
                ts.tv_nsec += 200_000;                       // 0.2 ms from now
                if (ts.tv_nsec >= 1_000_000_000L) {
                    ts.tv_sec++;
                    ts.tv_nsec -= 1_000_000_000L;
                }
            }
        }
        return ts;
    }

    void step(SplittableRandom rnd, Pools p) {
        int op = rnd.nextInt(34);
        switch (op) {
            case 0 -> {
                pthread_mutexattr_t a = new pthread_mutexattr_t();
                if (rnd.nextInt(4) > 0) {
                    pthread_mutexattr_init(a);
                    check("mutexattr_settype", pthread_mutexattr_settype(a, rnd.nextInt(5) - 1), INIT);
                    check("mutexattr_setrobust", pthread_mutexattr_setrobust(a, rnd.nextInt(3)), INIT);
                }
                check("mutex_init", pthread_mutex_init(pick(rnd, p.mutexes), a), INIT);
            }
            case 1 -> check("mutex_destroy", pthread_mutex_destroy(pick(rnd, p.mutexes)), DESTROY);
            case 2, 3 -> check("mutex_trylock", pthread_mutex_trylock(pick(rnd, p.mutexes)), LOCK);
            case 4 -> check("mutex_timedlock", pthread_mutex_timedlock(pick(rnd, p.mutexes), soon(rnd)), LOCK);
            case 5, 6 -> check("mutex_unlock", pthread_mutex_unlock(pick(rnd, p.mutexes)), UNLOCK);
            case 7 -> check("mutex_consistent", pthread_mutex_consistent(pick(rnd, p.mutexes)), INIT);
            case 8 -> {
                pthread_condattr_t a = new pthread_condattr_t();
                if (rnd.nextBoolean()) {
                    pthread_condattr_init(a);
                    // CLOCK_REALTIME or an invalid clock: the fuzzer's deadlines are on CLOCK_REALTIME,
                    // and a CLOCK_REALTIME deadline on a CLOCK_MONOTONIC condition is decades away.
                    check("condattr_setclock", pthread_condattr_setclock(a, rnd.nextBoolean() ? CLOCK_REALTIME : 2), INIT);
                }
                check("cond_init", pthread_cond_init(pick(rnd, p.conds), a), INIT);
            }
            case 9 -> check("cond_destroy", pthread_cond_destroy(pick(rnd, p.conds)), DESTROY);
            case 10 -> check("cond_signal", pthread_cond_signal(pick(rnd, p.conds)), SIGNAL);
            case 11 -> check("cond_broadcast", pthread_cond_broadcast(pick(rnd, p.conds)), SIGNAL);
            case 12 -> {
                // With a mutex of this worker's own that it holds: the reacquire after the wait
                // has no deadline (as in POSIX), so it must not meet another worker's lock.
                pthread_mutex_t own = OWN.get()[rnd.nextInt(2)];
                if (pthread_mutex_trylock(own) == 0) {
                    check("cond_timedwait", pthread_cond_timedwait(pick(rnd, p.conds), own, soon(rnd)), COND_WAIT);
                    check("mutex_unlock own", pthread_mutex_unlock(own), UNLOCK);
                } else {
                    check("cond_timedwait unowned", pthread_cond_timedwait(pick(rnd, p.conds), null, soon(rnd)), COND_WAIT);
                }
            }
            case 13 -> check("rwlock_init", pthread_rwlock_init(pick(rnd, p.rwlocks), null), INIT);
            case 14 -> check("rwlock_destroy", pthread_rwlock_destroy(pick(rnd, p.rwlocks)), DESTROY);
            case 15 -> check("rwlock_timedrdlock", pthread_rwlock_timedrdlock(pick(rnd, p.rwlocks), soon(rnd)), RW);
            case 16 -> check("rwlock_timedwrlock", pthread_rwlock_timedwrlock(pick(rnd, p.rwlocks), soon(rnd)), RW);
            case 17 -> check("rwlock_tryrdlock", pthread_rwlock_tryrdlock(pick(rnd, p.rwlocks)), RW);
            case 18 -> check("rwlock_unlock", pthread_rwlock_unlock(pick(rnd, p.rwlocks)), RW_UNLOCK);
            case 19 -> checkSem("sem_init", sem_init(pick(rnd, p.sems), 0, rnd.nextInt(4) - 1));
            case 20 -> checkSem("sem_destroy", sem_destroy(pick(rnd, p.sems)));
            case 21 -> checkSem("sem_post", sem_post(pick(rnd, p.sems)));
            case 22 -> checkSem("sem_trywait", sem_trywait(pick(rnd, p.sems)));
            case 23 -> checkSem("sem_timedwait", sem_timedwait(pick(rnd, p.sems), soon(rnd)));
            case 24 -> check("spin_init", pthread_spin_init(pick(rnd, p.spins), rnd.nextInt(3)), INIT);
            case 25 -> {
                check("spin_trylock", pthread_spin_trylock(pick(rnd, p.spins)), SPIN);
                check("spin_unlock", pthread_spin_unlock(pick(rnd, p.spins)), SPIN);
            }
            case 26 -> {
                check("barrier_init", pthread_barrier_init(pick(rnd, p.barriers), null, rnd.nextInt(2)), INIT);
                // count 1 (or an invalid count): a wait never blocks
                check("barrier_wait", pthread_barrier_wait(pick(rnd, p.barriers)), BARRIER);
                check("barrier_destroy", pthread_barrier_destroy(pick(rnd, p.barriers)), DESTROY);
            }
            case 27 -> {
                // A fresh handle each time (re-creating into a live one would lose that key for good).
                pthread_key_t k = new pthread_key_t();
                int r = pthread_key_create(k, rnd.nextBoolean() ? null : v -> { });
                check("key_create", r, KEY);
                if (r == 0) {
                    p.created.add(k);
                    p.keys[rnd.nextInt(POOL)] = k;
                }
            }
            case 28 -> {
                synchronized (p.keys) {
                    check("key_delete", pthread_key_delete(pick(rnd, p.keys)), KEY);
                }
            }
            case 29 -> {
                pthread_key_t k = pick(rnd, p.keys);
                check("setspecific", pthread_setspecific(k, rnd.nextBoolean() ? null : "v"), KEY);
                pthread_getspecific(k);
            }
            case 30 -> check("once", pthread_once(pick(rnd, p.onces), () -> { }), INIT);
            case 31 -> {
                int i = rnd.nextInt(POOL);
                pthread_t t = new pthread_t();
                boolean robustHolder = rnd.nextBoolean();
                pthread_mutex_t m = pick(rnd, p.mutexes);
                check("create", pthread_create(t, null, arg -> {
                    if (robustHolder) {
                        pthread_mutex_trylock(m); // may end holding it: owner death
                    }
                    return arg;
                }, null), THREAD);
                p.threads[i] = t;
            }
            case 32 -> {
                pthread_t t = pick(rnd, p.threads);
                switch (rnd.nextInt(3)) {
                    case 0 -> check("join", pthread_join(t, null), THREAD);
                    case 1 -> check("detach", pthread_detach(t), THREAD);
                    default -> check("cancel", pthread_cancel(t), THREAD);
                }
            }
            default -> {
                pthread_t self = pthread_self();
                check("join self", pthread_join(self, null), Set.of(EDEADLK));
                check("detach foreign", pthread_detach(rnd.nextBoolean() ? null : new pthread_t()), THREAD);
            }
        }
    }

    static void dumpThreads() {
        StringBuilder sb = new StringBuilder("fuzz watchdog: thread dump\n");
        Thread.getAllStackTraces().forEach((t, stack) -> {
            sb.append(t).append('\n');
            for (StackTraceElement e : stack) {
                sb.append("    at ").append(e).append('\n');
            }
        });
        System.out.println(sb);
    }

    /** 100,000 random calls from 4 pthreads end with no crash, no hang, and only documented results. */
    @Test
    void randomCallsReturnOnlyDocumentedErrors() throws Exception {
        long seed = Long.getLong("pthread4j.fuzz.seed", System.nanoTime());
        int calls = Integer.getInteger("pthread4j.fuzz.calls", 100_000);
        System.out.println("fuzz seed " + seed + " (-Dpthread4j.fuzz.seed=" + seed + " reproduces the call sequences)");
        Pools pools = new Pools();
        SplittableRandom root = new SplittableRandom(seed);
        pthread_t[] workers = new pthread_t[THREADS];
        AtomicLong done = new AtomicLong();
        Throwable[] failure = new Throwable[THREADS];
        for (int w = 0; w < THREADS; w++) {
            SplittableRandom rnd = root.split();
            int me = w;
            workers[w] = new pthread_t();
            assertEquals(0, pthread_create(workers[w], null, arg -> {
                try {
                    for (int i = 0; i < calls / THREADS; i++) {
                        step(rnd, pools);
                        done.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failure[me] = t;
                }
                return null;
            }, null), "pthread_create");
        }
        // The watchdog: the run must finish, and keep making progress.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        long last = -1;
        long lastChange = System.nanoTime();
        while (done.get() < (long) calls / THREADS * THREADS) {
            Thread.sleep(50);
            long now = System.nanoTime();
            if (done.get() != last) {
                last = done.get();
                lastChange = now;
            }
            if (now - lastChange > TimeUnit.SECONDS.toNanos(30) || now > deadline) {
                dumpThreads();
                throw new AssertionError("no progress for 30 s at " + done.get() + " calls; seed " + seed);
            }
        }
        for (pthread_t w : workers) {
            assertEquals(0, TestSupport.joinWithin(w, null, 30), "join worker");
        }
        for (pthread_key_t k : pools.created) {
            pthread_key_delete(k); // 0, or EINVAL if the run deleted it already
        }
        for (int w = 0; w < THREADS; w++) {
            if (failure[w] != null) {
                throw new AssertionError("worker " + w + " threw; seed " + seed, failure[w]);
            }
        }
        for (pthread_key_t k : pools.keys) {
            pthread_key_delete(k); // leave PTHREAD_KEYS_MAX to the other tests
        }
        Map<String, Long> summary = new TreeMap<>();
        counts.forEach((k, v) -> summary.put(k, v.get()));
        System.out.println("fuzz calls by function: " + summary);
        assertTrue(violations.isEmpty(), "undocumented results (seed " + seed + "): "
                + violations.subList(0, Math.min(20, violations.size())));
        assertTrue(done.get() >= calls / THREADS * THREADS);
    }
}
