package org.pthread4j.gmp;

/**
 * A machine: a carrier kernel thread that runs Gs while it holds a P ({@link #p}). Fields
 * written only by the M itself (or by the G it carries, on the same kernel thread) are plain;
 * those that others hand over or read are volatile.
 */
final class M extends Thread {
    final Sched sched;
    /** 1, 2, …: the owner field of the status word of a P this M holds. */
    final int id;
    /**
     * The P held, or null. Written by this M; after a retake it names a P the M no longer
     * owns until the M notices (a failed CAS on the P's word): ownership is the word's.
     */
    P p;
    /** A P handed to this M by {@link Sched#startm}, taken when it wakes. */
    volatile P nextp;
    /** Looking for work to steal; counted in {@link Sched#nmspinning}. */
    boolean spinning;
    /** The G running (read by {@link Sched#execute} on this thread only). */
    Runnable curg;
    /** Set by sysmon: the running G should yield at its next facade call. */
    volatile boolean preempt;
    /** The running G is yielding for preemption: {@link Sched#execute} queues it globally. */
    boolean preemptYield;
    /** When the running G entered its system call; read by sysmon. */
    volatile long syscallTick;

    M(Sched sched, int id) {
        super("pthread4j-gmp-m" + id);
        this.sched = sched;
        this.id = id;
        setDaemon(true);
    }

    /** The scheduling loop: take a P, find a G, run it until it parks, yields or ends. */
    @Override
    public void run() {
        for (;;) {
            try {
                schedule();
            } catch (Throwable t) {
                // A scheduler bug must not silently lose a carrier: say it, and go on.
                System.err.println("pthread4j gmp: " + getName() + ": " + t);
            }
        }
    }

    private void schedule() {
        for (;;) {
            if (p == null) {
                if (nextp == null) {
                    sched.stopm(this); // parks until given a P, or polls the network and may take one
                }
                if (p == null) {
                    P given = nextp;
                    nextp = null;
                    sched.acquirep(this, given);
                }
            }
            Runnable g = sched.findRunnable(this);
            if (g == null) {
                continue; // the P was given up: park
            }
            if (spinning) {
                spinning = false;
                if (sched.nmspinning.decrementAndGet() == 0) {
                    sched.wakep(); // found work: let another M look for more
                }
            }
            curg = g;
            sched.startSlice(this, p);
            try {
                g.run();
            } catch (Throwable t) {
                // a continuation never throws; if it did, the M must survive it
            }
            curg = null;
            sched.endSlice(this);
        }
    }
}
