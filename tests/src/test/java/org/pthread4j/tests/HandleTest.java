package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.tests.TestSupport.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.pthread4j.*;

/**
 * Null, never-initialized and destroyed handles: every function that takes one answers
 * EINVAL ({@code sem_*}: -1 with errno EINVAL) and nothing throws or crashes.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HandleTest {

    /** One call and the POSIX outcome it must have. */
    private record Call(String name, IntSupplier call, boolean setsErrno) {}

    private static final List<Call> calls = new ArrayList<>();

    private static void einval(String name, IntSupplier call) {
        calls.add(new Call(name, call, false));
    }

    private static void semEinval(String name, IntSupplier call) {
        calls.add(new Call(name, call, true));
    }

    private static Stream<DynamicTest> run() {
        List<Call> table = List.copyOf(calls);
        calls.clear();
        return table.stream().map(c -> dynamicTest(c.name(), () -> {
            if (c.setsErrno()) {
                errno(0);
                assertEquals(-1, c.call().getAsInt(), c.name() + " returns -1");
                assertEquals(EINVAL, errno(), c.name() + " sets errno");
            } else {
                assertEquals(EINVAL, c.call().getAsInt(), c.name());
            }
        }));
    }

    private static timespec soon() {
        return realtimeIn(10);
    }

    /** Every function given a null handle (or a null required argument) returns EINVAL. */
    @TestFactory
    Stream<DynamicTest> nullHandlesAreEinval() {
        pthread_mutex_t m = new pthread_mutex_t();
        pthread_cond_t c = new pthread_cond_t();
        pthread_rwlock_t l = new pthread_rwlock_t();
        sem_t s = semaphore(0);
        einval("pthread_create(null thread)", () -> pthread_create(null, null, arg -> null, null));
        einval("pthread_create(null start)", () -> pthread_create(new pthread_t(), null, null, null));
        einval("pthread_join", () -> pthread_join(null, null));
        einval("pthread_detach", () -> pthread_detach(null));
        einval("pthread_cancel", () -> pthread_cancel(null));
        einval("pthread_setname_np(null thread)", () -> pthread_setname_np(null, "x"));
        einval("pthread_setname_np(null name)", () -> pthread_setname_np(pthread_self(), null));
        einval("pthread_getname_np(null thread)", () -> pthread_getname_np(null, new String[1], 16));
        einval("pthread_getname_np(null out)", () -> pthread_getname_np(pthread_self(), null, 16));
        einval("pthread_attr_init", () -> pthread_attr_init(null));
        einval("pthread_attr_destroy", () -> pthread_attr_destroy(null));
        einval("pthread_attr_setdetachstate", () -> pthread_attr_setdetachstate(null, 0));
        einval("pthread_attr_getdetachstate", () -> pthread_attr_getdetachstate(null, new int[1]));
        einval("pthread_attr_setstacksize", () -> pthread_attr_setstacksize(null, 1 << 20));
        einval("pthread_attr_getstacksize", () -> pthread_attr_getstacksize(null, new long[1]));
        einval("pthread_attr_setguardsize", () -> pthread_attr_setguardsize(null, 4096));
        einval("pthread_attr_getguardsize", () -> pthread_attr_getguardsize(null, new long[1]));
        einval("pthread_once(null control)", () -> pthread_once(null, () -> {}));
        einval("pthread_once(null routine)", () -> pthread_once(new pthread_once_t(), null));
        einval("pthread_key_create", () -> pthread_key_create(null, null));
        einval("pthread_key_delete", () -> pthread_key_delete(null));
        einval("pthread_setspecific", () -> pthread_setspecific(null, "v"));
        einval("pthread_mutexattr_init", () -> pthread_mutexattr_init(null));
        einval("pthread_mutexattr_destroy", () -> pthread_mutexattr_destroy(null));
        einval("pthread_mutexattr_settype", () -> pthread_mutexattr_settype(null, PTHREAD_MUTEX_NORMAL));
        einval("pthread_mutexattr_gettype", () -> pthread_mutexattr_gettype(null, new int[1]));
        einval("pthread_mutexattr_setrobust", () -> pthread_mutexattr_setrobust(null, PTHREAD_MUTEX_ROBUST));
        einval("pthread_mutexattr_getrobust", () -> pthread_mutexattr_getrobust(null, new int[1]));
        einval("pthread_mutex_init", () -> pthread_mutex_init(null, null));
        einval("pthread_mutex_destroy", () -> pthread_mutex_destroy(null));
        einval("pthread_mutex_lock", () -> pthread_mutex_lock(null));
        einval("pthread_mutex_trylock", () -> pthread_mutex_trylock(null));
        einval("pthread_mutex_timedlock(null mutex)", () -> pthread_mutex_timedlock(null, soon()));
        einval("pthread_mutex_timedlock(null time)", () -> pthread_mutex_timedlock(m, null));
        einval("pthread_mutex_clocklock", () -> pthread_mutex_clocklock(null, CLOCK_MONOTONIC, soon()));
        einval("pthread_mutex_unlock", () -> pthread_mutex_unlock(null));
        einval("pthread_mutex_consistent", () -> pthread_mutex_consistent(null));
        einval("pthread_condattr_init", () -> pthread_condattr_init(null));
        einval("pthread_condattr_destroy", () -> pthread_condattr_destroy(null));
        einval("pthread_condattr_setclock", () -> pthread_condattr_setclock(null, CLOCK_MONOTONIC));
        einval("pthread_condattr_getclock", () -> pthread_condattr_getclock(null, new int[1]));
        einval("pthread_cond_init", () -> pthread_cond_init(null, null));
        einval("pthread_cond_destroy", () -> pthread_cond_destroy(null));
        einval("pthread_cond_wait(null cond)", () -> pthread_cond_wait(null, m));
        einval("pthread_cond_wait(null mutex)", () -> pthread_cond_wait(c, null));
        einval("pthread_cond_timedwait(null cond)", () -> pthread_cond_timedwait(null, m, soon()));
        einval("pthread_cond_timedwait(null mutex)", () -> pthread_cond_timedwait(c, null, soon()));
        einval("pthread_cond_timedwait(null time)", () -> pthread_cond_timedwait(c, m, null));
        einval("pthread_cond_signal", () -> pthread_cond_signal(null));
        einval("pthread_cond_broadcast", () -> pthread_cond_broadcast(null));
        einval("pthread_rwlockattr_init", () -> pthread_rwlockattr_init(null));
        einval("pthread_rwlockattr_destroy", () -> pthread_rwlockattr_destroy(null));
        einval("pthread_rwlock_init", () -> pthread_rwlock_init(null, null));
        einval("pthread_rwlock_destroy", () -> pthread_rwlock_destroy(null));
        einval("pthread_rwlock_rdlock", () -> pthread_rwlock_rdlock(null));
        einval("pthread_rwlock_tryrdlock", () -> pthread_rwlock_tryrdlock(null));
        einval("pthread_rwlock_timedrdlock(null lock)", () -> pthread_rwlock_timedrdlock(null, soon()));
        einval("pthread_rwlock_timedrdlock(null time)", () -> pthread_rwlock_timedrdlock(l, null));
        einval("pthread_rwlock_wrlock", () -> pthread_rwlock_wrlock(null));
        einval("pthread_rwlock_trywrlock", () -> pthread_rwlock_trywrlock(null));
        einval("pthread_rwlock_timedwrlock(null lock)", () -> pthread_rwlock_timedwrlock(null, soon()));
        einval("pthread_rwlock_timedwrlock(null time)", () -> pthread_rwlock_timedwrlock(l, null));
        einval("pthread_rwlock_unlock", () -> pthread_rwlock_unlock(null));
        einval("pthread_barrierattr_init", () -> pthread_barrierattr_init(null));
        einval("pthread_barrierattr_destroy", () -> pthread_barrierattr_destroy(null));
        einval("pthread_barrier_init", () -> pthread_barrier_init(null, null, 2));
        einval("pthread_barrier_destroy", () -> pthread_barrier_destroy(null));
        einval("pthread_barrier_wait", () -> pthread_barrier_wait(null));
        einval("pthread_spin_init", () -> pthread_spin_init(null, PTHREAD_PROCESS_PRIVATE));
        einval("pthread_spin_destroy", () -> pthread_spin_destroy(null));
        einval("pthread_spin_lock", () -> pthread_spin_lock(null));
        einval("pthread_spin_trylock", () -> pthread_spin_trylock(null));
        einval("pthread_spin_unlock", () -> pthread_spin_unlock(null));
        semEinval("sem_init", () -> sem_init(null, 0, 0));
        semEinval("sem_destroy", () -> sem_destroy(null));
        semEinval("sem_wait", () -> sem_wait(null));
        semEinval("sem_trywait", () -> sem_trywait(null));
        semEinval("sem_timedwait(null sem)", () -> sem_timedwait(null, soon()));
        semEinval("sem_timedwait(null time)", () -> sem_timedwait(s, null));
        semEinval("sem_clockwait", () -> sem_clockwait(null, CLOCK_MONOTONIC, soon()));
        semEinval("sem_post", () -> sem_post(null));
        semEinval("sem_getvalue(null sem)", () -> sem_getvalue(null, new int[1]));
        semEinval("sem_getvalue(null out)", () -> sem_getvalue(s, null));
        semEinval("clock_gettime(null)", () -> clock_gettime(CLOCK_REALTIME, null));
        return run();
    }

    /** Handles that no *_init ever filled (and have no static initializer) return EINVAL. */
    @TestFactory
    Stream<DynamicTest> neverInitializedHandlesAreEinval() {
        sem_t s = new sem_t();
        semEinval("sem_destroy", () -> sem_destroy(s));
        semEinval("sem_wait", () -> sem_wait(s));
        semEinval("sem_trywait", () -> sem_trywait(s));
        semEinval("sem_timedwait", () -> sem_timedwait(s, soon()));
        semEinval("sem_post", () -> sem_post(s));
        semEinval("sem_getvalue", () -> sem_getvalue(s, new int[1]));
        pthread_barrier_t b = new pthread_barrier_t();
        einval("pthread_barrier_wait", () -> pthread_barrier_wait(b));
        einval("pthread_barrier_destroy", () -> pthread_barrier_destroy(b));
        pthread_spinlock_t sp = new pthread_spinlock_t();
        einval("pthread_spin_lock", () -> pthread_spin_lock(sp));
        einval("pthread_spin_trylock", () -> pthread_spin_trylock(sp));
        einval("pthread_spin_unlock", () -> pthread_spin_unlock(sp));
        einval("pthread_spin_destroy", () -> pthread_spin_destroy(sp));
        pthread_key_t k = new pthread_key_t();
        einval("pthread_key_delete", () -> pthread_key_delete(k));
        einval("pthread_setspecific", () -> pthread_setspecific(k, "v"));
        pthread_attr_t a = new pthread_attr_t();
        einval("pthread_attr_destroy", () -> pthread_attr_destroy(a));
        einval("pthread_attr_setdetachstate", () -> pthread_attr_setdetachstate(a, PTHREAD_CREATE_DETACHED));
        einval("pthread_attr_getdetachstate", () -> pthread_attr_getdetachstate(a, new int[1]));
        einval("pthread_attr_setstacksize", () -> pthread_attr_setstacksize(a, 1 << 20));
        einval("pthread_attr_getstacksize", () -> pthread_attr_getstacksize(a, new long[1]));
        einval("pthread_attr_setguardsize", () -> pthread_attr_setguardsize(a, 4096));
        einval("pthread_attr_getguardsize", () -> pthread_attr_getguardsize(a, new long[1]));
        einval("pthread_create(uninitialized attr)", () -> pthread_create(new pthread_t(), a, arg -> null, null));
        pthread_mutexattr_t ma = new pthread_mutexattr_t();
        einval("pthread_mutexattr_destroy", () -> pthread_mutexattr_destroy(ma));
        einval("pthread_mutexattr_settype", () -> pthread_mutexattr_settype(ma, PTHREAD_MUTEX_NORMAL));
        einval("pthread_mutexattr_gettype", () -> pthread_mutexattr_gettype(ma, new int[1]));
        einval("pthread_mutexattr_setrobust", () -> pthread_mutexattr_setrobust(ma, PTHREAD_MUTEX_ROBUST));
        einval("pthread_mutexattr_getrobust", () -> pthread_mutexattr_getrobust(ma, new int[1]));
        einval("pthread_mutex_init(uninitialized attr)", () -> pthread_mutex_init(new pthread_mutex_t(), ma));
        pthread_condattr_t ca = new pthread_condattr_t();
        einval("pthread_condattr_destroy", () -> pthread_condattr_destroy(ca));
        einval("pthread_condattr_setclock", () -> pthread_condattr_setclock(ca, CLOCK_MONOTONIC));
        einval("pthread_condattr_getclock", () -> pthread_condattr_getclock(ca, new int[1]));
        einval("pthread_cond_init(uninitialized attr)", () -> pthread_cond_init(new pthread_cond_t(), ca));
        pthread_rwlockattr_t ra = new pthread_rwlockattr_t();
        einval("pthread_rwlockattr_destroy", () -> pthread_rwlockattr_destroy(ra));
        einval("pthread_rwlock_init(uninitialized attr)", () -> pthread_rwlock_init(new pthread_rwlock_t(), ra));
        pthread_barrierattr_t ba = new pthread_barrierattr_t();
        einval("pthread_barrierattr_destroy", () -> pthread_barrierattr_destroy(ba));
        einval("pthread_barrier_init(uninitialized attr)", () -> pthread_barrier_init(new pthread_barrier_t(), ba, 2));
        return run();
    }

    /** Every handle after its destroy (or key_delete) returns EINVAL. */
    @TestFactory
    Stream<DynamicTest> destroyedHandlesAreEinval() {
        pthread_mutex_t m = new pthread_mutex_t();
        assertEquals(0, pthread_mutex_destroy(m));
        pthread_cond_t c = new pthread_cond_t();
        assertEquals(0, pthread_cond_destroy(c));
        pthread_mutex_t live = new pthread_mutex_t();
        einval("pthread_mutex_destroy", () -> pthread_mutex_destroy(m));
        einval("pthread_mutex_lock", () -> pthread_mutex_lock(m));
        einval("pthread_mutex_trylock", () -> pthread_mutex_trylock(m));
        einval("pthread_mutex_timedlock", () -> pthread_mutex_timedlock(m, soon()));
        einval("pthread_mutex_unlock", () -> pthread_mutex_unlock(m));
        einval("pthread_mutex_consistent", () -> pthread_mutex_consistent(m));
        einval("pthread_cond_wait(destroyed mutex)", () -> pthread_cond_wait(new pthread_cond_t(), m));
        einval("pthread_cond_destroy", () -> pthread_cond_destroy(c));
        einval("pthread_cond_wait", () -> pthread_cond_wait(c, live));
        einval("pthread_cond_timedwait", () -> pthread_cond_timedwait(c, live, soon()));
        einval("pthread_cond_signal", () -> pthread_cond_signal(c));
        einval("pthread_cond_broadcast", () -> pthread_cond_broadcast(c));

        pthread_rwlock_t l = new pthread_rwlock_t();
        assertEquals(0, pthread_rwlock_destroy(l));
        einval("pthread_rwlock_destroy", () -> pthread_rwlock_destroy(l));
        einval("pthread_rwlock_rdlock", () -> pthread_rwlock_rdlock(l));
        einval("pthread_rwlock_tryrdlock", () -> pthread_rwlock_tryrdlock(l));
        einval("pthread_rwlock_timedrdlock", () -> pthread_rwlock_timedrdlock(l, soon()));
        einval("pthread_rwlock_wrlock", () -> pthread_rwlock_wrlock(l));
        einval("pthread_rwlock_trywrlock", () -> pthread_rwlock_trywrlock(l));
        einval("pthread_rwlock_timedwrlock", () -> pthread_rwlock_timedwrlock(l, soon()));
        einval("pthread_rwlock_unlock", () -> pthread_rwlock_unlock(l));

        pthread_barrier_t b = new pthread_barrier_t();
        assertEquals(0, pthread_barrier_init(b, null, 2));
        assertEquals(0, pthread_barrier_destroy(b));
        einval("pthread_barrier_wait", () -> pthread_barrier_wait(b));
        einval("pthread_barrier_destroy", () -> pthread_barrier_destroy(b));

        pthread_spinlock_t sp = new pthread_spinlock_t();
        assertEquals(0, pthread_spin_init(sp, PTHREAD_PROCESS_PRIVATE));
        assertEquals(0, pthread_spin_destroy(sp));
        einval("pthread_spin_lock", () -> pthread_spin_lock(sp));
        einval("pthread_spin_trylock", () -> pthread_spin_trylock(sp));
        einval("pthread_spin_unlock", () -> pthread_spin_unlock(sp));
        einval("pthread_spin_destroy", () -> pthread_spin_destroy(sp));

        sem_t s = semaphore(1);
        assertEquals(0, sem_destroy(s));
        semEinval("sem_destroy", () -> sem_destroy(s));
        semEinval("sem_wait", () -> sem_wait(s));
        semEinval("sem_trywait", () -> sem_trywait(s));
        semEinval("sem_timedwait", () -> sem_timedwait(s, soon()));
        semEinval("sem_post", () -> sem_post(s));
        semEinval("sem_getvalue", () -> sem_getvalue(s, new int[1]));

        pthread_key_t k = new pthread_key_t();
        assertEquals(0, pthread_key_create(k, null));
        assertEquals(0, pthread_key_delete(k));
        einval("pthread_key_delete", () -> pthread_key_delete(k));
        einval("pthread_setspecific", () -> pthread_setspecific(k, "v"));

        pthread_attr_t a = new pthread_attr_t();
        assertEquals(0, pthread_attr_init(a));
        assertEquals(0, pthread_attr_destroy(a));
        einval("pthread_attr_getstacksize", () -> pthread_attr_getstacksize(a, new long[1]));
        einval("pthread_create(destroyed attr)", () -> pthread_create(new pthread_t(), a, arg -> null, null));
        pthread_mutexattr_t ma = new pthread_mutexattr_t();
        assertEquals(0, pthread_mutexattr_init(ma));
        assertEquals(0, pthread_mutexattr_destroy(ma));
        einval("pthread_mutexattr_settype", () -> pthread_mutexattr_settype(ma, PTHREAD_MUTEX_RECURSIVE));
        einval("pthread_mutex_init(destroyed attr)", () -> pthread_mutex_init(new pthread_mutex_t(), ma));
        pthread_condattr_t ca = new pthread_condattr_t();
        assertEquals(0, pthread_condattr_init(ca));
        assertEquals(0, pthread_condattr_destroy(ca));
        einval("pthread_condattr_setclock", () -> pthread_condattr_setclock(ca, CLOCK_MONOTONIC));
        einval("pthread_cond_init(destroyed attr)", () -> pthread_cond_init(new pthread_cond_t(), ca));
        return run();
    }

    /** pthread_getspecific(3) of a null, never-created or deleted key is null, never an exception. */
    @Test
    void getspecificOfInvalidKeysIsNull() {
        assertNull(pthread_getspecific(null));
        assertNull(pthread_getspecific(new pthread_key_t()));
        pthread_key_t k = new pthread_key_t();
        assertEquals(0, pthread_key_create(k, null));
        assertEquals(0, pthread_setspecific(k, "v"));
        assertEquals(0, pthread_key_delete(k));
        assertNull(pthread_getspecific(k));
    }

    /** A destroyed primitive can be initialized again and then works as new. */
    @Test
    void destroyedHandlesCanBeReinitialized() {
        pthread_mutex_t m = new pthread_mutex_t();
        assertEquals(0, pthread_mutex_destroy(m));
        assertEquals(0, pthread_mutex_init(m, null));
        assertEquals(0, pthread_mutex_lock(m));
        assertEquals(0, pthread_mutex_unlock(m));
        sem_t s = semaphore(0);
        assertEquals(0, sem_destroy(s));
        assertEquals(0, sem_init(s, 0, 2));
        int[] v = {-1};
        assertEquals(0, sem_getvalue(s, v));
        assertEquals(2, v[0]);
        pthread_cond_t c = new pthread_cond_t();
        assertEquals(0, pthread_cond_destroy(c));
        assertEquals(0, pthread_cond_init(c, null));
        assertEquals(0, pthread_cond_signal(c));
    }

    /** The static initializers (new pthread_mutex_t(), _cond_t, _rwlock_t, _once_t) are usable without *_init. */
    @Test
    void staticInitializersAreUsable() {
        pthread_mutex_t m = new pthread_mutex_t();
        pthread_cond_t c = new pthread_cond_t();
        pthread_rwlock_t l = new pthread_rwlock_t();
        pthread_once_t o = new pthread_once_t();
        int[] ran = {0};
        Map<String, Integer> results = Map.of(
                "mutex_lock", pthread_mutex_lock(m),
                "cond_timedwait", pthread_cond_timedwait(c, m, realtimeIn(-1)),
                "mutex_unlock", pthread_mutex_unlock(m),
                "rwlock_wrlock", pthread_rwlock_wrlock(l),
                "rwlock_unlock", pthread_rwlock_unlock(l),
                "once", pthread_once(o, () -> ran[0]++));
        assertEquals(Map.of("mutex_lock", 0, "cond_timedwait", ETIMEDOUT, "mutex_unlock", 0,
                "rwlock_wrlock", 0, "rwlock_unlock", 0, "once", 0), results);
        assertEquals(1, ran[0]);
    }
}
