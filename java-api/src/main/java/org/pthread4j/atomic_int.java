package org.pthread4j;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.invoke.VarHandle.AccessMode;

/**
 * C11's {@code atomic_int}: a 32-bit integer reached only through {@link Stdatomic}'s functions.
 * {@code new atomic_int(v)} is {@code atomic_int x = ATOMIC_VAR_INIT(v);} and {@code new atomic_int()} holds
 * 0, as a C object of static storage does. The value is a field of this object, on the Java
 * heap, on every backend (why: {@link Stdatomic}). Like C's initialization, the constructor's
 * write is not atomic: share the object the way any Java object is shared (a
 * {@code pthread_create} argument, a static or final field, an {@code atomic_ptr}).
 */
public final class atomic_int {

    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(atomic_int.class, "value", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Accessed only through {@link #VALUE}, in the mode each caller names. */
    private int value;

    /** A zero, as {@code static atomic_int x;} in C. */
    public atomic_int() {}

    /** {@code atomic_int x = ATOMIC_VAR_INIT(value);}. */
    public atomic_int(int value) {
        this.value = value;
    }

    int load(AccessMode mode) {
        return switch (mode) {
            case GET -> (int) VALUE.get(this);
            case GET_OPAQUE -> (int) VALUE.getOpaque(this);
            case GET_ACQUIRE -> (int) VALUE.getAcquire(this);
            case GET_VOLATILE -> (int) VALUE.getVolatile(this);
            default -> throw new AssertionError(mode);
        };
    }

    void store(AccessMode mode, int v) {
        switch (mode) {
            case SET -> VALUE.set(this, v);
            case SET_OPAQUE -> VALUE.setOpaque(this, v);
            case SET_RELEASE -> VALUE.setRelease(this, v);
            case SET_VOLATILE -> VALUE.setVolatile(this, v);
            default -> throw new AssertionError(mode);
        }
    }

    /** The exchange and every fetch operation: the mode names the operation; returns the old value. */
    int getAndOp(AccessMode mode, int v) {
        return switch (mode) {
            case GET_AND_SET -> (int) VALUE.getAndSet(this, v);
            case GET_AND_SET_ACQUIRE -> (int) VALUE.getAndSetAcquire(this, v);
            case GET_AND_SET_RELEASE -> (int) VALUE.getAndSetRelease(this, v);
            case GET_AND_ADD -> (int) VALUE.getAndAdd(this, v);
            case GET_AND_ADD_ACQUIRE -> (int) VALUE.getAndAddAcquire(this, v);
            case GET_AND_ADD_RELEASE -> (int) VALUE.getAndAddRelease(this, v);
            case GET_AND_BITWISE_OR -> (int) VALUE.getAndBitwiseOr(this, v);
            case GET_AND_BITWISE_OR_ACQUIRE -> (int) VALUE.getAndBitwiseOrAcquire(this, v);
            case GET_AND_BITWISE_OR_RELEASE -> (int) VALUE.getAndBitwiseOrRelease(this, v);
            case GET_AND_BITWISE_AND -> (int) VALUE.getAndBitwiseAnd(this, v);
            case GET_AND_BITWISE_AND_ACQUIRE -> (int) VALUE.getAndBitwiseAndAcquire(this, v);
            case GET_AND_BITWISE_AND_RELEASE -> (int) VALUE.getAndBitwiseAndRelease(this, v);
            case GET_AND_BITWISE_XOR -> (int) VALUE.getAndBitwiseXor(this, v);
            case GET_AND_BITWISE_XOR_ACQUIRE -> (int) VALUE.getAndBitwiseXorAcquire(this, v);
            case GET_AND_BITWISE_XOR_RELEASE -> (int) VALUE.getAndBitwiseXorRelease(this, v);
            default -> throw new AssertionError(mode);
        };
    }

    /** The strong compare-exchange: returns the witness, the value it read. */
    int compareAndExchange(AccessMode mode, int expected, int desired) {
        return switch (mode) {
            case COMPARE_AND_EXCHANGE -> (int) VALUE.compareAndExchange(this, expected, desired);
            case COMPARE_AND_EXCHANGE_ACQUIRE -> (int) VALUE.compareAndExchangeAcquire(this, expected, desired);
            case COMPARE_AND_EXCHANGE_RELEASE -> (int) VALUE.compareAndExchangeRelease(this, expected, desired);
            default -> throw new AssertionError(mode);
        };
    }

    /** The weak compare-exchange: may fail spuriously. */
    boolean weakCompareAndSet(AccessMode mode, int expected, int desired) {
        return switch (mode) {
            case WEAK_COMPARE_AND_SET -> VALUE.weakCompareAndSet(this, expected, desired);
            case WEAK_COMPARE_AND_SET_PLAIN -> VALUE.weakCompareAndSetPlain(this, expected, desired);
            case WEAK_COMPARE_AND_SET_ACQUIRE -> VALUE.weakCompareAndSetAcquire(this, expected, desired);
            case WEAK_COMPARE_AND_SET_RELEASE -> VALUE.weakCompareAndSetRelease(this, expected, desired);
            default -> throw new AssertionError(mode);
        };
    }
}
