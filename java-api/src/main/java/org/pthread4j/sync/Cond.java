package org.pthread4j.sync;

import static org.pthread4j.spi.Errno.EBUSY;
import static org.pthread4j.spi.Errno.EINVAL;
import static org.pthread4j.spi.Errno.EPERM;
import static org.pthread4j.spi.Errno.ETIMEDOUT;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.atomic.AtomicLong;
import org.pthread4j.spi.Futex;
import org.pthread4j.spi.Tcb;
import org.pthread4j.spi.Words;

/**
 * A pthread condition variable: a queue of its waiters where the backend parks threads
 * itself, else a sequence word that waiters sleep on and a count of its blocked waiters.
 *
 * <h2>Two protocols</h2>
 * A private condition on a futex that has condition queues ({@link Futex#newCondQueue}: the
 * parking lot of {@code virtual}, {@code green} and {@code gmp}) keeps its waiters on a queue
 * of its own, as the JDK's {@code ConditionObject} does ("Queued protocol"); the others (the
 * kernel's futex of {@code native}, and every process-shared condition, whose waiters other
 * processes must see) sleep on the sequence word ("The words" and "Protocol (sequence word)" below).
 *
 * <h2>Queued protocol</h2>
 * <ol>
 *   <li>wait, holding the mutex (a caller that may not release it gets EPERM first): queue
 *       for the mutex (EINVAL, nothing released, while waiters of another mutex are
 *       queued), then release it (any recursion depth is saved), then park. The waiter is
 *       queued before the release, so a signaller that holds the mutex after it always finds
 *       it: no sequence word, and no count beside the queue. The cancellation point, the
 *       queueing, the release and the hand-off are one method, and the relock and what
 *       follows a park that did not end signalled another, both called through method
 *       handles that the JIT never compiles into the wait, whose park loop is all that
 *       stays: a parked virtual thread keeps every frame it parked in, each as large as its
 *       method needs at its largest call, so the fewer and the smaller the frames between
 *       the thread's body and the park, the less memory a blocked pthread takes (the frames
 *       of a blocked pthread of the memory figure's children were 376 B (352-400) in the
 *       median of ten JVMs, against 424 (384-496) with the steps compiled into the wait).</li>
 *   <li>signal: take the oldest waiter off the queue and move it onto the mutex word (wait
 *       morphing, as {@code ConditionObject} transfers a node to its lock's queue), then
 *       {@link Mutex#waitersMoved}; where the mutex takes no requeue ({@link Mutex#requeueTarget}
 *       null: a PI or a process-shared mutex, none of which these backends have today), wake
 *       it instead; and wake it instead where one carrier runs every pthread (a serial
 *       parking lot: {@code green}, or {@code virtual} and {@code gmp} on one carrier) and
 *       the signaller is one of them: the waiter cannot run before the signaller blocks,
 *       usually once it has released the mutex, so the move would cost the mutex's flag and
 *       the release's wake for nothing. A lock of the queue's own guards it (the parking lot's lock of the
 *       mutex word's bucket, so that the move takes no second lock), not the mutex: a
 *       signaller that does not hold the mutex (POSIX allows it) is as safe.
 *       Broadcast: the same for every queued waiter, moved (or woken) as one chain.</li>
 *   <li>the waiter's park ends signalled (REQUEUED, moved, or WOKEN: from the signal on, its
 *       deadline, a cancel and a signal no longer end it, as a moved waiter's in step 5
 *       below), or for its
 *       deadline, a cancel or a signal, having left the queue under its lock before any
 *       signal took it: a waiter that times out or is cancelled never takes a signal meant
 *       for another. Then step 4 below, from "run the handlers". A wait that
 *       was signalled reads its interrupt word once, before it relocks: with nothing there
 *       it only relocks (its path is kept small enough to compile into its caller; a moved
 *       waiter relocks with WAITERS, as one that slept on the mutex word, a woken one as any
 *       locker), and a
 *       cancel that comes during the relock stays pending for the next cancellation point,
 *       as glibc's does once its wait has been woken (POSIX lets a woken waiter either act
 *       or return).</li>
 * </ol>
 * Destroy answers EBUSY while the queue holds a waiter: a waiter leaves it when a signal or
 * broadcast takes it, or when it gives up.
 *
 * <h2>The words</h2>
 * <pre>
 *   seq      incremented by every signal and broadcast; waiters sleep while it is unchanged
 *   blocked  a broadcast generation (high 32 bits) and the waiters registered in it (step 1)
 *            that have neither left (step 4) nor been moved by a signal (see "Destroy")
 *   waiters  process-shared conditions only: threads between "registered" (step 1) and
 *            "left" (step 4) of a wait, in the shared memory, for a signaller of any process
 * </pre>
 * {@link #mutex} is the mutex of the current waiters (the requeue target); waiters with a
 * different mutex at the same time get EINVAL, as POSIX allows.
 *
 * <p>A private condition makes the one count {@code blocked} serve both the signal's check
 * (step 5) and destroy's: two atomic operations per wait fewer than a separate waiter count.
 * "Waiters" below means that count for a private condition, the {@code waiters} word for a
 * shared one (whose {@code blocked} only counts this process's waiters, for destroy).
 *
 * <h2>Protocol (sequence word)</h2>
 * <ol>
 *   <li>wait, holding the mutex (a caller that may not release it gets EPERM first):
 *       {@code waiters++} (shared only) and {@code blocked++} (volatile read-modify-writes),
 *       read {@code s = seq}, then read {@code blocked} again: if its generation has changed,
 *       a broadcast came while this waiter registered, and {@code s} may be that
 *       broadcast's; the wait returns 0 at once, without releasing the mutex (a spurious
 *       wake-up, as POSIX allows; see "Destroy" for why it may not sleep).</li>
 *   <li>release the mutex (any recursion depth is saved).</li>
 *   <li>spin while seq equals {@code s} (see "Spinning"); then futex-wait on seq while it
 *       equals {@code s}; the deadline, a cancel and a signal end it, until a requeue has
 *       moved the waiter (where the move is a wake, step 5). Where nothing spins, steps 2
 *       and 3 are one call, {@link Futex#waitReleasing}: the parking lot queues the waiter
 *       on seq before the release (the futex compares seq with {@code s} either way).</li>
 *   <li>{@code waiters--} (shared only), and {@code blocked--} unless a signal moved the
 *       waiter (step 5); if a signal ended step 3 (the futex passed on any wake it took),
 *       or came while the waiter was moved (the move is its wake, which it keeps), run the
 *       handlers, unlocked as C runs them inside the wait; reacquire the mutex in contended
 *       mode (it may have sleepers that a signal or a broadcast moved there; no cancel ends this wait);
 *       then act on a cancel that is pending now, or return ETIMEDOUT or 0: 0 after a signal
 *       (a spurious wake-up, as POSIX allows, or the wake of the move), and 0 after a
 *       timeout too when a broadcast has come since the waiter registered (the kernel keeps
 *       a requeued waiter's deadline, so it may time out on the mutex word after the
 *       broadcast woke it). A waiter that acts on a cancel never keeps a
 *       signal another waiter could take (pthread_cond_wait(3p)): if step 3 ended CANCELED,
 *       the futex passed on a wake it may have taken ({@link Futex}'s rule); if step 3 was
 *       woken or moved and the cancel came later, the waiter signals once more before it
 *       unwinds (a spurious wake-up for someone at worst), as does a moved waiter that a
 *       handler unwinds.</li>
 *   <li>signal: {@code seq++}; if {@code waiters > 0}, hand one waiter on. Steps 1 and 5 are
 *       a Dekker handshake through two volatile read-modify-writes: either the waiter reads
 *       the new seq (its futex-wait returns at once) or the signaller sees it counted.
 *       <ul>
 *         <li>where the mutex takes a requeue ({@link Mutex#requeueTarget}), wait morphing,
 *             as the JDK's {@code ConditionObject} transfers a node to its lock's queue:
 *             requeue the oldest waiter from seq onto the mutex word, then
 *             {@link Mutex#waitersMoved} (a held mutex gets WAITERS, a free one wakes a
 *             sleeper). The waiter does not run until an unlock wakes it, so it never wakes
 *             only to find the mutex held by its signaller (on one CPU: woken, it would
 *             preempt the signaller, fail to lock and sleep again, two switches more per
 *             signal). Where a requeue is a wake ({@link Futex#requeueWakes}: the parking
 *             lot, whose private conditions queue instead, so only a futex of the SPI
 *             without queues), from the move on the waiter is signalled: its deadline, a cancel and a
 *             signal no longer end its wait (it returns 0 even past its deadline; a cancel is
 *             acted on once it holds the mutex, a signal's handlers run before it relocks,
 *             step 4), and the signaller uncounts it for destroy, which it cannot do itself
 *             before it runs. The kernel's moved waiter cannot tell a move from a wake: it
 *             keeps its deadline, a cancel and a signal on the mutex word, and counts itself
 *             down as a woken one does; it returns ETIMEDOUT only if seq is still the
 *             {@code s} it read (else a signal may have moved it, and 0 keeps that signal
 *             from being lost), and, interrupted after seq moved on, it wakes one sleeper of
 *             the mutex word in its place, as the futex does for seq;</li>
 *         <li>elsewhere (a mutex that takes no requeue, or a futex that refuses it: one
 *             that processes share) wake one.</li>
 *       </ul></li>
 *   <li>broadcast: start a new generation of {@code blocked} (count 0), {@code seq++}; if
 *       there were waiters (for a private condition: the old generation's count, read by the
 *       same atomic as the new generation starts; a waiter that registers after that, in the
 *       new generation, came after the broadcast), requeue them onto the mutex word:
 *       where a requeue is a wake, all of them, then {@link Mutex#waitersMoved}; elsewhere
 *       all but one, which is woken. No thundering herd: each thread that takes the mutex
 *       from there takes it with WAITERS set, so each unlock wakes the next one. (A
 *       condition that processes share wakes them all: its futex never requeues. So does
 *       one whose mutex is a {@link PiMutex}, whose word takes no requeue, its sleepers
 *       being the kernel's PI waiters: then every waiter is woken and relocks on its
 *       own.)</li>
 * </ol>
 * Spurious wake-ups are possible (POSIX allows them); a wake is never lost. A requeue is made
 * onto the word of the mutex the signaller read from {@link #mutex}; if the binding changed
 * meanwhile (the last waiter of one mutex left and a waiter of another came), the moved
 * waiter may belong to the new one, so every sleeper of the old word is woken: each retries
 * its own lock.
 *
 * <h2>Spinning</h2>
 * Where the backend allows it ({@link Futex#condSpinNanos}: {@code native} with more than
 * one CPU), a waiter spins on seq before it sleeps: a signal that comes within the spin costs
 * no sleep and no cross-CPU wake-up. A spin that ends unsatisfied has burnt its whole window
 * for nothing, as every spin does when the signaller is not running (the CPUs are busy with
 * other work) or takes longer than the window; and a spin satisfied late has burnt more CPU
 * than the sleep and wake-up it saved. So the spin adapts, per condition:
 * <ul>
 *   <li>its window is four times the running average of how long satisfied spins took
 *       ({@link #spinAverage}, weight 1/8), at least {@link #MIN_SPIN_NANOS} and at most the
 *       backend's limit (the whole limit until a spin has been satisfied);</li>
 *   <li>after an unsatisfied spin the next {@link #spinSkips} waits sleep at once, and the
 *       back-off doubles (1, 2, 4... up to {@link #MAX_BACKOFF} waits); a satisfied spin
 *       resets it.</li>
 * </ul>
 * Where spinning never helps, at most one wait in {@code MAX_BACKOFF + 1} then spins, for a
 * window the size of the spins that did help; a workload whose signals come quickly spins
 * at every wait, for a short window.
 *
 * <h2>Destroy</h2>
 * POSIX lets a condition be destroyed as soon as every thread blocked on it has been woken,
 * even while those threads still wait for the mutex (often held by the destroyer). Waiters
 * that a broadcast moved onto the mutex word are still inside step 3, so {@code waiters}
 * cannot tell; {@link #blocked} can: a broadcast generation (high 32 bits) and the number of
 * waiters registered in it and not yet left (low 32). A waiter counts itself before it reads
 * {@code s} (the signal's handshake needs that order) and checks after the read that the
 * generation is still its own; a broadcast starts a new generation with count 0 before it
 * bumps seq. So a waiter that goes on to sleep while counted in a generation that has since
 * ended read {@code s} before that broadcast's new generation, hence before its bump of seq,
 * and is certainly woken by it; one that finds at its check that a broadcast came, which may
 * have uncounted it before it read that broadcast's {@code s}, does not sleep. A waiter
 * that a signal moved is uncounted by the signaller (the waiter then skips its own
 * count-down); a waiter still on seq when a signal moves one is of the current generation,
 * since a broadcast moves or wakes every waiter on seq. Destroy answers EBUSY while the
 * current generation's count is non-zero.
 */
