package org.pthread4j.sync;

import org.pthread4j.spi.Tcb;

/**
 * How a blocking primitive meets cancellation; supplied by the facade, which owns the
 * cancellation state of a pthread.
 *
 * <p>Deferred cancellation acts only at cancellation points ({@link #point}); asynchronous
 * cancellation (state enabled, type asynchronous) also ends every other blocking wait of the
 * library ({@link #asynchronous}): a lock, a barrier, a spin. Both are looked up on the slow
 * path only, before the caller sleeps or spins; a fast path never asks.
 */
public interface Cancellation {

    /**
     * Entry of a cancellation point: acts on a pending cancel (does not return then), and
     * returns the caller's control block to pass to a cancellable futex wait, or
     * {@code null} when cancellation is disabled for the caller.
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
}
