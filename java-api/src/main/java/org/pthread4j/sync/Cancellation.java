package org.pthread4j.sync;

import org.pthread4j.spi.Tcb;

/**
 * How a blocking primitive meets deferred cancellation; supplied by the facade, which owns
 * the cancellation state of a pthread.
 */
public interface Cancellation {

    /**
     * Entry of a cancellation point: acts on a pending cancel (does not return then), and
     * returns the caller's control block to pass to a cancellable futex wait, or
     * {@code null} when cancellation is disabled for the caller.
     */
    Tcb point();

    /** Acts on the cancel that ended a wait: unwinds the calling pthread; never returns. */
    void act(Tcb self);
}
