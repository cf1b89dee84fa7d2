package org.pthread4j.sync;

import static org.pthread4j.spi.Errno.EAGAIN;
import static org.pthread4j.spi.Errno.EBUSY;
import static org.pthread4j.spi.Errno.EDEADLK;
import static org.pthread4j.spi.Errno.EINVAL;
import static org.pthread4j.spi.Errno.ENOTRECOVERABLE;
import static org.pthread4j.spi.Errno.EOWNERDEAD;
import static org.pthread4j.spi.Errno.EPERM;
import static org.pthread4j.spi.Errno.ESRCH;
import static org.pthread4j.spi.Errno.ETIMEDOUT;

import java.lang.foreign.MemorySegment;
import org.pthread4j.spi.Futex;
import org.pthread4j.spi.PiFutex;
import org.pthread4j.spi.Tcb;
import org.pthread4j.spi.Words;

/**
 * A {@code PTHREAD_PRIO_INHERIT} mutex on a backend with kernel threads: the word is the
 * kernel's priority-inheriting futex, so that while a thread sleeps for the lock, the kernel
 * runs the owner at least at the sleeper's priority (glibc's PI mutexes, the same way).
 *
 * <h2>The word: the kernel's layout, with the owner's kernel tid</h2>
 * <pre>
 *   bit 31      WAITERS     a locker sleeps in the kernel: only FUTEX_UNLOCK_PI may free it
 *   bit 30      OWNER_DIED  (the kernel's; not set by pthread4j: see owner death below)
 *   bits 0..29  owner       0 = unlocked; the owner's kernel tid ({@link PiFutex#ownerTid})
 *
 *   value              meaning                        next
 *   0                  unlocked                       -> tid (lock: CAS)
 *   tid                locked, nobody sleeps          -> 0 (unlock: CAS), -> tid|WAITERS (kernel)
 *   tid | WAITERS      locked, sleepers in the kernel -> next tid [| WAITERS] (FUTEX_UNLOCK_PI)
 * </pre>
 * The owner is the kernel tid, not the {@link Tcb#id} of {@link Mutex}'s word, because the
 * kernel reads it: it finds the owner's task by that tid to boost it. A pthread's tid is
 * unique among living kernel threads, and a pthread holds a mutex only while it lives.
 *
 * <h2>Protocol</h2>
 * <ol>
 *   <li>lock: one acquiring CAS 0 → tid. Otherwise the kind's checks on the owner field
 *       (recursion, EDEADLK, ENOTRECOVERABLE), then {@code FUTEX_LOCK_PI}: the kernel sets
 *       WAITERS, boosts the owner and sleeps until the word is handed to this thread (or the
 *       deadline passes). No spin: a spinning waiter would not boost the owner.</li>
 *   <li>unlock: one releasing CAS tid → 0; if it fails, WAITERS is set and
 *       {@code FUTEX_UNLOCK_PI} hands the word to the highest-priority sleeper and ends
 *       this thread's boost.</li>
 *   <li>owner death (robust): the ending thread, still the owner, sets {@link #ownerDied}
 *       and unlocks (2); whoever takes the word next reads the flag (the unlock orders it:
 *       the flag is volatile and written before the release), answers EOWNERDEAD and the
 *       mutex is inconsistent until {@code consistent}; unlocking it before that sets
 *       {@link #notRecoverable}, and every later lock answers ENOTRECOVERABLE.</li>
 * </ol>
 * A relock of a NORMAL mutex by its owner deadlocks, as POSIX says (the kernel would answer
 * EDEADLK; glibc sleeps for ever too), and so does a lock of a non-robust mutex whose owner
 * ended holding it (the kernel answers ESRCH: no thread has that tid); a deadline still ends
 * either wait. No lock of a PI mutex is
 * cancellable, even with asynchronous cancellation: the kernel's PI wait has no second word
 * that a cancel could set. A condition variable cannot requeue its waiters onto this word
 * (they are not PI waiters): a signal wakes one, never moves it here, and a broadcast wakes
 * them all; each relocks through (1).
 *
 * <p>{@link #count} and {@link #inconsistent} are written only by the owner while it holds
 * the lock, so the word orders them: plain fields.
 */
public final class PiMutex extends Mutex {

    private static final int MAX_RECURSION = Integer.MAX_VALUE;

    private final PiFutex pi;
    private final Futex futex;
    private final int kind;
    private final boolean isRobust;
    private int count;
    private boolean inconsistent;
    /** Set by an owner that ended holding the lock, before it let the lock go (robust only). */
    private volatile boolean ownerDied;
    private volatile boolean notRecoverable;

    public PiMutex(Futex futex, PiFutex pi, int type, boolean robust) {
        super(futex, type, robust);
        this.pi = pi;
        this.futex = futex;
        this.kind = type;
        this.isRobust = robust;
    }

    private int self() {
        return pi.ownerTid(Tcb.current());
    }

    private int owner() {
        return Words.get(word) & PiFutex.TID_MASK;
    }

    @Override
    public int lock(Cancellation cancellation) {
        return lockPi(Futex.CLOCK_NONE, 0, 0);
    }

