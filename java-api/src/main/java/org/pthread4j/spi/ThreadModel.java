package org.pthread4j.spi;

/**
 * What a backend provides besides its {@link Futex}: how a pthread becomes a running thread
 * of its model, and what the model says about identity.
 *
 * <p>The facade owns everything POSIX defines (join/detach states, exit values, keys,
 * cancellation); a thread model only starts bodies and releases what its threads hold.
 * All methods return {@code 0} or a positive errno value.
 */
public interface ThreadModel {

    /** The backend's name: {@code native}, {@code virtual}, {@code green}. */
    String name();

    Futex futex();

    /**
     * Starts a thread of this model that runs {@code body} once and never lets it throw
     * (the body catches everything itself).
     *
     * @param stackSize requested stack size in bytes, 0 for the default
     * @param guardSize requested guard size in bytes, or -1 for the default
     * @param detached  whether nobody will call {@link #join}
     * @param name      the initial thread name or null
     * @return 0, EAGAIN (no resources), EINVAL or EPERM
     */
    int start(Tcb tcb, Runnable body, long stackSize, long guardSize, boolean detached, String name);

    /**
     * Waits until the joinable thread {@code target} has ended and releases what the model
     * held for it (the kernel's join). The default waits on the exit word
     * ({@link Tcb#awaitExit}), which is all a thread of the JVM holds.
     *
     * @param cancelable the joiner's control block when the join may end for a cancel or a
     *        signal (see {@link Futex#wait}), else {@code null}
     * @return 0 once the body has ended, with its exit value visible to the caller (the
     *         exit word read with acquire semantics); {@link Futex#CANCELED} or
     *         {@link Futex#INTERRUPTED} when a cancel or a signal ended the wait (the target
     *         stays joinable in the model); or a positive errno from the model
     */
    default int join(Tcb target, Tcb cancelable) {
        return target.awaitExit(futex(), cancelable);
    }

    /** Marks a started thread detached in the model too. */
    int detach(Tcb tcb);

    /** The kernel tid of the calling thread (for M:N models: of its current carrier). */
    int gettid();

    /** Sets the name the model shows for the thread (the kernel name for kernel threads). */
    int setName(Tcb tcb, String name);

    /** The smallest stack size accepted by {@code pthread_attr_setstacksize}. */
    long stackMin();

    /**
     * Called by frequent facade calls: a model with cooperative preemption yields here when
     * the running pthread has overrun its time slice. Nothing elsewhere.
     */
    default void preemptPoint() {}
}
