package org.pthread4j;

import static org.pthread4j.memory_order.Operation.COMPARE_EXCHANGE_STRONG;
import static org.pthread4j.memory_order.Operation.COMPARE_EXCHANGE_WEAK;
import static org.pthread4j.memory_order.Operation.EXCHANGE;
import static org.pthread4j.memory_order.Operation.FETCH_ADD;
import static org.pthread4j.memory_order.Operation.FETCH_AND;
import static org.pthread4j.memory_order.Operation.FETCH_OR;
import static org.pthread4j.memory_order.Operation.FETCH_SUB;
import static org.pthread4j.memory_order.Operation.FETCH_XOR;
import static org.pthread4j.memory_order.Operation.LOAD;
import static org.pthread4j.memory_order.Operation.STORE;
import static org.pthread4j.memory_order.accessMode;
import static org.pthread4j.memory_order.compareExchange;

import java.lang.invoke.VarHandle;
import java.lang.invoke.VarHandle.AccessMode;
import java.util.Objects;

/**
 * C11's {@code <stdatomic.h>}, named and behaving as in C. Use it beside {@link Pthreads}:
 * {@code import static org.pthread4j.Stdatomic.*;} is {@code #include <stdatomic.h>}, as
 * {@code import static org.pthread4j.Pthreads.*;} is {@code #include <pthread.h>}; C keeps
 * them in two headers, and so does pthread4j.
 *
 * <pre>{@code
 * atomic_int ready = ATOMIC_VAR_INIT(0);                      // or new atomic_int(0)
 * atomic_store_explicit(ready, 1, memory_order_release);
 * while (atomic_load_explicit(ready, memory_order_acquire) == 0) { }
 * int[] expected = {1};                                       // C: int expected = 1; ...(&x, &expected, 2)
 * if (!atomic_compare_exchange_strong(ready, expected, 2)) { ... expected[0] is the value seen ... }
 * }</pre>
 *
 * <p>Handle types: {@link atomic_int}, {@link atomic_long}, {@link atomic_bool} and
 * {@link atomic_ptr} ({@code _Atomic(T *)}, an object reference). Every generic function of
 * C is one overload per type; the functions without {@code _explicit} use
 * {@code memory_order_seq_cst}, as in C. The fetch operations exist for {@code atomic_int}
 * and {@code atomic_long} (C defines none for {@code atomic_bool}, and pointer arithmetic has
 * no Java meaning); they return the old value and wrap around in two's complement, as C's
 * signed atomics do (C11 7.17.7.5: no undefined overflow for atomic types). A compare-exchange
 * takes {@code expected} as a one-element array, C's pointer: on failure it receives the
 * value found. A {@code null} object or {@code expected} throws {@link NullPointerException},
 * where C's null pointer would fault; nothing else here throws.
 *
 * <h2>Each memory order as a {@link VarHandle} access mode</h2>
 *
 * The mapping lives in {@link memory_order#accessMode} and {@link memory_order#fence}; each
 * function here asks it for the mode and runs exactly that mode.
 *
 * <table class="striped">
 * <caption>C11 order → access mode</caption>
 * <tr><th>order</th><th>load</th><th>store</th><th>exchange, fetch_add, fetch_sub</th>
 *     <th>fetch_or, fetch_and, fetch_xor</th><th>compare-exchange strong / weak</th><th>thread fence</th></tr>
 * <tr><td>relaxed</td><td>getOpaque</td><td>setOpaque</td><td>getAndSet, getAndAdd</td>
 *     <td>getAndBitwiseXxxAcquire</td><td>compareAndExchangeAcquire / weakCompareAndSetPlain</td><td>none</td></tr>
 * <tr><td>consume</td><td>getAcquire</td><td>(undefined: setVolatile)</td><td>getAndSet, getAndAdd</td>
 *     <td>getAndBitwiseXxxAcquire</td><td>compareAndExchangeAcquire / weakCompareAndSetAcquire</td>
 *     <td>acquireFence</td></tr>
 * <tr><td>acquire</td><td>getAcquire</td><td>(undefined: setVolatile)</td><td>getAndSet, getAndAdd</td>
 *     <td>getAndBitwiseXxxAcquire</td><td>compareAndExchangeAcquire / weakCompareAndSetAcquire</td>
 *     <td>acquireFence</td></tr>
 * <tr><td>release</td><td>(undefined: getVolatile)</td><td>setRelease</td><td>getAndSet, getAndAdd</td>
 *     <td>getAndBitwiseXxxRelease</td><td>compareAndExchangeRelease / weakCompareAndSetRelease</td>
 *     <td>releaseFence</td></tr>
 * <tr><td>acq_rel</td><td>(undefined: getVolatile)</td><td>(undefined: setVolatile)</td><td>getAndSet, getAndAdd</td>
 *     <td>getAndBitwiseXxx</td><td>compareAndExchange / weakCompareAndSet</td><td>acquireFence, releaseFence</td></tr>
 * <tr><td>seq_cst</td><td>getVolatile</td><td>setVolatile</td><td>getAndSet, getAndAdd</td>
 *     <td>getAndBitwiseXxx</td><td>compareAndExchange / weakCompareAndSet</td><td>fullFence</td></tr>
 * </table>
 *
 * <p>Why:
 * <ul>
 *   <li><b>relaxed → opaque.</b> Opaque is C's relaxed: atomic (never torn), coherent per
 *       variable (two reads of one variable never see its writes out of order), and with
 *       progress (a write becomes visible; a read is not hoisted out of a loop), with no
 *       ordering against other variables. Plain would not do: the JIT may hoist a plain read
 *       out of a loop and reorder two plain reads of one variable.</li>
 *   <li><b>acquire / release → getAcquire / setRelease</b>, <b>seq_cst → volatile</b>: the
 *       VarHandle modes were defined after C++11's (JEP 193); volatile accesses are totally
 *       ordered, as seq_cst ones are.</li>
 *   <li><b>consume → acquire</b>, as every C and C++ compiler does: dependency ordering cannot
 *       be expressed to the JIT either. Litmus tests where C11 allows more under consume than
 *       under acquire (MP) therefore never show the difference here.</li>
 *   <li><b>Exchange, fetch_add, fetch_sub: the volatile mode under every order.</b> HotSpot
 *       compiles {@code getAndSet} and {@code getAndAdd} to one locked instruction
 *       ({@code xchg}, {@code lock xadd}; {@code swpal}, {@code ldaddal} on aarch64), but their
 *       {@code Acquire} and {@code Release} variants to compare-and-set loops (twice the cost
 *       alone, retries under contention). The volatile one is at least as strong as any C
 *       order, so it is correct for all, and the fastest.</li>
 *   <li><b>fetch_or, fetch_and, fetch_xor</b> are compare-and-set loops in every mode, so each
 *       order takes the weakest mode at least as strong as it: VarHandle has no relaxed
 *       read-modify-write, so relaxed takes the acquire variant; no acq_rel one, so acq_rel
 *       takes the volatile one.</li>
 *   <li><b>Compare-exchange.</b> The success and failure orders are joined into one
 *       ({@link memory_order#compareExchange}: the weakest order as strong as both), since a
 *       VarHandle compare-and-set takes one mode. The strong one is
 *       {@code compareAndExchange*}, so the value stored into {@code expected[0]} on failure
 *       is the one the same atomic instruction read (the {@code Release} variant specifies
 *       plain ordering for that failed read: the relaxed failure C allows with a release
 *       success). The weak one is {@code weakCompareAndSet*}, which may fail spuriously as C
 *       allows; on failure it reads the current value with the failure order — a failed
 *       compare-exchange is a load, and the value a load right after it sees is one the
 *       failed compare-exchange could have reported (if that value equals
 *       {@code expected[0]}, the failure was a spurious one).</li>
 *   <li><b>Fences.</b> {@code VarHandle.acquireFence/releaseFence/fullFence} are specified
 *       as compatible with {@code atomic_thread_fence} of acquire, release and seq_cst; acq_rel
 *       is an acquire fence followed by a release fence (it does not order a store before a
 *       later load; a seq_cst fence does). {@code atomic_signal_fence} orders against a
 *       signal handler running in the same thread; a Java signal handler runs on a thread of
 *       its own, so it is the thread fence.</li>
 *   <li><b>Orders C leaves undefined</b> — release or acq_rel on a load; consume, acquire or
 *       acq_rel on a store; a failure order of release or acq_rel — and a {@code null} order
 *       run as seq_cst, as GCC does after its {@code -Winvalid-memory-model} warning. The
 *       strongest order is a correct implementation of every weaker one, so such a call does
 *       at least what was meant; throwing would turn a C program's silent undefined behaviour
 *       into a crash of its port, and nothing in this facade throws for a usage error.</li>
 * </ul>
 *
 * <h2>Where the words live</h2>
 * On the Java heap, as a field of the handle object, on every backend — native included. Off
 * heap, a C function could share the word; but nothing in pthread4j's C layer takes an
 * atomic, an {@code atomic_ptr} holds a Java reference, which cannot live off heap, and one
 * representation on every backend means the litmus tests ({@code ./pthread4j lab memory})
 * compare thread models, not memory placements. HotSpot compiles a field VarHandle access to
 * the bare instruction (no bounds or liveness checks, as a memory segment would have).
 *
 * <h2>Lock-freedom and the schedulers</h2>
 * Every operation is one atomic instruction or a compare-and-set loop on x86_64 and aarch64
 * (the platforms pthread4j runs on): all four types are always lock-free
 * ({@code ATOMIC_*_LOCK_FREE == 2}). No function here blocks, parks, or is a preemption
 * point on {@code gmp}: like C's atomics, they are instructions, not calls into the
 * scheduler. A pthread that spins on an atomic therefore keeps its carrier on
 * {@code virtual}, {@code green} and {@code gmp}: on green it spins forever if the thread it
 * waits for needs that carrier. Spin briefly, then block (a mutex, a condition variable, a
 * semaphore); {@code sched_yield()} in the loop lets others run, but on the JDK's scheduler a
 * virtual thread that only yields can still starve one that has not started yet.
 *
 * <h2>Data races on purpose</h2>
 * {@code atomic_load_plain_racy} and {@code atomic_store_plain_racy} are plain accesses, for
 * demonstrating races only: in C they are a non-atomic access to the object, and a race on
 * one is undefined behaviour; in Java a racy read returns some value written to the
 * variable, but the JIT may hoist, merge or reorder it (and a racy {@code long} may in
 * principle tear).
 */
