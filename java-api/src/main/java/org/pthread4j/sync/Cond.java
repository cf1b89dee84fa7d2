package org.pthread4j.sync;

import static org.pthread4j.spi.Errno.EBUSY;
import static org.pthread4j.spi.Errno.EINVAL;
import static org.pthread4j.spi.Errno.EPERM;
import static org.pthread4j.spi.Errno.ETIMEDOUT;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;
import org.pthread4j.spi.Futex;
import org.pthread4j.spi.Tcb;
import org.pthread4j.spi.Words;

/**
 * A pthread condition variable: a sequence word that waiters sleep on, and a waiter count.
 *
 * <h2>The words</h2>
 * <pre>
 *   seq      incremented by every signal and broadcast; waiters sleep while it is unchanged
 *   waiters  threads between "registered" (step 1) and "left" (step 4) of a wait
 * </pre>
 * {@link #mutex} is the mutex of the current waiters (the requeue target); waiters with a
 * different mutex at the same time get EINVAL, as POSIX allows.
 *
 * <h2>Protocol</h2>
 * <ol>
 *   <li>wait, holding the mutex: {@code waiters++} (volatile), read {@code s = seq}.</li>
 *   <li>release the mutex (any recursion depth is saved).</li>
 *   <li>spin while seq equals {@code s}, for at most the backend's
 *       {@link Futex#condSpinNanos} (20 µs on {@code native} with more than one CPU, else
 *       none); then futex-wait on seq while it equals {@code s}; the deadline and
 *       cancellation end it.</li>
 *   <li>{@code waiters--}; if a signal ended step 3 (the futex passed on any wake it took),
 *       run the handlers, unlocked as C runs them inside the wait; reacquire the mutex in
 *       contended mode (it may have sleepers that a broadcast moved there; no cancel ends this
 *       wait); then act on a cancel that is pending now, or return ETIMEDOUT or 0 (after a
 *       signal: a spurious wake-up, as POSIX allows). A waiter that acts on a cancel never keeps a
 *       signal another waiter could take (pthread_cond_wait(3p)): if step 3 ended CANCELED,
 *       the futex passed on a wake it may have taken ({@link Futex}'s rule); if step 3 was
 *       woken and the cancel came later, the waiter signals once more before it unwinds
 *       (a spurious wake-up for someone at worst).</li>
 *   <li>signal: {@code seq++}; if {@code waiters > 0}, wake one. Steps 1 and 5 are a Dekker
 *       handshake through two volatile read-modify-writes: either the waiter reads the new
 *       seq (its futex-wait returns at once) or the signaller sees it counted and wakes it.</li>
 *   <li>broadcast: {@code seq++}; if {@code waiters > 0}, wake one and requeue the rest onto
 *       the mutex word. No thundering herd: the woken thread takes the mutex with WAITERS
 *       set, so each unlock wakes the next requeued waiter, one at a time. (A condition
 *       that processes share wakes them all: its futex never requeues. So does one whose
 *       mutex is a {@link PiMutex}, whose word takes no requeue, its sleepers being the
 *       kernel's PI waiters: then every waiter is woken and relocks on its own.)</li>
 * </ol>
 * Spurious wake-ups are possible (POSIX allows them); a wake is never lost.
 *
 * <h2>Destroy</h2>
 * POSIX lets a condition be destroyed as soon as every thread blocked on it has been woken,
 * even while those threads still wait for the mutex (often held by the destroyer). Waiters
 * that a broadcast moved onto the mutex word are still inside step 3, so {@code waiters}
 * cannot tell; {@link #blocked} can: a broadcast generation (high 32 bits) and the number of
 * waiters registered in it and not yet left (low 32). A waiter registers after reading
 * {@code s}, and a broadcast starts a new generation with count 0 before it bumps seq, so a
 * waiter counted in an old generation has read the old seq and is certainly woken. Destroy
 * answers EBUSY while the current generation's count is non-zero.
 */
public final class Cond {

    final MemorySegment seq;
    private final MemorySegment waiters;
    private final Futex futex;
    private final int clock;
    private volatile Mutex mutex;
    /** Broadcast generation and blocked-waiter count (see "Destroy" above). */
    private final AtomicLong blocked = new AtomicLong();

    public Cond(Futex futex, int clock) {
        this(futex, clock, Words.allocateBlock(2));
    }

