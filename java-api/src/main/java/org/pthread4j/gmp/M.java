package org.pthread4j.gmp;

/**
 * A machine: a carrier kernel thread that runs Gs while it holds a P ({@link #p}). Fields
 * written only by the M itself are plain; those that others hand over or read are volatile.
 */
final class M extends Thread {
    final Sched sched;
    /** The P held, or null; written by this M (and read by the G it runs, on this thread). */
    P p;
    /** A P handed to this M by {@link Sched#startm}, taken when it wakes. */
    volatile P nextp;
    /** Looking for work to steal; counted in {@link Sched#nmspinning}. */
    boolean spinning;
    /** The G running, and since when; read by sysmon. */
    volatile Runnable curg;
    volatile long gstart;
    /** Set by sysmon: the running G should yield at its next facade call. */
    volatile boolean preempt;
    /** The running G is yielding for preemption: {@link Sched#execute} queues it globally. */
    boolean preemptYield;
    int schedtick;
    /** The P held when the running G entered a system call. */
    P oldp;
    volatile long syscallTick;

    M(Sched sched, int id) {
        super("pthread4j-gmp-m" + id);
        this.sched = sched;
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
                    sched.stopm(this);
                }
                P given = nextp;
                nextp = null;
                sched.acquirep(this, given);
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
            P running = p;
            running.runs.incrementAndGet();
            preempt = false;
            gstart = System.nanoTime();
            curg = g;
            try {
                g.run();
            } catch (Throwable t) {
                // a continuation never throws; if it did, the M must survive it
            } finally {
                curg = null;
            }
        }
    }
}
