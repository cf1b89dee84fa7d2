package org.pthread4j.nativ;

import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_stack_min;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_thread_cache_config;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntUnaryOperator;
import org.pthread4j.spi.Errno;
import org.pthread4j.spi.Futex;
import org.pthread4j.spi.ProcessShared;
import org.pthread4j.spi.Tcb;
import org.pthread4j.spi.ThreadModel;

/**
 * The 1:1 model: every pthread is a kernel thread that the C layer creates with glibc's
 * {@code pthread_create}. It enters Java through the chosen {@link NativeBinding}: an FFM
 * upcall (the JVM attaches the thread on that first upcall) or JNI's
 * {@code AttachCurrentThread}.
 *
 * <p>The new thread receives the pthread's id; the body to run waits in {@link #BODIES} from
 * just before the kernel thread is created until the thread takes it in {@link #enter}.
 *
 * <p>Join is glibc's, made cancellable: the joiner sleeps once, in {@code futex_waitv} on
 * the word the kernel clears when the kernel thread has exited (glibc's own join word) and
 * on its own interrupt word ({@code p4j_thread_join2}; a cancel or a signal ends the
 * sleep). So, as in C, a join returns when the kernel thread is gone, JVM detach
 * included. (An earlier design woke the joiner from the body's last Java step and let the
 * kernel thread detach from the JVM and exit while the joiner went on to the next
 * {@code pthread_create}: the two then changed the process's
 * memory map at the same time (a perf profile showed TLB-shootdown IPIs and waits on the
 * memory-map lock that a serial create+join never has): 48–52 µs per create+join
 * against 43–45 µs now, beside glibc's 31 µs, in one loop on two vCPUs.) Where
 * the kernel's word cannot be located, the join waits on the exit word, then joins in glibc.
 *
 * <p>A glibc handle dies with its thread: glibc frees or reuses the {@code struct pthread}
 * after the join, or at a detached thread's exit. Every call that passes another thread's
 * handle to C pins it ({@link Tcb#pinHandle}), and the new thread, last thing in Java, closes
 * its handle and waits out the calls in flight ({@link Tcb#closeHandle}) before returning
 * to C; after that, a call on it reaches nothing in glibc.
 *
 * <h2>The cache of kernel threads</h2>
 * The JVM's adoption of a new kernel thread (attach on the first upcall, detach at its exit)
 * costs several times glibc's whole create+join. So a pthread created with default attributes
 * (default stack and guard) runs on a kernel thread of the C layer's cache
 * ({@code p4j_thread_run}): when its body is over, the kernel thread stays attached and waits,
 * idle, for the next such {@code pthread_create}, which hands it the new pthread's id through
 * a futex word instead of creating a thread. At most {@link #CACHE_MAX} kernel threads wait
 * ({@code -Dpthread4j.threadcache=<n>}, 0 for none), each for {@link #CACHE_IDLE_MS}; then they
 * exit. The creator and the kernel thread it hands a pthread to share a CPU (the C layer picks
 * one that went idle on the creator's CPU and moves one woken elsewhere), so that a
 * create+join is two switches on one CPU rather than two wake-ups across CPUs. Any other
 * attribute takes the full path above. What the cache keeps true:
 * <ul>
 *   <li><b>1:1.</b> A kernel thread runs one pthread at a time and is reused only after its
 *       pthread has ended: N live pthreads are always N distinct kernel threads. The kernel
 *       thread of a new pthread may be older than the pthread (it ran ended ones before), so
 *       a count of kernel tasks before and after creating N pthreads may grow by as little as
 *       N minus the idle threads ({@code p4j_thread_cache_idle}) there were.</li>
 *   <li><b>A new pthread.</b> Each gets a new {@link Tcb} (a new id and pthread_t; a stale
 *       pthread_t of the previous one answers as it did, ESRCH once joined), new keys and
 *       cancel state, the kernel name of its creator and a zero {@code __thread} counter
 *       (set in C), and a {@code Thread} reset to what it was when the JVM adopted it
 *       ({@link CachedThread}: name, priority, loader, handler, interrupt status,
 *       thread-locals). Without {@code --add-opens java.base/java.lang} that reset is
 *       impossible, and the cache is off.</li>
 *   <li><b>Join.</b> The kernel thread outlives the pthread, so the kernel's clear-child-tid
 *       word says nothing of it: a pthread of the cache ({@link Tcb#cached()}) is joined on its
 *       exit word ({@link Tcb#awaitExit}: cancellable, one futex wait), which its body sets at
 *       its very end. Its kernel thread is detached in glibc, so detach is the facade's
 *       alone. {@code pthread_exit}, a cancel and a start routine that throws all end in that
 *       same body, before the kernel thread goes back to the cache.</li>
 * </ul>
 * The old objection to waking the joiner from the body's last step (above) does not hold
 * here: the kernel thread neither detaches from the JVM nor exits, so nothing changes the
 * memory map while the joiner creates the next pthread.
 */
public final class NativeThreadModel implements ThreadModel {

