package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.tests.TestSupport.*;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pthread4j.*;

/** Readers-writer locks: pthread_rwlock_rdlock(3p), pthread_rwlock_wrlock(3p) and their timed and try forms. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RwLockTest {

    static Holder holdRead(pthread_rwlock_t l) {
        return hold(() -> pthread_rwlock_rdlock(l), () -> pthread_rwlock_unlock(l));
    }

    static Holder holdWrite(pthread_rwlock_t l) {
        return hold(() -> pthread_rwlock_wrlock(l), () -> pthread_rwlock_unlock(l));
    }

    /** Several readers hold the lock at once; a writer is kept out meanwhile (trywrlock gives EBUSY). */
    @Test
    void readersShareAndExcludeWriters() {
        pthread_rwlock_t l = new pthread_rwlock_t();
        Holder reader = holdRead(l);
        assertEquals(0, pthread_rwlock_tryrdlock(l));
        assertEquals(0, pthread_rwlock_rdlock(l));
        assertEquals(EBUSY, pthread_rwlock_trywrlock(l));
        assertEquals(0, pthread_rwlock_unlock(l));
        assertEquals(0, pthread_rwlock_unlock(l));
        assertEquals(EBUSY, pthread_rwlock_trywrlock(l), "the holder still reads");
        assertEquals(0, reader.release());
        assertEquals(0, pthread_rwlock_trywrlock(l));
        assertEquals(0, pthread_rwlock_unlock(l));
    }

    /** A writer excludes readers and writers: tryrdlock and trywrlock give EBUSY (pthread_rwlock_tryrdlock(3p)). */
    @Test
    void writerExcludesEveryone() {
        pthread_rwlock_t l = new pthread_rwlock_t();
        Holder writer = holdWrite(l);
        assertEquals(EBUSY, pthread_rwlock_tryrdlock(l));
        assertEquals(EBUSY, pthread_rwlock_trywrlock(l));
        assertEquals(0, writer.release());
        assertEquals(0, pthread_rwlock_tryrdlock(l));
        assertEquals(0, pthread_rwlock_unlock(l));
    }

    /** The writer relocking, for reading or writing, gets EDEADLK as on Linux (pthread_rwlock_wrlock(3p)). */
    @Test
    void writerRelockIsEdeadlk() {
        pthread_rwlock_t l = new pthread_rwlock_t();
        assertEquals(0, pthread_rwlock_wrlock(l));
        assertEquals(EDEADLK, pthread_rwlock_wrlock(l));
        assertEquals(EDEADLK, pthread_rwlock_rdlock(l));
        assertEquals(EDEADLK, pthread_rwlock_timedwrlock(l, realtimeIn(1000)));
        assertEquals(EDEADLK, pthread_rwlock_timedrdlock(l, realtimeIn(1000)));
        assertEquals(EBUSY, pthread_rwlock_trywrlock(l));
        assertEquals(0, pthread_rwlock_unlock(l));
        assertEquals(EPERM, pthread_rwlock_unlock(l), "locked once, not twice");
    }

    /** timedwrlock and timedrdlock give ETIMEDOUT after the deadline, not before (pthread_rwlock_timedwrlock(3p)). */
    @Test
    void timedLocksPastDeadlineAreEtimedout() {
        pthread_rwlock_t l = new pthread_rwlock_t();
        Holder reader = holdRead(l);
        long t0 = System.nanoTime();
        assertEquals(ETIMEDOUT, pthread_rwlock_timedwrlock(l, realtimeIn(100)));
        long waited = millisSince(t0);
        assertTrue(waited >= 90, "returned after " + waited + " ms");
        assertEquals(ETIMEDOUT, pthread_rwlock_timedwrlock(l, realtimeIn(-1000)));
        assertEquals(ETIMEDOUT, pthread_rwlock_timedwrlock(l, new timespec(-1, 0)));
        assertEquals(0, reader.release());
        Holder writer = holdWrite(l);
        t0 = System.nanoTime();
        assertEquals(ETIMEDOUT, pthread_rwlock_timedrdlock(l, realtimeIn(100)));
        waited = millisSince(t0);
        assertTrue(waited >= 90, "returned after " + waited + " ms");
        assertEquals(ETIMEDOUT, pthread_rwlock_timedrdlock(l, realtimeIn(-1000)));
        assertEquals(0, writer.release());
    }

    /** A timed lock that must wait, given tv_nsec outside [0, 1e9), gives EINVAL (pthread_rwlock_timedrdlock(3p)). */
    @ParameterizedTest
    @ValueSource(longs = {-1, 1_000_000_000L})
    void timedLocksWithBadNanosecondsAreEinval(long nsec) {
        pthread_rwlock_t l = new pthread_rwlock_t();
        Holder writer = holdWrite(l);
        timespec bad = realtimeIn(1000);
        bad.tv_nsec = nsec;
        assertEquals(EINVAL, pthread_rwlock_timedrdlock(l, bad));
        assertEquals(EINVAL, pthread_rwlock_timedwrlock(l, bad));
        assertEquals(0, writer.release());
    }

    /** Unlocking a lock nobody holds, or another thread's write lock, gives EPERM. */
    @Test
    void unlockNotHeldIsEperm() {
        pthread_rwlock_t l = new pthread_rwlock_t();
        assertEquals(EPERM, pthread_rwlock_unlock(l));
        Holder writer = holdWrite(l);
        assertEquals(EPERM, pthread_rwlock_unlock(l));
        assertEquals(EBUSY, pthread_rwlock_tryrdlock(l), "still write-locked by the holder");
        assertEquals(0, writer.release());
    }

    /** Destroying a held rwlock gives EBUSY; a free one destroys (pthread_rwlock_destroy(3p)). */
    @Test
    void destroyOfHeldLockIsEbusy() {
        pthread_rwlock_t l = new pthread_rwlock_t();
        assertEquals(0, pthread_rwlock_rdlock(l));
        assertEquals(EBUSY, pthread_rwlock_destroy(l));
        assertEquals(0, pthread_rwlock_unlock(l));
        assertEquals(0, pthread_rwlock_wrlock(l));
        assertEquals(EBUSY, pthread_rwlock_destroy(l));
        assertEquals(0, pthread_rwlock_unlock(l));
        assertEquals(0, pthread_rwlock_destroy(l));
    }

    /** A writer blocked behind readers gets the lock once the last reader unlocks. */
    @Test
    void blockedWriterProceedsAfterReaders() {
        pthread_rwlock_t l = new pthread_rwlock_t();
        Holder r1 = holdRead(l);
        Holder r2 = holdRead(l);
        AtomicInteger tid = new AtomicInteger();
        AtomicInteger got = new AtomicInteger(-1);
        pthread_t writer = start(arg -> {
            tid.set(gettid());
            got.set(pthread_rwlock_wrlock(l));
            return pthread_rwlock_unlock(l);
        });
        awaitBlocked(tid);
        assertEquals(0, r1.release());
        pause(20);
        assertEquals(-1, got.get(), "the writer got in with a reader inside");
        assertEquals(0, r2.release());
        assertEquals(0, join(writer));
        assertEquals(0, got.get());
    }

    /** Readers blocked behind a writer all get in once it unlocks. */
    @Test
    void blockedReadersProceedAfterWriter() {
        pthread_rwlock_t l = new pthread_rwlock_t();
        Holder writer = holdWrite(l);
        pthread_barrier_t together = new pthread_barrier_t();
        int n = 4;
        assertEquals(0, pthread_barrier_init(together, null, n));
        pthread_t[] readers = new pthread_t[n];
        for (int i = 0; i < n; i++) {
            readers[i] = start(arg -> {
                int r = pthread_rwlock_rdlock(l);
                pthread_barrier_wait(together); // all n hold the read lock at the same time
                return r + pthread_rwlock_unlock(l);
            });
        }
        pause(50);
        assertEquals(0, writer.release());
        for (pthread_t t : readers) {
            assertEquals(0, join(t));
        }
    }
}
