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

    /** {@code atomic_long x = ATOMIC_VAR_INIT(value);}. */
    public atomic_long(long value) {
        this.value = value;
    }

    long load(AccessMode mode) {
        return switch (mode) {
            case GET -> (long) VALUE.get(this);
            case GET_OPAQUE -> (long) VALUE.getOpaque(this);
            case GET_ACQUIRE -> (long) VALUE.getAcquire(this);
            case GET_VOLATILE -> (long) VALUE.getVolatile(this);
            default -> throw new AssertionError(mode);
        };
    }

    void store(AccessMode mode, long v) {
        switch (mode) {
            case SET -> VALUE.set(this, v);
            case SET_OPAQUE -> VALUE.setOpaque(this, v);
            case SET_RELEASE -> VALUE.setRelease(this, v);
            case SET_VOLATILE -> VALUE.setVolatile(this, v);
            default -> throw new AssertionError(mode);
        }
    }

    /** The exchange and every fetch operation: the mode names the operation; returns the old value. */
    long getAndOp(AccessMode mode, long v) {
        return switch (mode) {
            case GET_AND_SET -> (long) VALUE.getAndSet(this, v);
            case GET_AND_SET_ACQUIRE -> (long) VALUE.getAndSetAcquire(this, v);
            case GET_AND_SET_RELEASE -> (long) VALUE.getAndSetRelease(this, v);
            case GET_AND_ADD -> (long) VALUE.getAndAdd(this, v);
            case GET_AND_ADD_ACQUIRE -> (long) VALUE.getAndAddAcquire(this, v);
            case GET_AND_ADD_RELEASE -> (long) VALUE.getAndAddRelease(this, v);
            case GET_AND_BITWISE_OR -> (long) VALUE.getAndBitwiseOr(this, v);
            case GET_AND_BITWISE_OR_ACQUIRE -> (long) VALUE.getAndBitwiseOrAcquire(this, v);
            case GET_AND_BITWISE_OR_RELEASE -> (long) VALUE.getAndBitwiseOrRelease(this, v);
            case GET_AND_BITWISE_AND -> (long) VALUE.getAndBitwiseAnd(this, v);
            case GET_AND_BITWISE_AND_ACQUIRE -> (long) VALUE.getAndBitwiseAndAcquire(this, v);
            case GET_AND_BITWISE_AND_RELEASE -> (long) VALUE.getAndBitwiseAndRelease(this, v);
            case GET_AND_BITWISE_XOR -> (long) VALUE.getAndBitwiseXor(this, v);
            case GET_AND_BITWISE_XOR_ACQUIRE -> (long) VALUE.getAndBitwiseXorAcquire(this, v);
            case GET_AND_BITWISE_XOR_RELEASE -> (long) VALUE.getAndBitwiseXorRelease(this, v);
            default -> throw new AssertionError(mode);
        };
    }

    /** The strong compare-exchange: returns the witness, the value it read. */
    long compareAndExchange(AccessMode mode, long expected, long desired) {
        return switch (mode) {
            case COMPARE_AND_EXCHANGE -> (long) VALUE.compareAndExchange(this, expected, desired);
            case COMPARE_AND_EXCHANGE_ACQUIRE -> (long) VALUE.compareAndExchangeAcquire(this, expected, desired);
            case COMPARE_AND_EXCHANGE_RELEASE -> (long) VALUE.compareAndExchangeRelease(this, expected, desired);
            default -> throw new AssertionError(mode);
        };
    }

    /** The weak compare-exchange: may fail spuriously. */
    boolean weakCompareAndSet(AccessMode mode, long expected, long desired) {
        return switch (mode) {
            case WEAK_COMPARE_AND_SET -> VALUE.weakCompareAndSet(this, expected, desired);
            case WEAK_COMPARE_AND_SET_PLAIN -> VALUE.weakCompareAndSetPlain(this, expected, desired);
            case WEAK_COMPARE_AND_SET_ACQUIRE -> VALUE.weakCompareAndSetAcquire(this, expected, desired);
            case WEAK_COMPARE_AND_SET_RELEASE -> VALUE.weakCompareAndSetRelease(this, expected, desired);
            default -> throw new AssertionError(mode);
        };
    }
}
