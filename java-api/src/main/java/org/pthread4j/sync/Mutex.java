package org.pthread4j.sync;

import static org.pthread4j.spi.Errno.EAGAIN;
import static org.pthread4j.spi.Errno.EBUSY;
import static org.pthread4j.spi.Errno.EDEADLK;
import static org.pthread4j.spi.Errno.EINVAL;
import static org.pthread4j.spi.Errno.EOWNERDEAD;
import static org.pthread4j.spi.Errno.EPERM;
import static org.pthread4j.spi.Errno.ENOTRECOVERABLE;
import static org.pthread4j.spi.Errno.ETIMEDOUT;

import java.lang.foreign.MemorySegment;
import org.pthread4j.spi.Futex;
import org.pthread4j.spi.Tcb;
import org.pthread4j.spi.Words;

/**
 * A pthread mutex over one futex word.
 *
 * <h2>The word</h2>
 * <pre>
 *   bit 31      WAITERS     a thread may sleep on the word: unlock must wake one
 *   bit 30      OWNER_DIED  robust only: the owner ended while holding the lock
 *   bits 0..29  owner       0 = unlocked; a {@link Tcb#id}; ANON; NOT_RECOVERABLE
 *
 *   value                      meaning                                 next
 *   0                          unlocked, nobody waits                  -> owner (lock)
 *   owner                      locked, nobody sleeps                   -> 0 (unlock), -> owner|WAITERS
 *   owner | WAITERS            locked, maybe sleepers                  -> WAITERS... on unlock: 0 + wake 1
 *   OWNER_DIED [| WAITERS]     robust, the owner ended                 -> owner (next locker, EOWNERDEAD)
 *   NOT_RECOVERABLE            robust, unlocked while inconsistent     final: ENOTRECOVERABLE
 * </pre>
 * NORMAL (= DEFAULT on Linux) non-robust mutexes write {@link #ANON} as the owner, so their
 * fast path needs no thread identity; every other kind writes the owner tid, which makes the
 * EDEADLK/EPERM checks and owner-death possible.
 *
 * <h2>Protocol</h2>
 * <ol>
 *   <li>lock: one acquiring CAS 0 → owner. Otherwise {@link #lockSlow}: the kind's checks
 *       (recursion, EDEADLK, ENOTRECOVERABLE), a bounded spin while no one sleeps, then
 *       loop: if the owner field is 0, CAS to owner|WAITERS (a thread that slept cannot know
 *       it was the last, so it keeps the flag) and return; else set WAITERS and futex-wait
 *       while the word is unchanged. A NORMAL non-robust mutex on a backend that does not
 *       spin takes glibc's path instead ({@link #lockAnonymous}): swap in ANON|WAITERS,
 *       which takes a free lock and flags a held one in one atomic, and sleep until the swap
 *       finds it free (measured with two contending threads: 0.01–0.03 futex calls per lock
 *       operation, where the CAS loop made 0.13–0.19).</li>
 *   <li>unlock: swap in 0 with release semantics; if the old value had WAITERS, wake one.</li>
 *   <li>owner death (robust): the ending thread CASes owner → OWNER_DIED (keeping WAITERS)
 *       and wakes one; the next locker takes it with EOWNERDEAD and the mutex is
 *       <em>inconsistent</em> until {@code consistent}; unlocking it before that stores
 *       NOT_RECOVERABLE and wakes everyone.</li>
 * </ol>
 * A lock is not a cancellation point, but with asynchronous cancellation (state enabled,
 * type asynchronous) every futex wait of step 1 ends for a cancel and the locker unwinds
 * ({@link #sleep}); the type is looked up only there, so the fast path stays one CAS.
 * A condition variable requeues its waiters onto this word (on the parking lot a signal moves
 * its one waiter too: wait morphing); they then reacquire through {@link #lockContended},
 * which always leaves WAITERS set so that the chain of wakes goes on, and which no cancel
 * ends. After a move, {@link #waitersMoved} makes sure that an unlock will wake them.
 *
 * <p>{@link #count} (recursion depth beyond the first lock) and {@link #inconsistent} are
 * written only by the owner while it holds the lock, so the lock word orders them: plain fields.
 */
public final class Mutex {

    public static final int NORMAL = 0;
    public static final int RECURSIVE = 1;
    public static final int ERRORCHECK = 2;

    static final int WAITERS = 0x8000_0000;
    static final int OWNER_DIED = 0x4000_0000;
    static final int OWNER_MASK = 0x3FFF_FFFF;
    /** The owner of a NORMAL mutex: any thread, not recorded. */
    static final int ANON = OWNER_MASK - 1;
    static final int NOT_RECOVERABLE = OWNER_MASK;

    private static final int MAX_RECURSION = Integer.MAX_VALUE;

    final MemorySegment word;
    private final Futex futex;
    private final int type;
    private final boolean robust;
    /** Whether the owner tid is written into the word. */
    private final boolean tracksOwner;
    private int count;
    private boolean inconsistent;

    public Mutex(Futex futex, int type, boolean robust) {
        this.futex = futex;
        this.type = type;
        this.robust = robust;
        this.tracksOwner = type != NORMAL || robust;
        this.word = Words.allocate();
    }

