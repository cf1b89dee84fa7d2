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
import java.nio.file.Files;
import java.nio.file.Path;
import org.pthread4j.spi.Futex;
import org.pthread4j.spi.ProcessShared;
import org.pthread4j.spi.Tcb;
import org.pthread4j.spi.Words;

/**
 * A pthread mutex over one futex word.
 *
 * <h2>The word</h2>
 * <pre>
 *   bit 31      WAITERS     a thread may sleep on the word: unlock must wake one
 *   bit 30      OWNER_DIED  robust only: the owner ended while holding the lock
 *               SPINNER     NORMAL non-robust private only: a locker spins (at most one claims it)
 *   bits 0..29  owner       0 = unlocked; a {@link Tcb#id}; ANON; NOT_RECOVERABLE
 *
 *   value                      meaning                                 next
 *   0                          unlocked, nobody waits                  -> owner (lock)
 *   owner                      locked, nobody sleeps                   -> 0 (unlock), -> owner|WAITERS
 *   owner | WAITERS            locked, maybe sleepers                  -> WAITERS... on unlock: 0 + wake 1
 *   ANON | SPINNER [| WAITERS] locked, one locker spins                -> SPINNER [| WAITERS] (unlock, no wake)
 *   SPINNER [| WAITERS]        unlocked, the spinner will take it      -> ANON [| WAITERS] (the spinner
 *                                                                         or a barger)
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
 *       spin takes glibc's path instead ({@link #lockAnonymous}): one atomic sets ANON|WAITERS,
 *       which takes a free lock and flags a held one, and the locker sleeps until that finds it
 *       free (measured with two contending threads: 0.01–0.03 futex calls per lock
 *       operation, where the CAS loop made 0.13–0.19). Where the backend allows it
 *       ({@link Futex#adaptiveSpinLimit}: {@code native} on more than one CPU), each attempt
 *       may first spin as glibc's PTHREAD_MUTEX_ADAPTIVE_NP does: up to
 *       {@code min(limit, 2·spins + 10)} reads of the word, each followed by a CAS that takes
 *       it when free, where {@link #spins} is a running average (1/8 weight) of the reads past
 *       spins needed. The reads are {@link Futex#adaptiveSpinPollNanos} apart (1 µs on
 *       {@code native}), not one pause: a spinner that reads often keeps pulling the word's
 *       cache line from the running owner and takes the word in the moment between its
 *       unlock and its next lock, so the lock would change CPU every few operations. On a
 *       private word only one locker spins at a time (as Go's and the
 *       JDK's locks: spinners burn the CPU the owner needs): it sets SPINNER by CAS first, and
 *       a locker that finds SPINNER set flags the word and sleeps at once. A free word is taken
 *       by any locker that finds it (barging), keeping WAITERS and clearing SPINNER: a spinner
 *       that is not running (its CPU's time slice went to the owner) would otherwise keep every
 *       later lock and unlock of the owner off the fast path, and the spinner spins on without
 *       its bit. The spinner clears SPINNER with the write that ends its spin (its taking CAS,
 *       or the flagging before it sleeps). A thread
 *       that has slept, woken, may spin again, and takes the word with WAITERS.</li>
 *   <li>unlock: swap in 0 with release semantics; if the old value had WAITERS, wake one. A
 *       NORMAL non-robust mutex CASes ANON → 0 instead (one atomic too); while SPINNER is set,
 *       its CAS keeps SPINNER and WAITERS in the free word and it wakes nobody, as Go's
 *       {@code mutexWoken}: the spinner will take the word, WAITERS with it, or flag it before
 *       it sleeps, and either way the next unlock wakes a sleeper. No wake is lost: SPINNER is
 *       only ever set by a locker about to spin, every write that ends a spin clears it, and
 *       the unlock sees it in the same atomic that frees the word, so a spinner is still on
 *       its way to the word then. (A process-shared word has no SPINNER: a process killed
 *       while spinning would leave it set; its lockers all spin.)</li>
 *   <li>owner death (robust): the ending thread CASes owner → OWNER_DIED (keeping WAITERS)
 *       and wakes one; the next locker takes it with EOWNERDEAD and the mutex is
 *       <em>inconsistent</em> until {@code consistent}; unlocking it before that stores
 *       NOT_RECOVERABLE and wakes everyone.</li>
 * </ol>
 * A lock is not a cancellation point, but with asynchronous cancellation (state enabled,
 * type asynchronous) every futex wait of step 1 ends for a cancel and the locker unwinds
 * ({@link #sleep}); the type is looked up only there, so the fast path stays one CAS.
 * A condition variable requeues its waiters onto this word (on the parking lot a signal moves
 * its one waiter too: wait morphing, except on one carrier, see {@link Cond}); they then
 * reacquire through {@link #relock}, which leaves WAITERS set so that the chain of wakes goes
 * on, and which no cancel ends. After a move, {@link #waitersMoved} makes sure that an unlock will wake them.
 *
 * <p>{@link #count} (recursion depth beyond the first lock) and {@link #inconsistent} are
 * written only by the owner while it holds the lock, so the lock word orders them: plain fields.
 *
 * <h2>Process-shared</h2>
 * A mutex that processes share ({@link #Mutex(Futex, ProcessShared, int, boolean, MemorySegment, long)})
 * runs the same protocol on a word in the shared mapping, with the shared futex, and writes
 * the caller's kernel tid as the owner, which means the same thread in every process (the
 * kernel's FUTEX_TID_MASK, FUTEX_OWNER_DIED and FUTEX_WAITERS are the bits above). The other
 * process needs nothing else: {@link #count} and {@link #inconsistent} concern only the
 * owner, which is in one process, and the facade keeps one Mutex per shared address in a
 * process. A robust one is held on the kernel's robust list, which does owner death instead
 * of the ending pthread: every lock call announces itself first ({@code list_op_pending}),
 * a lock links the mutex's node ({@link #acquired}), any other outcome withdraws the
 * announcement; unlock unlinks the node (announced), releases the word, then withdraws. A
 * thread or a process that ends holding it, SIGKILL included, leaves OWNER_DIED in the word
 * and one waiter woken, by the kernel, exactly as step 3 describes.
 *
 * <p>A {@code PTHREAD_PRIO_INHERIT} mutex on {@code native} is a {@link PiMutex}, whose word
 * is the kernel's priority-inheriting futex instead; it overrides every method.
 */