public final class Stdatomic {

    private Stdatomic() {}

    // ---- memory orders (C's enumerators) --------------------------------------------------

    /** No ordering: atomicity and per-variable coherence only. */
    public static final memory_order memory_order_relaxed = memory_order.memory_order_relaxed;
    /** Ordering through data dependencies; implemented as {@code memory_order_acquire}. */
    public static final memory_order memory_order_consume = memory_order.memory_order_consume;
    /** A load that later accesses cannot move before. */
    public static final memory_order memory_order_acquire = memory_order.memory_order_acquire;
    /** A store that earlier accesses cannot move after. */
    public static final memory_order memory_order_release = memory_order.memory_order_release;
    /** A read-modify-write that is both acquire and release. */
    public static final memory_order memory_order_acq_rel = memory_order.memory_order_acq_rel;
    /** Acquire and release, and one total order of all seq_cst operations. */
    public static final memory_order memory_order_seq_cst = memory_order.memory_order_seq_cst;

    // ---- lock-freedom ---------------------------------------------------------------------

    /** {@code atomic_bool} is always lock-free (2, as in C: "always"). */
    public static final int ATOMIC_BOOL_LOCK_FREE = 2;
    /** {@code atomic_int} is always lock-free. */
    public static final int ATOMIC_INT_LOCK_FREE = 2;
    /** {@code atomic_long} is always lock-free. */
    public static final int ATOMIC_LONG_LOCK_FREE = 2;
    /** {@code atomic_ptr} is always lock-free. */
    public static final int ATOMIC_POINTER_LOCK_FREE = 2;

    // ---- initialization -----------------------------------------------------------------------

    /**
     * {@code ATOMIC_VAR_INIT(value)}: a new {@code atomic_int} holding {@code value} (as its constructor).
     *
     * @param value the initial value
     * @return the new atomic object
     */
    public static atomic_int ATOMIC_VAR_INIT(int value) {
        return new atomic_int(value);
    }

    /**
     * {@code ATOMIC_VAR_INIT(value)}: a new {@code atomic_long} holding {@code value} (as its constructor).
     *
     * @param value the initial value
     * @return the new atomic object
     */
    public static atomic_long ATOMIC_VAR_INIT(long value) {
        return new atomic_long(value);
    }

