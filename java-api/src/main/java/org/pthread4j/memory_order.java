package org.pthread4j;

import java.lang.invoke.VarHandle.AccessMode;

/**
 * C11's {@code memory_order}, its six enumerators in C's order (the ordinal is the value GCC
 * and Clang give them: {@code memory_order_relaxed} 0 … {@code memory_order_seq_cst} 5).
 * {@link Stdatomic} re-exports them, so {@code import static org.pthread4j.Stdatomic.*;}
 * brings {@code memory_order_acquire} and the rest into scope as C's header does.
 *
 * <p>This enum also holds the mapping of every order onto a {@link java.lang.invoke.VarHandle}
 * access mode, in one place: {@link #accessMode}, {@link #fence} and the two normalizations
 * they rest on ({@link #effective}, {@link #compareExchange}). The table and the reasons for
 * each choice are at the top of {@link Stdatomic}; the functions there call these and do
 * exactly what the returned mode names, so a test of this mapping is a test of the facade.
 *
 * <p>The mapping is written as comparisons of references, here and in the handle types that
 * run the modes, not as {@code switch}es or tables: where the order is a constant, as in
 * {@code atomic_load_explicit(x, memory_order_acquire)}, the JIT folds the comparisons and
 * only the access remains; a {@code switch} on an enum reads an array (javac's
 * {@code $SwitchMap$}), which it cannot fold.
 */
public enum memory_order {
    /** {@code memory_order_relaxed}: atomicity only, no ordering. */
    memory_order_relaxed,
    /** {@code memory_order_consume}: as acquire here (as in GCC). */
    memory_order_consume,
    /** {@code memory_order_acquire}: later accesses stay after the load. */
    memory_order_acquire,
    /** {@code memory_order_release}: earlier accesses stay before the store. */
    memory_order_release,
    /** {@code memory_order_acq_rel}: acquire and release, for read-modify-writes. */
    memory_order_acq_rel,
    /** {@code memory_order_seq_cst}: acquire and release, and one total order of all seq_cst operations. */
    memory_order_seq_cst;

    /** The kinds of atomic operation whose access mode depends on the order. */
    public enum Operation {
        /** {@code atomic_load}. */
        LOAD,
        /** {@code atomic_store}. */
        STORE,
        /** {@code atomic_exchange}. */
        EXCHANGE,
        /** {@code atomic_fetch_add}. */
        FETCH_ADD,
        /** {@code atomic_fetch_sub}: an add of the negated operand (two's complement wraps the same). */
        FETCH_SUB,
        /** {@code atomic_fetch_or}. */
        FETCH_OR,
        /** {@code atomic_fetch_and}. */
        FETCH_AND,
        /** {@code atomic_fetch_xor}. */
        FETCH_XOR,
        /** {@code atomic_compare_exchange_strong}, given the order {@link #compareExchange} joined. */
        COMPARE_EXCHANGE_STRONG,
        /** {@code atomic_compare_exchange_weak}, given the order {@link #compareExchange} joined. */
        COMPARE_EXCHANGE_WEAK
    }

    /** What {@code atomic_thread_fence} (and {@code atomic_signal_fence}) does for an order. */
    public enum Fence {
        /** Nothing: a relaxed fence orders nothing. */
        NONE,
        /** {@link java.lang.invoke.VarHandle#acquireFence()}. */
        ACQUIRE,
        /** {@link java.lang.invoke.VarHandle#releaseFence()}. */
        RELEASE,
        /**
         * {@code acquireFence()} then {@code releaseFence()}: earlier loads stay before later
         * accesses, earlier accesses before later stores; an earlier store may still pass a
         * later load.
         */
        ACQUIRE_RELEASE,
        /** {@link java.lang.invoke.VarHandle#fullFence()}. */
        FULL
    }

    /**
     * The order an operation really uses: {@code consume} is {@code acquire} (as in every C
     * compiler); an order C leaves undefined for the operation — {@code release} or
     * {@code acq_rel} on a load, {@code consume}, {@code acquire} or {@code acq_rel} on a
     * store — and {@code null} are {@code seq_cst} (as GCC does after its warning). The result
     * is one of {@code relaxed}, {@code acquire}, {@code release}, {@code acq_rel},
     * {@code seq_cst}.
     *
     * @param op the kind of operation
     * @param order the order asked for
     * @return the order the operation runs with
     */
    public static memory_order effective(Operation op, memory_order order) {
        if (op == Operation.LOAD) {
            return order == memory_order_relaxed ? memory_order_relaxed
                    : order == memory_order_consume || order == memory_order_acquire ? memory_order_acquire
                    : memory_order_seq_cst;
        }
        if (op == Operation.STORE) {
            return order == memory_order_relaxed || order == memory_order_release ? order : memory_order_seq_cst;
        }
        return order == null ? memory_order_seq_cst : order == memory_order_consume ? memory_order_acquire : order;
    }