public class Mutex {

    public static final int NORMAL = 0;
    public static final int RECURSIVE = 1;
    public static final int ERRORCHECK = 2;

    static final int WAITERS = 0x8000_0000;
    static final int OWNER_DIED = 0x4000_0000;
    static final int OWNER_MASK = 0x3FFF_FFFF;
    /** The owner of a NORMAL mutex: any thread, not recorded. */
    static final int ANON = OWNER_MASK - 1;
    static final int NOT_RECOVERABLE = OWNER_MASK;
    /** NORMAL non-robust only, whose word never has OWNER_DIED: a locker spins (one at a time). */
    static final int SPINNER = OWNER_DIED;

    private static final int MAX_RECURSION = Integer.MAX_VALUE;

    final MemorySegment word;
    private final Futex futex;
    private final int type;
    private final boolean robust;
    /** Whether the owner tid is written into the word. */
    private final boolean tracksOwner;
    /** For a process-shared mutex: the kernel tid and the robust list; else null. */
    private final ProcessShared shared;
    /** The robust-list node of a robust process-shared mutex, else null. */
    private final MemorySegment node;
    private int count;
    private boolean inconsistent;
    /**
     * The adaptive spin's estimate of the reads a contended lock needs (glibc's
     * {@code __spins}). Read and written by lockers without synchronization: a hint, and
     * any value of it is safe.
     */
    private int spins;
    /** {@link #releaser}, made on first use. */
    private Runnable releaser;

    public Mutex(Futex futex, int type, boolean robust) {
        this(futex, type, robust, Words.allocate(), null, null);
    }