    /**
     * {@code ATOMIC_VAR_INIT(value)}: a new {@code atomic_bool} holding {@code value} (as its constructor).
     *
     * @param value the initial value
     * @return the new atomic object
     */
    public static atomic_bool ATOMIC_VAR_INIT(boolean value) {
        return new atomic_bool(value);
    }

    /**
     * {@code ATOMIC_VAR_INIT(value)}: a new {@code atomic_ptr} holding {@code value} (as its constructor).
     *
     * @param <T> the type of the object referenced
     * @param value the initial value
     * @return the new atomic object
     */
    public static <T> atomic_ptr<T> ATOMIC_VAR_INIT(T value) {
        return new atomic_ptr<>(value);
    }

    /**
     * Sets {@code object} to {@code value}, not atomically (as C's {@code atomic_init}): for an
     * object no other thread can see yet; a concurrent access is a data race.
     *
     * @param object the atomic object
     * @param value the initial value
     */
    public static void atomic_init(atomic_int object, int value) {
        object.store(AccessMode.SET, value);
    }

    /**
     * Sets {@code object} to {@code value}, not atomically (as C's {@code atomic_init}): for an
     * object no other thread can see yet; a concurrent access is a data race.
     *
     * @param object the atomic object
     * @param value the initial value
     */
    public static void atomic_init(atomic_long object, long value) {
        object.store(AccessMode.SET, value);
    }

    /**
     * Sets {@code object} to {@code value}, not atomically (as C's {@code atomic_init}): for an
     * object no other thread can see yet; a concurrent access is a data race.
     *
     * @param object the atomic object
     * @param value the initial value
     */
    public static void atomic_init(atomic_bool object, boolean value) {
        object.store(AccessMode.SET, value);
    }

    /**
     * Sets {@code object} to {@code value}, not atomically (as C's {@code atomic_init}): for an
     * object no other thread can see yet; a concurrent access is a data race.
     *
     * @param <T> the type of the object referenced
     * @param object the atomic object
     * @param value the initial value
     */
    public static <T> void atomic_init(atomic_ptr<T> object, T value) {
        object.store(AccessMode.SET, value);
    }

    /**
     * Whether operations on {@code object} are lock-free: always {@code true} (see the class comment).
     *
     * @param object the atomic object
     * @return {@code true}: every atomic object here is
     */
    public static boolean atomic_is_lock_free(atomic_int object) {
        Objects.requireNonNull(object);
        return true;
    }

    /**
     * Whether operations on {@code object} are lock-free: always {@code true} (see the class comment).
     *
     * @param object the atomic object
     * @return {@code true}: every atomic object here is
     */
    public static boolean atomic_is_lock_free(atomic_long object) {
        Objects.requireNonNull(object);
        return true;
    }

    /**
     * Whether operations on {@code object} are lock-free: always {@code true} (see the class comment).
     *
     * @param object the atomic object
     * @return {@code true}: every atomic object here is
     */
    public static boolean atomic_is_lock_free(atomic_bool object) {
        Objects.requireNonNull(object);
        return true;
    }

    /**
     * Whether operations on {@code object} are lock-free: always {@code true} (see the class comment).
     *
     * @param <T> the type of the object referenced
     * @param object the atomic object
     * @return {@code true}: every atomic object here is
     */
    public static <T> boolean atomic_is_lock_free(atomic_ptr<T> object) {
        Objects.requireNonNull(object);
        return true;
    }

    // ---- load and store -----------------------------------------------------------------------

    /**
     * The value of {@code object}, read with {@code memory_order_seq_cst}.
     *
     * @param object the atomic object
     * @return the value read
     */
    public static int atomic_load(atomic_int object) {
        return object.load(accessMode(LOAD, memory_order_seq_cst));
    }

    /**
     * The value of {@code object}, read with {@code order} (release, acq_rel: undefined in C; seq_cst here).
     *
     * @param object the atomic object
     * @param order the memory order
     * @return the value read
     */
    public static int atomic_load_explicit(atomic_int object, memory_order order) {
        return object.load(accessMode(LOAD, order));
    }

    /**
     * The value of {@code object}, read with {@code memory_order_seq_cst}.
     *
     * @param object the atomic object
     * @return the value read
     */
    public static long atomic_load(atomic_long object) {
        return object.load(accessMode(LOAD, memory_order_seq_cst));
    }

    /**
     * The value of {@code object}, read with {@code order} (release, acq_rel: undefined in C; seq_cst here).
     *
     * @param object the atomic object
     * @param order the memory order
     * @return the value read
     */
    public static long atomic_load_explicit(atomic_long object, memory_order order) {
        return object.load(accessMode(LOAD, order));
    }

    /**
     * The value of {@code object}, read with {@code memory_order_seq_cst}.
     *
     * @param object the atomic object
     * @return the value read
     */
    public static boolean atomic_load(atomic_bool object) {
        return object.load(accessMode(LOAD, memory_order_seq_cst));
    }

    /**
     * The value of {@code object}, read with {@code order} (release, acq_rel: undefined in C; seq_cst here).
     *
     * @param object the atomic object
     * @param order the memory order
     * @return the value read
     */
    public static boolean atomic_load_explicit(atomic_bool object, memory_order order) {
        return object.load(accessMode(LOAD, order));
    }

    /**
     * The value of {@code object}, read with {@code memory_order_seq_cst}.
     *
     * @param <T> the type of the object referenced
     * @param object the atomic object
     * @return the value read
     */
    public static <T> T atomic_load(atomic_ptr<T> object) {
        return object.load(accessMode(LOAD, memory_order_seq_cst));
    }

    /**
     * The value of {@code object}, read with {@code order} (release, acq_rel: undefined in C; seq_cst here).
     *
     * @param <T> the type of the object referenced
     * @param object the atomic object
     * @param order the memory order
     * @return the value read
     */
    public static <T> T atomic_load_explicit(atomic_ptr<T> object, memory_order order) {
        return object.load(accessMode(LOAD, order));
    }

    /**
     * Sets {@code object} to {@code desired} with {@code memory_order_seq_cst}.
     *
     * @param object the atomic object
     * @param desired the value to store
     */
    public static void atomic_store(atomic_int object, int desired) {
        object.store(accessMode(STORE, memory_order_seq_cst), desired);
    }

