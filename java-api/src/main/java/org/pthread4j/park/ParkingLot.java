package org.pthread4j.park;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import org.pthread4j.spi.Futex;
import org.pthread4j.spi.Tcb;
import org.pthread4j.spi.Waiter;
import org.pthread4j.spi.Words;

/**
 * A user-space futex: waiters parked in queues keyed by the word's address, for the models
 * whose threads are virtual threads. A parked virtual thread gives its carrier back, so a
 * blocked pthread never pins a kernel thread.
 *
 * <h2>Structure</h2>
 * {@link #BUCKETS} buckets, each a lock and a FIFO list of {@link Waiter}s; a word's address
 * hashes to one bucket. A waiter records the address it waits on ({@link Waiter#waitState()});
 * requeue moves waiters between lists and rewrites that address. A private condition
 * variable's waiters wait on a queue of their own until signalled (see "Condition queues").
 *
 * <h2>Bucket locks</h2>
 * A bucket lock is held only for a few list operations and a read of the word, never across
 * a park or an unpark, so its holder is always running (on a carrier or a platform thread):
 * it is a spin lock on one word, as the kernel's futex hash buckets are, taken with one CAS
 * and released with a release store (measured here: half the cost of an uncontended
 * {@code ReentrantLock}, whose unlock is a full fence). A locker that finds it held spins
 * {@link #LOCK_SPINS} times, then yields between tries: the holder may be a carrier that the
 * kernel has descheduled.
 *
 * <h2>Protocol</h2>
 * <ol>
 *   <li>wait: lock the word's bucket; if an interruption is due ({@link Tcb#interruption}:
 *       a cancel or a signal), or the word differs from the expected value, unlock and return
 *       CANCELED or INTERRUPTED (EAGAIN). Otherwise append a waiter
 *       and unlock. Comparing under the bucket lock is what makes compare-and-sleep atomic
 *       with respect to wake, which takes the same lock. {@link #waitReleasing} runs the
 *       caller's release (a condition variable's unlock of its mutex, which may wake a
 *       thread) after this step, whatever its outcome, and before the park: the waiter is
 *       queued before anyone can signal it through the mutex, and between the unpark that
 *       the release may send and this thread's park there is no work left, so the woken
 *       thread finds this carrier free instead of being stolen by another one.</li>
 *   <li>park until WAKE is set. On a deadline, try to unlink the waiter: if it is still
 *       queued, return ETIMEDOUT; if a waker got there first, the wake counts and the call
 *       returns WOKEN. On an interruption (checked before WAKE), unlink the waiter
 *       or, if a waker got there first, pass that wake on to the next waiter of the word;
 *       return CANCELED or INTERRUPTED either way ({@link Futex}'s rule: an interrupted
 *       waiter never absorbs a wake-up).</li>
 *   <li>wake: lock the bucket, unlink up to n waiters of the address, set WAKE in their
 *       {@code state} (a release store), unlock, then unpark them.</li>
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
 *
 * <h2>Condition queues</h2>
 * A private condition variable queues its waiters on a {@link CondQueue} of its own
 * ({@link #newCondQueue}): a list, whose waiters' state is the target word they will be
 * moved onto (0: none, a signal wakes them), guarded by the lock of the target word's bucket
 * (the queue's <em>guard</em>; the queue's own lock, like a bucket's, for an owner without a
 * target). So a signal moves a waiter from the queue onto the target's list under one lock,
 * and per hand-over from a signaller to a waiter that a signal moves onto its mutex there
 * are that lock's turns for the waiter's queueing and for the signal, then the mutex's own
 * release and wake. No sequence word: the waiter is queued before it releases the mutex.
 * <pre>
 *   state                 where the waiter is              who writes it next
 *   target                on the queue                     a signal (guard's lock)
 *   target | MOVED        on the target bucket's list      the target bucket's wake
 *   target | MOVED | WAKE woken on the target: the wait returns REQUEUED
 *   WAKE                  woken by the signal itself: the wait returns WOKEN
 * </pre>
 * A signal wakes its waiters itself, instead of moving them, where they have no target,
 * and where the lot is <em>serial</em> ({@link #ParkingLot(int, boolean)}: one carrier runs
 * every virtual thread that waits here, one at a time, as on {@code green}) and the
 * signaller is a virtual thread: a waiter it wakes cannot run before it blocks, which a
 * signaller that holds the mutex usually does by releasing it (in a condition wait, or
 * after its unlock). The move exists so that a woken waiter does not run only to find the
 * mutex held by its signaller and sleep on it again, which cannot happen then; and a woken
 * waiter costs less: no WAITERS on the mutex word for the move, no turn of the bucket lock
 * for the release's wake, and a relock without the flag (measured with the one-carrier
 * ping-pong, see the README). A signaller that is a platform thread runs beside the
 * carrier, so its waiters are still moved.
 * The guard changes only while the queue is empty, when a waiter of an owner with another
 * target comes: under the old guard's lock and the new one's, taken in index order as
 * requeue takes two (a queue's own lock first). A locker reads the guard, locks it, and
 * checks that it is still the guard.
 * <ol>
 *   <li>wait, in two calls: enqueue locks the guard; if the queue holds waiters of another
 *       owner, it unlocks and returns null (the condition's EINVAL, nothing released); else
 *       it binds the owner (and its guard) if the queue was empty, appends the waiter and
 *       unlocks. The caller runs its release (the mutex's unlock, which may wake its next
 *       owner: the waiter is queued before any signaller can hold the mutex), then await
 *       parks until signalled, and on an interruption or the deadline leaves (step 3).
 *       <br>1a, the <em>hand-off</em> ({@link #handOffNanos} not negative, so never on a
 *       serial lot): where the release woke a sleeper, the caller calls handOff between its
 *       release and await, which yields the carrier, then spins while its state has no
 *       WAKE, up to {@link #handOffNanos}; await then parks, as above, unless WAKE came.
 *       The JDK's scheduler queues a thread unparked by a virtual thread on the unparker's
 *       carrier, and a push onto an empty queue wakes an idle carrier, which may steal it;
 *       the yield runs the woken thread on this carrier at once (queued behind it, the
 *       waiter wakes nobody), and in a ping-pong it signals and yields back in turn: each
 *       hand-over is a yield, with no park, no unpark of a parked thread and no carrier
 *       woken. Where another carrier took the woken thread, the two run in parallel, and
 *       its signal usually comes within the spin (a thread that spins is running: its
 *       unpark is a permit, nothing queued). Neither step reads the deadline or the
 *       interrupt word; both are bounded, and await's loop reads them next. A call of its
 *       own, not a step of await: a parked virtual thread keeps every frame it parked in,
 *       and the hand-off returns before the park.</li>
 *   <li>signal: lock the guard, cut the oldest {@code count} waiters off the queue, write
 *       each state (target | MOVED, or WAKE where the signal wakes them, above), append the
 *       chain to the target bucket's list (the guard's own), unlock, and return the owner,
 *       whose caller makes sure an unlock of the target word will wake them
 *       ({@code Mutex.waitersMoved}); where it wakes them, unlock and unpark each one.</li>
 *   <li>leave (deadline, interruption): lock the guard (the waiter's own while it is
 *       listed); if the state is still the bare target, unlink the waiter and return the
 *       deadline's or the interruption's result: no signal was taken. Else a signal took the
 *       waiter first: park until WAKE and return REQUEUED or WOKEN, whatever the deadline or
 *       interruption. The guard's lock orders the signal's cut against the unlink: exactly
 *       one of them happens.</li>
 * </ol>
 */
