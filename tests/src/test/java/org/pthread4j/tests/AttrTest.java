package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.tests.TestSupport.*;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pthread4j.*;

/** Thread, mutex, condition, rwlock and barrier attribute objects, and the constants they use. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AttrTest {

    private static pthread_attr_t attr() {
        pthread_attr_t a = new pthread_attr_t();
        assertEquals(0, pthread_attr_init(a));
        return a;
    }

    // ---- pthread_attr_t -----------------------------------------------------------------

    /** A fresh thread attribute is joinable, with a positive default stack size and guard size (pthread_attr_init(3)). */
    @Test
    void threadAttrDefaults() {
        pthread_attr_t a = attr();
        int[] detach = {-1};
        long[] stack = {-1};
        long[] guard = {-1};
        assertEquals(0, pthread_attr_getdetachstate(a, detach));
        assertEquals(0, pthread_attr_getstacksize(a, stack));
        assertEquals(0, pthread_attr_getguardsize(a, guard));
        assertEquals(PTHREAD_CREATE_JOINABLE, detach[0]);
        assertTrue(stack[0] >= pthread_stack_min(), "default stack " + stack[0]);
        assertTrue(guard[0] > 0, "default guard " + guard[0]);
        assertEquals(0, pthread_attr_destroy(a));
    }

    /** The detach state round-trips, and a value that is not PTHREAD_CREATE_* gives EINVAL (pthread_attr_setdetachstate(3)). */
    @ParameterizedTest
    @ValueSource(ints = {-1, 2, 42})
    void invalidDetachStateIsEinval(int bad) {
        pthread_attr_t a = attr();
        assertEquals(0, pthread_attr_setdetachstate(a, PTHREAD_CREATE_DETACHED));
        assertEquals(EINVAL, pthread_attr_setdetachstate(a, bad));
        int[] detach = {-1};
        assertEquals(0, pthread_attr_getdetachstate(a, detach));
        assertEquals(PTHREAD_CREATE_DETACHED, detach[0], "a refused value changes nothing");
    }

    /** A stack size below pthread_stack_min() gives EINVAL; the minimum itself is accepted (pthread_attr_setstacksize(3)). */
    @Test
    void stackSizeBelowMinimumIsEinval() {
        long min = pthread_stack_min();
        assertTrue(min >= 2048, "PTHREAD_STACK_MIN " + min);
        pthread_attr_t a = attr();
        assertEquals(EINVAL, pthread_attr_setstacksize(a, min - 1));
        assertEquals(EINVAL, pthread_attr_setstacksize(a, 0));
        assertEquals(EINVAL, pthread_attr_setstacksize(a, -1));
        assertEquals(0, pthread_attr_setstacksize(a, min));
        long[] stack = {0};
        assertEquals(0, pthread_attr_getstacksize(a, stack));
        assertEquals(min, stack[0]);
    }

    /** The stack size and the guard size round-trip; a negative guard size gives EINVAL (pthread_attr_setguardsize(3)). */
    @Test
    void stackAndGuardSizesRoundTrip() {
        pthread_attr_t a = attr();
        assertEquals(0, pthread_attr_setstacksize(a, 1 << 20));
        assertEquals(0, pthread_attr_setguardsize(a, 0));
        assertEquals(EINVAL, pthread_attr_setguardsize(a, -1));
        long[] v = {-1};
        assertEquals(0, pthread_attr_getstacksize(a, v));
        assertEquals(1 << 20, v[0]);
        assertEquals(0, pthread_attr_getguardsize(a, v));
        assertEquals(0, v[0]);
        assertEquals(0, pthread_attr_setguardsize(a, 65536));
        assertEquals(0, pthread_attr_getguardsize(a, v));
        assertEquals(65536, v[0]);
    }

    /** A thread created with the minimum stack size and no guard page runs Java code and returns its value. */
    @Test
    void threadWithSmallStackRuns() {
        pthread_attr_t a = attr();
        assertEquals(0, pthread_attr_setstacksize(a, pthread_stack_min()));
        assertEquals(0, pthread_attr_setguardsize(a, 0));
        pthread_t t = start(a, arg -> depth(200), null);
        assertEquals(200, join(t));
    }

    private static int depth(int n) {
        return n == 0 ? 0 : 1 + depth(n - 1);
    }

    /** A stack too large to map makes pthread_create(3) fail with EAGAIN and leaves the handle unfilled. */
    @Test
    @EnabledIfSystemProperty(named = "pthread4j.backend", matches = "native",
            disabledReason = "only native maps a stack of the size asked; virtual threads grow theirs on the heap")
    void unmappableStackIsEagain() {
        pthread_attr_t a = attr();
        assertEquals(0, pthread_attr_setstacksize(a, 1L << 50));
        pthread_t t = new pthread_t();
        assertEquals(EAGAIN, pthread_create(t, a, arg -> "ran", null));
        assertEquals(ESRCH, pthread_join(t, null));
        assertEquals(0, pthread_attr_setstacksize(a, 1 << 20));
        assertEquals("ran", join(start(a, arg -> "ran", null)), "the attribute still works with a sane size");
    }

    /** Attributes are copied at creation: changing or destroying them afterwards does not affect the thread. */
    @Test
    void attributesAreReadAtCreation() {
        pthread_attr_t a = attr();
        sem_t release = semaphore(0);
        pthread_t t = start(a, arg -> {
            sem_wait(release);
            return "joinable";
        }, null);
        assertEquals(0, pthread_attr_setdetachstate(a, PTHREAD_CREATE_DETACHED));
        assertEquals(0, pthread_attr_destroy(a));
        sem_post(release);
        assertEquals("joinable", join(t));
    }

    /** A destroyed thread attribute gives EINVAL everywhere until initialized again (pthread_attr_destroy(3)). */
    @Test
    void destroyedThreadAttrIsEinval() {
        pthread_attr_t a = attr();
        assertEquals(0, pthread_attr_destroy(a));
        assertEquals(EINVAL, pthread_attr_destroy(a));
        assertEquals(EINVAL, pthread_attr_setstacksize(a, 1 << 20));
        assertEquals(EINVAL, pthread_create(new pthread_t(), a, arg -> null, null));
        assertEquals(0, pthread_attr_init(a));
        assertEquals(0, pthread_attr_setstacksize(a, 1 << 20));
    }

    /** Getters with a null or empty out-array give EINVAL rather than throwing. */
    @Test
    void nullOutParametersAreEinval() {
        pthread_attr_t a = attr();
        assertEquals(EINVAL, pthread_attr_getdetachstate(a, null));
        assertEquals(EINVAL, pthread_attr_getstacksize(a, new long[0]));
        assertEquals(EINVAL, pthread_attr_getguardsize(a, null));
        pthread_mutexattr_t ma = new pthread_mutexattr_t();
        assertEquals(0, pthread_mutexattr_init(ma));
        assertEquals(EINVAL, pthread_mutexattr_gettype(ma, null));
        assertEquals(EINVAL, pthread_mutexattr_getrobust(ma, new int[0]));
        pthread_condattr_t ca = new pthread_condattr_t();
        assertEquals(0, pthread_condattr_init(ca));
        assertEquals(EINVAL, pthread_condattr_getclock(ca, null));
    }

    // ---- pthread_mutexattr_t ------------------------------------------------------------

    /** A fresh mutex attribute has type PTHREAD_MUTEX_DEFAULT and is not robust (pthread_mutexattr_init(3)). */
    @Test
    void mutexAttrDefaults() {
        pthread_mutexattr_t a = new pthread_mutexattr_t();
        assertEquals(0, pthread_mutexattr_init(a));
        int[] v = {-1};
        assertEquals(0, pthread_mutexattr_gettype(a, v));
        assertEquals(PTHREAD_MUTEX_DEFAULT, v[0]);
        assertEquals(0, pthread_mutexattr_getrobust(a, v));
        assertEquals(PTHREAD_MUTEX_STALLED, v[0]);
        assertEquals(0, pthread_mutexattr_destroy(a));
        assertEquals(EINVAL, pthread_mutexattr_destroy(a));
    }

    /** Every mutex type round-trips; any other value gives EINVAL (pthread_mutexattr_settype(3)). */
    @Test
    void mutexTypesRoundTrip() {
        pthread_mutexattr_t a = new pthread_mutexattr_t();
        assertEquals(0, pthread_mutexattr_init(a));
        int[] v = {-1};
        for (int type : new int[] {PTHREAD_MUTEX_NORMAL, PTHREAD_MUTEX_RECURSIVE, PTHREAD_MUTEX_ERRORCHECK,
                PTHREAD_MUTEX_DEFAULT}) {
            assertEquals(0, pthread_mutexattr_settype(a, type));
            assertEquals(0, pthread_mutexattr_gettype(a, v));
            assertEquals(type, v[0]);
        }
        assertEquals(EINVAL, pthread_mutexattr_settype(a, 3));
        assertEquals(EINVAL, pthread_mutexattr_settype(a, -1));
        assertEquals(0, pthread_mutexattr_setrobust(a, PTHREAD_MUTEX_ROBUST));
        assertEquals(0, pthread_mutexattr_getrobust(a, v));
        assertEquals(PTHREAD_MUTEX_ROBUST, v[0]);
        assertEquals(EINVAL, pthread_mutexattr_setrobust(a, 2));
    }

    // ---- pthread_condattr_t, rwlockattr, barrierattr ------------------------------------

    /** A condition attribute's clock is CLOCK_REALTIME by default, may be CLOCK_MONOTONIC, nothing else (pthread_condattr_setclock(3)). */
    @Test
    void condAttrClock() {
        pthread_condattr_t a = new pthread_condattr_t();
        assertEquals(0, pthread_condattr_init(a));
        int[] clock = {-1};
        assertEquals(0, pthread_condattr_getclock(a, clock));
        assertEquals(CLOCK_REALTIME, clock[0]);
        assertEquals(0, pthread_condattr_setclock(a, CLOCK_MONOTONIC));
        assertEquals(0, pthread_condattr_getclock(a, clock));
        assertEquals(CLOCK_MONOTONIC, clock[0]);
        assertEquals(EINVAL, pthread_condattr_setclock(a, 42));
        assertEquals(EINVAL, pthread_condattr_setclock(a, -1));
        assertEquals(0, pthread_condattr_destroy(a));
        assertEquals(EINVAL, pthread_condattr_destroy(a));
    }

    /** rwlock and barrier attributes initialize, serve an init, and destroy once. */
    @Test
    void rwlockAndBarrierAttrs() {
        pthread_rwlockattr_t ra = new pthread_rwlockattr_t();
        assertEquals(0, pthread_rwlockattr_init(ra));
        assertEquals(0, pthread_rwlock_init(new pthread_rwlock_t(), ra));
        assertEquals(0, pthread_rwlockattr_destroy(ra));
        assertEquals(EINVAL, pthread_rwlockattr_destroy(ra));
        pthread_barrierattr_t ba = new pthread_barrierattr_t();
        assertEquals(0, pthread_barrierattr_init(ba));
        assertEquals(0, pthread_barrier_init(new pthread_barrier_t(), ba, 2));
        assertEquals(0, pthread_barrierattr_destroy(ba));
        assertEquals(EINVAL, pthread_barrierattr_destroy(ba));
    }

    // ---- constants ----------------------------------------------------------------------

    /** The errno values are Linux's numbers, and strerror(3) gives glibc's messages. */
    @Test
    void errnoValuesAreLinux() {
        int[][] expected = {
            {EPERM, 1}, {ESRCH, 3}, {EINTR, 4}, {EAGAIN, 11}, {ENOMEM, 12}, {EBUSY, 16}, {EINVAL, 22},
            {ERANGE, 34}, {EDEADLK, 35}, {EOVERFLOW, 75}, {ETIMEDOUT, 110}, {EOWNERDEAD, 130},
            {ENOTRECOVERABLE, 131},
        };
        for (int[] e : expected) {
            assertEquals(e[1], e[0]);
        }
        assertEquals("Invalid argument", strerror(EINVAL));
        assertEquals("Connection timed out", strerror(ETIMEDOUT));
        assertEquals("Resource deadlock avoided", strerror(EDEADLK));
    }

    /** The PTHREAD_* constants have glibc's values. */
    @Test
    void pthreadConstantsAreGlibc() {
        assertEquals(0, PTHREAD_CREATE_JOINABLE);
        assertEquals(1, PTHREAD_CREATE_DETACHED);
        assertEquals(0, PTHREAD_MUTEX_NORMAL);
        assertEquals(1, PTHREAD_MUTEX_RECURSIVE);
        assertEquals(2, PTHREAD_MUTEX_ERRORCHECK);
        assertEquals(PTHREAD_MUTEX_NORMAL, PTHREAD_MUTEX_DEFAULT);
        assertEquals(0, PTHREAD_MUTEX_STALLED);
        assertEquals(1, PTHREAD_MUTEX_ROBUST);
        assertEquals(0, PTHREAD_CANCEL_ENABLE);
        assertEquals(1, PTHREAD_CANCEL_DISABLE);
        assertEquals(0, PTHREAD_CANCEL_DEFERRED);
        assertEquals(1, PTHREAD_CANCEL_ASYNCHRONOUS);
        assertEquals(-1, PTHREAD_BARRIER_SERIAL_THREAD);
        assertEquals(1024, PTHREAD_KEYS_MAX);
        assertEquals(4, PTHREAD_DESTRUCTOR_ITERATIONS);
        assertEquals(Integer.MAX_VALUE, SEM_VALUE_MAX);
        assertEquals(0, CLOCK_REALTIME);
        assertEquals(1, CLOCK_MONOTONIC);
    }

    /** The backend reported by Pthreads.backend() is the one selected with -Dpthread4j.backend. */
    @Test
    void backendIsTheSelectedOne() {
        assertEquals(BACKEND, backend().id());
    }
}
