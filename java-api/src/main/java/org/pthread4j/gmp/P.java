package org.pthread4j.gmp;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A processor: the right to run Gs, with a bounded local run queue (a ring of
 * {@link #RUNQ_SIZE}) and the {@link #runnext} slot, both guarded by {@link #lock}.
 *
 * <pre>
 *   status    meaning                                       owner
 *   IDLE      on the idle list, or being handed over        none
 *   RUNNING   an M runs Gs with it                          {@link #m}
 *   SYSCALL   its M is in a system call (lazy hand-off)     {@link #m}, until sysmon retakes it
 * </pre>
 */
final class P {
    static final int IDLE = 0;
    static final int RUNNING = 1;
    static final int SYSCALL = 2;
    static final int RUNQ_SIZE = 256;

    final int id;
    final AtomicInteger status = new AtomicInteger(IDLE);
    final SpinMutex lock = new SpinMutex();
    volatile M m;

    // Guarded by lock.
    Runnable runnext;
    private final Runnable[] runq = new Runnable[RUNQ_SIZE];
    private int head;
    int size;

    final AtomicLong runs = new AtomicLong();
    final AtomicLong steals = new AtomicLong();
    final AtomicLong globalGets = new AtomicLong();
    final AtomicLong handoffs = new AtomicLong();

    P(int id) {
        this.id = id;
    }

    /** Appends at the tail; the caller holds the lock and has checked the size. */
    void push(Runnable g) {
        runq[(head + size) % RUNQ_SIZE] = g;
        size++;
    }

    /** Removes from the head; the caller holds the lock and has checked the size. */
    Runnable pop() {
        Runnable g = runq[head];
        runq[head] = null;
        head = (head + 1) % RUNQ_SIZE;
        size--;
        return g;
    }

    /** runqget: runnext first, then the head of the local queue; null when both are empty. */
    Runnable get() {
        lock.lock();
        try {
            Runnable g = runnext;
            if (g != null) {
                runnext = null;
                return g;
            }
            return size > 0 ? pop() : null;
        } finally {
            lock.unlock();
        }
    }

    /** Queued Gs, or a runnext that its M cannot run now (see {@link Sched#runqsteal}). */
    boolean hasStealable() {
        lock.lock();
        try {
            return size > 0 || (runnext != null && status.get() != RUNNING);
        } finally {
            lock.unlock();
        }
    }

    boolean hasWork() {
        lock.lock();
        try {
            return runnext != null || size > 0;
        } finally {
            lock.unlock();
        }
    }
}