    /**
     * Sets {@code object} to {@code desired} with {@code order} (consume, acquire, acq_rel:
     * undefined in C; seq_cst here).
     *
     * @param object the atomic object
     * @param desired the value to store
     * @param order the memory order
     */
    public static void atomic_store_explicit(atomic_int object, int desired, memory_order order) {
        object.store(accessMode(STORE, order), desired);
    }

    /**
     * Sets {@code object} to {@code desired} with {@code memory_order_seq_cst}.
     *
     * @param object the atomic object
     * @param desired the value to store
     */
    public static void atomic_store(atomic_long object, long desired) {
        object.store(accessMode(STORE, memory_order_seq_cst), desired);
    }

    /**
     * Sets {@code object} to {@code desired} with {@code order} (consume, acquire, acq_rel:
     * undefined in C; seq_cst here).
     *
     * @param object the atomic object
     * @param desired the value to store
     * @param order the memory order
     */
    public static void atomic_store_explicit(atomic_long object, long desired, memory_order order) {
        object.store(accessMode(STORE, order), desired);
    }

    /**
     * Sets {@code object} to {@code desired} with {@code memory_order_seq_cst}.
     *
     * @param object the atomic object
     * @param desired the value to store
     */
    public static void atomic_store(atomic_bool object, boolean desired) {
        object.store(accessMode(STORE, memory_order_seq_cst), desired);
    }

    /**
     * Sets {@code object} to {@code desired} with {@code order} (consume, acquire, acq_rel:
     * undefined in C; seq_cst here).
     *
     * @param object the atomic object
     * @param desired the value to store
     * @param order the memory order
     */
    public static void atomic_store_explicit(atomic_bool object, boolean desired, memory_order order) {
        object.store(accessMode(STORE, order), desired);
    }

    /**
     * Sets {@code object} to {@code desired} with {@code memory_order_seq_cst}.
     *
     * @param <T> the type of the object referenced
     * @param object the atomic object
     * @param desired the value to store
     */
    public static <T> void atomic_store(atomic_ptr<T> object, T desired) {
        object.store(accessMode(STORE, memory_order_seq_cst), desired);
    }

    /**
     * Sets {@code object} to {@code desired} with {@code order} (consume, acquire, acq_rel:
     * undefined in C; seq_cst here).
     *
     * @param <T> the type of the object referenced
     * @param object the atomic object
     * @param desired the value to store
     * @param order the memory order
     */
    public static <T> void atomic_store_explicit(atomic_ptr<T> object, T desired, memory_order order) {
        object.store(accessMode(STORE, order), desired);
    }

    // ---- exchange -----------------------------------------------------------------------------

    /**
     * Sets {@code object} to {@code desired} and returns its old value, atomically (seq_cst).
     *
     * @param object the atomic object
     * @param desired the value to store
     * @return the value held before
     */
    public static int atomic_exchange(atomic_int object, int desired) {
        return object.getAndOp(accessMode(EXCHANGE, memory_order_seq_cst), desired);
    }

    /**
     * Sets {@code object} to {@code desired} and returns its old value, atomically, with {@code order}.
     *
     * @param object the atomic object
     * @param desired the value to store
     * @param order the memory order
     * @return the value held before
     */
    public static int atomic_exchange_explicit(atomic_int object, int desired, memory_order order) {
        return object.getAndOp(accessMode(EXCHANGE, order), desired);
    }

    /**
     * Sets {@code object} to {@code desired} and returns its old value, atomically (seq_cst).
     *
     * @param object the atomic object
     * @param desired the value to store
     * @return the value held before
     */
    public static long atomic_exchange(atomic_long object, long desired) {
        return object.getAndOp(accessMode(EXCHANGE, memory_order_seq_cst), desired);
    }

    /**
     * Sets {@code object} to {@code desired} and returns its old value, atomically, with {@code order}.
     *
     * @param object the atomic object
     * @param desired the value to store
     * @param order the memory order
     * @return the value held before
     */
    public static long atomic_exchange_explicit(atomic_long object, long desired, memory_order order) {
        return object.getAndOp(accessMode(EXCHANGE, order), desired);
    }

    /**
     * Sets {@code object} to {@code desired} and returns its old value, atomically (seq_cst).
     *
     * @param object the atomic object
     * @param desired the value to store
     * @return the value held before
     */
    public static boolean atomic_exchange(atomic_bool object, boolean desired) {
        return object.getAndOp(accessMode(EXCHANGE, memory_order_seq_cst), desired);
    }

    /**
     * Sets {@code object} to {@code desired} and returns its old value, atomically, with {@code order}.
     *
     * @param object the atomic object
     * @param desired the value to store
     * @param order the memory order
     * @return the value held before
     */
    public static boolean atomic_exchange_explicit(atomic_bool object, boolean desired, memory_order order) {
        return object.getAndOp(accessMode(EXCHANGE, order), desired);
    }

    /**
     * Sets {@code object} to {@code desired} and returns its old value, atomically (seq_cst).
     *
     * @param <T> the type of the object referenced
     * @param object the atomic object
     * @param desired the value to store
     * @return the value held before
     */
    public static <T> T atomic_exchange(atomic_ptr<T> object, T desired) {
        return object.getAndOp(accessMode(EXCHANGE, memory_order_seq_cst), desired);
    }

    /**
     * Sets {@code object} to {@code desired} and returns its old value, atomically, with {@code order}.
     *
     * @param <T> the type of the object referenced
     * @param object the atomic object
     * @param desired the value to store
     * @param order the memory order
     * @return the value held before
     */
    public static <T> T atomic_exchange_explicit(atomic_ptr<T> object, T desired, memory_order order) {
        return object.getAndOp(accessMode(EXCHANGE, order), desired);
    }

    // ---- compare and exchange -----------------------------------------------------------------

    /**
     * If {@code object} holds a value equal to {@code expected[0]}, sets it to {@code desired}
     * and returns {@code true}; otherwise stores the value it holds into {@code expected[0]}
     * and returns {@code false}. Never fails spuriously. {@code memory_order_seq_cst}.
     *
     * @param object the atomic object
     * @param expected the value expected in {@code expected[0]}; receives the value found when they differ
     * @param desired the value to store
     * @return {@code true} if {@code desired} was stored
     */
    public static boolean atomic_compare_exchange_strong(atomic_int object, int[] expected, int desired) {
        return atomic_compare_exchange_strong_explicit(object, expected, desired,
                memory_order_seq_cst, memory_order_seq_cst);
    }