public final class Cond {

    /** The longest back-off of the adaptive spin, in waits (see "Spinning"). */
    static final int MAX_BACKOFF = 64;
    /** The shortest spin window, ns: below it a spin could not see a signaller that is running. */
    static final long MIN_SPIN_NANOS = 2_000;

    /** {@link #waitOnSeq}: the waiter returned at once, the mutex still held (a spurious wake-up). */
    private static final int HELD = Integer.MIN_VALUE;

    /** The waiters of a private condition on a futex that has queues, else null (see "Two protocols"). */
    private final Futex.CondQueue<Mutex> queue;
    final MemorySegment seq;
    /** The shared waiter count of a process-shared condition; null for a private one. */
    private final MemorySegment waiters;
    private final Futex futex;
    /** Whether a queued wait whose release woke a sleeper hands off ({@link Futex#handOffNanos}). */
    private final boolean handsOff;
    private final int clock;
    private volatile Mutex mutex;
    /** Broadcast generation and blocked-waiter count (see "Destroy" above). */
    private final AtomicLong blocked = new AtomicLong();
    /**
     * The adaptive spin's state (see "Spinning"): waits left that sleep at once, the current
     * back-off, and the average satisfied spin. Plain fields: a heuristic, where a racing
     * update only changes how long some waiter spins.
     */
    private int spinSkips;
    private int spinBackoff;
    /** The running average of how long satisfied spins took, ns (-1: none yet). */
    private long spinAverage = -1;