    private static final ConcurrentHashMap<Integer, Runnable> BODIES = new ConcurrentHashMap<>();
    /** {@link Tcb#handle()} of a pthread whose kernel thread could not be created. */
    private static final long NO_THREAD = -1;
    /** The kernel's CPU-clock id bits: the scheduler's runtime, of one thread. */
    private static final int CPUCLOCK_SCHED = 2;
    private static final int CPUCLOCK_PERTHREAD = 4;
    /** The most idle kernel threads the cache keeps: twice the CPUs, at least 4. */
    static final int CACHE_MAX = CachedThread.available()
            ? Integer.getInteger("pthread4j.threadcache", Math.max(4, 2 * Runtime.getRuntime().availableProcessors()))
            : 0;
    /** The words of a CPU mask (CPU_SETSIZE bits). */
    private static final int CPU_WORDS = 1024 / 64;
    /** How long a kernel thread waits in the cache before it exits. */
    static final int CACHE_IDLE_MS = 2_000;

    private final NativeBinding binding;
    /** The policy and priority, and the CPU affinity, of a kernel thread that nobody changed. */
    private final int[] defaultSched = new int[2];
    private final long[] defaultAffinity = new long[CPU_WORDS];
    private final KernelFutex futex;
    private final NativeProcessShared processShared;
    private final long stackMin;

    public NativeThreadModel() {
        NativeLibrary.ensureLoaded();
        binding = NativeBinding.selected();
        futex = new KernelFutex(binding, false);
        processShared = new NativeProcessShared(binding, new KernelFutex(binding, true));
        stackMin = p4j_stack_min();
        if (binding.schedGet(0, defaultSched) != 0 || binding.schedGetaffinity(0, CPU_WORDS * 8L, defaultAffinity) != 0) {
            throw new IllegalStateException("native: cannot read this thread's scheduling");
        }
        int r = p4j_thread_cache_config(Math.max(0, CACHE_MAX), CACHE_IDLE_MS);
        if (r != 0) {
            throw new IllegalStateException("p4j_thread_cache_config: " + Errno.message(-r));
        }
    }

    /** The body of pthread {@code id}, run on its new kernel thread; never throws. */
    static void enter(long id) {
        Runnable body = BODIES.remove((int) id);
        if (body != null) {
            body.run();
        }
    }

    @Override
    public String name() {
        return "native";
    }

    /** {@code ffm} or {@code jni}: how this backend reaches the C layer. */
    public String binding() {
        return binding.name();
    }

    @Override
    public Futex futex() {
        return futex;
    }

    @Override
    public ProcessShared processShared() {
        return processShared;
    }

    @Override
    public int start(Tcb tcb, Runnable body, long stackSize, long guardSize, boolean detached, String name) {
        // a creator whose scheduling changed gives it to a new kernel thread, as clone does
        boolean cached = CACHE_MAX > 0 && stackSize == 0 && guardSize < 0 && name == null
                && !Tcb.current().schedDirty();
        tcb.cached(cached);
        BODIES.put(tcb.id, cached ? () -> {
            try {
                CachedThread.enter();
            } finally {
                tcb.kernelTid(binding.gettid());
                body.run(); // whatever the reset did: a body that never ran would hang its joiner
                tcb.closeHandle();
                if (tcb.schedDirty()) {
                    // the next pthread of this kernel thread starts as a new one would
                    binding.schedSet(0, defaultSched[0], defaultSched[1]);
                    binding.schedSetaffinity(0, CPU_WORDS * 8L, defaultAffinity);
                }
            }
        } : () -> {
            tcb.kernelTid(binding.gettid());
            body.run();
            tcb.closeHandle();
        });
        long[] handle = new long[1];
        int r = cached ? binding.threadRun(tcb.id, handle)
                : binding.threadCreate(tcb.id, stackSize, Math.max(guardSize, 0), detached, handle);
        if (r < 0) {
            BODIES.remove(tcb.id);
            tcb.handle(NO_THREAD);
            return -r;
        }
        tcb.handle(handle[0]);
        if (name != null) {
            setName(tcb, name);
        }
        return 0;
    }

