package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.tests.TestSupport.*;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pthread4j.*;

/** Spin locks: pthread_spin_lock(3p), pthread_spin_trylock(3p), pthread_spin_unlock(3p). */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SpinLockTest {

    static pthread_spinlock_t spin() {
        pthread_spinlock_t s = new pthread_spinlock_t();
        assertEquals(0, pthread_spin_init(s, PTHREAD_PROCESS_PRIVATE));
        return s;
    }

    /** Any pshared is accepted, as glibc accepts it (pthread_spin_init(3p) lists no error for it). */
    @Test
    void initAcceptsAnyPshared() {
        assertEquals(0, pthread_spin_init(new pthread_spinlock_t(), 2));
        assertEquals(0, pthread_spin_init(new pthread_spinlock_t(), PTHREAD_PROCESS_SHARED));
    }

    /** trylock of a held spin lock gives EBUSY, whether another thread or the caller holds it. */
    @Test
    void trylockOfHeldLockIsEbusy() {
        pthread_spinlock_t s = spin();
        Holder h = hold(() -> pthread_spin_lock(s), () -> pthread_spin_unlock(s));
        assertEquals(EBUSY, pthread_spin_trylock(s));
        assertEquals(0, h.release());
        assertEquals(0, pthread_spin_trylock(s));
        assertEquals(EBUSY, pthread_spin_trylock(s));
        assertEquals(0, pthread_spin_unlock(s));
    }

    /** The owner relocking gets EDEADLK instead of spinning forever (a "may fail" of pthread_spin_lock(3p)). */
    @Test
    void relockIsEdeadlk() {
        pthread_spinlock_t s = spin();
        assertEquals(0, pthread_spin_lock(s));
        assertEquals(EDEADLK, pthread_spin_lock(s));
        assertEquals(0, pthread_spin_unlock(s));
    }

    /** Unlocking a spin lock the caller does not hold gives EPERM and leaves it held. */
    @Test
    void unlockByNonOwnerIsEperm() {
        pthread_spinlock_t s = spin();
        assertEquals(EPERM, pthread_spin_unlock(s), "not locked at all");
        Holder h = hold(() -> pthread_spin_lock(s), () -> pthread_spin_unlock(s));
        assertEquals(EPERM, pthread_spin_unlock(s));
        assertEquals(EBUSY, pthread_spin_trylock(s));
        assertEquals(0, h.release());
    }

    /** Destroying a held spin lock gives EBUSY; a free one destroys (pthread_spin_destroy(3p)). */
    @Test
    void destroyOfHeldLockIsEbusy() {
        pthread_spinlock_t s = spin();
        assertEquals(0, pthread_spin_lock(s));
        assertEquals(EBUSY, pthread_spin_destroy(s));
        assertEquals(0, pthread_spin_unlock(s));
        assertEquals(0, pthread_spin_destroy(s));
    }

    /** A counter incremented under a spin lock by several threads ends exact. */
    @ParameterizedTest(name = "{0} threads x {1} increments")
    @CsvSource({"2, 50000", "4, 20000"})
    void counterIsExact(int threads, int iterations) {
        pthread_spinlock_t s = spin();
        long[] counter = {0};
        pthread_t[] t = new pthread_t[threads];
        for (int i = 0; i < threads; i++) {
            t[i] = start(arg -> {
                int failures = 0;
                for (int k = 0; k < iterations; k++) {
                    failures += pthread_spin_lock(s);
                    counter[0]++;
                    failures += pthread_spin_unlock(s);
                }
                return failures;
            });
        }
        for (pthread_t x : t) {
            assertEquals(0, join(x));
        }
        assertEquals((long) threads * iterations, counter[0]);
    }
}
