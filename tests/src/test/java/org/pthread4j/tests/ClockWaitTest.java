package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.tests.TestSupport.*;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pthread4j.*;

/**
 * {@code pthread_cond_clockwait}, {@code pthread_rwlock_clockrdlock} and
 * {@code pthread_rwlock_clockwrlock}: the deadline is on the clock given, whatever the
 * condition's own clock, and bad input answers as glibc 2.36 (measured with a C program on
 * this machine kind).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ClockWaitTest {

    /** A clockwait on either clock times out at its deadline, with the mutex held again. */
    @Test
    void condTimesOutOnTheGivenClock() {
        pthread_cond_t c = new pthread_cond_t();
        pthread_mutex_t m = new pthread_mutex_t();
        pthread_mutexattr_t a = new pthread_mutexattr_t();
        pthread_mutexattr_init(a);
        pthread_mutexattr_settype(a, PTHREAD_MUTEX_ERRORCHECK);
        pthread_mutex_init(m, a);
        for (int clock : new int[] {CLOCK_MONOTONIC, CLOCK_REALTIME}) {
            assertEquals(0, pthread_mutex_lock(m));
            assertEquals(ETIMEDOUT, pthread_cond_clockwait(c, m, clock, plusMillis(now(clock), 10)));
            assertEquals(EDEADLK, pthread_mutex_lock(m), "held again after the wait");
            assertEquals(0, pthread_mutex_unlock(m));
        }
    }

    /** A clockwait with a far deadline returns 0 once signalled. */
    @Test
    void condSignalledBeforeDeadline() {
        pthread_cond_t c = new pthread_cond_t();
        pthread_mutex_t m = new pthread_mutex_t();
        boolean[] ready = {false};
        pthread_t signaller = start(arg -> {
            pthread_mutex_lock(m);
            ready[0] = true;
            pthread_cond_signal(c);
            pthread_mutex_unlock(m);
            return null;
        });
        pthread_mutex_lock(m);
        int r = 0;
        while (!ready[0] && r == 0) {
            r = pthread_cond_clockwait(c, m, CLOCK_MONOTONIC, monotonicIn(20_000));
        }
        pthread_mutex_unlock(m);
        assertEquals(0, r);
        join(signaller);
    }

    /** Bad input to clockwait: an unknown or CPU-time clock, a bad tv_nsec, null, all EINVAL. */
    @Test
    void condBadInput() {
        pthread_cond_t c = new pthread_cond_t();
        pthread_mutex_t m = new pthread_mutex_t();
        pthread_mutex_lock(m);
        assertEquals(EINVAL, pthread_cond_clockwait(c, m, 5, monotonicIn(10)));
        assertEquals(EINVAL, pthread_cond_clockwait(c, m, 2, monotonicIn(10)), "CLOCK_PROCESS_CPUTIME_ID");
        assertEquals(EINVAL, pthread_cond_clockwait(c, m, CLOCK_MONOTONIC, new timespec(1, -1)));
        assertEquals(EINVAL, pthread_cond_clockwait(c, m, CLOCK_MONOTONIC, null));
        assertEquals(EINVAL, pthread_cond_clockwait(null, m, CLOCK_MONOTONIC, monotonicIn(10)));
        pthread_mutex_unlock(m);
    }

    /** clockrdlock and clockwrlock: free locks are taken, a held one times out on the given clock. */
    @Test
    void rwlockOnEitherClock() {
        pthread_rwlock_t l = new pthread_rwlock_t();
        for (int clock : new int[] {CLOCK_MONOTONIC, CLOCK_REALTIME}) {
            assertEquals(0, pthread_rwlock_clockrdlock(l, clock, plusMillis(now(clock), 10)));
            Object r = join(start(arg -> pthread_rwlock_clockwrlock(l, clock, plusMillis(now(clock), 10))));
            assertEquals(ETIMEDOUT, r);
            assertEquals(0, pthread_rwlock_unlock(l));
            assertEquals(0, pthread_rwlock_clockwrlock(l, clock, plusMillis(now(clock), 10)));
            assertEquals(EDEADLK, pthread_rwlock_clockrdlock(l, clock, plusMillis(now(clock), 10)));
            assertEquals(0, pthread_rwlock_unlock(l));
        }
    }

    /** Bad input to the rwlock calls: an unknown clock or a bad tv_nsec is EINVAL even on a free lock, as in glibc. */
    @Test
    void rwlockBadInput() {
        pthread_rwlock_t l = new pthread_rwlock_t();
        assertEquals(EINVAL, pthread_rwlock_clockrdlock(l, 5, monotonicIn(10)));
        assertEquals(EINVAL, pthread_rwlock_clockwrlock(l, 5, monotonicIn(10)));
        assertEquals(EINVAL, pthread_rwlock_clockrdlock(l, CLOCK_MONOTONIC, new timespec(1, -1)));
        assertEquals(EINVAL, pthread_rwlock_clockwrlock(l, CLOCK_MONOTONIC, new timespec(1, 1_000_000_000L)));
        assertEquals(EINVAL, pthread_rwlock_clockrdlock(l, CLOCK_MONOTONIC, null));
        assertEquals(EINVAL, pthread_rwlock_clockwrlock(null, CLOCK_MONOTONIC, monotonicIn(10)));
        pthread_rwlock_t destroyed = new pthread_rwlock_t();
        pthread_rwlock_init(destroyed, null);
        pthread_rwlock_destroy(destroyed);
        assertEquals(EINVAL, pthread_rwlock_clockrdlock(destroyed, CLOCK_MONOTONIC, monotonicIn(10)));
    }
}