    /**
     * A condition whose words are at offsets 0 (seq) and 4 (waiters) of {@code block}: for one
     * that processes share, memory they map and the shared futex, whose broadcast wakes every
     * waiter instead of requeueing ({@link org.pthread4j.spi.ProcessShared#futex}).
     */
    public Cond(Futex futex, int clock, MemorySegment block) {
        this.futex = futex;
        this.clock = clock;
        this.seq = block.asSlice(0, 4);
        this.waiters = block.asSlice(4, 4);
    }

    public int clock() {
        return clock;
    }

    /**
     * Waits on the condition; {@code timed} selects the deadline {@code (sec, nsec)} on the
     * condition's clock.
     *
     * @return 0, ETIMEDOUT, EINVAL, EPERM, EOWNERDEAD, ENOTRECOVERABLE; never returns when
     *         the caller is cancelled (the {@code onCancel} hook unwinds it, mutex held)
     */
    public int wait(Mutex m, boolean timed, long sec, long nsec, Cancellation cancellation) {
        return wait(m, timed ? clock : Futex.CLOCK_NONE, sec, nsec, cancellation);
    }

    /**
     * {@link #wait(Mutex, boolean, long, long, Cancellation)} with the deadline on
     * {@code waitClock} ({@link Futex#CLOCK_NONE}: none): {@code pthread_cond_clockwait}.
     */
    public int wait(Mutex m, int waitClock, long sec, long nsec, Cancellation cancellation) {
        boolean timed = waitClock != Futex.CLOCK_NONE;
        int bad = timed ? Deadline.check(sec, nsec) : 0;
        if (bad == EINVAL) {
            return EINVAL;
        }
        Tcb self = cancellation.point();
        if (bad == ETIMEDOUT) {
            // A deadline before the epoch has passed on any clock; as in glibc, which unlocks
            // the mutex before it looks at the time, a mutex the caller may not release is EPERM.
            return m.releasableByCaller() ? ETIMEDOUT : EPERM;
        }
        Mutex bound = mutex;
        if (bound != m) {
            if (bound != null && Words.get(waiters) > 0) {
                return EINVAL;
            }
            mutex = m;
        }
        Words.getAndAdd(waiters, 1);
        int s = Words.get(seq);
        long generation = blocked.getAndIncrement() >>> 32;
        int saved = m.releaseForWait();
        if (saved < 0) {
            Words.getAndAdd(waiters, -1);
            unblock(generation);
            return -saved;
        }
        long spin = futex.condSpinNanos();
        if (spin > 0 && Words.get(seq) == s) {
            long start = System.nanoTime();
            while (Words.get(seq) == s && System.nanoTime() - start < spin) {
                Thread.onSpinWait();
            }
        }
        int r = futex.wait(seq, s, waitClock, sec, nsec, self);
        Words.getAndAdd(waiters, -1);
        unblock(generation);
        if (r == Futex.INTERRUPTED) {
            cancellation.interrupted(self);
        }
        int relock = m.lockContended(saved);
        if (self != null && self.isCancelDue()) {
            if (r == Futex.WOKEN) {
                signal(); // the wake this waiter may have taken goes to another
            }
            cancellation.act(self);
        }
        if (relock != 0) {
            return relock;
        }
        return r == Futex.ETIMEDOUT ? ETIMEDOUT : 0;
    }

    /** A waiter leaves: it counts down only in its own generation, if no broadcast came since. */
    private void unblock(long generation) {
        for (;;) {
            long b = blocked.get();
            if (b >>> 32 != generation || blocked.compareAndSet(b, b - 1)) {
                return;
            }
        }
    }

    public int signal() {
        Words.getAndAdd(seq, 1);
        if (Words.get(waiters) > 0) {
            futex.wake(seq, 1);
        }
        return 0;
    }

    public int broadcast() {
        blocked.getAndUpdate(b -> ((b >>> 32) + 1) << 32); // every waiter so far is woken
        int s = Words.getAndAdd(seq, 1) + 1;
        if (Words.get(waiters) > 0) {
            Mutex m = mutex;
            MemorySegment target = m == null ? null : m.requeueTarget();
            if (target == null || futex.requeue(seq, s, 1, target, Integer.MAX_VALUE) < 0) {
                // seq moved on: those waiters returned or will; wake whoever sleeps now.
                futex.wake(seq, Integer.MAX_VALUE);
            }
        }
        return 0;
    }

    /**
     * EBUSY while a thread is blocked and no broadcast has woken it, else 0: the check of
     * {@code pthread_cond_destroy}.
     */
    public int checkDestroy() {
        return (int) blocked.get() > 0 ? EBUSY : 0;
    }
}
