package org.pthread4j.gmp;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A processor: the right to run Gs, with a bounded local run queue (a ring of
 * {@link #RUNQ_SIZE}) and the {@link #runnext} slot, both guarded by {@link #lock}.
 *
 * <p>The status word is {@code owner << 2 | state}: the state, and the {@link M#id} of the M
 * that holds the P (0 when IDLE). Naming the owner makes every CAS exact: an M whose P was
 * retaken, and which still has it in {@link M#p} until it notices, cannot win a CAS against
 * the P's next owner.
 * <pre>
 *   state      meaning                                      who changes the word
 *   IDLE       on the idle list, or being handed to an M    the M it is handed to (→ RUNNING)
 *   RUNNING    its M runs the scheduler with it              only its M (→ RUNNING_G, → IDLE)
 *   RUNNING_G  its M runs a G's code                         its M (→ RUNNING, → SYSCALL);
 *                                                            sysmon: retake (→ IDLE) by CAS
 *   SYSCALL    its M's G is in a system call (lazy)          its M (→ RUNNING_G) by CAS;
 *                                                            sysmon: retake (→ IDLE) by CAS
 * </pre>
 */
final class P {
    static final int IDLE = 0;
    static final int RUNNING = 1;
    static final int RUNNING_G = 2;
    static final int SYSCALL = 3;
    static final int RUNQ_SIZE = 256;

    final int id;
    final AtomicInteger status = new AtomicInteger(IDLE);
    final SpinMutex lock = new SpinMutex();

    /**
     * Gs started on this P (Go's schedtick). Written only by the P's owner, with release, before
     * it publishes RUNNING_G: sysmon reads the word, then the tick, and sees a new tick for a
     * new G. Sysmon tells one long G from a succession of short ones by it.
     */
    final AtomicLong schedtick = new AtomicLong();
    // Sysmon's own: the tick it last saw while the P ran a G, and when it first saw it.
    long sysmonTick;
    long sysmonWhen;

    // Guarded by lock.
    Runnable runnext;
    private final Runnable[] runq = new Runnable[RUNQ_SIZE];
    private int head;
    int size;

    final AtomicLong steals = new AtomicLong();
    final AtomicLong globalGets = new AtomicLong();
    final AtomicLong handoffs = new AtomicLong();

    P(int id) {
        this.id = id;
    }

    static int word(M m, int state) {
        return m.id << 2 | state;
    }

    static int state(int word) {
        return word & 3;
    }

    static int owner(int word) {
        return word >>> 2;
    }

    /** Whether an M holds this P and will look at its queues again (RUNNING or RUNNING_G). */
    boolean running() {
        int s = state(status.get());
        return s == RUNNING || s == RUNNING_G;
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

    /** Queued Gs, or a runnext that no M will run soon (see {@link Sched#runqsteal}). */
    boolean hasStealable() {
        lock.lock();
        try {
            return size > 0 || (runnext != null && !running());
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