    @Override
    public int timedlock(int clock, long sec, long nsec, Cancellation cancellation) {
        return lockPi(clock, sec, nsec);
    }

    private int lockPi(int clock, long sec, long nsec) {
        int self = self();
        if (notRecoverable) {
            return ENOTRECOVERABLE;
        }
        if ((int) Words.INT.compareAndExchangeAcquire(word, 0L, 0, self) == 0) {
            return acquired();
        }
        if (owner() == self) {
            if (kind == RECURSIVE) {
                return recurse();
            }
            if (kind == ERRORCHECK) {
                return EDEADLK;
            }
        }
        if (clock != Futex.CLOCK_NONE) {
            int bad = Deadline.check(sec, nsec);
            if (bad != 0) {
                return bad;
            }
        }
        if (owner() == self) {
            return deadlock(clock, sec, nsec);
        }
        int r = pi.lockPi(word, clock, sec, nsec);
        if (r == Futex.ETIMEDOUT) {
            return ETIMEDOUT;
        }
        if (r == EDEADLK || r == ESRCH) {
            // EDEADLK: the owner's relock raced the checks above. ESRCH: the owner ended
            // holding a non-robust mutex; it stays locked, as POSIX says (glibc waits too).
            return deadlock(clock, sec, nsec);
        }
        return r == 0 ? acquired() : r;
    }

    /** A lock that can never be had (relocked by its NORMAL owner, or stalled): sleep until the deadline, or for ever. */
    private int deadlock(int clock, long sec, long nsec) {
        MemorySegment never = Tcb.current().sleepWord();
        while (futex.wait(never, 0, clock, sec, nsec, null) != Futex.ETIMEDOUT) {
            // nobody wakes the sleep word: only spurious wake-ups come here
        }
        return ETIMEDOUT;
    }

    private int recurse() {
        if (count == MAX_RECURSION) {
            return EAGAIN;
        }
        count++;
        return 0;
    }

    /** Bookkeeping after the word became ours. */
    private int acquired() {
        if (!isRobust) {
            return 0;
        }
        if (notRecoverable) { // made unrecoverable while this thread slept for it
            release();
            return ENOTRECOVERABLE;
        }
        Tcb.current().holdRobust(this);
        if (ownerDied) {
            ownerDied = false;
            inconsistent = true;
            return EOWNERDEAD;
        }
        return 0;
    }

    @Override
    public int trylock() {
        int self = self();
        if (notRecoverable) {
            return ENOTRECOVERABLE;
        }
        if ((int) Words.INT.compareAndExchangeAcquire(word, 0L, 0, self) == 0) {
            return acquired();
        }
        return owner() == self && kind == RECURSIVE ? recurse() : EBUSY;
    }

    /** Every kind checks the owner: the kernel would refuse FUTEX_UNLOCK_PI from another thread anyway. */
    @Override
    public int unlock() {
        Tcb tcb = Tcb.current();
        if (owner() != pi.ownerTid(tcb)) {
            return EPERM;
        }
        if (count > 0) {
            count--;
            return 0;
        }
        if (isRobust) {
            tcb.releaseRobust(this);
            if (inconsistent) {
                inconsistent = false;
                notRecoverable = true;
            }
        }
        release();
        return 0;
    }

    private void release() {
        int self = Words.get(word) & PiFutex.TID_MASK;
        if ((int) Words.INT.compareAndExchangeRelease(word, 0L, self, 0) != self) {
            pi.unlockPi(word); // WAITERS: the kernel hands it on
        }
    }

    @Override
    public int consistent() {
        if (!isRobust || !inconsistent || owner() != self()) {
            return EINVAL;
        }
        inconsistent = false;
        return 0;
    }

    @Override
    public int checkDestroy() {
        return owner() == 0 ? 0 : EBUSY;
    }

    /** Runs on the ending owner itself ({@code id} is its {@link Tcb#id}): it still holds the word. */
    @Override
    public void ownerDied(int id) {
        if (owner() != self()) {
            return;
        }
        count = 0;
        ownerDied = true;
        release();
    }

    @Override
    boolean releasableByCaller() {
        return owner() == self();
    }

    @Override
    int depth() {
        return count;
    }

    @Override
    int releaseForWait() {
        Tcb tcb = Tcb.current();
        if (owner() != pi.ownerTid(tcb)) {
            return -EPERM;
        }
        int saved = count;
        count = 0;
        if (isRobust) {
            tcb.releaseRobust(this);
        }
        release();
        return saved;
    }

    /** Through the kernel's PI futex, moved or not: its sleepers are the kernel's PI waiters. */
    @Override
    int relock(int savedCount, boolean moved) {
        int r = lockPi(Futex.CLOCK_NONE, 0, 0);
        if (r == 0 || r == EOWNERDEAD) {
            count = savedCount;
        }
        return r;
    }

    /** Not a requeue target: its sleepers must be the kernel's PI waiters. */
    @Override
    MemorySegment requeueTarget() {
        return null;
    }
}