    /**
     * {@code atomic_compare_exchange_strong} with {@code success} as the order of the
     * read-modify-write and {@code failure} as the order of the load when the values differ
     * (the two are joined: see the class comment).
     *
     * @param object the atomic object
     * @param expected the value expected in {@code expected[0]}; receives the value found when they differ
     * @param desired the value to store
     * @param success the order when the values are equal
     * @param failure the order of the load when the values differ
     * @return {@code true} if {@code desired} was stored
     */
    public static boolean atomic_compare_exchange_strong_explicit(atomic_int object, int[] expected, int desired,
            memory_order success, memory_order failure) {
        int old = expected[0];
        AccessMode mode = accessMode(COMPARE_EXCHANGE_STRONG, compareExchange(success, failure));
        int witness = object.compareAndExchange(mode, old, desired);
        if (witness == old) {
            return true;
        }
        expected[0] = witness;
        return false;
    }

    /**
     * As {@code atomic_compare_exchange_strong}, but may fail spuriously: return
     * {@code false} although the value was equal to {@code expected[0]} (which then receives
     * that same value). For retry loops. {@code memory_order_seq_cst}.
     *
     * @param object the atomic object
     * @param expected the value expected in {@code expected[0]}; receives the value found when they differ
     * @param desired the value to store
     * @return {@code true} if {@code desired} was stored
     */
    public static boolean atomic_compare_exchange_weak(atomic_int object, int[] expected, int desired) {
        return atomic_compare_exchange_weak_explicit(object, expected, desired,
                memory_order_seq_cst, memory_order_seq_cst);
    }

    /**
     * {@code atomic_compare_exchange_weak} with {@code success} and {@code failure} orders;
     * on failure, the value stored into {@code expected[0]} is read with {@code failure}.
     *
     * @param object the atomic object
     * @param expected the value expected in {@code expected[0]}; receives the value found when they differ
     * @param desired the value to store
     * @param success the order when the values are equal
     * @param failure the order of the load when the values differ
     * @return {@code true} if {@code desired} was stored
     */
    public static boolean atomic_compare_exchange_weak_explicit(atomic_int object, int[] expected, int desired,
            memory_order success, memory_order failure) {
        int old = expected[0];
        AccessMode mode = accessMode(COMPARE_EXCHANGE_WEAK, compareExchange(success, failure));
        if (object.weakCompareAndSet(mode, old, desired)) {
            return true;
        }
        expected[0] = object.load(accessMode(LOAD, failure));
        return false;
    }

    /**
     * If {@code object} holds a value equal to {@code expected[0]}, sets it to {@code desired}
     * and returns {@code true}; otherwise stores the value it holds into {@code expected[0]}
     * and returns {@code false}. Never fails spuriously. {@code memory_order_seq_cst}.
     *
     * @param object the atomic object
     * @param expected the value expected in {@code expected[0]}; receives the value found when they differ
     * @param desired the value to store
     * @return {@code true} if {@code desired} was stored
     */
    public static boolean atomic_compare_exchange_strong(atomic_long object, long[] expected, long desired) {
        return atomic_compare_exchange_strong_explicit(object, expected, desired,
                memory_order_seq_cst, memory_order_seq_cst);
    }

    /**
     * {@code atomic_compare_exchange_strong} with {@code success} as the order of the
     * read-modify-write and {@code failure} as the order of the load when the values differ
     * (the two are joined: see the class comment).
     *
     * @param object the atomic object
     * @param expected the value expected in {@code expected[0]}; receives the value found when they differ
     * @param desired the value to store
     * @param success the order when the values are equal
     * @param failure the order of the load when the values differ
     * @return {@code true} if {@code desired} was stored
     */
    public static boolean atomic_compare_exchange_strong_explicit(atomic_long object, long[] expected, long desired,
            memory_order success, memory_order failure) {
        long old = expected[0];
        AccessMode mode = accessMode(COMPARE_EXCHANGE_STRONG, compareExchange(success, failure));
        long witness = object.compareAndExchange(mode, old, desired);
        if (witness == old) {
            return true;
        }
        expected[0] = witness;
        return false;
    }

    /**
     * As {@code atomic_compare_exchange_strong}, but may fail spuriously: return
     * {@code false} although the value was equal to {@code expected[0]} (which then receives
     * that same value). For retry loops. {@code memory_order_seq_cst}.
     *
     * @param object the atomic object
     * @param expected the value expected in {@code expected[0]}; receives the value found when they differ
     * @param desired the value to store
     * @return {@code true} if {@code desired} was stored
     */
    public static boolean atomic_compare_exchange_weak(atomic_long object, long[] expected, long desired) {
        return atomic_compare_exchange_weak_explicit(object, expected, desired,
                memory_order_seq_cst, memory_order_seq_cst);
    }

    /**
     * {@code atomic_compare_exchange_weak} with {@code success} and {@code failure} orders;
     * on failure, the value stored into {@code expected[0]} is read with {@code failure}.
     *
     * @param object the atomic object
     * @param expected the value expected in {@code expected[0]}; receives the value found when they differ
     * @param desired the value to store
     * @param success the order when the values are equal
     * @param failure the order of the load when the values differ
     * @return {@code true} if {@code desired} was stored
     */
    public static boolean atomic_compare_exchange_weak_explicit(atomic_long object, long[] expected, long desired,
            memory_order success, memory_order failure) {
        long old = expected[0];
        AccessMode mode = accessMode(COMPARE_EXCHANGE_WEAK, compareExchange(success, failure));
        if (object.weakCompareAndSet(mode, old, desired)) {
            return true;
        }
        expected[0] = object.load(accessMode(LOAD, failure));
        return false;
    }

    /**
     * If {@code object} holds a value equal to {@code expected[0]}, sets it to {@code desired}
     * and returns {@code true}; otherwise stores the value it holds into {@code expected[0]}
     * and returns {@code false}. Never fails spuriously. {@code memory_order_seq_cst}.
     *
     * @param object the atomic object
     * @param expected the value expected in {@code expected[0]}; receives the value found when they differ
     * @param desired the value to store
     * @return {@code true} if {@code desired} was stored
     */
    public static boolean atomic_compare_exchange_strong(atomic_bool object, boolean[] expected, boolean desired) {
        return atomic_compare_exchange_strong_explicit(object, expected, desired,
                memory_order_seq_cst, memory_order_seq_cst);
    }