    /**
     * The glibc handle of another pthread. The facade hands out a pthread_t before
     * {@code pthread_create} has returned, so a caller racing the creator waits the few µs
     * until it has stored the handle: glibc must never see 0. {@link #NO_THREAD} if creating
     * the kernel thread failed.
     */
    private static long handleOf(Tcb tcb) {
        long handle;
        for (int spins = 0; (handle = tcb.handle()) == 0; spins++) {
            if (spins < 100) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        return handle;
    }

    @Override
    public int join(Tcb target, Tcb cancelable) {
        long handle = handleOf(target); // published after cached: a racing joiner reads both right
        if (handle == NO_THREAD) {
            return Errno.ESRCH;
        }
        if (target.cached()) {
            return target.awaitExit(futex, cancelable);
        }
        int r;
        do {
            r = binding.threadJoin(handle, cancelable == null ? null : cancelable.interruptWord());
            if (r == -Errno.ENOSYS) {
                int e = target.awaitExit(futex, cancelable);
                if (e != 0) {
                    return e;
                }
                r = binding.threadJoin(handle, null);
            }
            if (r == -Errno.ECANCELED) {
                // the interrupt word ended the wait: a cancel or a signal, or a cancel that
                // this thread may not act on yet, now taken aside (then join again)
                int interruption = cancelable.interruption();
                if (interruption != 0) {
                    return interruption;
                }
            }
        } while (r == -Errno.ECANCELED);
        if (r < 0) {
            return -r;
        }
        // The kernel thread is gone, so its body has ended: this returns at once, after the
        // acquire read of the exit word that makes the exit value visible.
        return target.awaitExit(futex, null);
    }

    @Override
    public int detach(Tcb tcb) {
        long handle = tcb == Tcb.current() ? binding.threadSelf() : handleOf(tcb);
        if (handle == NO_THREAD) {
            return Errno.ESRCH;
        }
        // a kernel thread of the cache is detached in glibc from the start
        return tcb.cached() ? 0 : -binding.threadDetach(handle);
    }

    @Override
    public int gettid() {
        return binding.gettid();
    }

    /**
     * Renames the kernel thread. 0 without a call, the facade keeping the name, when there is
     * no kernel thread to rename: the body has ended (its kernel thread is going), the thread
     * is foreign, or its creator has not stored the handle yet.
     */
    @Override
    public int setName(Tcb tcb, String name) {
        if (tcb == Tcb.current()) {
            return -binding.threadSetname(binding.threadSelf(), name);
        }
        if (!tcb.pinHandle()) {
            return 0;
        }
        try {
            long handle = tcb.handle();
            return handle == 0 || handle == NO_THREAD ? 0 : -binding.threadSetname(handle, name);
        } finally {
            tcb.unpinHandle();
        }
    }

    @Override
    public long stackMin() {
        return stackMin;
    }

    @Override
    public void adopt(Tcb self) {
        self.kernelTid(binding.gettid());
    }

    // ---- scheduling: the kernel's, on the pthread's kernel thread ---------------------------

    /**
     * Applies {@code call} (which returns {@code -errno}) to the kernel tid of {@code t},
     * and returns a positive errno. The caller's own tid needs no care; another pthread's is
     * pinned with its handle ({@link Tcb#pinHandle}), so its kernel thread cannot exit and
     * the tid cannot name another thread during the call: ESRCH once its body has ended, as
     * glibc answers for an exited thread. A foreign thread's tid is the one it had when it
     * asked for its handle: it is not pinned (nothing tells when a foreign thread ends), so a
     * call on the handle of a foreign thread that has since ended reaches whatever kernel
     * thread has that tid, or none (ESRCH), as with a stale {@code pthread_t} in C.
     */
    private int onKernelThread(Tcb t, IntUnaryOperator call) {
        if (t == Tcb.current()) {
            int tid = t.kernelTid();
            if (tid == 0) {
                t.kernelTid(tid = binding.gettid());
            }
            return -call.applyAsInt(tid);
        }
        if ((t.state() & Tcb.STATE_MASK) == Tcb.FOREIGN) {
            int tid = t.kernelTid();
            return tid == 0 ? Errno.ESRCH : -call.applyAsInt(tid);
        }
        if (!t.pinHandle()) {
            return Errno.ESRCH;
        }
        try {
            if (handleOf(t) == NO_THREAD) {
                return Errno.ESRCH;
            }
            int tid;
            for (int spins = 0; (tid = t.kernelTid()) == 0; spins++) {
                // created and pinned: it publishes its tid as its first step, before it can end
                if (spins < 100) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
            return -call.applyAsInt(tid);
        } finally {
            t.unpinHandle();
        }
    }

    @Override
    public int setSched(Tcb t, int policy, int priority) {
        t.schedDirty(true);
        return onKernelThread(t, tid -> binding.schedSet(tid, policy, priority));
    }

    @Override
    public int setSchedPriority(Tcb t, int priority) {
        t.schedDirty(true);
        return onKernelThread(t, tid -> binding.schedSetprio(tid, priority));
    }

    @Override
    public int getSched(Tcb t, int[] policyPriority) {
        return onKernelThread(t, tid -> binding.schedGet(tid, policyPriority));
    }

    @Override
    public int setAffinity(Tcb t, long size, long[] mask) {
        t.schedDirty(true);
        return onKernelThread(t, tid -> binding.schedSetaffinity(tid, size, mask));
    }

    @Override
    public int getAffinity(Tcb t, long size, long[] mask) {
        return onKernelThread(t, tid -> binding.schedGetaffinity(tid, size, mask));
    }

    /** glibc's {@code MAKE_THREAD_CPUCLOCK(tid, CPUCLOCK_SCHED)}: the kernel's clock id for the thread's CPU time. */
    @Override
    public int cpuClock(Tcb t, int[] clock) {
        return onKernelThread(t, tid -> {
            clock[0] = ~tid << 3 | CPUCLOCK_SCHED | CPUCLOCK_PERTHREAD;
            return 0;
        });
    }

    @Override
    public int cpuClockTime(int clock, long[] secNsec) {
        return -binding.cpuclockGettime(clock, secNsec);
    }
}
