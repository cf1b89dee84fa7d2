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
 */
public enum memory_order {
    memory_order_relaxed,
    memory_order_consume,
    memory_order_acquire,
    memory_order_release,
    memory_order_acq_rel,
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
     */
    public static memory_order effective(Operation op, memory_order order) {
        if (order == null) {
            return memory_order_seq_cst;
        }
        return switch (op) {
            case LOAD -> switch (order) {
                case memory_order_relaxed -> memory_order_relaxed;
                case memory_order_consume, memory_order_acquire -> memory_order_acquire;
                case memory_order_release, memory_order_acq_rel, memory_order_seq_cst -> memory_order_seq_cst;
            };
            case STORE -> switch (order) {
                case memory_order_relaxed -> memory_order_relaxed;
                case memory_order_release -> memory_order_release;
                case memory_order_consume, memory_order_acquire, memory_order_acq_rel, memory_order_seq_cst ->
                        memory_order_seq_cst;
            };
            default -> order == memory_order_consume ? memory_order_acquire : order;
        };
    }

    /**
     * The one order a compare-exchange runs with, from its success and failure orders: the
     * failure order is a load's ({@link #effective} with {@code LOAD}: {@code release} and
     * {@code acq_rel}, undefined there in C, become {@code seq_cst}), and the result is the
     * weakest order at least as strong as both. (C11 requires the failure order to be no
     * stronger than the success order and C++17 dropped that rule; the join serves both.)
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
     */
    public static AccessMode accessMode(Operation op, memory_order order) {
        return order == null ? Modes.SEQ_CST[op.ordinal()] : Modes.TABLE[op.ordinal()][order.ordinal()];
    }

    /** {@link #accessMode}'s table, computed once from {@link #define} (it runs on every atomic access). */
    private static final class Modes {
        static final AccessMode[][] TABLE = new AccessMode[Operation.values().length][values().length];
        static final AccessMode[] SEQ_CST = new AccessMode[Operation.values().length];

        static {
            for (Operation op : Operation.values()) {
                for (memory_order order : values()) {
                    TABLE[op.ordinal()][order.ordinal()] = define(op, effective(op, order));
                }
                SEQ_CST[op.ordinal()] = TABLE[op.ordinal()][memory_order_seq_cst.ordinal()];
            }
        }
    }

    /** The mapping, for an order that {@link #effective} has normalized (the table in Stdatomic). */
    private static AccessMode define(Operation op, memory_order o) {
        return switch (op) {
            case LOAD -> o == memory_order_relaxed ? AccessMode.GET_OPAQUE
                    : o == memory_order_acquire ? AccessMode.GET_ACQUIRE : AccessMode.GET_VOLATILE;
            case STORE -> o == memory_order_relaxed ? AccessMode.SET_OPAQUE
                    : o == memory_order_release ? AccessMode.SET_RELEASE : AccessMode.SET_VOLATILE;
            case EXCHANGE -> readModifyWrite(o, AccessMode.GET_AND_SET_ACQUIRE, AccessMode.GET_AND_SET_RELEASE,
                    AccessMode.GET_AND_SET);
            case FETCH_ADD, FETCH_SUB -> readModifyWrite(o, AccessMode.GET_AND_ADD_ACQUIRE,
                    AccessMode.GET_AND_ADD_RELEASE, AccessMode.GET_AND_ADD);
            case FETCH_OR -> readModifyWrite(o, AccessMode.GET_AND_BITWISE_OR_ACQUIRE,
                    AccessMode.GET_AND_BITWISE_OR_RELEASE, AccessMode.GET_AND_BITWISE_OR);
            case FETCH_AND -> readModifyWrite(o, AccessMode.GET_AND_BITWISE_AND_ACQUIRE,
                    AccessMode.GET_AND_BITWISE_AND_RELEASE, AccessMode.GET_AND_BITWISE_AND);
            case FETCH_XOR -> readModifyWrite(o, AccessMode.GET_AND_BITWISE_XOR_ACQUIRE,
                    AccessMode.GET_AND_BITWISE_XOR_RELEASE, AccessMode.GET_AND_BITWISE_XOR);
            case COMPARE_EXCHANGE_STRONG -> readModifyWrite(o, AccessMode.COMPARE_AND_EXCHANGE_ACQUIRE,
                    AccessMode.COMPARE_AND_EXCHANGE_RELEASE, AccessMode.COMPARE_AND_EXCHANGE);
            // the weak one has a relaxed variant of its own
            case COMPARE_EXCHANGE_WEAK -> o == memory_order_relaxed ? AccessMode.WEAK_COMPARE_AND_SET_PLAIN
                    : readModifyWrite(o, AccessMode.WEAK_COMPARE_AND_SET_ACQUIRE,
                            AccessMode.WEAK_COMPARE_AND_SET_RELEASE, AccessMode.WEAK_COMPARE_AND_SET);
        };
    }

    /**
     * A read-modify-write family: VarHandle has no relaxed variant, so relaxed takes the acquire
     * one (stronger, hence correct; on x86 all three are the same locked instruction), and no
     * acq_rel variant, so acq_rel takes the volatile one, as seq_cst does.
     */
    private static AccessMode readModifyWrite(memory_order o, AccessMode acquire, AccessMode release, AccessMode both) {
        return switch (o) {
            case memory_order_relaxed, memory_order_consume, memory_order_acquire -> acquire;
            case memory_order_release -> release;
            case memory_order_acq_rel, memory_order_seq_cst -> both;
        };
    }

    /** What {@code atomic_thread_fence(order)} does ({@code null}: as {@code seq_cst}). */
    public static Fence fence(memory_order order) {
        if (order == null) {
            return Fence.FULL;
        }
        return switch (order) {
            case memory_order_relaxed -> Fence.NONE;
            case memory_order_consume, memory_order_acquire -> Fence.ACQUIRE;
            case memory_order_release -> Fence.RELEASE;
            case memory_order_acq_rel -> Fence.ACQUIRE_RELEASE;
            case memory_order_seq_cst -> Fence.FULL;
        };
    }
}
