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
     * What the model provides for objects that processes share, or {@code null} when its
     * threads cannot wait on memory that other processes map (PTHREAD_PROCESS_SHARED is then
     * ENOTSUP).
     */
    default ProcessShared processShared() {
        return null;
    }

    /**
     * Called by frequent facade calls: a model with cooperative preemption yields here when
     * the running pthread has overrun its time slice. Nothing elsewhere.
     */
    default void preemptPoint() {}

    /** Called when a foreign thread (one pthread_create did not start) first asks for its handle. */
    default void adopt(Tcb self) {}

    // ---- scheduling -------------------------------------------------------------------------
    //
    // The defaults are a user-level thread's (virtual, green, gmp): its model's scheduler runs
    // every pthread alike, on carriers whose kernel scheduling it does not change. So a
    // non-real-time policy (SCHED_OTHER, SCHED_BATCH, SCHED_IDLE, priority 0) is stored and
    // given back, with no effect; a real-time one (SCHED_FIFO, SCHED_RR) is EPERM, the
    // answer Linux gives a thread without the privilege for it: no pthread of the model has
    // it. A CPU mask is checked as the kernel checks one (against the CPUs the JVM may use),
    // stored and given back, and does not bind the pthread: the carrier it runs on decides the
    // CPU. There is no per-thread CPU-time clock (ENOENT).

    /**
     * Sets the policy and priority of {@code t} ({@code sched_setscheduler} of its kernel
     * thread on {@code native}).
     *
     * @return 0; EINVAL (unknown policy, or a priority outside its range); EPERM (no
     *         privilege for the policy); ESRCH (the thread is gone)
     */
    default int setSched(Tcb t, int policy, int priority) {
        if (!Scheduling.valid(policy, priority)) {
            return Errno.EINVAL;
        }
        if (Scheduling.realtime(policy)) {
            return Errno.EPERM;
        }
        t.sched(Scheduling.pack(policy, priority));
        return 0;
    }

    /** Sets the priority of {@code t} within its policy: 0, EINVAL, EPERM, ESRCH. */
    default int setSchedPriority(Tcb t, int priority) {
        long s = t.sched();
        if (!Scheduling.valid(Scheduling.policy(s), priority)) {
            return Errno.EINVAL;
        }
        t.sched(Scheduling.pack(Scheduling.policy(s), priority));
        return 0;
    }

    /** Stores the policy and priority of {@code t} in {@code policyPriority[0..1]}: 0, ESRCH. */
    default int getSched(Tcb t, int[] policyPriority) {
        long s = t.sched();
        policyPriority[0] = Scheduling.policy(s);
        policyPriority[1] = Scheduling.priority(s);
        return 0;
    }

    /**
     * Sets the CPU mask of {@code t} from the first {@code size} bytes of {@code mask}
     * (at most {@code mask.length * 8}).
     *
     * @return 0; EINVAL (no CPU of the mask is one the thread may use); EPERM; ESRCH
     */
    default int setAffinity(Tcb t, long size, long[] mask) {
        int cpus = Runtime.getRuntime().availableProcessors();
        long[] kept = new long[(cpus + 63) / 64];
        boolean any = false;
        for (int cpu = 0; cpu < cpus && cpu < size * 8; cpu++) {
            if ((mask[cpu / 64] & 1L << cpu) != 0) {
                kept[cpu / 64] |= 1L << cpu;
                any = true;
            }
        }
        if (!any) {
            return Errno.EINVAL;
        }
        t.affinity(kept);
        return 0;
    }

    /**
     * Stores the CPU mask of {@code t} in the first {@code size} bytes of {@code mask} (at
     * most {@code mask.length * 8}), zeroing the rest of them.
     *
     * @return 0; EINVAL ({@code size} not a multiple of 8, or too small for the CPUs of the
     *         system); ESRCH
     */
    default int getAffinity(Tcb t, long size, long[] mask) {
        int cpus = Runtime.getRuntime().availableProcessors();
        if (size % 8 != 0 || size * 8 < cpus) {
            return Errno.EINVAL;
        }
        long[] kept = t.affinity();
        for (int i = 0; i < size / 8; i++) {
            mask[i] = kept != null ? (i < kept.length ? kept[i] : 0)
                    : i < cpus / 64 ? -1L : i == cpus / 64 ? (1L << (cpus % 64)) - 1 : 0;
        }
        return 0;
    }

    /** Stores the id of the CPU-time clock of {@code t} in {@code clock[0]}: 0, ENOENT (none), ESRCH. */
    default int cpuClock(Tcb t, int[] clock) {
        return Errno.ENOENT;
    }

    /** Reads a CPU-time clock given by {@link #cpuClock} into {@code secNsec[0..1]}: 0, EINVAL. */
    default int cpuClockTime(int clock, long[] secNsec) {
        return Errno.EINVAL;
    }
}
