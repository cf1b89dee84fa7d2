package org.pthread4j;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.invoke.VarHandle.AccessMode;

/**
 * C11's {@code atomic_bool}: a boolean reached only through {@link Stdatomic}'s functions
 * (load, store, exchange, compare-exchange; C defines no fetch operation on it).
 * {@code new atomic_bool(v)} is {@code atomic_bool x = ATOMIC_VAR_INIT(v);}. The value is a
 * field of this object, on the Java heap, on every backend (why: {@link Stdatomic}). Like C's
 * initialization, the constructor's write is not atomic: share the object the way any Java
 * object is shared.
 */
public final class atomic_bool {

    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(atomic_bool.class, "value", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Accessed only through {@link #VALUE}, in the mode each caller names. */
    private boolean value;

    /** A {@code false}, as {@code static atomic_bool x;} in C. */
    public atomic_bool() {}

    /** {@code atomic_bool x = ATOMIC_VAR_INIT(value);}. */
    public atomic_bool(boolean value) {
        this.value = value;
    }

    boolean load(AccessMode mode) {
        return switch (mode) {
            case GET -> (boolean) VALUE.get(this);
            case GET_OPAQUE -> (boolean) VALUE.getOpaque(this);
            case GET_ACQUIRE -> (boolean) VALUE.getAcquire(this);
            case GET_VOLATILE -> (boolean) VALUE.getVolatile(this);
            default -> throw new AssertionError(mode);
        };
    }

    void store(AccessMode mode, boolean v) {
        switch (mode) {
            case SET -> VALUE.set(this, v);
            case SET_OPAQUE -> VALUE.setOpaque(this, v);
            case SET_RELEASE -> VALUE.setRelease(this, v);
            case SET_VOLATILE -> VALUE.setVolatile(this, v);
            default -> throw new AssertionError(mode);
        }
    }

    /** The exchange: returns the old value. */
    boolean getAndOp(AccessMode mode, boolean v) {
        return switch (mode) {
            case GET_AND_SET -> (boolean) VALUE.getAndSet(this, v);
            case GET_AND_SET_ACQUIRE -> (boolean) VALUE.getAndSetAcquire(this, v);
            case GET_AND_SET_RELEASE -> (boolean) VALUE.getAndSetRelease(this, v);
            default -> throw new AssertionError(mode);
        };
    }

    /** The strong compare-exchange: returns the witness, the value it read. */
    boolean compareAndExchange(AccessMode mode, boolean expected, boolean desired) {
        return switch (mode) {
            case COMPARE_AND_EXCHANGE -> (boolean) VALUE.compareAndExchange(this, expected, desired);
            case COMPARE_AND_EXCHANGE_ACQUIRE -> (boolean) VALUE.compareAndExchangeAcquire(this, expected, desired);
            case COMPARE_AND_EXCHANGE_RELEASE -> (boolean) VALUE.compareAndExchangeRelease(this, expected, desired);
            default -> throw new AssertionError(mode);
        };
    }

    /** The weak compare-exchange: may fail spuriously. */
    boolean weakCompareAndSet(AccessMode mode, boolean expected, boolean desired) {
        return switch (mode) {
            case WEAK_COMPARE_AND_SET -> VALUE.weakCompareAndSet(this, expected, desired);
            case WEAK_COMPARE_AND_SET_PLAIN -> VALUE.weakCompareAndSetPlain(this, expected, desired);
            case WEAK_COMPARE_AND_SET_ACQUIRE -> VALUE.weakCompareAndSetAcquire(this, expected, desired);
            case WEAK_COMPARE_AND_SET_RELEASE -> VALUE.weakCompareAndSetRelease(this, expected, desired);
            default -> throw new AssertionError(mode);
        };
    }
}
