package org.pthread4j.spi;

import java.lang.foreign.MemorySegment;

/**
 * A futex over 32-bit words: the only thing the lock algorithms of {@code org.pthread4j.sync}
 * need from a backend.
 *
 * <p>A word is a 4-byte, 4-aligned native segment allocated by {@link Words}. The
 * {@code native} backend supplies the kernel's {@code futex(2)}; the {@code virtual} and
 * {@code green} backends supply a user-space parking lot keyed by the word's address. The
 * contract is the kernel's: {@code wait} compares and sleeps atomically with respect to
 * {@code wake}, so a wake that follows a change of the word is never lost; wake-ups may be
 * spurious, and callers re-check the word in a loop.
 *
 * <p>Deadlines are absolute {@code (clock, sec, nsec)} with {@code clock} one of
 * {@link #CLOCK_NONE}, {@link #CLOCK_REALTIME}, {@link #CLOCK_MONOTONIC}; callers validate
 * {@code nsec} before calling.
 *
 * <h2>Interruptible waits: an interrupted waiter never absorbs a wake-up</h2>
 * A wait given the caller's control block ({@code cancelable}) also ends when the thread's
 * interrupt word becomes non-zero ({@link #interrupt}): for a cancel it acts on
 * ({@link #CANCELED}) or for a signal to take ({@link #INTERRUPTED}), as
 * {@link Tcb#interruption} tells. One rule holds for every such wait, whatever the primitive:
 * when the wait returns {@link #CANCELED} or {@link #INTERRUPTED}, whatever else ended it, a
 * wake of the word that may have counted this waiter has been <em>passed on</em>: one other
 * waiter of the word is woken in its place. The caller may then unwind at once, or run signal
 * handlers (which may unwind too) and wait again: a {@code wake(word, 1)} meant for some
 * waiter reaches another one. Spurious wake-ups are allowed; lost ones never. How each
 * implementation keeps the rule:
 * <ul>
 *   <li>the kernel's {@code futex_waitv} cannot tell whether a wake of the word counted a
 *       waiter that it reports woken by its interrupt word (the waiter stays queued on the
 *       word until it runs), so after any sleep that an interruption ends it wakes one waiter
 *       of the word whenever the word no longer holds {@code expected}: a wake is only ever
 *       sent after the word changed, as glibc's condition variable re-signals when a
 *       cancelled waiter may have consumed a signal;</li>
 *   <li>the parking lot knows whether a waker unlinked the waiter, and passes on exactly
 *       that wake.</li>
 * </ul>
 * A primitive that acts on a cancel after a wait that returned {@link #WOKEN} or
 * {@link #REQUEUED} (it noticed the cancel later, as a condition variable does once it holds
 * its mutex again) passes on the wake itself, by the primitive's own means (the condition
 * variable signals once more). A waiter that a requeue moved where {@link #requeueWakes} has
 * been woken by the move: neither a cancel nor a signal ends its wait any more, which
 * returns REQUEUED; the primitive then takes the signal itself (the condition variable runs
 * the handlers before it returns).
 */
public interface Futex {

    /** No deadline: wait until woken. */
    int CLOCK_NONE = -1;
    int CLOCK_REALTIME = 0;
    int CLOCK_MONOTONIC = 1;

    /** {@code wait} result: woken, possibly spuriously; {@link CondQueue#await} result: a signal took the waiter and woke it. */
    int WOKEN = 0;
    /**
     * {@code wait} result: the waiting pthread has a cancellation request to act on; any wake
     * this wait may have absorbed has been passed on (see the class comment).
     */
    int CANCELED = -1;
    /**
     * {@code wait} result: a signal is pending that the waiting pthread would take; any wake
     * this wait may have absorbed has been passed on. The caller runs the handlers
     * ({@code Cancellation.interrupted}) and waits again, or fails with EINTR.
     */
    int INTERRUPTED = -2;
    /** {@code wait} result: the word did not hold the expected value. */
    int EAGAIN = 11;
    /** {@code wait} result: the deadline passed. */
    int ETIMEDOUT = 110;
    /**
     * {@code wait} result where {@link #requeueWakes}: a requeue moved the waiter to another
     * word, and a wake of that word then ended the wait; {@link CondQueue#await} result: a
     * signal took the waiter and moved it onto its target word.
     */
    int REQUEUED = 1;

    /**
     * Sleeps while {@code word} holds {@code expected}.
     *
     * @param cancelable the calling pthread's control block when the wait may end for a
     *        cancel or a signal (a cancellation point, or any blocking wait with asynchronous
     *        cancellation), so that {@link #interrupt} can end it; {@code null} otherwise
     * @return {@link #WOKEN}, {@link #EAGAIN}, {@link #ETIMEDOUT}, {@link #CANCELED},
     *         {@link #INTERRUPTED}, or {@link #REQUEUED} where {@link #requeueWakes}
     */
    int wait(MemorySegment word, int expected, int clock, long sec, long nsec, Tcb cancelable);

    /**
     * Runs {@code release}, then {@link #wait}s as that method does: for a condition variable,
     * whose release of its mutex may wake a thread; the release runs whatever the wait's
     * outcome and must not fail. The kernel's futex releases first (a waiter cannot be queued
     * without sleeping); the parking lot queues the waiter on {@code word} first, then
     * releases, then parks, so that the thread the release wakes does not have to wait for
     * this one's queueing before it can run on the carrier this one gives up.
     */
    default int waitReleasing(MemorySegment word, int expected, int clock, long sec, long nsec, Tcb cancelable,
            Runnable release) {
        release.run();
        return wait(word, expected, clock, sec, nsec, cancelable);
    }