    public int type() {
        return type;
    }

    public boolean robust() {
        return robust;
    }

    private int self() {
        return tracksOwner ? Tcb.current().id : ANON;
    }

    /**
     * {@code pthread_mutex_lock}; a wait ends for an asynchronous cancel of
     * {@code cancellation} (null: never).
     */
    public int lock(Cancellation cancellation) {
        int self = self();
        if ((int) Words.INT.compareAndExchangeAcquire(word, 0L, 0, self) == 0) {
            return acquired(self, 0);
        }
        return lockSlow(self, Futex.CLOCK_NONE, 0, 0, false, cancellation);
    }

    /** {@code pthread_mutex_clocklock}; cancellation as for {@link #lock}. */
    public int timedlock(int clock, long sec, long nsec, Cancellation cancellation) {
        int self = self();
        if ((int) Words.INT.compareAndExchangeAcquire(word, 0L, 0, self) == 0) {
            return acquired(self, 0);
        }
        return lockSlow(self, clock, sec, nsec, false, cancellation);
    }

    public int trylock() {
        int self = self();
        int v = (int) Words.INT.compareAndExchangeAcquire(word, 0L, 0, self);
        if (v == 0) {
            return acquired(self, 0);
        }
        int owner = v & OWNER_MASK;
        if (owner == self && type == RECURSIVE) {
            return recurse();
        }
        if (owner == NOT_RECOVERABLE) {
            return ENOTRECOVERABLE;
        }
        if (owner == 0 && (int) Words.INT.compareAndExchangeAcquire(word, 0L, v, self | (v & WAITERS)) == v) {
            return acquired(self, v);
        }
        return EBUSY;
    }

    /**
     * The slow path of every lock call. {@code contended} is set when a condition variable's
     * waiter reacquires: it skips the spin and always acquires with WAITERS.
     */
    private int lockSlow(int self, int clock, long sec, long nsec, boolean contended, Cancellation cancellation) {
        int v = Words.get(word);
        int owner = v & OWNER_MASK;
        if (owner == self && self != ANON) {
            if (type == RECURSIVE) {
                return recurse();
            }
            if (type == ERRORCHECK) {
                return EDEADLK;
            }
            // NORMAL robust: relocking deadlocks, as POSIX says; a deadline still ends it.
        }
        if (owner == NOT_RECOVERABLE) {
            return ENOTRECOVERABLE;
        }
        if (clock != Futex.CLOCK_NONE) {
            int bad = Deadline.check(sec, nsec);
            if (bad == EINVAL) {
                return EINVAL;
            }
            if (bad == ETIMEDOUT && owner != 0) {
                return ETIMEDOUT;
            }
        }
        if (!tracksOwner && futex.spinLimit() == 0) {
            return lockAnonymous(clock, sec, nsec, cancellation);
        }
        if (!contended) {
            for (int spin = futex.spinLimit(); spin > 0 && (v & WAITERS) == 0; spin--) {
                if ((v & OWNER_MASK) == 0
                        && (int) Words.INT.compareAndExchangeAcquire(word, 0L, v, self | (v & WAITERS)) == v) {
                    return acquired(self, v);
                }
                Thread.onSpinWait();
                v = Words.get(word);
            }
        }
        for (;;) {
            v = Words.get(word);
            owner = v & OWNER_MASK;
            if (owner == 0) {
                if ((int) Words.INT.compareAndExchangeAcquire(word, 0L, v, self | WAITERS) == v) {
                    return acquired(self, v);
                }
                continue;
            }
            if (owner == NOT_RECOVERABLE) {
                return ENOTRECOVERABLE;
            }
            if ((v & WAITERS) == 0 && !Words.cas(word, v, v | WAITERS)) {
                continue;
            }
            if (sleep(v | WAITERS, clock, sec, nsec, cancellation) == Futex.ETIMEDOUT) {
                return ETIMEDOUT;
            }
        }
    }

    /**
     * The contended lock of a NORMAL non-robust mutex where locks do not spin: one swap to
     * ANON|WAITERS both takes a free lock and announces a sleeper on a held one (glibc's
     * lock), so a waiter that lost a race with the owner's unlock and relock never needs a
     * second atomic to try again.
     */
    private int lockAnonymous(int clock, long sec, long nsec, Cancellation cancellation) {
        if (Words.get(word) == (ANON | WAITERS)
                && sleep(ANON | WAITERS, clock, sec, nsec, cancellation) == Futex.ETIMEDOUT) {
            return ETIMEDOUT;
        }
        while (((int) Words.INT.getAndSetAcquire(word, 0L, ANON | WAITERS) & OWNER_MASK) != 0) {
            if (sleep(ANON | WAITERS, clock, sec, nsec, cancellation) == Futex.ETIMEDOUT) {
                return ETIMEDOUT;
            }
        }
        return 0;
    }

