package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.tests.TestSupport.*;

import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pthread4j.*;

/**
 * Spurious wake-ups allowed, lost wake-ups never: the primitives under many threads, each
 * stress a table of threads x iterations, each ending in an exact count.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StressTest {

    /** A bounded buffer with two condition variables, as in every textbook. */
    static final class BoundedBuffer {
        final pthread_mutex_t m = new pthread_mutex_t();
        final pthread_cond_t notFull = new pthread_cond_t();
        final pthread_cond_t notEmpty = new pthread_cond_t();
        final int[] items;
        int head; // guarded by m
        int count; // guarded by m

        BoundedBuffer(int capacity) {
            items = new int[capacity];
        }

        void put(int item) {
            pthread_mutex_lock(m);
            while (count == items.length) {
                pthread_cond_wait(notFull, m);
            }
            items[(head + count) % items.length] = item;
            count++;
            pthread_cond_signal(notEmpty);
            pthread_mutex_unlock(m);
        }

        int take() {
            pthread_mutex_lock(m);
            while (count == 0) {
                pthread_cond_wait(notEmpty, m);
            }
            int item = items[head];
            head = (head + 1) % items.length;
            count--;
            pthread_cond_signal(notFull);
            pthread_mutex_unlock(m);
            return item;
        }
    }

    /**
     * Producers and consumers pass every item through a bounded buffer exactly once: the
     * consumers together see each item id once (a BitSet) and the sum of all of them.
     */
    @ParameterizedTest(name = "{0} producers x {1} consumers, {2} items, capacity {3}")
    @CsvSource({
        "1, 1, 50000, 1",
        "8, 8, 1000000, 64",
        "4, 4, 100000, 2",
    })
    void boundedBufferLosesAndDuplicatesNothing(int producers, int consumers, int items, int capacity) {
        BoundedBuffer buffer = new BoundedBuffer(capacity);
        int perProducer = items / producers;
        int perConsumer = items / consumers;
        assertEquals(items, perProducer * producers);
        assertEquals(items, perConsumer * consumers);
        BitSet seen = new BitSet(items);
        AtomicInteger duplicates = new AtomicInteger();
        AtomicLong sum = new AtomicLong();
        pthread_mutex_t seenLock = new pthread_mutex_t();
        pthread_t[] t = new pthread_t[producers + consumers];
        for (int p = 0; p < producers; p++) {
            int first = p * perProducer;
            t[p] = start(arg -> {
                for (int i = 0; i < perProducer; i++) {
                    buffer.put(first + i);
                }
                return null;
            });
        }
        for (int c = 0; c < consumers; c++) {
            t[producers + c] = start(arg -> {
                int[] got = new int[perConsumer];
                long mySum = 0;
                for (int i = 0; i < perConsumer; i++) {
                    got[i] = buffer.take();
                    mySum += got[i];
                }
                sum.addAndGet(mySum);
                pthread_mutex_lock(seenLock);
                for (int item : got) {
                    if (seen.get(item)) {
                        duplicates.incrementAndGet();
                    }
                    seen.set(item);
                }
                pthread_mutex_unlock(seenLock);
                return null;
            });
        }
        for (pthread_t x : t) {
            assertEquals(null, joinLong(x));
        }
        assertEquals(0, duplicates.get(), "items taken twice");
        assertEquals(items, seen.cardinality(), "distinct items taken");
        assertEquals((long) items * (items - 1) / 2, sum.get(), "sum of the items taken");
        assertEquals(0, buffer.count);
    }

    private static Object joinLong(pthread_t t) {
        Object[] ret = new Object[1];
        assertEquals(0, joinWithin(t, ret, 100));
        return ret[0];
    }

    /** A counter incremented under a mutex of each type by many threads ends exact. */
    @ParameterizedTest(name = "{0} threads x {1} increments, type {2}")
    @CsvSource({
        "2, 100000, " + PTHREAD_MUTEX_NORMAL,
        "8, 50000, " + PTHREAD_MUTEX_NORMAL,
        "8, 20000, " + PTHREAD_MUTEX_ERRORCHECK,
        "8, 20000, " + PTHREAD_MUTEX_RECURSIVE,
        "32, 2000, " + PTHREAD_MUTEX_NORMAL,
    })
    void mutexCounterIsExact(int threads, int iterations, int type) {
        pthread_mutex_t m = MutexTest.mutex(type);
        long[] counter = {0};
        pthread_t[] t = new pthread_t[threads];
        for (int i = 0; i < threads; i++) {
            t[i] = start(arg -> {
                int failures = 0;
                for (int k = 0; k < iterations; k++) {
                    failures += pthread_mutex_lock(m) != 0 ? 1 : 0;
                    counter[0]++;
                    failures += pthread_mutex_unlock(m) != 0 ? 1 : 0;
                }
                return failures;
            });
        }
        for (pthread_t x : t) {
            assertEquals(0, joinLong(x));
        }
        assertEquals((long) threads * iterations, counter[0]);
    }

    /**
     * Threads mixing lock, trylock and short timedlocks on one mutex: each call gives 0, EBUSY
     * or ETIMEDOUT, and the increments made under a successful lock add up exactly.
     */
    @ParameterizedTest(name = "{0} threads x {1} attempts")
    @CsvSource({"4, 20000", "8, 5000"})
    void timedAndTryLocksKeepCountExact(int threads, int attempts) {
        pthread_mutex_t m = MutexTest.mutex(PTHREAD_MUTEX_ERRORCHECK);
        long[] counter = {0};
        AtomicLong acquired = new AtomicLong();
        AtomicInteger wrong = new AtomicInteger();
        pthread_t[] t = new pthread_t[threads];
        for (int i = 0; i < threads; i++) {
            t[i] = start(null, arg -> {
                int id = (Integer) arg;
                for (int k = 0; k < attempts; k++) {
                    int r = switch ((k + id) % 3) {
                        case 0 -> pthread_mutex_lock(m);
                        case 1 -> pthread_mutex_trylock(m);
                        default -> pthread_mutex_timedlock(m, realtimeIn(k % 2));
                    };
                    if (r == 0) {
                        counter[0]++;
                        acquired.incrementAndGet();
                        if (pthread_mutex_unlock(m) != 0) {
                            wrong.incrementAndGet();
                        }
                    } else if (r != EBUSY && r != ETIMEDOUT) {
                        wrong.incrementAndGet();
                    }
                }
                return null;
            }, i);
        }
        for (pthread_t x : t) {
            joinLong(x);
        }
        assertEquals(0, wrong.get(), "unexpected results");
        assertEquals(acquired.get(), counter[0]);
        assertTrue(acquired.get() >= (long) threads * attempts / 3, "every plain lock succeeds");
    }

    /**
     * Writers keep two counters equal under the write lock; readers under the read lock must
     * never see them differ, and the final count is exact.
     */
    @ParameterizedTest(name = "{0} readers, {1} writers x {2} iterations")
    @CsvSource({"4, 2, 5000", "2, 4, 5000"})
    void rwlockReadersNeverSeeAHalfWrite(int readers, int writers, int iterations) {
        pthread_rwlock_t l = new pthread_rwlock_t();
        long[] ab = {0, 0};
        AtomicInteger torn = new AtomicInteger();
        pthread_t[] t = new pthread_t[readers + writers];
        for (int i = 0; i < writers; i++) {
            t[i] = start(arg -> {
                for (int k = 0; k < iterations; k++) {
                    pthread_rwlock_wrlock(l);
                    ab[0]++;
                    ab[1]++;
                    pthread_rwlock_unlock(l);
                }
                return null;
            });
        }
        for (int i = 0; i < readers; i++) {
            t[writers + i] = start(arg -> {
                for (int k = 0; k < iterations; k++) {
                    pthread_rwlock_rdlock(l);
                    if (ab[0] != ab[1]) {
                        torn.incrementAndGet();
                    }
                    pthread_rwlock_unlock(l);
                }
                return null;
            });
        }
        for (pthread_t x : t) {
            joinLong(x);
        }
        assertEquals(0, torn.get(), "reads that saw half a write");
        assertEquals((long) writers * iterations, ab[0]);
        assertEquals(ab[0], ab[1]);
    }

    /**
     * Waiters with short timed waits race signals and broadcasts: every token posted is
     * consumed exactly once, whatever mix of timeouts and wake-ups happens.
     */
    @ParameterizedTest(name = "{0} waiters, {1} tokens")
    @CsvSource({"4, 20000", "16, 20000"})
    void timedWaitsNeverLoseATicket(int waiters, int tokens) {
        pthread_mutex_t m = new pthread_mutex_t();
        pthread_cond_t c = new pthread_cond_t();
        int[] available = {0};
        int[] consumed = {0};
        int[] produced = {0};
        pthread_t[] t = new pthread_t[waiters + 1];
        for (int i = 0; i < waiters; i++) {
            t[i] = start(arg -> {
                pthread_mutex_lock(m);
                for (;;) {
                    while (available[0] == 0 && produced[0] < tokens) {
                        pthread_cond_timedwait(c, m, realtimeIn(1));
                    }
                    if (available[0] == 0) {
                        break; // all produced and taken
                    }
                    available[0]--;
                    consumed[0]++;
                }
                pthread_mutex_unlock(m);
                return null;
            });
        }
        t[waiters] = start(arg -> {
            for (int k = 0; k < tokens; k++) {
                pthread_mutex_lock(m);
                available[0]++;
                produced[0]++;
                if (k % 7 == 0) {
                    pthread_cond_broadcast(c);
                } else {
                    pthread_cond_signal(c);
                }
                pthread_mutex_unlock(m);
            }
            pthread_mutex_lock(m);
            pthread_cond_broadcast(c);
            pthread_mutex_unlock(m);
            return null;
        });
        for (pthread_t x : t) {
            joinLong(x);
        }
        assertEquals(tokens, consumed[0]);
        assertEquals(0, available[0]);
    }

    /** Creating and joining threads in a loop, several creators at once, never fails and never mixes up exit values. */
    @ParameterizedTest(name = "{0} creators x {1} threads")
    @CsvSource({"1, 3000", "4, 1000"})
    void createJoinChurn(int creators, int threadsEach) {
        pthread_t[] t = new pthread_t[creators];
        for (int i = 0; i < creators; i++) {
            t[i] = start(arg -> {
                int wrong = 0;
                for (int k = 0; k < threadsEach; k++) {
                    pthread_t child = new pthread_t();
                    Object[] ret = new Object[1];
                    Integer v = k;
                    if (pthread_create(child, null, x -> x, v) != 0 || pthread_join(child, ret) != 0 || ret[0] != v) {
                        wrong++;
                    }
                }
                return wrong;
            });
        }
        for (pthread_t x : t) {
            assertEquals(0, joinLong(x));
        }
    }
}
