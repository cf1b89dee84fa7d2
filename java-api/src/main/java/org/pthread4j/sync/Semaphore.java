package org.pthread4j.sync;

import static org.pthread4j.spi.Errno.EAGAIN;
import static org.pthread4j.spi.Errno.EBUSY;
import static org.pthread4j.spi.Errno.EINTR;
import static org.pthread4j.spi.Errno.EINVAL;
import static org.pthread4j.spi.Errno.EOVERFLOW;
import static org.pthread4j.spi.Errno.ETIMEDOUT;

import java.lang.foreign.MemorySegment;
import org.pthread4j.spi.Futex;
import org.pthread4j.spi.Tcb;
import org.pthread4j.spi.Words;

/**
 * A counting semaphore: a value word and a waiter count.
 *
 * <h2>The words</h2>
 * <pre>
 *   value    0 .. SEM_VALUE_MAX; waiters sleep while it is 0
 *   waiters  threads inside the slow path of a wait
 * </pre>
 *
 * <h2>Protocol</h2>
 * <ol>
 *   <li>wait: CAS value → value-1 while value &gt; 0 (the fast path).</li>
 *   <li>otherwise {@code waiters++} (volatile), then loop: take a unit if value &gt; 0, else
 *       futex-wait while value is 0; finally {@code waiters--}. A wait that a cancel ends
 *       has passed on any post's wake it took ({@link Futex}'s rule), and leaves the unit
 *       for another waiter; the thread unwinds after {@code waiters--}. A wait that a signal
 *       ends likewise: after {@code waiters--} the handlers run, and the wait starts over,
 *       or returns EINTR when a handler without SA_RESTART ran (sem_wait(3)).</li>
 *   <li>post: CAS value → value+1 (EOVERFLOW at SEM_VALUE_MAX); then, if {@code waiters > 0},
 *       wake one. As in {@link Cond}, the two volatile read-modify-writes make a Dekker
 *       handshake: a waiter that read 0 is either seen by the poster or sees the post.</li>
 * </ol>
 */
public final class Semaphore {

    public static final int VALUE_MAX = Integer.MAX_VALUE;

    private final MemorySegment value;
    private final MemorySegment waiters;
    private final Futex futex;

    public Semaphore(Futex futex, int initial) {
        this(futex, Words.allocateBlock(2));
        Words.set(value, initial);
    }

    /**
     * The semaphore whose words are at offsets 0 (value) and 4 (waiters) of {@code block}, as
     * they are: for one that processes share, memory they map and the shared futex.
     */
    public Semaphore(Futex futex, MemorySegment block) {
        this.futex = futex;
        this.value = block.asSlice(0, 4);
        this.waiters = block.asSlice(4, 4);
    }

    public int trywait() {
        for (;;) {
            int v = Words.get(value);
            if (v == 0) {
                return EAGAIN;
            }
            if ((int) Words.INT.compareAndExchangeAcquire(value, 0L, v, v - 1) == v) {
                return 0;
            }
        }
    }

    /** 0, ETIMEDOUT, EINTR, EINVAL (bad deadline); unwinds on cancel. */
    public int wait(boolean timed, int clock, long sec, long nsec, Cancellation cancellation) {
        int bad = timed ? Deadline.check(sec, nsec) : 0;
        if (bad == EINVAL) {
            return EINVAL;
        }
        for (;;) {
            Tcb self = cancellation.point();
            if (trywait() == 0) {
                return 0;
            }
            if (bad == ETIMEDOUT) {
                return ETIMEDOUT; // a deadline before the epoch has passed on any clock
            }
            int r;
            Words.getAndAdd(waiters, 1);
            try {
                r = waitSlow(timed ? clock : Futex.CLOCK_NONE, sec, nsec, self);
            } finally {
                Words.getAndAdd(waiters, -1);
            }
            if (r == Futex.CANCELED) {
                cancellation.act(self);
            }
            if (r != Futex.INTERRUPTED) {
                return r;
            }
            if (cancellation.interrupted(self) == Cancellation.NO_RESTART) {
                return EINTR;
            }
        }
    }

    /** Step 2's loop: 0, ETIMEDOUT, {@link Futex#CANCELED} or {@link Futex#INTERRUPTED}. */
    private int waitSlow(int clock, long sec, long nsec, Tcb cancelable) {
        for (;;) {
            if (trywait() == 0) {
                return 0;
            }
            int r = futex.wait(value, 0, clock, sec, nsec, cancelable);
            if (r == Futex.CANCELED || r == Futex.INTERRUPTED) {
                return r;
            }
            if (r == Futex.ETIMEDOUT) {
                return trywait() == 0 ? 0 : ETIMEDOUT;
            }
        }
    }

    public int post() {
        for (;;) {
            int v = Words.get(value);
            if (v == VALUE_MAX) {
                return EOVERFLOW;
            }
            if (Words.cas(value, v, v + 1)) { // volatile: orders the waiters read below
                break;
            }
        }
        if (Words.get(waiters) > 0) {
            futex.wake(value, 1);
        }
        return 0;
    }

    public int value() {
        return Words.get(value);
    }

    /** EBUSY while a thread waits, else 0. */
    public int checkDestroy() {
        return Words.get(waiters) > 0 ? EBUSY : 0;
    }
}