    /**
     * {@code atomic_compare_exchange_strong} with {@code success} as the order of the
     * read-modify-write and {@code failure} as the order of the load when the values differ
     * (the two are joined: see the class comment).
     *
     * @param object the atomic object
     * @param expected the value expected in {@code expected[0]}; receives the value found when they differ
     * @param desired the value to store
     * @param success the order when the values are equal
     * @param failure the order of the load when the values differ
     * @return {@code true} if {@code desired} was stored
     */
    public static boolean atomic_compare_exchange_strong_explicit(atomic_bool object, boolean[] expected,
            boolean desired, memory_order success, memory_order failure) {
        boolean old = expected[0];
        AccessMode mode = accessMode(COMPARE_EXCHANGE_STRONG, compareExchange(success, failure));
        boolean witness = object.compareAndExchange(mode, old, desired);
        if (witness == old) {
            return true;
        }
        expected[0] = witness;
        return false;
    }

    /**
     * As {@code atomic_compare_exchange_strong}, but may fail spuriously: return
     * {@code false} although the value was equal to {@code expected[0]} (which then receives
     * that same value). For retry loops. {@code memory_order_seq_cst}.
     *
     * @param object the atomic object
     * @param expected the value expected in {@code expected[0]}; receives the value found when they differ
     * @param desired the value to store
     * @return {@code true} if {@code desired} was stored
     */
    public static boolean atomic_compare_exchange_weak(atomic_bool object, boolean[] expected, boolean desired) {
        return atomic_compare_exchange_weak_explicit(object, expected, desired,
                memory_order_seq_cst, memory_order_seq_cst);
    }

    /**
     * {@code atomic_compare_exchange_weak} with {@code success} and {@code failure} orders;
     * on failure, the value stored into {@code expected[0]} is read with {@code failure}.
     *
     * @param object the atomic object
     * @param expected the value expected in {@code expected[0]}; receives the value found when they differ
     * @param desired the value to store
     * @param success the order when the values are equal
     * @param failure the order of the load when the values differ
     * @return {@code true} if {@code desired} was stored
     */
    public static boolean atomic_compare_exchange_weak_explicit(atomic_bool object, boolean[] expected,
            boolean desired, memory_order success, memory_order failure) {
        boolean old = expected[0];
        AccessMode mode = accessMode(COMPARE_EXCHANGE_WEAK, compareExchange(success, failure));
        if (object.weakCompareAndSet(mode, old, desired)) {
            return true;
        }
        expected[0] = object.load(accessMode(LOAD, failure));
        return false;
    }

    /**
     * If {@code object} holds a value the same reference as {@code expected[0]}, sets it to {@code desired}
     * and returns {@code true}; otherwise stores the value it holds into {@code expected[0]}
     * and returns {@code false}. Never fails spuriously. {@code memory_order_seq_cst}.
     *
     * @param <T> the type of the object referenced
     * @param object the atomic object
     * @param expected the value expected in {@code expected[0]}; receives the value found when they differ
     * @param desired the value to store
     * @return {@code true} if {@code desired} was stored
     */
    public static <T> boolean atomic_compare_exchange_strong(atomic_ptr<T> object, T[] expected, T desired) {
        return atomic_compare_exchange_strong_explicit(object, expected, desired,
                memory_order_seq_cst, memory_order_seq_cst);
    }

    /**
     * {@code atomic_compare_exchange_strong} with {@code success} as the order of the
     * read-modify-write and {@code failure} as the order of the load when the values differ
     * (the two are joined: see the class comment).
     *
     * @param <T> the type of the object referenced
     * @param object the atomic object
     * @param expected the value expected in {@code expected[0]}; receives the value found when they differ
     * @param desired the value to store
     * @param success the order when the values are equal
     * @param failure the order of the load when the values differ
     * @return {@code true} if {@code desired} was stored
     */
    public static <T> boolean atomic_compare_exchange_strong_explicit(atomic_ptr<T> object, T[] expected, T desired,
            memory_order success, memory_order failure) {
        T old = expected[0];
        AccessMode mode = accessMode(COMPARE_EXCHANGE_STRONG, compareExchange(success, failure));
        T witness = object.compareAndExchange(mode, old, desired);
        if (witness == old) {
            return true;
        }
        expected[0] = witness;
        return false;
    }

    /**
     * As {@code atomic_compare_exchange_strong}, but may fail spuriously: return
     * {@code false} although the value was the same reference as {@code expected[0]} (which then receives
     * that same value). For retry loops. {@code memory_order_seq_cst}.
     *
     * @param <T> the type of the object referenced
     * @param object the atomic object
     * @param expected the value expected in {@code expected[0]}; receives the value found when they differ
     * @param desired the value to store
     * @return {@code true} if {@code desired} was stored
     */
    public static <T> boolean atomic_compare_exchange_weak(atomic_ptr<T> object, T[] expected, T desired) {
        return atomic_compare_exchange_weak_explicit(object, expected, desired,
                memory_order_seq_cst, memory_order_seq_cst);
    }

    /**
     * {@code atomic_compare_exchange_weak} with {@code success} and {@code failure} orders;
     * on failure, the value stored into {@code expected[0]} is read with {@code failure}.
     *
     * @param <T> the type of the object referenced
     * @param object the atomic object
     * @param expected the value expected in {@code expected[0]}; receives the value found when they differ
     * @param desired the value to store
     * @param success the order when the values are equal
     * @param failure the order of the load when the values differ
     * @return {@code true} if {@code desired} was stored
     */
    public static <T> boolean atomic_compare_exchange_weak_explicit(atomic_ptr<T> object, T[] expected, T desired,
            memory_order success, memory_order failure) {
        T old = expected[0];
        AccessMode mode = accessMode(COMPARE_EXCHANGE_WEAK, compareExchange(success, failure));
        if (object.weakCompareAndSet(mode, old, desired)) {
            return true;
        }
        expected[0] = object.load(accessMode(LOAD, failure));
        return false;
    }

    // ---- fetch operations (atomic_int, atomic_long) -------------------------------------------

