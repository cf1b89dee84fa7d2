package org.pthread4j.sync;

import org.pthread4j.spi.Tcb;

/**
 * How a blocking primitive meets cancellation and signals; supplied by the facade, which owns
 * the cancellation state and the signal emulation of a pthread.
 *
 * <p>Deferred cancellation acts only at cancellation points ({@link #point}); asynchronous
 * cancellation (state enabled, type asynchronous) also ends every other blocking wait of the
 * library ({@link #asynchronous}): a lock, a barrier, a spin. Both are looked up on the slow
 * path only, before the caller sleeps or spins; a fast path never asks.
 *
 * <p>A signal ends the same waits (a futex wait given the control block returns
 * {@link org.pthread4j.spi.Futex#INTERRUPTED}): the primitive undoes its bookkeeping of the
 * wait, runs the handlers ({@link #interrupted}) and waits again, or, where the C call
 * fails with EINTR, returns EINTR.
 */
public interface Cancellation {

    /** {@link #interrupted}: no handler ran (the signals were ignored, or taken by another thread). */
    int NO_HANDLER = 0;
    /** {@link #interrupted}: handlers ran, each installed with SA_RESTART. */
    int RESTART = 1;
    /** {@link #interrupted}: a handler without SA_RESTART ran. */
    int NO_RESTART = 2;

    /**
     * Entry of a cancellation point: runs the handlers of the signals pending for the caller,
     * acts on a pending cancel when cancellation is enabled (does not return then), and
     * returns the caller's control block to pass to an interruptible futex wait (a cancel
     * the caller may not act on does not end it), or {@code null} while the caller unwinds.
     */
    Tcb point();

    /**
     * Before a blocking wait that is not a cancellation point sleeps or spins: when the
     * caller's cancellation is enabled and asynchronous, acts on a pending cancel (does not
     * return then) and returns the caller's control block to pass to a cancellable futex
     * wait; otherwise {@code null}, and the wait is not cancellable.
     */
    Tcb asynchronous();

    /**
     * Acts on the cancel that ended a wait: unwinds the calling pthread; never returns. A
     * primitive calls it only once its own bookkeeping of the wait is undone (waiter counts),
     * since the caller may be a launcher thread whose cancel ends the process (as
     * {@code pthread_exit} in C's {@code main}).
     */
    void act(Tcb self);

    /**
     * Runs the handlers of the signals that ended a wait of {@code self} (the wait returned
     * INTERRUPTED); a handler may unwind the thread, so the primitive calls it only once its
     * own bookkeeping of the wait is undone.
     *
     * @return {@link #NO_HANDLER}, {@link #RESTART} or {@link #NO_RESTART}
     */
    int interrupted(Tcb self);
}
