package org.pthread4j.park;

import java.lang.foreign.MemorySegment;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.pthread4j.spi.Futex;
import org.pthread4j.spi.Tcb;
import org.pthread4j.spi.Words;

/**
 * A user-space futex: waiters parked in queues keyed by the word's address, for the models
 * whose threads are virtual threads. A parked virtual thread gives its carrier back, so a
 * blocked pthread never pins a kernel thread.
 *
 * <h2>Structure</h2>
 * {@link #BUCKETS} buckets, each a lock and a FIFO list of {@link Waiter}s; a word's address
 * hashes to one bucket. A waiter records the address it waits on ({@link Waiter#state});
 * requeue moves waiters between lists and rewrites that address.
 *
 * <h2>Protocol</h2>
 * <ol>
 *   <li>wait: lock the word's bucket; if an interruption is due ({@link Tcb#interruption}:
 *       a cancel or a signal), or the word differs from the expected value, unlock and return
 *       CANCELED or INTERRUPTED (EAGAIN). Otherwise append a waiter
 *       and unlock. Comparing under the bucket lock is what makes compare-and-sleep atomic
 *       with respect to wake, which takes the same lock.</li>
 *   <li>park until WAKE is set. On a deadline, try to unlink the waiter: if it is still
 *       queued, return ETIMEDOUT; if a waker got there first, the wake counts and the call
 *       returns WOKEN. On an interruption (checked before WAKE), unlink the waiter
 *       or, if a waker got there first, pass that wake on to the next waiter of the word;
 *       return CANCELED or INTERRUPTED either way ({@link Futex}'s rule: an interrupted
 *       waiter never absorbs a wake-up).</li>
 *   <li>wake: lock the bucket, unlink up to n waiters of the address, set WAKE in their
 *       {@code state} (volatile), unlock, then unpark them.</li>
 *   <li>requeue: lock both buckets in index order, check the source word, wake some and move
 *       the rest to the target address's list, their {@code state} rewritten to the new
 *       address with MOVED. A move is the moved waiter's wake (wait morphing,
 *       {@link #requeueWakes}): a waiter that finds MOVED set, or learns it under the bucket
 *       lock when it tries to unlink for a deadline or an interruption, stays queued on the
 *       new word, parks until a wake of that word and returns REQUEUED; no deadline, cancel
 *       or signal ends it any more. The bucket lock of the original word orders the move
 *       against the unlink: exactly one of them happens.</li>
 *   <li>interrupt: the canceller or signal sender has set the target's interrupt word;
 *       unparking the target thread ends any park (a permit given before the park makes it
 *       return at once).</li>
 * </ol>
 */
public final class ParkingLot implements Futex {

    /** Enough that a word's bucket rarely holds another word's crowd (a wake scans its bucket). */
    static final int BUCKETS = 4096;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** {@link Waiter#state}: a requeue moved the waiter (a word's address is 4-aligned: bits 0 and 1 are free). */
    static final long MOVED = 1;
    /** {@link Waiter#state}: a waker unlinked the waiter. */
    static final long WAKE = 2;

    /**
     * A parked thread. {@code state} is the address it waits on, with {@link #MOVED} and
     * {@link #WAKE} (one word instead of three fields: 32 bytes per blocked thread, as the
     * JDK's condition node); written only under the lock of the bucket that lists the
     * waiter, read by the waiter without it.
     */
    static final class Waiter {
        final Thread thread;
        volatile long state;
        Waiter prev;
        Waiter next;

        Waiter(Thread thread, long address) {
            this.thread = thread;
            this.state = address;
        }

        long address() {
            return state & ~(MOVED | WAKE);
        }

        boolean woken() {
            return (state & WAKE) != 0;
        }
    }

    /** A lock and a doubly linked FIFO list. */
    static final class Bucket extends ReentrantLock {
        private static final long serialVersionUID = 1L;
        transient Waiter head;
        transient Waiter tail;

        void append(Waiter w) {
            w.prev = tail;
            w.next = null;
            if (tail == null) {
                head = w;
            } else {
                tail.next = w;
            }
            tail = w;
        }

        void unlink(Waiter w) {
            if (w.prev == null) {
                head = w.next;
            } else {
                w.prev.next = w.next;
            }
            if (w.next == null) {
                tail = w.prev;
            } else {
                w.next.prev = w.prev;
            }
            w.prev = null;
            w.next = null;
        }
    }

    private final Bucket[] buckets = new Bucket[BUCKETS];
    private final int spinLimit;

    public ParkingLot(int spinLimit) {
        this.spinLimit = spinLimit;
        for (int i = 0; i < BUCKETS; i++) {
            buckets[i] = new Bucket();
        }
    }

    private static int index(long address) {
        long h = (address >>> 2) * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 52) & (BUCKETS - 1);
    }

    private Bucket bucket(long address) {
        return buckets[index(address)];
    }