    /**
     * Sets {@code object} to {@code object + operand} (wrapping) and returns the old value, atomically;
     * {@code memory_order_seq_cst}.
     *
     * @param object the atomic object
     * @param operand the value to add
     * @return the value held before
     */
    public static int atomic_fetch_add(atomic_int object, int operand) {
        return object.getAndOp(accessMode(FETCH_ADD, memory_order_seq_cst), operand);
    }

    /**
     * Sets {@code object} to {@code object + operand} (wrapping) and returns the old value,
     * atomically (order).
     *
     * @param object the atomic object
     * @param operand the value to add
     * @param order the memory order
     * @return the value held before
     */
    public static int atomic_fetch_add_explicit(atomic_int object, int operand, memory_order order) {
        return object.getAndOp(accessMode(FETCH_ADD, order), operand);
    }

    /**
     * Sets {@code object} to {@code object + operand} (wrapping) and returns the old value, atomically;
     * {@code memory_order_seq_cst}.
     *
     * @param object the atomic object
     * @param operand the value to add
     * @return the value held before
     */
    public static long atomic_fetch_add(atomic_long object, long operand) {
        return object.getAndOp(accessMode(FETCH_ADD, memory_order_seq_cst), operand);
    }

    /**
     * Sets {@code object} to {@code object + operand} (wrapping) and returns the old value,
     * atomically (order).
     *
     * @param object the atomic object
     * @param operand the value to add
     * @param order the memory order
     * @return the value held before
     */
    public static long atomic_fetch_add_explicit(atomic_long object, long operand, memory_order order) {
        return object.getAndOp(accessMode(FETCH_ADD, order), operand);
    }

    /**
     * Sets {@code object} to {@code object - operand} (wrapping) and returns the old value, atomically;
     * {@code memory_order_seq_cst}.
     *
     * @param object the atomic object
     * @param operand the value to subtract
     * @return the value held before
     */
    public static int atomic_fetch_sub(atomic_int object, int operand) {
        return object.getAndOp(accessMode(FETCH_SUB, memory_order_seq_cst), -operand);
    }

    /**
     * Sets {@code object} to {@code object - operand} (wrapping) and returns the old value,
     * atomically (order).
     *
     * @param object the atomic object
     * @param operand the value to subtract
     * @param order the memory order
     * @return the value held before
     */
    public static int atomic_fetch_sub_explicit(atomic_int object, int operand, memory_order order) {
        return object.getAndOp(accessMode(FETCH_SUB, order), -operand);
    }

    /**
     * Sets {@code object} to {@code object - operand} (wrapping) and returns the old value, atomically;
     * {@code memory_order_seq_cst}.
     *
     * @param object the atomic object
     * @param operand the value to subtract
     * @return the value held before
     */
    public static long atomic_fetch_sub(atomic_long object, long operand) {
        return object.getAndOp(accessMode(FETCH_SUB, memory_order_seq_cst), -operand);
    }

    /**
     * Sets {@code object} to {@code object - operand} (wrapping) and returns the old value,
     * atomically (order).
     *
     * @param object the atomic object
     * @param operand the value to subtract
     * @param order the memory order
     * @return the value held before
     */
    public static long atomic_fetch_sub_explicit(atomic_long object, long operand, memory_order order) {
        return object.getAndOp(accessMode(FETCH_SUB, order), -operand);
    }

    /**
     * Sets {@code object} to {@code object | operand} and returns the old value, atomically;
     * {@code memory_order_seq_cst}.
     *
     * @param object the atomic object
     * @param operand the bits to set
     * @return the value held before
     */
    public static int atomic_fetch_or(atomic_int object, int operand) {
        return object.getAndOp(accessMode(FETCH_OR, memory_order_seq_cst), operand);
    }

    /**
     * Sets {@code object} to {@code object | operand} and returns the old value, atomically, with
     * {@code order}.
     *
     * @param object the atomic object
     * @param operand the bits to set
     * @param order the memory order
     * @return the value held before
     */
    public static int atomic_fetch_or_explicit(atomic_int object, int operand, memory_order order) {
        return object.getAndOp(accessMode(FETCH_OR, order), operand);
    }

    /**
     * Sets {@code object} to {@code object | operand} and returns the old value, atomically;
     * {@code memory_order_seq_cst}.
     *
     * @param object the atomic object
     * @param operand the bits to set
     * @return the value held before
     */
    public static long atomic_fetch_or(atomic_long object, long operand) {
        return object.getAndOp(accessMode(FETCH_OR, memory_order_seq_cst), operand);
    }

    /**
     * Sets {@code object} to {@code object | operand} and returns the old value, atomically, with
     * {@code order}.
     *
     * @param object the atomic object
     * @param operand the bits to set
     * @param order the memory order
     * @return the value held before
     */
    public static long atomic_fetch_or_explicit(atomic_long object, long operand, memory_order order) {
        return object.getAndOp(accessMode(FETCH_OR, order), operand);
    }

    /**
     * Sets {@code object} to {@code object & operand} and returns the old value, atomically;
     * {@code memory_order_seq_cst}.
     *
     * @param object the atomic object
     * @param operand the mask to keep
     * @return the value held before
     */
    public static int atomic_fetch_and(atomic_int object, int operand) {
        return object.getAndOp(accessMode(FETCH_AND, memory_order_seq_cst), operand);
    }

    /**
     * Sets {@code object} to {@code object & operand} and returns the old value, atomically, with
     * {@code order}.
     *
     * @param object the atomic object
     * @param operand the mask to keep
     * @param order the memory order
     * @return the value held before
     */
    public static int atomic_fetch_and_explicit(atomic_int object, int operand, memory_order order) {
        return object.getAndOp(accessMode(FETCH_AND, order), operand);
    }

    /**
     * Sets {@code object} to {@code object & operand} and returns the old value, atomically;
     * {@code memory_order_seq_cst}.
     *
     * @param object the atomic object
     * @param operand the mask to keep
     * @return the value held before
     */
    public static long atomic_fetch_and(atomic_long object, long operand) {
        return object.getAndOp(accessMode(FETCH_AND, memory_order_seq_cst), operand);
    }

    /**
     * Sets {@code object} to {@code object & operand} and returns the old value, atomically, with
     * {@code order}.
     *
     * @param object the atomic object
     * @param operand the mask to keep
     * @param order the memory order
     * @return the value held before
     */
    public static long atomic_fetch_and_explicit(atomic_long object, long operand, memory_order order) {
        return object.getAndOp(accessMode(FETCH_AND, order), operand);
    }