    /**
     * The one order a compare-exchange runs with, from its success and failure orders: the
     * failure order is a load's ({@link #effective} with {@code LOAD}: {@code release} and
     * {@code acq_rel}, undefined there in C, become {@code seq_cst}), and the result is the
     * weakest order at least as strong as both. (C11 requires the failure order to be no
     * stronger than the success order and C++17 dropped that rule; the join serves both.)
     *
     * @param success the order when the values are equal
     * @param failure the order of the load when the values differ
     * @return the joined order
     */
    public static memory_order compareExchange(memory_order success, memory_order failure) {
        memory_order s = effective(Operation.COMPARE_EXCHANGE_STRONG, success);
        memory_order f = effective(Operation.LOAD, failure);
        if (s == memory_order_seq_cst || f == memory_order_seq_cst) {
            return memory_order_seq_cst;
        }
        boolean acquire = s == memory_order_acquire || s == memory_order_acq_rel || f == memory_order_acquire;
        boolean release = s == memory_order_release || s == memory_order_acq_rel;
        if (acquire && release) {
            return memory_order_acq_rel;
        }
        return acquire ? memory_order_acquire : release ? memory_order_release : memory_order_relaxed;
    }

    /**
     * The {@code VarHandle} access mode that {@code op} runs with under {@code order} (see the
     * table in {@link Stdatomic}). For the compare-exchanges pass the order that
     * {@link #compareExchange} joined; a weak one that fails then reads the current value with
     * {@code accessMode(LOAD, failure)}.
     *
     * @param op the kind of operation
     * @param order the order asked for
     * @return the access mode
     */
    public static AccessMode accessMode(Operation op, memory_order order) {
        memory_order o = effective(op, order);
        if (op == Operation.LOAD) {
            return o == memory_order_relaxed ? AccessMode.GET_OPAQUE
                    : o == memory_order_acquire ? AccessMode.GET_ACQUIRE : AccessMode.GET_VOLATILE;
        }
        if (op == Operation.STORE) {
            return o == memory_order_relaxed ? AccessMode.SET_OPAQUE
                    : o == memory_order_release ? AccessMode.SET_RELEASE : AccessMode.SET_VOLATILE;
        }
        // HotSpot compiles only the volatile getAndSet and getAndAdd to one locked instruction
        // (xchg, xadd; swpal, ldaddal on aarch64); their one-sided variants are compare-and-set
        // loops. The volatile one is as strong as any order, so every order takes it.
        if (op == Operation.EXCHANGE) {
            return AccessMode.GET_AND_SET;
        }
        if (op == Operation.FETCH_ADD || op == Operation.FETCH_SUB) {
            return AccessMode.GET_AND_ADD;
        }
        if (op == Operation.FETCH_OR) {
            return readModifyWrite(o, AccessMode.GET_AND_BITWISE_OR_ACQUIRE, AccessMode.GET_AND_BITWISE_OR_RELEASE,
                    AccessMode.GET_AND_BITWISE_OR);
        }
        if (op == Operation.FETCH_AND) {
            return readModifyWrite(o, AccessMode.GET_AND_BITWISE_AND_ACQUIRE, AccessMode.GET_AND_BITWISE_AND_RELEASE,
                    AccessMode.GET_AND_BITWISE_AND);
        }
        if (op == Operation.FETCH_XOR) {
            return readModifyWrite(o, AccessMode.GET_AND_BITWISE_XOR_ACQUIRE, AccessMode.GET_AND_BITWISE_XOR_RELEASE,
                    AccessMode.GET_AND_BITWISE_XOR);
        }
        if (op == Operation.COMPARE_EXCHANGE_STRONG) {
            return readModifyWrite(o, AccessMode.COMPARE_AND_EXCHANGE_ACQUIRE, AccessMode.COMPARE_AND_EXCHANGE_RELEASE,
                    AccessMode.COMPARE_AND_EXCHANGE);
        }
        // COMPARE_EXCHANGE_WEAK, which has a relaxed variant of its own
        return o == memory_order_relaxed ? AccessMode.WEAK_COMPARE_AND_SET_PLAIN
                : readModifyWrite(o, AccessMode.WEAK_COMPARE_AND_SET_ACQUIRE, AccessMode.WEAK_COMPARE_AND_SET_RELEASE,
                        AccessMode.WEAK_COMPARE_AND_SET);
    }

    /**
     * A read-modify-write family, for an order {@link #effective} has normalized: VarHandle has
     * no relaxed variant, so relaxed takes the acquire one (stronger, hence correct: a
     * compare-and-set with acquire semantics), and no acq_rel variant, so acq_rel takes the
     * volatile one, as seq_cst does.
     */
    private static AccessMode readModifyWrite(memory_order o, AccessMode acquire, AccessMode release, AccessMode both) {
        return o == memory_order_relaxed || o == memory_order_acquire ? acquire : o == memory_order_release ? release : both;
    }

    /**
     * What {@code atomic_thread_fence(order)} does ({@code null}: as {@code seq_cst}).
     *
     * @param order the order of the fence
     * @return the fence
     */
    public static Fence fence(memory_order order) {
        return order == memory_order_relaxed ? Fence.NONE
                : order == memory_order_consume || order == memory_order_acquire ? Fence.ACQUIRE
                : order == memory_order_release ? Fence.RELEASE
                : order == memory_order_acq_rel ? Fence.ACQUIRE_RELEASE : Fence.FULL;
    }
}
