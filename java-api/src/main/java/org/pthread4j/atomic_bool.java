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

    /**
     * The value's VarHandle. The methods below run the access mode they are given, chosen by
     * comparing references (see {@link memory_order}: a constant mode folds to the access).
     */
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

    /**
     * {@code atomic_bool x = ATOMIC_VAR_INIT(value);}.
     *
     * @param value the initial value
     */
    public atomic_bool(boolean value) {
        this.value = value;
    }

    boolean load(AccessMode mode) {
        if (mode == AccessMode.GET) {
            return (boolean) VALUE.get(this);
        }
        if (mode == AccessMode.GET_OPAQUE) {
            return (boolean) VALUE.getOpaque(this);
        }
        if (mode == AccessMode.GET_ACQUIRE) {
            return (boolean) VALUE.getAcquire(this);
        }
        if (mode == AccessMode.GET_VOLATILE) {
            return (boolean) VALUE.getVolatile(this);
        }
        throw new AssertionError(mode);
    }

    void store(AccessMode mode, boolean v) {
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

    /** The exchange: returns the old value. */
    boolean getAndOp(AccessMode mode, boolean v) {
        if (mode == AccessMode.GET_AND_SET) {
            return (boolean) VALUE.getAndSet(this, v);
        }
        throw new AssertionError(mode);
    }

    /** The strong compare-exchange: returns the witness, the value it read. */
    boolean compareAndExchange(AccessMode mode, boolean expected, boolean desired) {
        if (mode == AccessMode.COMPARE_AND_EXCHANGE) {
            return (boolean) VALUE.compareAndExchange(this, expected, desired);
        }
        if (mode == AccessMode.COMPARE_AND_EXCHANGE_ACQUIRE) {
            return (boolean) VALUE.compareAndExchangeAcquire(this, expected, desired);
        }
        if (mode == AccessMode.COMPARE_AND_EXCHANGE_RELEASE) {
            return (boolean) VALUE.compareAndExchangeRelease(this, expected, desired);
        }
        throw new AssertionError(mode);
    }

    /** The weak compare-exchange: may fail spuriously. */
    boolean weakCompareAndSet(AccessMode mode, boolean expected, boolean desired) {
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
