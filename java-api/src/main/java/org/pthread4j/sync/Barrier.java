package org.pthread4j.sync;

import static org.pthread4j.spi.Errno.EBUSY;

import java.lang.foreign.MemorySegment;
import org.pthread4j.spi.Futex;
import org.pthread4j.spi.Tcb;
import org.pthread4j.spi.Words;

/**
 * A barrier: a generation word that waiters sleep on, and an arrival count guarded by an
 * internal NORMAL {@link Mutex}. All three are words, so that a barrier processes share keeps
 * its whole state in the memory they map.
 *
 * <h2>Protocol</h2>
 * <ol>
 *   <li>wait: lock the internal mutex, {@code arrived++}.</li>
 *   <li>the N-th arrival: {@code arrived = 0}, {@code generation++}, unlock, wake all sleepers
 *       of the generation word, return {@code PTHREAD_BARRIER_SERIAL_THREAD}.</li>
 *   <li>any other: read {@code g = generation}, unlock, futex-wait while generation is still
 *       {@code g}, return 0.</li>
 * </ol>
 * Reading {@code g} under the mutex ties each waiter to its own generation, so a fast thread
 * of the next round can never be released by the previous one.
 *
 * <p>A barrier wait is not a cancellation point; with asynchronous cancellation both of its
 * waits (the mutex, the generation word) end for a cancel. A thread cancelled in step 3 has
 * arrived: the round completes with one thread fewer left to release, as in glibc, where the
 * asynchronous cancel kills the waiter where it sleeps.
 *
 * <p>Destroy answers EBUSY only while a round is unfinished ({@code arrived > 0}): threads
 * released by the last arrival but not yet returned are blocked no more, so the serial thread
 * may destroy the barrier at once, the usual C idiom (glibc allows it too). Those threads
 * keep the generation word reachable until they leave.
 */
public final class Barrier {

    public static final int SERIAL_THREAD = -1;

    private final MemorySegment generation;
    /** Threads arrived in the current round; guarded by {@link #lock}. */
    private final MemorySegment arrived;
    private final Mutex lock;
    private final Futex futex;
    private final int count;

    public Barrier(Futex futex, int count) {
        this(futex, count, Words.allocateBlock(2), new Mutex(futex, Mutex.NORMAL, false));
    }

    /**
     * A barrier whose generation and arrival count are at offsets 0 and 4 of {@code block},
     * guarded by {@code lock}: for one that processes share, memory they map, the shared
     * futex and a shared NORMAL mutex.
     */
    public Barrier(Futex futex, int count, MemorySegment block, Mutex lock) {
        this.futex = futex;
        this.count = count;
        this.generation = block.asSlice(0, 4);
        this.arrived = block.asSlice(4, 4);
        this.lock = lock;
    }

    /** The arrival count; the caller holds {@link #lock}, which orders it (plain access). */
    private int arrived() {
        return (int) Words.INT.get(arrived, 0L);
    }

    private void arrived(int n) {
        Words.INT.set(arrived, 0L, n);
    }

    /** {@code pthread_barrier_wait}; a wait ends for an asynchronous cancel of {@code cancellation}. */
    public int await(Cancellation cancellation) {
        lock.lock(cancellation);
        int n = arrived() + 1;
        if (n == count) {
            arrived(0);
            Words.getAndAdd(generation, 1);
            lock.unlock();
            futex.wake(generation, Integer.MAX_VALUE);
            return SERIAL_THREAD;
        }
        arrived(n);
        int g = Words.get(generation);
        lock.unlock();
        while (Words.get(generation) == g) {
            Tcb cancelable = cancellation.asynchronous();
            int r = futex.wait(generation, g, Futex.CLOCK_NONE, 0, 0, cancelable);
            if (r == Futex.CANCELED) {
                cancellation.act(cancelable);
            }
            if (r == Futex.INTERRUPTED) {
                cancellation.interrupted(cancelable); // a handler ran: wait again
            }
        }
        return 0;
    }

    /** EBUSY while threads wait for the current round to fill, else 0. */
    public int checkDestroy() {
        lock.lock(null);
        try {
            return arrived() > 0 ? EBUSY : 0;
        } finally {
            lock.unlock();
        }
    }
}