public final class ParkingLot implements Futex {

    /** Enough that a word's bucket rarely holds another word's crowd (a wake scans its bucket). */
    static final int BUCKETS = 4096;
    /** Tries of a held bucket lock before the locker starts to yield between tries. */
    static final int LOCK_SPINS = 100;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** {@link Waiter#waitState()}: a requeue moved the waiter (a word's address is 4-aligned: bits 0 and 1 are free). */
    static final long MOVED = 1;
    /** {@link Waiter#waitState()}: a waker unlinked the waiter. */
    static final long WAKE = 2;

    /*
     * Waiter state: a waiter's {@link Waiter#waitState()} is the address it waits on, with {@link #MOVED}
     * and {@link #WAKE} (one word instead of three fields); written only under the lock of the
     * bucket that lists the waiter, or of the guard of the {@link CondQueue} that does, with
     * release stores (the bucket lock orders the writers), and read by the waiter without the
     * lock, with acquire loads. The waiter is the thread's control block ({@link Waiter}), which
     * its next wait queues again: a waker reads the links and the thread of each waiter it
     * takes before it writes WAKE, its last write to the waiter, and keeps only the thread,
     * to unpark it. A WAKE is followed by a full fence before its unpark ({@link Unparks}):
     * the JDK's unpark of a thread that holds a permit already is a plain read of that permit,
     * and a release store may pass a later read, so without the fence a waiter resumed by an
     * older unpark whose permit it then consumes could read its state before the WAKE and
     * park with no unpark to come (a lost wake-up, which the hand-off's ping-pong met).
     */

    /** The address {@code w} waits on; only under the lock of the list that holds it. */
    private static long address(Waiter w) {
        return w.waitState() & ~(MOVED | WAKE);
    }

    private static boolean woken(Waiter w) {
        return (w.waitState() & WAKE) != 0;
    }

    /** The waiter of the calling thread: its control block, {@code self} if that is it. */
    private static Waiter self(Tcb self) {
        return self != null && self.thread == Thread.currentThread() ? self : Tcb.current();
    }

    /** A spin lock (see "Bucket locks") and a doubly linked FIFO list. */
    static class Bucket {
        private static final VarHandle LOCKED;

        static {
            try {
                LOCKED = MethodHandles.lookup().findVarHandle(Bucket.class, "locked", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** 1 while held, else 0; the list below is guarded by it. */
        @SuppressWarnings("unused") // accessed through LOCKED
        private volatile int locked;
        /** The place in the order two locks are taken in: the bucket's index, -1 for a condition queue. */
        final int index;
        Waiter head;
        Waiter tail;

        Bucket(int index) {
            this.index = index;
        }

        void lock() {
            if (!LOCKED.compareAndSet(this, 0, 1)) {
                lockSlow();
            }
        }

        private void lockSlow() {
            for (int spins = 0; ; spins++) {
                if ((int) LOCKED.getOpaque(this) == 0 && LOCKED.compareAndSet(this, 0, 1)) {
                    return;
                }
                if (spins < LOCK_SPINS) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        }

        void unlock() {
            LOCKED.setRelease(this, 0);
        }

        void append(Waiter w) {
            w.waitNext = null;
            append(w, w);
        }

        /** Appends the chain {@code first..last} (linked by {@code waitNext}, {@code last.waitNext} null). */
        void append(Waiter first, Waiter last) {
            first.waitPrev = tail;
            if (tail == null) {
                head = first;
            } else {
                tail.waitNext = first;
            }
            tail = last;
        }

        void unlink(Waiter w) {
            if (w.waitPrev == null) {
                head = w.waitNext;
            } else {
                w.waitPrev.waitNext = w.waitNext;
            }
            if (w.waitNext == null) {
                tail = w.waitPrev;
            } else {
                w.waitNext.waitPrev = w.waitPrev;
            }
            w.waitPrev = null;
            w.waitNext = null;
        }
    }

    private final Bucket[] buckets = new Bucket[BUCKETS];
    private final int spinLimit;
    private final boolean serial;
    private final long handOffNanos;

    /** A lot whose threads may run in parallel ({@link #ParkingLot(int, boolean)}, not serial). */
    public ParkingLot(int spinLimit) {
        this(spinLimit, false);
    }

    /**
     * @param spinLimit what {@link #spinLimit} answers
     * @param serial whether one carrier runs every virtual thread that waits here, one at a
     *        time (an M:1 scheduler): a condition's signal from one of them then wakes its
     *        waiters instead of moving them (see "Condition queues")
     */
    public ParkingLot(int spinLimit, boolean serial) {
        this(spinLimit, serial, -1);
    }

    /**
     * @param spinLimit what {@link #spinLimit} answers
     * @param serial as above
     * @param handOffNanos what {@link #handOffNanos} answers: how long a condition waiter
     *        whose release woke a sleeper spins after its yield (see "Condition queues"),
     *        negative for no hand-off; a serial lot has none
     */
    public ParkingLot(int spinLimit, boolean serial, long handOffNanos) {
        this.spinLimit = spinLimit;
        this.serial = serial;
        this.handOffNanos = serial ? -1 : handOffNanos;
        for (int i = 0; i < BUCKETS; i++) {
            buckets[i] = new Bucket(i);
        }
    }

    /** Whether one carrier runs every virtual thread that waits here (see {@link #ParkingLot(int, boolean)}). */
    public boolean serial() {
        return serial;
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
        return waitReleasing(word, expected, clock, sec, nsec, cancelable, null);
    }

    /** Queues the waiter, then runs {@code release}, then parks (protocol, step 1). */
    @Override
    public int waitReleasing(MemorySegment word, int expected, int clock, long sec, long nsec, Tcb cancelable,
            Runnable release) {
        long address = word.address();
        Bucket b = bucket(address);
        Waiter w = self(cancelable);
        int r = WOKEN;
        b.lock();
        try {
            int interruption = cancelable == null ? 0 : cancelable.interruption();
            if (interruption != 0) {
                r = interruption;
            } else if (Words.get(word) != expected) {
                r = EAGAIN;
            } else {
                w.waitState(address);
                b.append(w);
            }
        } finally {
            b.unlock();
        }
        if (release != null) {
            release.run();
        }
        if (r != WOKEN) {
            return r;
        }
        for (;;) { // step 2 (in this frame: a parked virtual thread keeps every frame it parked in)
            // One read for both flags: a move and the wake of the new word may both come
            // between two reads, and a moved waiter must never return WOKEN.
            long state = w.waitState();
            if ((state & MOVED) != 0) {
                return requeued(w);
            }
            int interruption = cancelable == null ? 0 : cancelable.interruption();
            if (interruption != 0) {
                int u = unlinkOrWoken(w, address, interruption);
                if (u == REQUEUED) {
                    return requeued(w);
                }
                if (u == WOKEN) {
                    wake(address, 1); // the wake this waiter took goes to another
                }
                return interruption;
            }
            if ((state & WAKE) != 0) {
                return WOKEN;
            }
            if (clock == CLOCK_NONE) {
                park(this);
                continue;
            }
            long remaining = remainingNanos(clock, sec, nsec);
            if (remaining <= 0) {
                int u = unlinkOrWoken(w, address, ETIMEDOUT);
                return u == REQUEUED ? requeued(w) : u;
            }
            LockSupport.parkNanos(this, remaining);
        }
    }

    /**
     * Every untimed park of the lot. The JIT takes {@code LockSupport.park} (52 bytes of
     * bytecode, more than the 35 a rarely taken call may have) into a caller only where the
     * caller's own profile has it called often, and in a condition wait the hand-off ends
     * most waits before their park: the park stayed a frame of its own (64 bytes) under
     * every virtual pthread blocked there. This method is small enough (5 bytes) to be taken
     * into any caller, whatever its profile, and in its own profile it parks on every call: a
     * wait compiled once that profile has counted enough calls has the park compiled in (one
     * compiled before, in a program that has hardly parked yet, still calls it).
     */
    private static void park(Object blocker) {
        LockSupport.park(blocker);
    }

    /** The rest of a wait that a requeue moved: until a wake of the new word, nothing else. */
    private int requeued(Waiter w) {
        while (!woken(w)) {
            park(this);
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
            long state = w.waitState();
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
        Unparks woken = new Unparks();
        b.lock();
        try {
            for (Waiter w = b.head; w != null && woken.count < count; ) {
                Waiter next = w.waitNext;
                if (address(w) == address) {
                    b.unlink(w);
                    woken.wake(w, w.waitState() | WAKE);
                }
                w = next;
            }
        } finally {
            b.unlock();
        }
        return woken.unparkAll();
    }

    /**
     * The threads that a waker took off a list, to unpark once it has let go of the lock
     * (see "Waiter state"): the first in a field, the others (a broadcast's) in an array
     * made only for them. A local of the waker's, which the JIT keeps in registers.
     */
    private static final class Unparks {
        int count;
        private Thread first;
        private Thread[] more;

        /** Ends {@code w}'s wait with {@code state}, which has WAKE: the last write to {@code w}. */
        void wake(Waiter w, long state) {
            Thread t = w.thread;
            w.waitState(state);
            if (count == 0) {
                first = t;
            } else {
                if (more == null) {
                    more = new Thread[4];
                } else if (count - 1 == more.length) {
                    more = java.util.Arrays.copyOf(more, 2 * more.length);
                }
                more[count - 1] = t;
            }
            count++;
        }

        /** Unparks the threads taken, after one full fence (see "Waiter state"); returns how many. */
        int unparkAll() {
            if (count > 0) {
                VarHandle.fullFence();
                LockSupport.unpark(first);
                for (int i = 0; i < count - 1; i++) {
                    LockSupport.unpark(more[i]);
                }
            }
            return count;
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
        Bucket first = a.index <= b.index ? a : b;
        Bucket second = first == a ? b : a;
        Unparks woken = new Unparks();
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
                Waiter next = w.waitNext;
                if (address(w) == src) {
                    if (woken.count < wakeCount) {
                        a.unlink(w);
                        woken.wake(w, w.waitState() | WAKE);
                    } else if (moved < requeueCount) {
                        a.unlink(w);
                        w.waitState(dst | MOVED);
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
        return woken.unparkAll() + moved;
    }

    @Override
    public <O> CondQueue<O> newCondQueue() {
        return new CondQueue<>(this);
    }

    /**
     * A private condition variable's waiters (see "Condition queues"): a list, the owner of
     * the waiters on it, and the guard, the bucket whose lock guards both. The queue's own
     * lock is the guard of an owner without a target word.
     */
    static final class CondQueue<O> extends Bucket implements Futex.CondQueue<O> {
        private final ParkingLot lot;
        /**
         * The bucket whose lock guards the list and {@link #owner}: the owner's target word's,
         * or this queue for an owner without one. Rebound only while the list is empty, under
         * the locks of the old guard and the new one; read without a lock, then checked under
         * the lock taken ({@link #lockGuard}).
         */
        private volatile Bucket guard = this;
        /** The owner of the waiters listed; guarded by the guard's lock. */
        private O owner;

        CondQueue(ParkingLot lot) {
            super(-1);
            this.lot = lot;
        }

        /** Locks the current guard and returns it. */
        private Bucket lockGuard() {
            for (;;) {
                Bucket g = guard;
                g.lock();
                if (guard == g) {
                    return g;
                }
                g.unlock();
            }
        }

        @Override
        public boolean enqueue(O owner, MemorySegment target, Tcb self) {
            long address = target == null ? 0 : target.address();
            return enqueue(self, owner, address, guardOf(address));
        }

        /** The bucket that guards the list while the owner's target word is {@code address} (0: none). */
        private Bucket guardOf(long address) {
            return address == 0 ? this : lot.bucket(address);
        }

        @Override
        public int await(Tcb self, int clock, long sec, long nsec, Tcb cancelable) {
            // The interrupt word is first read after a park: the caller looked at it last
            // (a cancellation point), and an interruption that comes after that has unparked
            // this thread (an interrupter sets the word, then unparks), so the first park
            // returns at once. Nothing between parks this thread. The loop is small enough to
            // compile into its caller, and what it calls returns before the park: a parked
            // virtual thread keeps every frame it parked in.
            for (boolean parked = false; ; parked = true) {
                long state = self.waitState();
                if ((state & WAKE) != 0) {
                    return (state & MOVED) != 0 ? REQUEUED : WOKEN;
                }
                if ((state & MOVED) == 0) { // still queued: the deadline or an interruption may end the wait
                    int interruption = cancelable == null || !parked ? 0 : interruption(cancelable);
                    if (interruption != 0 || clock != CLOCK_NONE) {
                        int r = turn(self, state, interruption, clock, sec, nsec);
                        if (r != 0) {
                            return r;
                        }
                        continue; // a signal took the waiter first, or the timed park ended
                    }
                }
                park(this);
            }
        }

        /**
         * {@link Tcb#interruption} of a parked waiter, through a method handle held in a field
         * that is not final, which the JIT does not take for a constant and so never compiles
         * into the park's loop: its reads of the interrupt word check the memory segment's
         * bounds, and every such check is a point where the loop's frame, which a parked
         * virtual thread keeps, holds all that is live in it and its callers (see
         * {@code Cond}'s queued wait).
         */
        private static int interruption(Tcb cancelable) {
            try {
                return (int) interruptionCall.invokeExact(cancelable);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        /** {@link Tcb#interruption}. */
        private static MethodHandle interruptionCall;

        static {
            try {
                interruptionCall = MethodHandles.lookup().findVirtual(Tcb.class, "interruption", MethodType.methodType(int.class));
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** Step 1a of "Condition queues": the hand-off's yield, then its spin while no WAKE comes. */
        @Override
        public void handOff(Tcb self) {
            Thread.yield();
            long limit = lot.handOffNanos;
            if (limit > 0 && (self.waitState() & WAKE) == 0) {
                long start = System.nanoTime();
                do {
                    Thread.onSpinWait();
                } while ((self.waitState() & WAKE) == 0 && System.nanoTime() - start < limit);
            }
        }

        /**
         * A turn of a waiter still queued, whose target is {@code state}, that has an
         * interruption (non-zero) or a deadline: the interruption's result or ETIMEDOUT once
         * it left the queue, else 0 (a signal took it first, or the timed park ended).
         */
        private int turn(Waiter w, long state, int interruption, int clock, long sec, long nsec) {
            Bucket g = guardOf(state);
            if (interruption != 0) {
                return leave(w, g, interruption);
            }
            long remaining = remainingNanos(clock, sec, nsec);
            if (remaining <= 0) {
                return leave(w, g, ETIMEDOUT);
            }
            LockSupport.parkNanos(this, remaining);
            return 0;
        }

        /**
         * Step 1 of "Condition queues": appends {@code w} under its guard {@code g}, binding
         * the owner (and, if {@code g} is not the guard yet, rebinding the guard) when the
         * list is empty; false if waiters of another owner are listed.
         */
        private boolean enqueue(Waiter w, O owner, long target, Bucket g) {
            for (;;) {
                if (guard != g) {
                    return rebind(w, owner, target, g);
                }
                g.lock();
                if (guard == g) {
                    boolean taken = bind(owner);
                    if (taken) {
                        w.waitState(target);
                        append(w);
                    }
                    g.unlock();
                    return taken;
                }
                g.unlock();
            }
        }

        /**
         * {@link #enqueue} where another bucket guards the queue: with both locks, in index
         * order (as requeue takes two; a queue's own comes first), makes {@code g} the guard
         * if the list is empty and appends {@code w}; false if another owner's waiters are
         * listed (the owner's waiters have guard {@code g}).
         */
        private boolean rebind(Waiter w, O owner, long target, Bucket g) {
            for (;;) {
                Bucket current = guard;
                if (current == g) {
                    return enqueue(w, owner, target, g);
                }
                Bucket first = current.index <= g.index ? current : g;
                Bucket second = first == g ? current : g;
                first.lock();
                second.lock();
                try {
                    if (guard != current) {
                        continue;
                    }
                    if (head != null) {
                        return false;
                    }
                    this.owner = owner;
                    guard = g;
                    w.waitState(target);
                    append(w);
                    return true;
                } finally {
                    second.unlock();
                    first.unlock();
                }
            }
        }

        /** Under the guard's lock: takes {@code owner} if the list is empty; false if another owner's waiters are listed. */
        private boolean bind(O owner) {
            if (head == null && this.owner != owner) {
                this.owner = owner; // only when it changes: a reference store into a long-lived queue costs the GC's barrier
                return true;
            }
            return this.owner == owner;
        }

        /**
         * Unlinks a waiter that gives up, under {@code g}, its guard while it is listed:
         * {@code result}, or 0 if a signal took it off the list first (and wrote its state
         * under that lock).
         */
        private int leave(Waiter w, Bucket g, int result) {
            g.lock();
            try {
                if ((w.waitState() & (MOVED | WAKE)) != 0) {
                    return 0;
                }
                unlink(w);
                return result;
            } finally {
                g.unlock();
            }
        }

        @Override
        public O signal(int count) {
            // A plain read: a signaller that holds the mutex sees every waiter that released
            // it (the mutex orders them); one that does not may miss a waiter queued meanwhile,
            // as it may when it comes first.
            if (head == null) {
                return null;
            }
            Unparks woken = new Unparks();
            Bucket g = lockGuard();
            try {
                Waiter first = head;
                if (first == null) {
                    return null;
                }
                O o = owner;
                long target = address(first); // every waiter listed has the owner's target
                if (target != 0 && lot.serial && Thread.currentThread().isVirtual()) {
                    target = 0; // the waiters cannot run before this thread blocks: woken, not moved
                }
                Waiter last = first;
                for (int n = 1; n < count && last.waitNext != null; n++) {
                    last = last.waitNext;
                }
                head = last.waitNext;
                if (head == null) {
                    tail = null;
                } else {
                    head.waitPrev = null;
                    last.waitNext = null;
                }
                if (target != 0) {
                    for (Waiter w = first; w != null; w = w.waitNext) {
                        w.waitState(target | MOVED);
                    }
                    g.append(first, last); // g is the target word's bucket: moved under one lock
                    return o;
                }
                for (Waiter w = first; w != null; ) {
                    Waiter next = w.waitNext; // read before the WAKE that lets w go
                    w.waitPrev = null;
                    w.waitNext = null;
                    woken.wake(w, WAKE);
                    w = next;
                }
            } finally {
                g.unlock();
            }
            woken.unparkAll();
            return null;
        }

        @Override
        public boolean waiting() {
            Bucket g = lockGuard();
            try {
                return head != null;
            } finally {
                g.unlock();
            }
        }
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
    public long handOffNanos() {
        return handOffNanos;
    }

    @Override
    public int spinLimit() {
        return spinLimit;
    }
}
