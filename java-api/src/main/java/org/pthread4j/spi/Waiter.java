package org.pthread4j.spi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A thread as a user-space futex's queues hold it (the parking lot of the models whose
 * threads are virtual threads): the thread, the links of the one list it is on, and one word
 * of state that the queue defines. Every thread is on at most one list at a time, and only
 * while it waits (it queues itself, and its wait returns once it is off the list), so the
 * node is the thread's control block itself ({@link Tcb} extends this class): a blocked
 * thread keeps no object for its place in a queue, and a wait allocates none.
 *
 * <h2>Reuse</h2>
 * The node is queued again by the thread's next wait, so a waker must be done with it before
 * it lets the waiter go: it reads the links and the thread under the lock that lists the
 * node, and its last write to the node is the state that ends the wait; after that it may
 * only unpark the thread it read (a spurious unpark of a thread that waits again is harmless:
 * every park is in a loop that reads the state).
 */
public abstract class Waiter {
    private static final VarHandle WAIT_STATE;

    static {
        try {
            WAIT_STATE = MethodHandles.lookup().findVarHandle(Waiter.class, "waitState", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The Java thread that runs this pthread; set when it starts. */
    public volatile Thread thread;
    /** The queue's word: written only under the lock of the list that holds the node. */
    @SuppressWarnings("unused") // accessed through WAIT_STATE
    private long waitState;
    /** The links of the list that holds the node; only under that list's lock. */
    public Waiter waitPrev;
    public Waiter waitNext;

    protected Waiter() {}

    /** The state as the waiter reads it, without the list's lock. */
    public final long waitState() {
        return (long) WAIT_STATE.getAcquire(this);
    }

    /** Writes the state; only under the lock of the list that holds the node. */
    public final void waitState(long state) {
        WAIT_STATE.setRelease(this, state);
    }
}