    /**
     * A mutex whose lock word is at offset 0 of {@code block}. With {@code shared} it is a
     * process-shared one: {@code block} is in memory that processes map, {@code futex} is
     * {@code shared}'s, and a robust one keeps its robust-list node (16 bytes) at
     * {@code nodeOffset}; with {@code shared} null it is a private mutex placed there.
     */
    public Mutex(Futex futex, ProcessShared shared, int type, boolean robust, MemorySegment block, long nodeOffset) {
        this(futex, type, robust, block.asSlice(0, 4), shared,
                shared != null && robust ? block.asSlice(nodeOffset, 16) : null);
    }

    private Mutex(Futex futex, int type, boolean robust, MemorySegment word, ProcessShared shared, MemorySegment node) {
        this.futex = futex;
        this.type = type;
        this.robust = robust;
        this.tracksOwner = type != NORMAL || robust;
        this.word = word;
        this.shared = shared;
        this.node = node;
    }

    public int type() {
        return type;
    }

    public boolean robust() {
        return robust;
    }

    private int self() {
        return !tracksOwner ? ANON : shared == null ? Tcb.current().id : shared.tid();
    }

    /**
     * {@code pthread_mutex_lock}; a wait ends for an asynchronous cancel of
     * {@code cancellation} (null: never).
     */
    public int lock(Cancellation cancellation) {
        if (node != null) {
            return lockListed(LOCK, Futex.CLOCK_NONE, 0, 0, cancellation);
        }
        int self = self();
        if ((int) Words.INT.compareAndExchangeAcquire(word, 0L, 0, self) == 0) {
            return acquired(self, 0);
        }
        return lockSlow(self, Futex.CLOCK_NONE, 0, 0, false, cancellation);
    }

    /** {@code pthread_mutex_clocklock}; cancellation as for {@link #lock}. */
    public int timedlock(int clock, long sec, long nsec, Cancellation cancellation) {
        if (node != null) {
            return lockListed(LOCK, clock, sec, nsec, cancellation);
        }
        return timedlock(self(), clock, sec, nsec, cancellation);
    }

    private int timedlock(int self, int clock, long sec, long nsec, Cancellation cancellation) {
        if ((int) Words.INT.compareAndExchangeAcquire(word, 0L, 0, self) == 0) {
            return acquired(self, 0);
        }
        return lockSlow(self, clock, sec, nsec, false, cancellation);
    }

    public int trylock() {
        return node != null ? lockListed(TRYLOCK, Futex.CLOCK_NONE, 0, 0, null) : trylock(self());
    }

    private static final int LOCK = 0;
    private static final int TRYLOCK = 1;
    private static final int CONTENDED = 2;

    /**
     * A lock call of a robust process-shared mutex: announced to the kernel first, so that a
     * death anywhere in it still hands the mutex on; {@link #acquired} links the node and
     * ends the announcement, any other outcome withdraws it. (A recursive relock leaves the
     * announcement on a node that is held and linked, which the kernel treats the same.)
     */
    private int lockListed(int call, int clock, long sec, long nsec, Cancellation cancellation) {
        int self = shared.tid();
        shared.robustPending(node);
        int r = EINVAL;
        try {
            r = switch (call) {
                case TRYLOCK -> trylock(self);
                case CONTENDED -> lockSlow(self, Futex.CLOCK_NONE, 0, 0, true, null);
                default -> timedlock(self, clock, sec, nsec, cancellation);
            };
            return r;
        } finally {
            if (r != 0 && r != EOWNERDEAD) {
                shared.robustPending(MemorySegment.NULL);
            }
        }
    }