    /**
     * Sets {@code object} to {@code object ^ operand} and returns the old value, atomically;
     * {@code memory_order_seq_cst}.
     *
     * @param object the atomic object
     * @param operand the bits to flip
     * @return the value held before
     */
    public static int atomic_fetch_xor(atomic_int object, int operand) {
        return object.getAndOp(accessMode(FETCH_XOR, memory_order_seq_cst), operand);
    }

    /**
     * Sets {@code object} to {@code object ^ operand} and returns the old value, atomically, with
     * {@code order}.
     *
     * @param object the atomic object
     * @param operand the bits to flip
     * @param order the memory order
     * @return the value held before
     */
    public static int atomic_fetch_xor_explicit(atomic_int object, int operand, memory_order order) {
        return object.getAndOp(accessMode(FETCH_XOR, order), operand);
    }

    /**
     * Sets {@code object} to {@code object ^ operand} and returns the old value, atomically;
     * {@code memory_order_seq_cst}.
     *
     * @param object the atomic object
     * @param operand the bits to flip
     * @return the value held before
     */
    public static long atomic_fetch_xor(atomic_long object, long operand) {
        return object.getAndOp(accessMode(FETCH_XOR, memory_order_seq_cst), operand);
    }

    /**
     * Sets {@code object} to {@code object ^ operand} and returns the old value, atomically, with
     * {@code order}.
     *
     * @param object the atomic object
     * @param operand the bits to flip
     * @param order the memory order
     * @return the value held before
     */
    public static long atomic_fetch_xor_explicit(atomic_long object, long operand, memory_order order) {
        return object.getAndOp(accessMode(FETCH_XOR, order), operand);
    }

    // ---- fences -------------------------------------------------------------------------------

    /**
     * A fence: {@code relaxed} does nothing; {@code acquire} (and {@code consume}) keeps loads
     * before it before every later load and store; {@code release} keeps every earlier load and
     * store before stores after it; {@code acq_rel} does both; {@code seq_cst} also keeps
     * earlier stores before later loads, and joins the single order of seq_cst operations.
     *
     * @param order the memory order
     */
    public static void atomic_thread_fence(memory_order order) {
        memory_order.Fence fence = memory_order.fence(order);
        if (fence == memory_order.Fence.ACQUIRE || fence == memory_order.Fence.ACQUIRE_RELEASE) {
            VarHandle.acquireFence();
        }
        if (fence == memory_order.Fence.RELEASE || fence == memory_order.Fence.ACQUIRE_RELEASE) {
            VarHandle.releaseFence();
        }
        if (fence == memory_order.Fence.FULL) {
            VarHandle.fullFence();
        }
    }

    /**
     * A fence against a signal handler of the calling thread. A Java signal handler runs on a
     * thread of its own, so this is {@link #atomic_thread_fence} (the stronger fence, hence a
     * correct one).
     *
     * @param order the memory order
     */
    public static void atomic_signal_fence(memory_order order) {
        atomic_thread_fence(order);
    }

    // ---- plain, racy accesses (demonstrations of data races only) -----------------------------

    /**
     * A plain read of {@code object}: no atomicity guarantee beyond Java's, no ordering, no
     * coherence; the JIT may hoist it out of a loop. For showing what a data race does, never
     * for synchronization (in C, a race on it is undefined behaviour).
     *
     * @param object the atomic object
     * @return the value read
     */
    public static int atomic_load_plain_racy(atomic_int object) {
        return object.load(AccessMode.GET);
    }

    /**
     * A plain read of {@code object}: no atomicity guarantee beyond Java's, no ordering, no
     * coherence; the JIT may hoist it out of a loop. For showing what a data race does, never
     * for synchronization (in C, a race on it is undefined behaviour).
     *
     * @param object the atomic object
     * @return the value read
     */
    public static long atomic_load_plain_racy(atomic_long object) {
        return object.load(AccessMode.GET);
    }

    /**
     * A plain read of {@code object}: no atomicity guarantee beyond Java's, no ordering, no
     * coherence; the JIT may hoist it out of a loop. For showing what a data race does, never
     * for synchronization (in C, a race on it is undefined behaviour).
     *
     * @param object the atomic object
     * @return the value read
     */
    public static boolean atomic_load_plain_racy(atomic_bool object) {
        return object.load(AccessMode.GET);
    }

    /**
     * A plain read of {@code object}: no atomicity guarantee beyond Java's, no ordering, no
     * coherence; the JIT may hoist it out of a loop. For showing what a data race does, never
     * for synchronization (in C, a race on it is undefined behaviour).
     *
     * @param <T> the type of the object referenced
     * @param object the atomic object
     * @return the value read
     */
    public static <T> T atomic_load_plain_racy(atomic_ptr<T> object) {
        return object.load(AccessMode.GET);
    }

    /**
     * A plain write of {@code object}: unordered, and other threads may see it late, or never
     * while they re-read in a loop the JIT has hoisted. For showing what a data race does only.
     *
     * @param object the atomic object
     * @param value the value to store
     */
    public static void atomic_store_plain_racy(atomic_int object, int value) {
        object.store(AccessMode.SET, value);
    }

    /**
     * A plain write of {@code object}: unordered, and other threads may see it late, or never
     * while they re-read in a loop the JIT has hoisted. For showing what a data race does only.
     *
     * @param object the atomic object
     * @param value the value to store
     */
    public static void atomic_store_plain_racy(atomic_long object, long value) {
        object.store(AccessMode.SET, value);
    }

    /**
     * A plain write of {@code object}: unordered, and other threads may see it late, or never
     * while they re-read in a loop the JIT has hoisted. For showing what a data race does only.
     *
     * @param object the atomic object
     * @param value the value to store
     */
    public static void atomic_store_plain_racy(atomic_bool object, boolean value) {
        object.store(AccessMode.SET, value);
    }

    /**
     * A plain write of {@code object}: unordered, and other threads may see it late, or never
     * while they re-read in a loop the JIT has hoisted. For showing what a data race does only.
     *
     * @param <T> the type of the object referenced
     * @param object the atomic object
     * @param value the value to store
     */
    public static <T> void atomic_store_plain_racy(atomic_ptr<T> object, T value) {
        object.store(AccessMode.SET, value);
    }
}
