package org.pthread4j;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.invoke.VarHandle.AccessMode;

/**
 * C11's {@code atomic_long}: a 64-bit integer reached only through {@link Stdatomic}'s functions.
 * {@code new atomic_long(v)} is {@code atomic_long x = ATOMIC_VAR_INIT(v);} and {@code new atomic_long()} holds
 * 0, as a C object of static storage does. The value is a field of this object, on the Java
 * heap, on every backend (why: {@link Stdatomic}). Like C's initialization, the constructor's
 * write is not atomic: share the object the way any Java object is shared (a
 * {@code pthread_create} argument, a static or final field, an {@code atomic_ptr}).
 */
public final class atomic_long {

    /**
     * The value's VarHandle. The methods below run the access mode they are given, chosen by
     * comparing references (see {@link memory_order}: a constant mode folds to the access).
     */
    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(atomic_long.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Accessed only through {@link #VALUE}, in the mode each caller names. */
    private long value;

    /** A zero, as {@code static atomic_long x;} in C. */
    public atomic_long() {}

    /**
     * {@code atomic_long x = ATOMIC_VAR_INIT(value);}.
     *
     * @param value the initial value
     */
    public atomic_long(long value) {
        this.value = value;
    }

    long load(AccessMode mode) {
        if (mode == AccessMode.GET) {
            return (long) VALUE.get(this);
        }
        if (mode == AccessMode.GET_OPAQUE) {
            return (long) VALUE.getOpaque(this);
        }
        if (mode == AccessMode.GET_ACQUIRE) {
            return (long) VALUE.getAcquire(this);
        }
        if (mode == AccessMode.GET_VOLATILE) {
            return (long) VALUE.getVolatile(this);
        }
        throw new AssertionError(mode);
    }

    void store(AccessMode mode, long v) {
        if (mode == AccessMode.SET) {
            VALUE.set(this, v);
            return;
        }
        if (mode == AccessMode.SET_OPAQUE) {
            VALUE.setOpaque(this, v);
            return;
        }
        if (mode == AccessMode.SET_RELEASE) {
            VALUE.setRelease(this, v);
            return;
        }
        if (mode == AccessMode.SET_VOLATILE) {
            VALUE.setVolatile(this, v);
            return;
        }
        throw new AssertionError(mode);
    }

    /** The exchange and every fetch operation: the mode names the operation; returns the old value. */
    long getAndOp(AccessMode mode, long v) {
        if (mode == AccessMode.GET_AND_SET) {
            return (long) VALUE.getAndSet(this, v);
        }
        if (mode == AccessMode.GET_AND_ADD) {
            return (long) VALUE.getAndAdd(this, v);
        }
        if (mode == AccessMode.GET_AND_BITWISE_OR) {
            return (long) VALUE.getAndBitwiseOr(this, v);
        }
        if (mode == AccessMode.GET_AND_BITWISE_OR_ACQUIRE) {
            return (long) VALUE.getAndBitwiseOrAcquire(this, v);
        }
        if (mode == AccessMode.GET_AND_BITWISE_OR_RELEASE) {
            return (long) VALUE.getAndBitwiseOrRelease(this, v);
        }
        if (mode == AccessMode.GET_AND_BITWISE_AND) {
            return (long) VALUE.getAndBitwiseAnd(this, v);
        }
        if (mode == AccessMode.GET_AND_BITWISE_AND_ACQUIRE) {
            return (long) VALUE.getAndBitwiseAndAcquire(this, v);
        }
        if (mode == AccessMode.GET_AND_BITWISE_AND_RELEASE) {
            return (long) VALUE.getAndBitwiseAndRelease(this, v);
        }
        if (mode == AccessMode.GET_AND_BITWISE_XOR) {
            return (long) VALUE.getAndBitwiseXor(this, v);
        }
        if (mode == AccessMode.GET_AND_BITWISE_XOR_ACQUIRE) {
            return (long) VALUE.getAndBitwiseXorAcquire(this, v);
        }
        if (mode == AccessMode.GET_AND_BITWISE_XOR_RELEASE) {
            return (long) VALUE.getAndBitwiseXorRelease(this, v);
        }
        throw new AssertionError(mode);
    }

    /** The strong compare-exchange: returns the witness, the value it read. */
    long compareAndExchange(AccessMode mode, long expected, long desired) {
        if (mode == AccessMode.COMPARE_AND_EXCHANGE) {
            return (long) VALUE.compareAndExchange(this, expected, desired);
        }
        if (mode == AccessMode.COMPARE_AND_EXCHANGE_ACQUIRE) {
            return (long) VALUE.compareAndExchangeAcquire(this, expected, desired);
        }
        if (mode == AccessMode.COMPARE_AND_EXCHANGE_RELEASE) {
            return (long) VALUE.compareAndExchangeRelease(this, expected, desired);
        }
        throw new AssertionError(mode);
    }

    /** The weak compare-exchange: may fail spuriously. */
    boolean weakCompareAndSet(AccessMode mode, long expected, long desired) {
        if (mode == AccessMode.WEAK_COMPARE_AND_SET) {
            return VALUE.weakCompareAndSet(this, expected, desired);
        }
        if (mode == AccessMode.WEAK_COMPARE_AND_SET_PLAIN) {
            return VALUE.weakCompareAndSetPlain(this, expected, desired);
        }
        if (mode == AccessMode.WEAK_COMPARE_AND_SET_ACQUIRE) {
            return VALUE.weakCompareAndSetAcquire(this, expected, desired);
        }
        if (mode == AccessMode.WEAK_COMPARE_AND_SET_RELEASE) {
            return VALUE.weakCompareAndSetRelease(this, expected, desired);
        }
        throw new AssertionError(mode);
    }
}
