package org.pthread4j.sync;

import static org.pthread4j.spi.Errno.EBUSY;
import static org.pthread4j.spi.Errno.EDEADLK;
import static org.pthread4j.spi.Errno.EPERM;

import java.lang.foreign.MemorySegment;
import org.pthread4j.spi.Tcb;
import org.pthread4j.spi.Words;

/**
 * A spin lock: one word holding 0 (unlocked) or the owner tid. It never sleeps in a futex.
 *
 * <p>Relocking by the owner answers EDEADLK and unlocking by another thread EPERM (both "may
 * fail" cases of POSIX; glibc would spin forever or corrupt). After {@link #YIELD_AFTER}
 * spins a waiter yields, so that on the M:1 model the owner gets the single carrier back;
 * with asynchronous cancellation it also acts there on a pending cancel.
 */
public final class SpinLock {

    static final int YIELD_AFTER = 64;

    private final MemorySegment word = Words.allocate();

    /** {@code pthread_spin_lock}; the spin ends for an asynchronous cancel of {@code cancellation}. */
    public int lock(Cancellation cancellation) {
        int self = Tcb.current().id;
        int spins = 0;
        Tcb cancelable = null;
        for (;;) {
            int v = (int) Words.INT.compareAndExchangeAcquire(word, 0L, 0, self);
            if (v == 0) {
                return 0;
            }
            if (v == self) {
                return EDEADLK;
            }
            if (spins == 0) {
                cancelable = cancellation.asynchronous(); // the slow path only
            }
            if (++spins % YIELD_AFTER == 0) {
                if (cancelable != null && cancelable.isCancelPending()) {
                    cancellation.act(cancelable);
                }
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
    }

    public int trylock() {
        int self = Tcb.current().id;
        return (int) Words.INT.compareAndExchangeAcquire(word, 0L, 0, self) == 0 ? 0 : EBUSY;
    }

    public int unlock() {
        int self = Tcb.current().id;
        return (int) Words.INT.compareAndExchangeRelease(word, 0L, self, 0) == self ? 0 : EPERM;
    }

    public int checkDestroy() {
        return Words.get(word) == 0 ? 0 : EBUSY;
    }
}