    /** Wakes up to {@code count} waiters of {@code word}; returns how many were woken. */
    int wake(MemorySegment word, int count);

    /**
     * If {@code from} still holds {@code expected}, wakes up to {@code wakeCount} of its
     * waiters and moves up to {@code requeueCount} others to wait on {@code to}, oldest
     * first.
     *
     * @return the number woken plus moved, or {@code -EAGAIN} when {@code from} changed
     */
    int requeue(MemorySegment from, int expected, int wakeCount, MemorySegment to, int requeueCount);

    /**
     * Whether a requeue is the moved waiters' wake (wait morphing): from the move on, a moved
     * wait ends only by a wake of the word it was moved to, whatever its deadline, a cancel
     * or a signal, and returns {@link #REQUEUED}. True for the parking lot; the kernel's
     * requeued waiter keeps its deadline and its interrupt word, so there a move is no wake.
     */
    default boolean requeueWakes() {
        return false;
    }

    /**
     * A new queue for the waiters of a private condition variable, where this futex parks
     * threads itself (the parking lot), or null (the kernel: the condition sleeps on its
     * sequence word instead).
     */
    default <O> CondQueue<O> newCondQueue() {
        return null;
    }

    /**
     * The waiters of one private condition variable, oldest first, as the JDK's
     * {@code ConditionObject} keeps its own: a waiter queues itself before it releases its
     * mutex, so no sequence word is needed to see a signal that comes between the release
     * and the park. The waiters queued at one time share one owner (the mutex they wait
     * with) and its target word. A signal takes the oldest waiters off the queue: it moves
     * them onto the target word as a requeue that is a wake ({@link #requeueWakes}), or, with
     * no target, wakes them. A waiter still queued leaves for its deadline or an interruption
     * and then has taken no signal; one that a signal took off the queue is signalled: from
     * then on only a wake of the target word ends its wait (none is needed without a target),
     * and it returns {@link #REQUEUED}.
     *
     * @param <O> the owner's type
     */
    interface CondQueue<O> {

        /**
         * Queues the caller for {@code owner}: the caller then releases what it holds and
         * calls {@link #await}. Two calls instead of one, so that the queueing has returned
         * when the caller parks: a parked virtual thread keeps every frame it parked in.
         *
         * @param target the word a signal moves the waiter onto, or null: a signal wakes it
         * @param self the caller's control block ({@link Tcb#current}), which is its node in
         *        the queue ({@link Waiter}) until its await returns
         * @return false: waiters of another owner are queued, and nothing was done (the
         *         condition's EINVAL)
         */
        boolean enqueue(O owner, MemorySegment target, Tcb self);

        /**
         * Parks the caller {@code self}, queued by {@link #enqueue}, until a signal, the
         * deadline or an interruption of {@code cancelable} (null or {@code self};
         * {@link Futex#wait}'s parameters). An interruption already due at the call is seen
         * only once an {@link #interrupt} ends a park: the caller has just looked at the
         * interrupt word (a cancellation point), and every interruption since then comes
         * with that call.
         *
         * @return {@link #REQUEUED} (signalled, and moved onto the target word, where it
         *         may have slept), {@link #WOKEN} (signalled, and woken by the signal),
         *         {@link #ETIMEDOUT}, {@link #CANCELED} or {@link #INTERRUPTED} (the last
         *         three take no signal)
         */
        int await(Tcb self, int clock, long sec, long nsec, Tcb cancelable);

        /**
         * The hand-off ({@link Futex#handOffNanos}) of the caller {@code self}, queued, whose
         * release woke a sleeper, between that release and {@link #await}: a yield, then a
         * spin while no signal comes; returns before the park, which await makes.
         */
        default void handOff(Tcb self) {}

        /**
         * Signals up to {@code count} of the oldest waiters.
         *
         * @return their owner if they were moved onto its target word (the caller then sees
         *         that a wake of that word follows), else null (none, or woken: waiters
         *         without a target, and the waiters of a serial lot's virtual signaller)
         */
        O signal(int count);

        /** Whether a waiter is queued: blocked, and not signalled. */
        boolean waiting();
    }

    /**
     * Ends the interruptible wait (if any) of {@code target}, whose interrupt word has been
     * made non-zero before this call (a cancel or a signal). Must not lose the wake when the
     * target is just about to wait.
     */
    void interrupt(Tcb target);

    /** How many times a lock may spin before it sleeps: 0 where spinning cannot help (M:1). */
    int spinLimit();

    /**
     * The most retries of a NORMAL mutex's adaptive spin, where its contended lock sleeps by
     * glibc's swap (a backend whose {@link #spinLimit} is 0): 0 for none, as on one carrier.
     */
    default int adaptiveSpinLimit() {
        return 0;
    }

    /**
     * How long the adaptive spin waits between two reads of the word, in ns: 0 to read after
     * each {@link Thread#onSpinWait}.
     */
    default long adaptiveSpinPollNanos() {
        return 0;
    }

    /**
     * The hand-off of a queued condition wait whose release of the mutex woke a sleeper
     * ({@link CondQueue#handOff}): negative for none; else the waiter yields its carrier once,
     * so that the thread it woke, queued on that carrier, runs there at once instead of an
     * idle carrier being woken to take it, and then spins up to this many nanoseconds for
     * its signal (the woken thread may run on another carrier) before it parks.
     */
    default long handOffNanos() {
        return -1;
    }

    /** How long a condition waiter may spin on the sequence word before it sleeps, in ns. */
    default long condSpinNanos() {
        return 0;
    }
}
