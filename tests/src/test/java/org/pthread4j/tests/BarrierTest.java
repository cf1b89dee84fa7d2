package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.tests.TestSupport.*;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pthread4j.*;

/** Barriers: pthread_barrier_wait(3p) and its serial thread. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BarrierTest {

    static pthread_barrier_t barrier(int count) {
        pthread_barrier_t b = new pthread_barrier_t();
        assertEquals(0, pthread_barrier_init(b, null, count));
        return b;
    }

    /**
     * Over many generations exactly one thread per generation gets PTHREAD_BARRIER_SERIAL_THREAD,
     * the others 0, and nobody leaves a generation before all N arrived.
     */
    @ParameterizedTest(name = "{0} threads x {1} generations")
    @CsvSource({"2, 2000", "4, 1000", "8, 300", "17, 100"})
    void oneSerialThreadPerGeneration(int threads, int generations) {
        pthread_barrier_t b = barrier(threads);
        AtomicIntegerArray serial = new AtomicIntegerArray(generations);
        AtomicIntegerArray arrived = new AtomicIntegerArray(generations);
        AtomicInteger early = new AtomicInteger();
        AtomicInteger otherResults = new AtomicInteger();
        pthread_t[] t = new pthread_t[threads];
        for (int i = 0; i < threads; i++) {
            t[i] = start(arg -> {
                for (int g = 0; g < generations; g++) {
                    arrived.incrementAndGet(g);
                    int r = pthread_barrier_wait(b);
                    if (arrived.get(g) != threads) {
                        early.incrementAndGet();
                    }
                    if (r == PTHREAD_BARRIER_SERIAL_THREAD) {
                        serial.incrementAndGet(g);
                    } else if (r != 0) {
                        otherResults.incrementAndGet();
                    }
                }
                return null;
            });
        }
        joinAll(t);
        assertEquals(0, early.get(), "threads released before the last arrival");
        assertEquals(0, otherResults.get(), "results other than 0 and PTHREAD_BARRIER_SERIAL_THREAD");
        for (int g = 0; g < generations; g++) {
            assertEquals(1, serial.get(g), "serial threads in generation " + g);
        }
        assertEquals(0, pthread_barrier_destroy(b));
    }

    /** N-1 threads stay at the barrier, however long, until the N-th arrives; then all go. */
    @Test
    void releasesOnlyWhenTheLastArrives() {
        int n = 5;
        pthread_barrier_t b = barrier(n);
        AtomicInteger passed = new AtomicInteger();
        AtomicInteger serials = new AtomicInteger();
        pthread_t[] t = new pthread_t[n - 1];
        for (int i = 0; i < n - 1; i++) {
            t[i] = start(arg -> {
                if (pthread_barrier_wait(b) == PTHREAD_BARRIER_SERIAL_THREAD) {
                    serials.incrementAndGet();
                }
                passed.incrementAndGet();
                return null;
            });
        }
        pause(150);
        assertEquals(0, passed.get(), "passed with " + (n - 1) + " of " + n + " arrived");
        if (pthread_barrier_wait(b) == PTHREAD_BARRIER_SERIAL_THREAD) {
            serials.incrementAndGet();
        }
        joinAll(t);
        assertEquals(n - 1, passed.get());
        assertEquals(1, serials.get());
    }

    /**
     * The serial thread may destroy the barrier as soon as its wait returns, while the
     * others are still on their way out (the usual C idiom; pthread_barrier_destroy(3p)).
     */
    @ParameterizedTest(name = "{0} threads")
    @CsvSource({"2", "8"})
    void serialThreadDestroysRightAway(int n) {
        for (int round = 0; round < 20; round++) {
            pthread_barrier_t b = barrier(n);
            AtomicInteger destroyed = new AtomicInteger(Integer.MIN_VALUE);
            AtomicInteger others = new AtomicInteger();
            StartRoutine party = arg -> {
                int r = pthread_barrier_wait(b);
                if (r == PTHREAD_BARRIER_SERIAL_THREAD) {
                    destroyed.set(pthread_barrier_destroy(b));
                } else if (r == 0) {
                    others.incrementAndGet();
                }
                return null;
            };
            pthread_t[] t = new pthread_t[n];
            for (int i = 0; i < n; i++) {
                t[i] = start(party);
            }
            joinAll(t);
            assertEquals(0, destroyed.get(), "pthread_barrier_destroy by the serial thread, round " + round);
            assertEquals(n - 1, others.get());
            assertEquals(EINVAL, pthread_barrier_wait(b), "destroyed");
        }
    }

    /** A barrier of count 1 never waits: every call returns PTHREAD_BARRIER_SERIAL_THREAD. */
    @Test
    void countOneAlwaysSerial() {
        pthread_barrier_t b = barrier(1);
        for (int i = 0; i < 100; i++) {
            assertEquals(PTHREAD_BARRIER_SERIAL_THREAD, pthread_barrier_wait(b));
        }
    }

    /** A count of 0 or below gives EINVAL (pthread_barrier_init(3p)). */
    @Test
    void countZeroIsEinval() {
        pthread_barrier_t b = new pthread_barrier_t();
        assertEquals(EINVAL, pthread_barrier_init(b, null, 0));
        assertEquals(EINVAL, pthread_barrier_init(b, null, -1));
        assertEquals(EINVAL, pthread_barrier_wait(b), "still not initialized");
    }

    /** Destroying a barrier while a thread waits at it gives EBUSY; after the round it destroys (pthread_barrier_destroy(3p)). */
    @Test
    void destroyWithWaiterIsEbusy() {
        pthread_barrier_t b = barrier(2);
        AtomicInteger tid = new AtomicInteger();
        pthread_t t = start(arg -> {
            tid.set(gettid());
            return pthread_barrier_wait(b);
        });
        awaitBlocked(tid);
        assertEquals(EBUSY, pthread_barrier_destroy(b));
        int mine = pthread_barrier_wait(b);
        int theirs = (Integer) join(t);
        assertEquals(PTHREAD_BARRIER_SERIAL_THREAD, Math.min(mine, theirs));
        assertEquals(0, Math.max(mine, theirs));
        assertEquals(0, pthread_barrier_destroy(b));
    }
}
