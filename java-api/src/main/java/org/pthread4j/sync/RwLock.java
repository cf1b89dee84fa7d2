package org.pthread4j.sync;

import static org.pthread4j.spi.Errno.EAGAIN;
import static org.pthread4j.spi.Errno.EBUSY;
import static org.pthread4j.spi.Errno.EDEADLK;
import static org.pthread4j.spi.Errno.EINVAL;
import static org.pthread4j.spi.Errno.EPERM;
import static org.pthread4j.spi.Errno.ETIMEDOUT;

import java.lang.foreign.MemorySegment;
import org.pthread4j.spi.Futex;
import org.pthread4j.spi.Tcb;
import org.pthread4j.spi.Words;

/**
 * A readers-writer lock, reader-preferring as glibc's default
 * ({@code PTHREAD_RWLOCK_PREFER_READER_NP}).
 *
 * <h2>The words</h2>
 * <pre>
 *   state    0                      unlocked
 *            1 .. MAX_READERS       that many readers hold it
 *            WRITER                 one writer holds it ({@link #writer} is its tid)
 *   waiters  threads inside a slow path; unlock wakes them all when it frees the lock
 * </pre>
 *
 * <h2>Protocol</h2>
 * <ol>
 *   <li>rdlock: CAS n → n+1 while n &lt; MAX_READERS (EAGAIN at MAX_READERS); wrlock: CAS
 *       0 → WRITER. Writers waiting do not hold readers back (reader preference).</li>
 *   <li>slow path: {@code waiters++}, then loop: retry the CAS, else futex-wait while the
 *       state is unchanged; finally {@code waiters--}.</li>
 *   <li>unlock: WRITER → 0, or n → n-1; when the state becomes 0 and {@code waiters > 0},
 *       wake all of them (readers all proceed; writers race for it). The CAS and the waiters
 *       read are volatile: a Dekker handshake with step 2.</li>
 * </ol>
 * A writer relocking answers EDEADLK (glibc does the same); unlocking an unlocked lock, or a
 * write lock held by another thread, answers EPERM (POSIX's recommended answer; glibc answers
 * 0 and corrupts its count of readers). A timed call answers EINVAL for a bad {@code tv_nsec}
 * before anything else, as glibc does. No lock call is a cancellation point; with
 * asynchronous cancellation the futex wait of step 2 ends for a cancel, and the thread
 * unwinds after {@code waiters--}.
 */
public final class RwLock {

    static final int WRITER = -1;
    static final int MAX_READERS = Integer.MAX_VALUE;

    private final MemorySegment state;
    private final MemorySegment waiters;
    private final Futex futex;
    /** The writer's tid while write-locked; written by the writer under the lock. */
    private volatile int writer;

    public RwLock(Futex futex) {
        this(futex, Words.allocateBlock(2));
    }

    /**
     * A lock whose words are at offsets 0 (state) and 4 (waiters) of {@code block}. For one
     * that processes share ({@code block} in memory they map, the shared futex), {@link #writer}
     * is this process's view: it holds a tid only while a thread of this process write-holds
     * the lock, which is all the EDEADLK and EPERM checks ask.
     */
    public RwLock(Futex futex, MemorySegment block) {
        this.futex = futex;
        this.state = block.asSlice(0, 4);
        this.waiters = block.asSlice(4, 4);
    }

    public int tryrdlock() {
        for (;;) {
            int v = Words.get(state);
            if (v == WRITER) {
                return EBUSY;
            }
            if (v == MAX_READERS) {
                return EAGAIN;
            }
            if ((int) Words.INT.compareAndExchangeAcquire(state, 0L, v, v + 1) == v) {
                return 0;
            }
        }
    }

    public int trywrlock() {
        if ((int) Words.INT.compareAndExchangeAcquire(state, 0L, 0, WRITER) == 0) {
            writer = Tcb.current().id;
            return 0;
        }
        return EBUSY;
    }

    /**
     * A timed call checks {@code tv_nsec} before anything else, also when it need not wait,
     * as glibc does (POSIX allows either).
     */
    private static boolean invalidTime(int clock, long sec, long nsec) {
        return clock != Futex.CLOCK_NONE && Deadline.check(sec, nsec) == EINVAL;
    }

    /**
     * rdlock and timedrdlock: 0, EAGAIN, EDEADLK, EINVAL, ETIMEDOUT; a wait ends for an
     * asynchronous cancel of {@code cancellation}.
     */
    public int rdlock(int clock, long sec, long nsec, Cancellation cancellation) {
        if (invalidTime(clock, sec, nsec)) {
            return EINVAL;
        }
        int r = tryrdlock();
        if (r != EBUSY) {
            return r;
        }
        return lockSlow(false, clock, sec, nsec, cancellation);
    }

    /** wrlock and timedwrlock: 0, EDEADLK, EINVAL, ETIMEDOUT; cancellation as for rdlock. */
    public int wrlock(int clock, long sec, long nsec, Cancellation cancellation) {
        if (invalidTime(clock, sec, nsec)) {
            return EINVAL;
        }
        if (trywrlock() == 0) {
            return 0;
        }
        return lockSlow(true, clock, sec, nsec, cancellation);
    }

    private int lockSlow(boolean write, int clock, long sec, long nsec, Cancellation cancellation) {
        if (Words.get(state) == WRITER && writer == Tcb.current().id) {
            return EDEADLK;
        }
        if (clock != Futex.CLOCK_NONE) {
            int bad = Deadline.check(sec, nsec);
            if (bad != 0) {
                return bad;
            }
        }
        Tcb cancelable = cancellation.asynchronous();
        int r;
        Words.getAndAdd(waiters, 1);
        try {
            r = waitSlow(write, clock, sec, nsec, cancellation, cancelable);
        } finally {
            Words.getAndAdd(waiters, -1);
        }
        if (r == Futex.CANCELED) {
            cancellation.act(cancelable);
        }
        return r;
    }

    /** Step 2's loop: the lock call's result, or {@link Futex#CANCELED}. */
    private int waitSlow(boolean write, int clock, long sec, long nsec, Cancellation cancellation, Tcb cancelable) {
        for (;;) {
            int r = write ? trywrlock() : tryrdlock();
            if (r != EBUSY) {
                return r;
            }
            int v = Words.get(state);
            if (v != 0 && (write || v == WRITER)) {
                int w = futex.wait(state, v, clock, sec, nsec, cancelable);
                if (w == Futex.CANCELED) {
                    return w;
                }
                if (w == Futex.INTERRUPTED) {
                    cancellation.interrupted(cancelable); // a handler ran: try again
                }
                if (w == Futex.ETIMEDOUT) {
                    r = write ? trywrlock() : tryrdlock();
                    return r == EBUSY ? ETIMEDOUT : r;
                }
            }
        }
    }

    public int unlock() {
        for (;;) {
            int v = Words.get(state);
            int next;
            if (v == WRITER) {
                if (writer != Tcb.current().id) {
                    return EPERM;
                }
                writer = 0;
                next = 0;
            } else if (v == 0) {
                return EPERM;
            } else {
                next = v - 1;
            }
            if (Words.cas(state, v, next)) {
                if (next == 0 && Words.get(waiters) > 0) {
                    futex.wake(state, Integer.MAX_VALUE);
                }
                return 0;
            }
        }
    }

    /** EBUSY while held, else 0. */
    public int checkDestroy() {
        return Words.get(state) != 0 ? EBUSY : 0;
    }

}