    private int trylock(int self) {
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
            return lockAnonymous(clock, sec, nsec, contended, cancellation);
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
     * The contended lock of a NORMAL non-robust mutex where locks do not spin: one atomic
     * that sets ANON|WAITERS both takes a free lock and announces a sleeper on a held one
     * (glibc's swap; {@link #flagOrTake}), so a waiter that lost a race with the owner's unlock
     * and relock never needs a second atomic to try again. Before each attempt the locker may
     * spin ({@link #claimSpinner}, {@link #spinAnonymous}); once it has slept it always takes
     * the lock with WAITERS. A condition waiter's reacquire ({@code contended}) never spins
     * and always takes it with WAITERS, for the waiters requeued behind it.
     */
    private int lockAnonymous(int clock, long sec, long nsec, boolean contended, Cancellation cancellation) {
        int limit = contended ? 0 : futex.adaptiveSpinLimit();
        int keep = contended ? WAITERS : 0;
        for (;;) {
            int mine = 0;
            if (limit > 0) {
                int claim = claimSpinner(keep);
                if (claim == LOCKED || claim != BUSY && spinAnonymous(limit, claim, keep)) {
                    return 0;
                }
                mine = claim & SPINNER;
            }
            int v = flagOrTake(mine);
            if ((v & OWNER_MASK) == 0) {
                return 0;
            }
            if (sleep((v & ~mine) | ANON | WAITERS, clock, sec, nsec, cancellation) == Futex.ETIMEDOUT) {
                return ETIMEDOUT;
            }
            keep = WAITERS; // it may have taken a wake: whoever else sleeps needs the flag
        }
    }

    /** {@link #claimSpinner}'s answers besides SPINNER and 0. */
    private static final int LOCKED = -1;
    private static final int BUSY = 1;

    /**
     * Before a spin: takes a free word, keeping WAITERS, or-ing {@code keep} and clearing
     * SPINNER (LOCKED); else
     * makes the caller the one spinner of a private mutex (SPINNER), or finds another one
     * spinning (BUSY: the caller sleeps instead). A process-shared mutex has no spinner bit,
     * which a process killed while spinning would leave set: every locker spins (0).
     */
    private int claimSpinner(int keep) {
        for (;;) {
            int v = Words.get(word);
            if ((v & OWNER_MASK) == 0) {
                if ((int) Words.INT.compareAndExchangeAcquire(word, 0L, v, (v & WAITERS) | ANON | keep) == v) {
                    return LOCKED;
                }
            } else if (shared != null) {
                return 0;
            } else if ((v & SPINNER) != 0) {
                return BUSY;
            } else if (Words.cas(word, v, v | SPINNER)) {
                return SPINNER;
            }
        }
    }

    /**
     * The adaptive spin of {@link #lockAnonymous} (see the class comment): true once locked,
     * with {@code keep} or-ed in and the caller's spinner bit {@code mine} cleared.
     */
    private boolean spinAnonymous(int limit, int mine, int keep) {
        int estimate = spins;
        int max = Math.min(limit, 2 * estimate + 10);
        long poll = futex.adaptiveSpinPollNanos();
        int n = 0;
        boolean locked = false;
        while (n < max) {
            n++;
            pause(poll);
            int v = (int) Words.INT.getOpaque(word, 0L);
            if ((v & OWNER_MASK) == 0
                    && (int) Words.INT.compareAndExchangeAcquire(word, 0L, v, (v & ~mine) | ANON | keep) == v) {
                locked = true;
                break;
            }
        }
        spins = estimate + (n - estimate) / 8;
        return locked;
    }

    /** One pause of the adaptive spin: {@code poll} ns, or one {@link Thread#onSpinWait} for 0. */
    private static void pause(long poll) {
        if (poll == 0) {
            Thread.onSpinWait();
            return;
        }
        long until = System.nanoTime() + poll;
        do {
            Thread.onSpinWait();
        } while (System.nanoTime() - until < 0);
    }

    /**
     * Sets ANON|WAITERS and clears {@code clear} (the caller's spinner bit, if any) in one
     * atomic, without a write when nothing would change: takes a free word, flags a held one.
     * Returns the value it replaced.
     */
    private int flagOrTake(int clear) {
        for (;;) {
            int v = Words.get(word);
            int next = (v & ~clear) | ANON | WAITERS;
            if (next == v || (int) Words.INT.compareAndExchangeAcquire(word, 0L, v, next) == v) {
                return v;
            }
        }
    }

    /**
     * One futex wait of a locker while the word holds {@code expected}. With asynchronous
     * cancellation it is cancellable and acts on the cancel (the word keeps WAITERS: the next
     * unlock wakes someone, spuriously at worst; a wake this waiter took is passed on by the
     * futex), and a signal ends it too: the handlers run and the locker tries again. The type is looked up here, before sleeping, never on the fast path.
     */
    private int sleep(int expected, int clock, long sec, long nsec, Cancellation cancellation) {
        Tcb cancelable = cancellation == null ? null : cancellation.asynchronous();
        int r = futex.wait(word, expected, clock, sec, nsec, cancelable);
        if (r == Futex.CANCELED) {
            cancellation.act(cancelable);
        }
        if (r == Futex.INTERRUPTED) {
            cancellation.interrupted(cancelable); // then the locker tries again
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
        if (node == null) {
            Tcb.current().holdRobust(this);
        } else {
            shared.robustEnqueue(node);
        }
        if ((previous & OWNER_DIED) != 0) {
            inconsistent = true;
            return EOWNERDEAD;
        }
        return 0;
    }

    public int unlock() {
        if (tracksOwner) {
            int v = Words.get(word);
            Tcb tcb = shared == null ? Tcb.current() : null;
            if ((v & OWNER_MASK) != (tcb != null ? tcb.id : shared.tid())) {
                return EPERM;
            }
            if (count > 0) {
                count--;
                return 0;
            }
            if (robust) {
                releaseRobust(tcb);
                if (inconsistent) {
                    inconsistent = false;
                    Words.INT.setRelease(word, 0L, NOT_RECOVERABLE);
                    futex.wake(word, Integer.MAX_VALUE);
                    unlisted();
                    return 0;
                }
            }
        }
        release(ANON);
        unlisted();
        return 0;
    }

    /** A robust mutex is no longer held: off the pthread's list, or off the kernel's (announced). */
    private void releaseRobust(Tcb tcb) {
        if (node == null) {
            tcb.releaseRobust(this);
        } else {
            shared.robustDequeue(node);
        }
    }

    /** After a robust process-shared mutex's word is released: withdraws the unlock's announcement. */
    private void unlisted() {
        if (node != null) {
            shared.robustPending(MemorySegment.NULL);
        }
    }

    /**
     * Frees the word; with sleepers, wakes one. A NORMAL non-robust word is freed by a CAS
     * from {@code guess}, the value the caller expects (ANON for an unlock: one atomic, as
     * the swap of the other kinds), retried from the value found; while a locker spins, the CAS
     * leaves its SPINNER bit and WAITERS in the free word and wakes nobody: the spinner
     * takes the word with WAITERS or, giving up, flags it and sleeps (see the class comment).
     */
    private void release(int guess) {
        if (tracksOwner) {
            if (wakes((int) Words.INT.getAndSetRelease(word, 0L, 0))) {
                futex.wake(word, 1);
            }
            return;
        }
        int v = guess;
        for (;;) {
            int w = (int) Words.INT.compareAndExchangeRelease(word, 0L, v, (v & SPINNER) != 0 ? v & ~OWNER_MASK : 0);
            if (w == v) {
                break;
            }
            v = w;
        }
        if (wakes(v)) {
            futex.wake(word, 1);
        }
    }

    /** Whether {@link #release} from the word's value {@code v} wakes a sleeper. */
    private boolean wakes(int v) {
        return tracksOwner ? (v & WAITERS) != 0 : (v & (WAITERS | SPINNER)) == WAITERS;
    }

    /** {@code pthread_mutex_consistent}: 0, or EINVAL unless robust, inconsistent and ours. */
    public int consistent() {
        if (!robust || !inconsistent || (Words.get(word) & OWNER_MASK) != self()) {
            return EINVAL;
        }
        inconsistent = false;
        return 0;
    }

    /**
     * Whether this robust process-shared mutex is held by a living thread of this process,
     * whose robust list then links its node (a thread that ended has had its hold turned into
     * OWNER_DIED by the kernel).
     */
    public boolean linkedHere() {
        int owner = Words.get(word) & OWNER_MASK;
        return node != null && owner != 0 && owner != NOT_RECOVERABLE
                && Files.exists(Path.of("/proc/self/task", Integer.toString(owner)));
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

    /**
     * The word a condition's signal or broadcast may requeue its waiters onto, or null: wake
     * them. Not a process-shared mutex's: a private condition's futex would requeue them onto
     * its word as a private futex, which the mutex's unlock (a shared futex) never wakes.
     */
    MemorySegment requeueTarget() {
        return shared == null ? word : null;
    }

    /** Whether a condition wait may release this mutex: the caller owns it, or its kind does not track owners. */
    boolean releasableByCaller() {
        return !tracksOwner || (Words.get(word) & OWNER_MASK) == self();
    }

    /** Whether the release of the held mutex would wake a sleeper (a hint: lockers may flag it meanwhile). */
    boolean sleepersFlagged() {
        return wakes(Words.get(word));
    }

    /** The recursion depth a condition wait saves: read by the owner before {@link #releaseForWait}. */
    int depth() {
        return count;
    }

    /**
     * {@link #releaseForWait} as the release of a {@link Futex#waitReleasing}, made on this
     * mutex's first condition wait (a race makes two, which do the same).
     */
    Runnable releaser() {
        Runnable r = releaser;
        if (r == null) {
            releaser = r = this::releaseForWait;
        }
        return r;
    }

    /**
     * Releases the mutex around a condition wait. Returns the saved recursion depth (>= 0),
     * or {@code -EPERM} when a kind that tracks its owner is not held by the caller.
     */
    int releaseForWait() {
        int saved = 0;
        if (tracksOwner) {
            Tcb tcb = shared == null ? Tcb.current() : null;
            if ((Words.get(word) & OWNER_MASK) != (tcb != null ? tcb.id : shared.tid())) {
                return -EPERM;
            }
            saved = count;
            count = 0; // an unlocked mutex has depth 0: the next owner starts from there
            if (robust) {
                releaseRobust(tcb);
            }
        }
        // A waiter that a signal moved here set WAITERS, which an unlock's guess lacks: the
        // CAS from the value read frees the word at once.
        release(tracksOwner ? ANON : Words.get(word));
        unlisted();
        return saved;
    }

    /**
     * After a condition moved sleepers onto this word: a held mutex gets WAITERS, so that its
     * unlock wakes one (the move came first, so that wake finds them); a free one wakes one
     * now, which takes the lock with WAITERS and so goes on with the chain; a not-recoverable
     * one, which no unlock follows, wakes them all. Only after a move onto
     * {@link #requeueTarget}, so never for a {@link PiMutex}.
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

    /**
     * Reacquires after a condition wait; 0, EOWNERDEAD or ENOTRECOVERABLE. Not cancellable: a
     * cancelled condition waiter holds the mutex again before it acts. A waiter that a signal
     * {@code moved} onto this word, or that the kernel may have moved, may have slept here: it
     * takes the word with WAITERS, so that the chain of wakes goes on (a waiter that an
     * unlock woke usually finds the word free: one CAS). A waiter that a signal woke directly
     * never slept on the word and locks as any locker does, leaving the flag to those that
     * sleep.
     */
    int relock(int savedCount, boolean moved) {
        int r;
        if (node != null) {
            r = lockListed(CONTENDED, Futex.CLOCK_NONE, 0, 0, null);
        } else {
            int self = self();
            int taken = moved ? self | WAITERS : self;
            r = (int) Words.INT.compareAndExchangeAcquire(word, 0L, 0, taken) == 0 ? acquired(self, 0)
                    : lockSlow(self, Futex.CLOCK_NONE, 0, 0, moved, null);
        }
        if (savedCount != 0 && (r == 0 || r == EOWNERDEAD)) {
            count = savedCount; // else already 0 (see acquired)
        }
        return r;
    }
}
