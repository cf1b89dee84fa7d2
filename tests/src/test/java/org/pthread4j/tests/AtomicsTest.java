package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.Stdatomic.*;
import static org.pthread4j.tests.TestSupport.*;

import java.lang.invoke.VarHandle.AccessMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pthread4j.atomic_bool;
import org.pthread4j.atomic_int;
import org.pthread4j.atomic_long;
import org.pthread4j.atomic_ptr;
import org.pthread4j.memory_order;
import org.pthread4j.memory_order.Fence;
import org.pthread4j.memory_order.Operation;
import org.pthread4j.pthread_t;

/**
 * C11 atomics ({@code <stdatomic.h>}, {@code Stdatomic}): the memory-order mapping, the
 * compare-exchange out-array contract, the fetch operations' results, and atomicity under
 * contention on each backend. (The litmus tests of the orders on the hardware run per
 * backend in the benchmarks module's {@code LitmusIT}, where the litmus machinery lives.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AtomicsTest {

    /** Every order, and null (which C cannot pass, and runs as seq_cst here). */
    static final List<memory_order> ORDERS_AND_NULL = new ArrayList<>(Arrays.asList(memory_order.values()));

    static {
        ORDERS_AND_NULL.add(null);
    }

    // ---- the mapping ----------------------------------------------------------------------

    /** Each operation under each order runs the VarHandle access mode of Stdatomic's table; null runs the seq_cst one. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // operation,          relaxed, consume, acquire, release, acq_rel, seq_cst
        "LOAD, GET_OPAQUE, GET_ACQUIRE, GET_ACQUIRE, GET_VOLATILE, GET_VOLATILE, GET_VOLATILE",
        "STORE, SET_OPAQUE, SET_VOLATILE, SET_VOLATILE, SET_RELEASE, SET_VOLATILE, SET_VOLATILE",
        // the volatile getAndSet and getAndAdd are HotSpot's only one-instruction read-modify-writes
        "EXCHANGE, GET_AND_SET, GET_AND_SET, GET_AND_SET, GET_AND_SET, GET_AND_SET, GET_AND_SET",
        "FETCH_ADD, GET_AND_ADD, GET_AND_ADD, GET_AND_ADD, GET_AND_ADD, GET_AND_ADD, GET_AND_ADD",
        "FETCH_SUB, GET_AND_ADD, GET_AND_ADD, GET_AND_ADD, GET_AND_ADD, GET_AND_ADD, GET_AND_ADD",
        "FETCH_OR, GET_AND_BITWISE_OR_ACQUIRE, GET_AND_BITWISE_OR_ACQUIRE, GET_AND_BITWISE_OR_ACQUIRE, "
                + "GET_AND_BITWISE_OR_RELEASE, GET_AND_BITWISE_OR, GET_AND_BITWISE_OR",
        "FETCH_AND, GET_AND_BITWISE_AND_ACQUIRE, GET_AND_BITWISE_AND_ACQUIRE, GET_AND_BITWISE_AND_ACQUIRE, "
                + "GET_AND_BITWISE_AND_RELEASE, GET_AND_BITWISE_AND, GET_AND_BITWISE_AND",
        "FETCH_XOR, GET_AND_BITWISE_XOR_ACQUIRE, GET_AND_BITWISE_XOR_ACQUIRE, GET_AND_BITWISE_XOR_ACQUIRE, "
                + "GET_AND_BITWISE_XOR_RELEASE, GET_AND_BITWISE_XOR, GET_AND_BITWISE_XOR",
        "COMPARE_EXCHANGE_STRONG, COMPARE_AND_EXCHANGE_ACQUIRE, COMPARE_AND_EXCHANGE_ACQUIRE, COMPARE_AND_EXCHANGE_ACQUIRE, "
                + "COMPARE_AND_EXCHANGE_RELEASE, COMPARE_AND_EXCHANGE, COMPARE_AND_EXCHANGE",
        "COMPARE_EXCHANGE_WEAK, WEAK_COMPARE_AND_SET_PLAIN, WEAK_COMPARE_AND_SET_ACQUIRE, WEAK_COMPARE_AND_SET_ACQUIRE, "
                + "WEAK_COMPARE_AND_SET_RELEASE, WEAK_COMPARE_AND_SET, WEAK_COMPARE_AND_SET",
    })
    void accessModeOfEveryOrder(Operation op, AccessMode relaxed, AccessMode consume, AccessMode acquire,
            AccessMode release, AccessMode acqRel, AccessMode seqCst) {
        assertEquals(relaxed, memory_order.accessMode(op, memory_order_relaxed));
        assertEquals(consume, memory_order.accessMode(op, memory_order_consume));
        assertEquals(acquire, memory_order.accessMode(op, memory_order_acquire));
        assertEquals(release, memory_order.accessMode(op, memory_order_release));
        assertEquals(acqRel, memory_order.accessMode(op, memory_order_acq_rel));
        assertEquals(seqCst, memory_order.accessMode(op, memory_order_seq_cst));
        assertEquals(seqCst, memory_order.accessMode(op, null));
    }

    /** consume is acquire everywhere; the orders C leaves undefined for loads and stores are seq_cst; RMWs keep theirs. */
    @Test
    void effectiveOrders() {
        memory_order[] load = {memory_order_relaxed, memory_order_acquire, memory_order_acquire, memory_order_seq_cst,
            memory_order_seq_cst, memory_order_seq_cst};
        memory_order[] store = {memory_order_relaxed, memory_order_seq_cst, memory_order_seq_cst, memory_order_release,
            memory_order_seq_cst, memory_order_seq_cst};
        memory_order[] rmw = {memory_order_relaxed, memory_order_acquire, memory_order_acquire, memory_order_release,
            memory_order_acq_rel, memory_order_seq_cst};
        for (memory_order o : memory_order.values()) {
            assertEquals(load[o.ordinal()], memory_order.effective(Operation.LOAD, o), "load " + o);
            assertEquals(store[o.ordinal()], memory_order.effective(Operation.STORE, o), "store " + o);
            assertEquals(rmw[o.ordinal()], memory_order.effective(Operation.FETCH_ADD, o), "fetch_add " + o);
        }
    }

    /** A compare-exchange runs with the weakest order as strong as its success and failure orders. */
    @ParameterizedTest(name = "success {0}")
    @CsvSource({
        // success,           failure: relaxed, consume, acquire, release (undefined), acq_rel (undefined), seq_cst
        "memory_order_relaxed, memory_order_relaxed, memory_order_acquire, memory_order_acquire, memory_order_seq_cst, "
                + "memory_order_seq_cst, memory_order_seq_cst",
        "memory_order_consume, memory_order_acquire, memory_order_acquire, memory_order_acquire, memory_order_seq_cst, "
                + "memory_order_seq_cst, memory_order_seq_cst",
        "memory_order_acquire, memory_order_acquire, memory_order_acquire, memory_order_acquire, memory_order_seq_cst, "
                + "memory_order_seq_cst, memory_order_seq_cst",
        "memory_order_release, memory_order_release, memory_order_acq_rel, memory_order_acq_rel, memory_order_seq_cst, "
                + "memory_order_seq_cst, memory_order_seq_cst",
        "memory_order_acq_rel, memory_order_acq_rel, memory_order_acq_rel, memory_order_acq_rel, memory_order_seq_cst, "
                + "memory_order_seq_cst, memory_order_seq_cst",
        "memory_order_seq_cst, memory_order_seq_cst, memory_order_seq_cst, memory_order_seq_cst, memory_order_seq_cst, "
                + "memory_order_seq_cst, memory_order_seq_cst",
    })
    void compareExchangeJoinsBothOrders(memory_order success, memory_order relaxed, memory_order consume,
            memory_order acquire, memory_order release, memory_order acqRel, memory_order seqCst) {
        assertEquals(relaxed, memory_order.compareExchange(success, memory_order_relaxed));
        assertEquals(consume, memory_order.compareExchange(success, memory_order_consume));
        assertEquals(acquire, memory_order.compareExchange(success, memory_order_acquire));
        assertEquals(release, memory_order.compareExchange(success, memory_order_release));
        assertEquals(acqRel, memory_order.compareExchange(success, memory_order_acq_rel));
        assertEquals(seqCst, memory_order.compareExchange(success, memory_order_seq_cst));
        assertEquals(memory_order_seq_cst, memory_order.compareExchange(success, null));
        assertEquals(memory_order_seq_cst, memory_order.compareExchange(null, memory_order_relaxed));
    }

    /** Each order's thread fence: none, acquire, release, both, full; null as seq_cst. */
    @Test
    void fenceOfEveryOrder() {
        assertEquals(Fence.NONE, memory_order.fence(memory_order_relaxed));
        assertEquals(Fence.ACQUIRE, memory_order.fence(memory_order_consume));
        assertEquals(Fence.ACQUIRE, memory_order.fence(memory_order_acquire));
        assertEquals(Fence.RELEASE, memory_order.fence(memory_order_release));
        assertEquals(Fence.ACQUIRE_RELEASE, memory_order.fence(memory_order_acq_rel));
        assertEquals(Fence.FULL, memory_order.fence(memory_order_seq_cst));
        assertEquals(Fence.FULL, memory_order.fence(null));
        for (memory_order o : ORDERS_AND_NULL) {
            atomic_thread_fence(o);
            atomic_signal_fence(o);
        }
    }

    /** The enumerators have C's values (GCC's and Clang's <stdatomic.h>: relaxed 0 ... seq_cst 5). */
    @Test
    void ordersHaveCsValues() {
        assertEquals(0, memory_order_relaxed.ordinal());
        assertEquals(1, memory_order_consume.ordinal());
        assertEquals(2, memory_order_acquire.ordinal());
        assertEquals(3, memory_order_release.ordinal());
        assertEquals(4, memory_order_acq_rel.ordinal());
        assertEquals(5, memory_order_seq_cst.ordinal());
    }

    // ---- every function under every order, one thread ------------------------------------------

    /** Loads, stores, exchanges and fetch operations of atomic_int do what they say under every order, null included. */
    @Test
    void intOperationsUnderEveryOrder() {
        for (memory_order o : ORDERS_AND_NULL) {
            atomic_int x = new atomic_int(5);
            assertEquals(5, atomic_load_explicit(x, o));
            atomic_store_explicit(x, 6, o);
            assertEquals(6, atomic_load(x));
            assertEquals(6, atomic_exchange_explicit(x, 7, o));
            assertEquals(7, atomic_fetch_add_explicit(x, 3, o));
            assertEquals(10, atomic_fetch_sub_explicit(x, 4, o));
            assertEquals(6, atomic_fetch_or_explicit(x, 0b1001, o));
            assertEquals(0b1111, atomic_fetch_and_explicit(x, 0b0101, o));
            assertEquals(0b0101, atomic_fetch_xor_explicit(x, 0b0110, o));
            assertEquals(0b0011, atomic_load_explicit(x, o), "order " + o);
        }
    }

    /** The same for atomic_long, with values beyond 32 bits. */
    @Test
    void longOperationsUnderEveryOrder() {
        long big = 1L << 40;
        for (memory_order o : ORDERS_AND_NULL) {
            atomic_long x = new atomic_long(big);
            assertEquals(big, atomic_load_explicit(x, o));
            atomic_store_explicit(x, big + 1, o);
            assertEquals(big + 1, atomic_load(x));
            assertEquals(big + 1, atomic_exchange_explicit(x, big, o));
            assertEquals(big, atomic_fetch_add_explicit(x, big, o));
            assertEquals(2 * big, atomic_fetch_sub_explicit(x, 1, o));
            assertEquals(2 * big - 1, atomic_fetch_or_explicit(x, 1L << 50, o));
            assertEquals((1L << 50) | (2 * big - 1), atomic_fetch_and_explicit(x, 1L << 50, o));
            assertEquals(1L << 50, atomic_fetch_xor_explicit(x, (1L << 50) | 1, o));
            assertEquals(1L, atomic_load_explicit(x, o), "order " + o);
        }
    }

    /** atomic_bool and atomic_ptr: load, store and exchange under every order. */
    @Test
    void boolAndPointerOperationsUnderEveryOrder() {
        for (memory_order o : ORDERS_AND_NULL) {
            atomic_bool b = new atomic_bool(true);
            assertTrue(atomic_load_explicit(b, o));
            atomic_store_explicit(b, false, o);
            assertFalse(atomic_load(b));
            assertFalse(atomic_exchange_explicit(b, true, o));
            assertTrue(atomic_load_explicit(b, o));

            String a = "a";
            String c = "c";
            atomic_ptr<String> p = new atomic_ptr<>(a);
            assertSame(a, atomic_load_explicit(p, o));
            atomic_store_explicit(p, c, o);
            assertSame(c, atomic_load(p));
            assertSame(c, atomic_exchange_explicit(p, null, o));
            assertNull(atomic_load_explicit(p, o));
        }
    }

    // ---- compare-exchange: the out-array contract ------------------------------------------------

    /**
     * Strong compare-exchange, every pair of orders: on a match it stores desired, returns true and
     * leaves expected[0] alone; on a mismatch it returns false, leaves the object alone and
     * stores the value found into expected[0].
     */
    @Test
    void strongCompareExchangeContract() {
        for (memory_order s : ORDERS_AND_NULL) {
            for (memory_order f : ORDERS_AND_NULL) {
                String orders = s + "/" + f;
                atomic_int x = new atomic_int(1);
                int[] expected = {1};
                assertTrue(atomic_compare_exchange_strong_explicit(x, expected, 2, s, f), orders);
                assertEquals(1, expected[0], orders);
                assertEquals(2, atomic_load(x), orders);

                expected[0] = 5;
                assertFalse(atomic_compare_exchange_strong_explicit(x, expected, 9, s, f), orders);
                assertEquals(2, expected[0], orders);
                assertEquals(2, atomic_load(x), orders);

                atomic_long l = new atomic_long(Long.MIN_VALUE);
                long[] le = {0};
                assertFalse(atomic_compare_exchange_strong_explicit(l, le, 1, s, f), orders);
                assertEquals(Long.MIN_VALUE, le[0], orders);
                assertTrue(atomic_compare_exchange_strong_explicit(l, le, 1, s, f), orders);
                assertEquals(1L, atomic_load(l), orders);

                atomic_bool b = new atomic_bool(false);
                boolean[] be = {true};
                assertFalse(atomic_compare_exchange_strong_explicit(b, be, true, s, f), orders);
                assertFalse(be[0], orders);
                assertTrue(atomic_compare_exchange_strong_explicit(b, be, true, s, f), orders);
                assertTrue(atomic_load(b), orders);
            }
        }
        atomic_int x = new atomic_int(3);
        int[] expected = {3};
        assertTrue(atomic_compare_exchange_strong(x, expected, 4));
        assertFalse(atomic_compare_exchange_strong(x, expected, 5));
        assertEquals(4, expected[0]);
    }

    /**
     * Weak compare-exchange, every pair of orders: a mismatch returns false with the value found
     * in expected[0] and the object unchanged; a retry loop on a match succeeds, and any
     * (spurious) failure on the way leaves expected[0] equal to the value found.
     */
    @Test
    void weakCompareExchangeContract() {
        for (memory_order s : ORDERS_AND_NULL) {
            for (memory_order f : ORDERS_AND_NULL) {
                String orders = s + "/" + f;
                atomic_int x = new atomic_int(7);
                int[] expected = {8};
                assertFalse(atomic_compare_exchange_weak_explicit(x, expected, 9, s, f), orders);
                assertEquals(7, expected[0], orders);
                assertEquals(7, atomic_load(x), orders);
                while (!atomic_compare_exchange_weak_explicit(x, expected, 9, s, f)) {
                    assertEquals(7, expected[0], orders);
                }
                assertEquals(9, atomic_load(x), orders);

                atomic_long l = new atomic_long(-1);
                long[] le = {-2};
                assertFalse(atomic_compare_exchange_weak_explicit(l, le, 0, s, f), orders);
                assertEquals(-1L, le[0], orders);
                while (!atomic_compare_exchange_weak_explicit(l, le, 0, s, f)) {
                    assertEquals(-1L, le[0], orders);
                }
                assertEquals(0L, atomic_load(l), orders);

                atomic_bool b = new atomic_bool(true);
                boolean[] be = {false};
                assertFalse(atomic_compare_exchange_weak_explicit(b, be, false, s, f), orders);
                assertTrue(be[0], orders);
                while (!atomic_compare_exchange_weak_explicit(b, be, false, s, f)) {
                    assertTrue(be[0], orders);
                }
                assertFalse(atomic_load(b), orders);
            }
        }
    }

    /** atomic_ptr compares references, as C compares pointers: an equal but distinct object is a mismatch. */
    @Test
    void pointerCompareExchangeComparesReferences() {
        String held = new String("node");
        String equalTwin = new String("node");
        atomic_ptr<String> p = new atomic_ptr<>(held);
        String[] expected = {equalTwin};
        assertFalse(atomic_compare_exchange_strong(p, expected, "new"));
        assertSame(held, expected[0]);
        assertSame(held, atomic_load(p));
        expected[0] = equalTwin;
        assertFalse(atomic_compare_exchange_weak(p, expected, "new"));
        assertSame(held, expected[0]);
        while (!atomic_compare_exchange_weak(p, expected, "new")) {
            assertSame(held, expected[0]);
        }
        assertEquals("new", atomic_load(p));
        String[] none = {null};
        assertFalse(atomic_compare_exchange_strong(p, none, held));
        assertEquals("new", none[0]);
    }

    // ---- fetch operations: old values and wrap-around -------------------------------------------

    /** Fetch operations return the old value and wrap around in two's complement, as C's atomic types do. */
    @Test
    void fetchOperationsReturnTheOldValueAndWrap() {
        atomic_int x = new atomic_int(Integer.MAX_VALUE);
        assertEquals(Integer.MAX_VALUE, atomic_fetch_add(x, 1));
        assertEquals(Integer.MIN_VALUE, atomic_load(x));
        assertEquals(Integer.MIN_VALUE, atomic_fetch_sub(x, 1));
        assertEquals(Integer.MAX_VALUE, atomic_load(x));
        atomic_store(x, 5);
        assertEquals(5, atomic_fetch_sub(x, Integer.MIN_VALUE)); // 5 - MIN wraps to 5 + MIN
        assertEquals(5 + Integer.MIN_VALUE, atomic_load(x));
        atomic_store(x, -1);
        assertEquals(-1, atomic_fetch_and(x, 0x00ff00ff));
        assertEquals(0x00ff00ff, atomic_fetch_xor(x, -1));
        assertEquals(0xff00ff00, atomic_fetch_or(x, 0xff));
        assertEquals(0xff00ffff, atomic_load(x));

        atomic_long l = new atomic_long(Long.MAX_VALUE);
        assertEquals(Long.MAX_VALUE, atomic_fetch_add(l, 1));
        assertEquals(Long.MIN_VALUE, atomic_load(l));
        assertEquals(Long.MIN_VALUE, atomic_fetch_sub(l, 1));
        assertEquals(Long.MAX_VALUE, atomic_load(l));
        assertEquals(Long.MAX_VALUE, atomic_fetch_sub(l, Long.MIN_VALUE));
        assertEquals(-1L, atomic_load(l));
        assertEquals(-1L, atomic_fetch_and(l, 0xffL << 56));
        assertEquals(0xffL << 56, atomic_fetch_xor(l, 1L << 63));
        assertEquals(0x7fL << 56, atomic_fetch_or(l, 1));
        assertEquals((0x7fL << 56) | 1, atomic_load(l));
    }

    // ---- initialization, lock-freedom, null ----------------------------------------------------

    /** ATOMIC_VAR_INIT and the constructors give the value; the no-argument ones give C's static zero; atomic_init sets. */
    @Test
    void initialization() {
        assertEquals(0, atomic_load(new atomic_int()));
        assertEquals(0L, atomic_load(new atomic_long()));
        assertFalse(atomic_load(new atomic_bool()));
        assertNull(atomic_load(new atomic_ptr<Object>()));
        assertEquals(-3, atomic_load(ATOMIC_VAR_INIT(-3)));
        assertEquals(1L << 33, atomic_load(ATOMIC_VAR_INIT(1L << 33)));
        assertTrue(atomic_load(ATOMIC_VAR_INIT(true)));
        Object o = new Object();
        assertSame(o, atomic_load(ATOMIC_VAR_INIT(o)));
        atomic_int x = new atomic_int();
        atomic_init(x, 42);
        assertEquals(42, atomic_load(x));
        atomic_ptr<Object> p = new atomic_ptr<>();
        atomic_init(p, o);
        assertSame(o, atomic_load(p));
    }

    /** Every type is always lock-free: the macros are 2 and atomic_is_lock_free says true. */
    @Test
    void alwaysLockFree() {
        assertEquals(2, ATOMIC_BOOL_LOCK_FREE);
        assertEquals(2, ATOMIC_INT_LOCK_FREE);
        assertEquals(2, ATOMIC_LONG_LOCK_FREE);
        assertEquals(2, ATOMIC_POINTER_LOCK_FREE);
        assertTrue(atomic_is_lock_free(new atomic_int()));
        assertTrue(atomic_is_lock_free(new atomic_long()));
        assertTrue(atomic_is_lock_free(new atomic_bool()));
        assertTrue(atomic_is_lock_free(new atomic_ptr<>()));
    }

    /** A null object or expected array throws NullPointerException (C's null pointer faults); nothing else throws. */
    @Test
    void nullObjectThrowsNullPointerException() {
        assertThrows(NullPointerException.class, () -> atomic_load((atomic_int) null));
        assertThrows(NullPointerException.class, () -> atomic_store((atomic_long) null, 1L));
        assertThrows(NullPointerException.class, () -> atomic_fetch_add((atomic_int) null, 1));
        assertThrows(NullPointerException.class, () -> atomic_compare_exchange_strong(new atomic_int(), null, 1));
        assertThrows(NullPointerException.class, () -> atomic_is_lock_free((atomic_bool) null));
    }

    /** The plain racy accesses read and write the same word as the atomic ones. */
    @Test
    void plainRacyAccessesShareTheWord() {
        atomic_int x = new atomic_int(1);
        atomic_store_plain_racy(x, 2);
        assertEquals(2, atomic_load(x));
        atomic_store(x, 3);
        assertEquals(3, atomic_load_plain_racy(x));
        atomic_ptr<String> p = new atomic_ptr<>("a");
        atomic_store_plain_racy(p, "b");
        assertEquals("b", atomic_load(p));
    }

    // ---- across pthreads of the backend ----------------------------------------------------------

    /** Relaxed fetch_add from several pthreads loses no increment. */
    @ParameterizedTest(name = "{0} threads x {1}")
    @CsvSource({"2, 100000", "4, 50000"})
    void fetchAddIsAtomic(int threads, int increments) {
        atomic_long counter = new atomic_long();
        pthread_t[] t = new pthread_t[threads];
        for (int i = 0; i < threads; i++) {
            t[i] = start(arg -> {
                for (int k = 0; k < increments; k++) {
                    atomic_fetch_add_explicit(counter, 1, memory_order_relaxed);
                }
                return null;
            });
        }
        joinAll(t);
        assertEquals((long) threads * increments, atomic_load(counter));
    }

    /** Increments by a weak compare-exchange loop, whose failures refresh expected[0], lose nothing. */
    @ParameterizedTest(name = "{0} threads x {1}")
    @CsvSource({"2, 50000", "4, 25000"})
    void compareExchangeLoopIsAtomic(int threads, int increments) {
        atomic_int counter = new atomic_int();
        pthread_t[] t = new pthread_t[threads];
        for (int i = 0; i < threads; i++) {
            t[i] = start(arg -> {
                int[] seen = {atomic_load_explicit(counter, memory_order_relaxed)};
                for (int k = 0; k < increments; k++) {
                    while (!atomic_compare_exchange_weak_explicit(counter, seen, seen[0] + 1,
                            memory_order_relaxed, memory_order_relaxed)) {
                        // seen[0] holds the current value: retry with it
                    }
                    seen[0]++;
                }
                return null;
            });
        }
        joinAll(t);
        assertEquals(threads * increments, atomic_load(counter));
    }

    /**
     * A spin lock of atomic_exchange(acquire) and atomic_store(release) excludes: a plain counter
     * under it ends exact (the release store publishes the critical section to the next owner).
     */
    @ParameterizedTest(name = "{0} threads x {1}")
    @CsvSource({"2, 20000", "4, 10000"})
    void acquireReleaseSpinLockExcludes(int threads, int iterations) {
        atomic_bool locked = new atomic_bool();
        long[] counter = {0};
        pthread_t[] t = new pthread_t[threads];
        for (int i = 0; i < threads; i++) {
            t[i] = start(arg -> {
                for (int k = 0; k < iterations; k++) {
                    while (atomic_exchange_explicit(locked, true, memory_order_acquire)) {
                        sched_yield(); // the holder may need this carrier (green, gmp)
                    }
                    counter[0]++;
                    atomic_store_explicit(locked, false, memory_order_release);
                }
                return null;
            });
        }
        joinAll(t);
        assertEquals((long) threads * iterations, counter[0]);
    }

    /** Message passing: a reader that acquires the flag the writer released sees the writer's plain data. */
    @Test
    void releaseAcquirePublishesPlainData() {
        int rounds = 2000;
        atomic_int flag = new atomic_int();
        int[] data = new int[rounds + 1];
        pthread_t reader = start(arg -> {
            for (int round = 1; round <= rounds; round++) {
                while (atomic_load_explicit(flag, memory_order_acquire) < round) {
                    sched_yield();
                }
                if (data[round] != round) {
                    return "round " + round + " saw " + data[round];
                }
            }
            return "ok";
        });
        for (int round = 1; round <= rounds; round++) {
            data[round] = round;
            atomic_store_explicit(flag, round, memory_order_release);
        }
        assertEquals("ok", join(reader));
    }
}