    public Cond(Futex futex, int clock) {
        this(futex, clock, Words.allocate(), false);
    }

    /**
     * A condition whose words are at offsets 0 (seq) and, if {@code shared}, 4 (waiters) of
     * {@code block}: for one that processes share, memory they map and the shared futex, whose
     * broadcast wakes every waiter instead of requeueing
     * ({@link org.pthread4j.spi.ProcessShared#futex}).
     */
    public Cond(Futex futex, int clock, MemorySegment block, boolean shared) {
        this.futex = futex;
        this.clock = clock;
        this.seq = block.asSlice(0, 4);
        this.waiters = shared ? block.asSlice(4, 4) : null;
        this.queue = shared ? null : futex.newCondQueue();
        this.handsOff = queue != null && futex.handOffNanos() >= 0;
    }

    public int clock() {
        return clock;
    }

    /**
     * Waits on the condition, until the absolute deadline {@code (sec, nsec)} on
     * {@code waitClock} ({@link Futex#CLOCK_NONE}: none; {@link #clock} for
     * {@code pthread_cond_timedwait}, any clock for {@code pthread_cond_clockwait}).
     *
     * @return 0, ETIMEDOUT, EINVAL, EPERM, EOWNERDEAD, ENOTRECOVERABLE; never returns when
     *         the caller is cancelled (the {@code onCancel} hook unwinds it, mutex held)
     */
    public int wait(Mutex m, int waitClock, long sec, long nsec, Cancellation cancellation) {
        if (queue == null || waitClock != Futex.CLOCK_NONE && Deadline.check(sec, nsec) != 0) {
            return waitSlow(m, waitClock, sec, nsec, cancellation);
        }
        // The queued wait (a deadline, if any, checked): what comes before the park and what
        // comes after it are compiled apart (see the handles below).
        Tcb me = Tcb.current();
        int saved = m.depth();
        int queued;
        try {
            queued = (int) beforePark.invokeExact(this, m, me, cancellation);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t); // the step declares no checked exception
        }
        if (queued > 0) {
            return queued;
        }
        Tcb self = queued == CANCELABLE ? me : null;
        int r = queue.await(me, waitClock, sec, nsec, self);
        try {
            return (int) afterPark.invokeExact(this, m, saved, r, self, cancellation);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t); // the step declares no checked exception
        }
    }

    /** {@link #queueAndRelease}: the caller is queued, and its cancellation point gave its block. */
    private static final int CANCELABLE = 0;
    /** {@link #queueAndRelease}: the caller is queued, and unwinds (its cancellation point gave null). */
    private static final int UNWINDING = -1;

    /*
     * The steps of a queued wait before its park and after it, each a method of its own that
     * the JIT never compiles into the wait: they are called through method handles held in
     * static fields that are not final, which the JIT does not take for constants. A parked
     * virtual thread keeps the frames it parked in, and a compiled frame is as large as its
     * method needs at its largest call or trap: with the cancellation point, the queue's
     * lock and the mutex's release and relock compiled in, the wait's frame was sized by
     * their slow paths (the queue's spin lock, the interrupt word's bounds checks), not by
     * the park. What stays in the wait is the park's loop and a few values across it.
     */
    /** {@link #queueAndRelease}. */
    private static MethodHandle beforePark;
    /** {@link #relockAfterPark}. */
    private static MethodHandle afterPark;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            beforePark = lookup.findStatic(Cond.class, "queueAndRelease",
                    MethodType.methodType(int.class, Cond.class, Mutex.class, Tcb.class, Cancellation.class));
            afterPark = lookup.findStatic(Cond.class, "relockAfterPark", MethodType.methodType(int.class,
                    Cond.class, Mutex.class, int.class, int.class, Tcb.class, Cancellation.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Step 1 of the queued protocol for the caller {@code me}, up to its park: the
     * cancellation point, then EPERM (a caller that may not release the mutex) or EINVAL
     * (waiters of another mutex are queued), or the caller queued, the mutex released and
     * the hand-off made: {@link #CANCELABLE} or {@link #UNWINDING}.
     */
    private static int queueAndRelease(Cond c, Mutex m, Tcb me, Cancellation cancellation) {
        Tcb self = cancellation.point();
        if (!m.releasableByCaller()) {
            return EPERM;
        }
        if (!c.queue.enqueue(m, m.requeueTarget(), me)) {
            return EINVAL;
        }
        boolean handOff = c.handsOff && m.sleepersFlagged();
        m.releaseForWait();
        if (handOff) {
            c.queue.handOff(me);
        }
        return self == null ? UNWINDING : CANCELABLE;
    }

    /** Steps 3 and 4 of the queued protocol, after the park ended with {@code r}: what the wait returns. */
    private static int relockAfterPark(Cond c, Mutex m, int saved, int r, Tcb self, Cancellation cancellation) {
        if ((r == Futex.REQUEUED || r == Futex.WOKEN) && (self == null || self.interruption() == 0)) {
            // Signalled, with no handler to run nor cancel to act on: relock (a cancel that
            // comes from here on stays pending, as glibc's does once its wait has been woken).
            return m.relock(saved, r == Futex.REQUEUED);
        }
        return c.woken(m, saved, r, self, cancellation, true);
    }

    /** {@link #wait} on the sequence word, or with a deadline that is not to be waited on. */
    private int waitSlow(Mutex m, int waitClock, long sec, long nsec, Cancellation cancellation) {
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
            if (bound != null && waiting(blocked.get())) {
                return EINVAL;
            }
            mutex = m;
        }
        if (!m.releasableByCaller()) {
            return EPERM;
        }
        int saved = m.depth();
        int r = waitOnSeq(m, waitClock, sec, nsec, self);
        if (r == HELD) {
            return 0;
        }
        return woken(m, saved, r, self, cancellation, false);
    }

    /**
     * Step 4 after the wait ended with {@code r}: runs the handlers of a signal, relocks,
     * acts on a cancel; returns what the wait returns. A queued waiter ({@code queued}) that
     * a signal woke (WOKEN) took the signal as a moved one does (REQUEUED), and never slept
     * on the mutex word, nor did one that left the queue; a waiter on the sequence word may
     * have been moved there by the kernel whatever it returns.
     */
    private int woken(Mutex m, int saved, int r, Tcb self, Cancellation cancellation, boolean queued) {
        if (r == Futex.INTERRUPTED) {
            cancellation.interrupted(self);
        } else if ((r == Futex.REQUEUED || queued && r == Futex.WOKEN) && self != null && self.hasSignal()) {
            interruptedAfterMove(self, cancellation);
        }
        int relock = m.relock(saved, !queued || r == Futex.REQUEUED);
        if (self != null && self.isCancelDue()) {
            if (r == Futex.WOKEN || r == Futex.REQUEUED) {
                signal(); // the wake this waiter may have taken goes to another
            }
            cancellation.act(self);
        }
        if (relock != 0) {
            return relock;
        }
        return r == Futex.ETIMEDOUT ? ETIMEDOUT : 0;
    }

    /**
     * Steps 1 to 3 of a wait on the sequence word, and the count-down of step 4: the futex's
     * result, where a timeout that a broadcast since the waiter registered overtook is WOKEN
     * (the kernel keeps a requeued waiter's deadline, so it may time out on the mutex word
     * after the broadcast woke it), and so is one after which seq moved on where a requeue is
     * not a wake (a signal may have moved the waiter before its deadline); or {@link #HELD}.
     * The kernel's waiter that a signal interrupts after seq moved on wakes one sleeper of the
     * mutex word in its place (see "Protocol").
     */
    private int waitOnSeq(Mutex m, int waitClock, long sec, long nsec, Tcb self) {
        if (waiters != null) {
            Words.getAndAdd(waiters, 1);
        }
        long generation = blocked.getAndIncrement() >>> 32;
        int s = Words.get(seq);
        if (blocked.get() >>> 32 != generation) {
            // A broadcast came while this waiter registered (step 1), and uncounted it.
            if (waiters != null) {
                Words.getAndAdd(waiters, -1);
            }
            return HELD;
        }
        long spinMax = futex.condSpinNanos();
        int r;
        if (spinMax > 0) {
            m.releaseForWait();
            r = spin(s, spinMax) ? Futex.WOKEN : futex.wait(seq, s, waitClock, sec, nsec, self);
        } else {
            r = futex.waitReleasing(seq, s, waitClock, sec, nsec, self, m.releaser());
        }
        if (waiters != null) {
            Words.getAndAdd(waiters, -1);
        }
        if (r != Futex.REQUEUED) {
            unblock(generation); // a moved waiter was uncounted by its signaller
        }
        boolean kernelMayHaveMoved = !futex.requeueWakes() && Words.get(seq) != s;
        if (r == Futex.INTERRUPTED && kernelMayHaveMoved) {
            wakeMoved(m); // an unlock's wake of the mutex word may have counted this waiter
        }
        return r == Futex.ETIMEDOUT && (blocked.get() >>> 32 != generation || kernelMayHaveMoved) ? Futex.WOKEN : r;
    }

    /**
     * Runs the handlers of a signal that came while this waiter was moved (step 4): the move
     * was its wake, so a handler that unwinds the thread first passes that wake on.
     */
    private void interruptedAfterMove(Tcb self, Cancellation cancellation) {
        boolean returned = false;
        try {
            cancellation.interrupted(self);
            returned = true;
        } finally {
            if (!returned) {
                signal(); // the wake of the move goes to another
            }
        }
    }

    /**
     * The adaptive spin (see "Spinning") of at most {@code max} ns: true if seq moved on from
     * {@code s} within the window (the average learns how long that took), false if not (the
     * back-off grows) or if this wait is one to skip.
     */
    private boolean spin(int s, long max) {
        if (spinSkips > 0) {
            spinSkips--;
            return false;
        }
        long average = spinAverage;
        long window = average < 0 ? max : Math.min(max, Math.max(MIN_SPIN_NANOS, 4 * average));
        long start = System.nanoTime();
        do {
            if (Words.get(seq) != s) {
                long took = System.nanoTime() - start;
                spinAverage = average < 0 ? took : average + (took - average) / 8;
                spinBackoff = 0;
                return true;
            }
            Thread.onSpinWait();
        } while (System.nanoTime() - start < window);
        int backoff = Math.min(MAX_BACKOFF, Math.max(1, 2 * spinBackoff));
        spinBackoff = backoff;
        spinSkips = backoff;
        return false;
    }

    /** A waiter leaves: it counts down only in its own generation, if no broadcast came since. */
    private void unblock(long generation) {
        for (;;) {
            long b = blocked.get();
            if (b >>> 32 != generation || (int) b <= 0 || blocked.compareAndSet(b, b - 1)) {
                return;
            }
        }
    }

    /**
     * Whether a wait may need a signal, given {@code b}, a read of {@link #blocked}: the
     * shared waiter count, or for a private condition the count in {@code b}.
     */
    private boolean waiting(long b) {
        return waiters != null ? Words.get(waiters) > 0 : (int) b > 0;
    }

    public int signal() {
        if (queue != null) {
            Mutex m = queue.signal(1);
            if (m != null) {
                m.waitersMoved();
            }
            return 0;
        }
        int s = Words.getAndAdd(seq, 1) + 1;
        long b = blocked.get();
        if (waiting(b)) {
            Mutex m = mutex;
            MemorySegment target = m == null ? null : m.requeueTarget();
            if (target == null) {
                futex.wake(seq, 1);
                return 0;
            }
            long generation = b >>> 32;
            int moved = futex.requeue(seq, s, 0, target, 1);
            if (moved < 0) {
                futex.wake(seq, 1); // seq moved on: another signal came; wake whoever sleeps
            } else if (moved > 0) {
                if (futex.requeueWakes()) {
                    unblock(generation); // the kernel's moved waiter counts itself down
                }
                movedOnto(m);
            }
        }
        return 0;
    }

    public int broadcast() {
        if (queue != null) {
            Mutex m = queue.signal(Integer.MAX_VALUE);
            if (m != null) {
                m.waitersMoved();
            }
            return 0;
        }
        long b = blocked.getAndUpdate(g -> ((g >>> 32) + 1) << 32); // every waiter so far is woken
        int s = Words.getAndAdd(seq, 1) + 1;
        if (waiting(b)) {
            Mutex m = mutex;
            MemorySegment target = m == null ? null : m.requeueTarget();
            boolean morph = futex.requeueWakes();
            int r = target == null ? -1 : futex.requeue(seq, s, morph ? 0 : 1, target, Integer.MAX_VALUE);
            if (r < 0) {
                // seq moved on (those waiters returned or will), or the mutex or the futex
                // takes no requeue: wake whoever sleeps now.
                futex.wake(seq, Integer.MAX_VALUE);
            } else if (morph && r > 0) {
                movedOnto(m);
            }
        }
        return 0;
    }

    /**
     * The kernel's requeued waiter, interrupted: an unlock's wake of the mutex word may have
     * counted it (the kernel dequeues it only when it runs), so it wakes one sleeper of that
     * word in its place, as the futex does for the word it waited on (see "Protocol").
     */
    private void wakeMoved(Mutex m) {
        MemorySegment target = m.requeueTarget();
        if (target != null) {
            futex.wake(target, 1);
        }
    }

    /** After waiters were moved onto {@code m}'s word: see that they wake (see "Protocol"). */
    private void movedOnto(Mutex m) {
        m.waitersMoved();
        if (mutex != m) {
            futex.wake(m.word, Integer.MAX_VALUE);
        }
    }

    /**
     * EBUSY while a thread is blocked and no broadcast has woken it, else 0: the check of
     * {@code pthread_cond_destroy}.
     */
    public int checkDestroy() {
        boolean blocking = queue != null ? queue.waiting() : (int) blocked.get() > 0;
        return blocking ? EBUSY : 0;
    }
}