    /**
     * One futex wait of a locker while the word holds {@code expected}. With asynchronous
     * cancellation it is cancellable and acts on the cancel (the word keeps WAITERS: the next
     * unlock wakes someone, spuriously at worst; a wake this waiter took is passed on by the
     * futex). The type is looked up here, before sleeping, never on the fast path.
     */
    private int sleep(int expected, int clock, long sec, long nsec, Cancellation cancellation) {
        Tcb cancelable = cancellation == null ? null : cancellation.asynchronous();
        int r = futex.wait(word, expected, clock, sec, nsec, cancelable);
        if (r == Futex.CANCELED) {
            cancellation.act(cancelable);
        }
        return r;
    }

    private int recurse() {
        if (count == MAX_RECURSION) {
            return EAGAIN;
        }
        count++;
        return 0;
    }

    /** Bookkeeping after the word became ours; {@code previous} is the value we replaced. */
    private int acquired(int self, int previous) {
        // count is already 0: the last full unlock, or ownerDied, left it so. Writing it here
        // would dirty the line that every locker reads the mutex's settings from.
        if (!robust) {
            return 0;
        }
        Tcb.current().holdRobust(this);
        if ((previous & OWNER_DIED) != 0) {
            inconsistent = true;
            return EOWNERDEAD;
        }
        return 0;
    }

    public int unlock() {
        if (tracksOwner) {
            int v = Words.get(word);
            Tcb tcb = Tcb.current();
            if ((v & OWNER_MASK) != tcb.id) {
                return EPERM;
            }
            if (count > 0) {
                count--;
                return 0;
            }
            if (robust) {
                tcb.releaseRobust(this);
                if (inconsistent) {
                    inconsistent = false;
                    Words.INT.setRelease(word, 0L, NOT_RECOVERABLE);
                    futex.wake(word, Integer.MAX_VALUE);
                    return 0;
                }
            }
        }
        release();
        return 0;
    }

    private void release() {
        if (((int) Words.INT.getAndSetRelease(word, 0L, 0) & WAITERS) != 0) {
            futex.wake(word, 1);
        }
    }

    /** {@code pthread_mutex_consistent}: 0, or EINVAL unless robust, inconsistent and ours. */
    public int consistent() {
        if (!robust || !inconsistent || (Words.get(word) & OWNER_MASK) != Tcb.current().id) {
            return EINVAL;
        }
        inconsistent = false;
        return 0;
    }

    /** EBUSY while locked (by anyone), else 0: the check of {@code pthread_mutex_destroy}. */
    public int checkDestroy() {
        int owner = Words.get(word) & OWNER_MASK;
        return owner == 0 || owner == NOT_RECOVERABLE ? 0 : EBUSY;
    }

    /**
     * Called for each robust mutex a thread still holds when it ends: hands the word to the
     * next locker as OWNER_DIED.
     */
    public void ownerDied(int id) {
        for (;;) {
            int v = Words.get(word);
            if ((v & OWNER_MASK) != id) {
                return;
            }
            count = 0; // still ours until the CAS below hands the word on
            if (Words.cas(word, v, (v & WAITERS) | OWNER_DIED)) {
                futex.wake(word, 1);
                return;
            }
        }
    }

    // ---- for Cond ----------------------------------------------------------------------

    /** Whether a condition wait may release this mutex: the caller owns it, or its kind does not track owners. */
    boolean releasableByCaller() {
        return !tracksOwner || (Words.get(word) & OWNER_MASK) == Tcb.current().id;
    }

    /**
     * Releases the mutex around a condition wait. Returns the saved recursion depth (>= 0),
     * or {@code -EPERM} when a kind that tracks its owner is not held by the caller.
     */
    int releaseForWait() {
        int saved = 0;
        if (tracksOwner) {
            Tcb tcb = Tcb.current();
            if ((Words.get(word) & OWNER_MASK) != tcb.id) {
                return -EPERM;
            }
            saved = count;
            count = 0; // an unlocked mutex has depth 0: the next owner starts from there
            if (robust) {
                tcb.releaseRobust(this);
            }
        }
        release();
        return saved;
    }

    /**
     * After a condition moved sleepers onto this word: a held mutex gets WAITERS, so that its
     * unlock wakes one (the move came first, so that wake finds them); a free one wakes one
     * now, which takes the lock with WAITERS and so goes on with the chain; a not-recoverable
     * one, which no unlock follows, wakes them all.
     */
    void waitersMoved() {
        for (;;) {
            int v = Words.get(word);
            int owner = v & OWNER_MASK;
            if (owner == NOT_RECOVERABLE) {
                futex.wake(word, Integer.MAX_VALUE);
                return;
            }
            if (owner == 0) {
                futex.wake(word, 1);
                return;
            }
            if ((v & WAITERS) != 0 || Words.cas(word, v, v | WAITERS)) {
                return;
            }
        }
    }

    /** Reacquires after a condition wait; 0, EOWNERDEAD or ENOTRECOVERABLE. */
    int lockContended(int savedCount) {
        // Not cancellable: a cancelled condition waiter holds the mutex again before it acts.
        int r = lockSlow(self(), Futex.CLOCK_NONE, 0, 0, true, null);
        if (r == 0 || r == EOWNERDEAD) {
            count = savedCount;
        }
        return r;
    }
}