    @Override
    public int wait(MemorySegment word, int expected, int clock, long sec, long nsec, Tcb cancelable) {
        long address = word.address();
        Bucket b = bucket(address);
        Waiter w = new Waiter(Thread.currentThread(), address);
        b.lock();
        try {
            int interruption = cancelable == null ? 0 : cancelable.interruption();
            if (interruption != 0) {
                return interruption;
            }
            if (Words.get(word) != expected) {
                return EAGAIN;
            }
            b.append(w);
        } finally {
            b.unlock();
        }
        for (;;) {
            if ((w.state & MOVED) != 0) {
                return requeued(w);
            }
            int interruption = cancelable == null ? 0 : cancelable.interruption();
            if (interruption != 0) {
                int r = unlinkOrWoken(w, address, interruption);
                if (r == REQUEUED) {
                    return requeued(w);
                }
                if (r == WOKEN) {
                    wake(address, 1); // the wake this waiter took goes to another
                }
                return interruption;
            }
            if (w.woken()) {
                return WOKEN;
            }
            if (clock == CLOCK_NONE) {
                LockSupport.park(this);
                continue;
            }
            long remaining = remainingNanos(clock, sec, nsec);
            if (remaining <= 0) {
                int r = unlinkOrWoken(w, address, ETIMEDOUT);
                return r == REQUEUED ? requeued(w) : r;
            }
            LockSupport.parkNanos(this, remaining);
        }
    }

    /** The rest of a wait that a requeue moved: until a wake of the new word, nothing else. */
    private int requeued(Waiter w) {
        while (!w.woken()) {
            LockSupport.park(this);
        }
        return REQUEUED;
    }

    /**
     * Unlinks a waiter of {@code address} that gives up; returns {@code result}, WOKEN if a
     * waker won, or REQUEUED if a requeue moved it (both hold this bucket's lock, so one of
     * them comes first).
     */
    private int unlinkOrWoken(Waiter w, long address, int result) {
        Bucket b = bucket(address);
        b.lock();
        try {
            long state = w.state;
            if ((state & MOVED) != 0) {
                return REQUEUED;
            }
            if ((state & WAKE) != 0) {
                return WOKEN;
            }
            b.unlink(w);
            return result;
        } finally {
            b.unlock();
        }
    }

    static long remainingNanos(int clock, long sec, long nsec) {
        long now;
        long deadline;
        if (clock == CLOCK_MONOTONIC) {
            now = System.nanoTime();
        } else {
            Instant t = Instant.now();
            now = t.getEpochSecond() * NANOS_PER_SECOND + t.getNano();
        }
        if (sec > Long.MAX_VALUE / NANOS_PER_SECOND - 1) {
            return Long.MAX_VALUE;
        }
        deadline = sec * NANOS_PER_SECOND + nsec;
        return deadline - now;
    }

    @Override
    public int wake(MemorySegment word, int count) {
        return wake(word.address(), count);
    }

    private int wake(long address, int count) {
        if (count <= 0) {
            return 0;
        }
        Bucket b = bucket(address);
        Waiter woken = null;
        int n = 0;
        b.lock();
        try {
            for (Waiter w = b.head; w != null && n < count; ) {
                Waiter next = w.next;
                if (w.address() == address) {
                    b.unlink(w);
                    w.state |= WAKE; // only this bucket's lock holder writes it
                    w.next = woken; // reuse the link for the unpark list
                    woken = w;
                    n++;
                }
                w = next;
            }
        } finally {
            b.unlock();
        }
        unparkAll(woken);
        return n;
    }

    private static void unparkAll(Waiter list) {
        while (list != null) {
            Waiter next = list.next;
            list.next = null;
            LockSupport.unpark(list.thread);
            list = next;
        }
    }

    @Override
    public int requeue(MemorySegment from, int expected, int wakeCount, MemorySegment to, int requeueCount) {
        long src = from.address();
        long dst = to.address();
        if (src == dst) {
            return Words.get(from) != expected ? -EAGAIN : wake(src, wakeCount);
        }
        Bucket a = bucket(src);
        Bucket b = bucket(dst);
        // Two bucket locks are always taken in index order.
        Bucket first = index(src) <= index(dst) ? a : b;
        Bucket second = first == a ? b : a;
        Waiter woken = null;
        int n = 0;
        int moved = 0;
        first.lock();
        if (second != first) {
            second.lock();
        }
        try {
            if (Words.get(from) != expected) {
                return -EAGAIN;
            }
            for (Waiter w = a.head; w != null; ) {
                Waiter next = w.next;
                if (w.address() == src) {
                    if (n < wakeCount) {
                        a.unlink(w);
                        w.state |= WAKE;
                        w.next = woken;
                        woken = w;
                        n++;
                    } else if (moved < requeueCount) {
                        a.unlink(w);
                        w.state = dst | MOVED;
                        b.append(w);
                        moved++;
                    } else {
                        break;
                    }
                }
                w = next;
            }
        } finally {
            if (second != first) {
                second.unlock();
            }
            first.unlock();
        }
        unparkAll(woken);
        return n + moved;
    }

    @Override
    public boolean requeueWakes() {
        return true;
    }

    @Override
    public void interrupt(Tcb target) {
        Thread t = target.thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    @Override
    public int spinLimit() {
        return spinLimit;
    }
}
