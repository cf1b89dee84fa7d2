package org.pthread4j.sync;

import static org.pthread4j.spi.Errno.EBUSY;

import java.lang.foreign.MemorySegment;
import org.pthread4j.spi.Futex;
import org.pthread4j.spi.Words;

/**
 * A barrier: a generation word that waiters sleep on, and an arrival count guarded by an
 * internal NORMAL {@link Mutex}.
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
 * <p>Destroy answers EBUSY only while a round is unfinished ({@code arrived > 0}): threads
 * released by the last arrival but not yet returned are blocked no more, so the serial thread
 * may destroy the barrier at once, the usual C idiom (glibc allows it too). Those threads
 * keep the generation word reachable until they leave.
 */
public final class Barrier {

    public static final int SERIAL_THREAD = -1;

    private final MemorySegment generation = Words.allocate();
    private final Mutex lock;
    private final Futex futex;
    private final int count;
    /** Guarded by {@link #lock}. */
    private int arrived;

    public Barrier(Futex futex, int count) {
        this.futex = futex;
        this.count = count;
        this.lock = new Mutex(futex, Mutex.NORMAL, false);
    }

    public int await() {
        lock.lock();
        if (++arrived == count) {
            arrived = 0;
            Words.getAndAdd(generation, 1);
            lock.unlock();
            futex.wake(generation, Integer.MAX_VALUE);
            return SERIAL_THREAD;
        }
        int g = Words.get(generation);
        lock.unlock();
        while (Words.get(generation) == g) {
            futex.wait(generation, g, Futex.CLOCK_NONE, 0, 0, null);
        }
        return 0;
    }

    /** EBUSY while threads wait for the current round to fill, else 0. */
    public int checkDestroy() {
        lock.lock();
        try {
            return arrived > 0 ? EBUSY : 0;
        } finally {
            lock.unlock();
        }
    }
}
