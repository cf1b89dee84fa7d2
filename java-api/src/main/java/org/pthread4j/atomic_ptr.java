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

    /** {@code atomic_ptr<T> x = ATOMIC_VAR_INIT(value);}. */
    public atomic_ptr(T value) {
        this.value = value;
    }

    T load(AccessMode mode) {
        return switch (mode) {
            case GET -> (T) VALUE.get(this);
            case GET_OPAQUE -> (T) VALUE.getOpaque(this);
            case GET_ACQUIRE -> (T) VALUE.getAcquire(this);
            case GET_VOLATILE -> (T) VALUE.getVolatile(this);
            default -> throw new AssertionError(mode);
        };
    }

    void store(AccessMode mode, T v) {
        switch (mode) {
            case SET -> VALUE.set(this, v);
            case SET_OPAQUE -> VALUE.setOpaque(this, v);
            case SET_RELEASE -> VALUE.setRelease(this, v);
            case SET_VOLATILE -> VALUE.setVolatile(this, v);
            default -> throw new AssertionError(mode);
        }
    }

    /** The exchange: returns the old value. */
    T getAndOp(AccessMode mode, T v) {
        return switch (mode) {
            case GET_AND_SET -> (T) VALUE.getAndSet(this, v);
            case GET_AND_SET_ACQUIRE -> (T) VALUE.getAndSetAcquire(this, v);
            case GET_AND_SET_RELEASE -> (T) VALUE.getAndSetRelease(this, v);
            default -> throw new AssertionError(mode);
        };
    }

    /** The strong compare-exchange (compares references): returns the witness, the value it read. */
    T compareAndExchange(AccessMode mode, T expected, T desired) {
        return switch (mode) {
            case COMPARE_AND_EXCHANGE -> (T) VALUE.compareAndExchange(this, expected, desired);
            case COMPARE_AND_EXCHANGE_ACQUIRE -> (T) VALUE.compareAndExchangeAcquire(this, expected, desired);
            case COMPARE_AND_EXCHANGE_RELEASE -> (T) VALUE.compareAndExchangeRelease(this, expected, desired);
            default -> throw new AssertionError(mode);
        };
    }

    /** The weak compare-exchange (compares references): may fail spuriously. */
    boolean weakCompareAndSet(AccessMode mode, T expected, T desired) {
        return switch (mode) {
            case WEAK_COMPARE_AND_SET -> VALUE.weakCompareAndSet(this, expected, desired);
            case WEAK_COMPARE_AND_SET_PLAIN -> VALUE.weakCompareAndSetPlain(this, expected, desired);
            case WEAK_COMPARE_AND_SET_ACQUIRE -> VALUE.weakCompareAndSetAcquire(this, expected, desired);
            case WEAK_COMPARE_AND_SET_RELEASE -> VALUE.weakCompareAndSetRelease(this, expected, desired);
            default -> throw new AssertionError(mode);
        };
    }
}
