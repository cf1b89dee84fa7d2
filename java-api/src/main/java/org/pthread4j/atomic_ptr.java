package org.pthread4j;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.invoke.VarHandle.AccessMode;

/**
 * C11's {@code _Atomic(T *)}: a reference to a {@code T}, reached only through
 * {@link Stdatomic}'s functions (load, store, exchange, compare-exchange). A compare-exchange
 * compares references ({@code ==}), as C compares pointers; there are no fetch operations,
 * since C's pointer arithmetic has no Java meaning. {@code new atomic_ptr<>(p)} is
 * {@code _Atomic(T *) x = ATOMIC_VAR_INIT(p);}. The reference is a field of this object, on
 * the Java heap, on every backend (why: {@link Stdatomic}). Like C's initialization, the
 * constructor's write is not atomic: share the object the way any Java object is shared.
 *
 * @param <T> the type pointed to
 */
@SuppressWarnings("unchecked") // VALUE holds only what a T-typed method stored
public final class atomic_ptr<T> {

    /**
     * The value's VarHandle. The methods below run the access mode they are given, chosen by
     * comparing references (see {@link memory_order}: a constant mode folds to the access).
     */
    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(atomic_ptr.class, "value", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Accessed only through {@link #VALUE}, in the mode each caller names. */
    private T value;

    /** A null pointer, as {@code static _Atomic(T *) x;} in C. */
    public atomic_ptr() {}

    /**
     * {@code atomic_ptr<T> x = ATOMIC_VAR_INIT(value);}.
     *
     * @param value the initial value
     */
    public atomic_ptr(T value) {
        this.value = value;
    }

    T load(AccessMode mode) {
        if (mode == AccessMode.GET) {
            return (T) VALUE.get(this);
        }
        if (mode == AccessMode.GET_OPAQUE) {
            return (T) VALUE.getOpaque(this);
        }
        if (mode == AccessMode.GET_ACQUIRE) {
            return (T) VALUE.getAcquire(this);
        }
        if (mode == AccessMode.GET_VOLATILE) {
            return (T) VALUE.getVolatile(this);
        }
        throw new AssertionError(mode);
    }

    void store(AccessMode mode, T v) {
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
    T getAndOp(AccessMode mode, T v) {
        if (mode == AccessMode.GET_AND_SET) {
            return (T) VALUE.getAndSet(this, v);
        }
        throw new AssertionError(mode);
    }

    /** The strong compare-exchange (compares references): returns the witness, the value it read. */
    T compareAndExchange(AccessMode mode, T expected, T desired) {
        if (mode == AccessMode.COMPARE_AND_EXCHANGE) {
            return (T) VALUE.compareAndExchange(this, expected, desired);
        }
        if (mode == AccessMode.COMPARE_AND_EXCHANGE_ACQUIRE) {
            return (T) VALUE.compareAndExchangeAcquire(this, expected, desired);
        }
        if (mode == AccessMode.COMPARE_AND_EXCHANGE_RELEASE) {
            return (T) VALUE.compareAndExchangeRelease(this, expected, desired);
        }
        throw new AssertionError(mode);
    }

    /** The weak compare-exchange (compares references): may fail spuriously. */
    boolean weakCompareAndSet(AccessMode mode, T expected, T desired) {
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
