package org.pthread4j.gmp;

import java.lang.invoke.MethodHandle;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.pthread4j.spi.CustomScheduler;
import org.pthread4j.spi.Syscalls;

/**
 * The scheduler of the {@code gmp} backend: M:N scheduling the way Go's runtime does it,
 * for virtual threads.
 *
 * <h2>Glossary</h2>
 * <dl>
 *   <dt>G</dt><dd>a goroutine here is a pthread: a virtual thread's continuation, which the
 *       JDK hands to this scheduler as a {@link Runnable} each time it becomes runnable. The
 *       Runnable of one virtual thread is always the same object.</dd>
 *   <dt>M</dt><dd>a machine: a carrier kernel thread ({@link M}) that runs Gs.</dd>
 *   <dt>P</dt><dd>a processor ({@link P}): the right to run Gs. There are GOMAXPROCS of them
 *       ({@code -Dpthread4j.gomaxprocs}, default: cores); an M runs Gs only while it holds a
 *       P. Each P has a bounded local run queue and a {@code runnext} slot.</dd>
 *   <dt>sysmon</dt><dd>a monitor thread without a P: it takes Ps back from Ms stuck in
 *       system calls (lazy hand-off) and asks Gs that overrun their time slice to yield.</dd>
 * </dl>
 *
 * <h2>The problem</h2>
 * The JDK's own scheduler is M:N too, but a virtual thread blocked in a system call (an FFM
 * downcall) holds its carrier for the whole call and nothing replaces it, so a blocking
 * {@code read()} costs the program a processor. Go's answer is to separate the processor
 * (P) from the kernel thread (M): the M goes into the kernel without its P, and the P moves
 * to another M, so the other Gs keep every processor.
 *
 * <h2>Approaches rejected</h2>
 * A compensating pool (start one more carrier per blocked call, as ForkJoinPool's managed
 * blocking does) has no notion of the processor, so runnable Gs are not bound to at most
 * GOMAXPROCS running Ms and nothing gives the surplus back. One global queue (a plain
 * ThreadPoolExecutor) serializes every wake-up on one lock and loses locality: the G that a
 * running G just woke (ping-pong) should run next, on the same M, while its data is hot.
 *
 * <h2>The protocol</h2>
 * <ol>
 *   <li><b>Queue.</b> {@link #execute} (the JDK makes a G runnable): if the caller runs on an
 *       M that holds a P, the G goes to that P's {@code runnext} (the previous occupant moves
 *       to the tail of the local queue), except a G that re-submits itself (a yield), which
 *       goes to the tail; a full local queue moves half of itself to the global queue
 *       ({@code runqputslow}). Anywhere else the G goes to the global queue. Then
 *       {@link #wakep}: if a P is idle and no M is spinning, start an M on it.</li>
 *   <li><b>Run.</b> An M's loop ({@link M#run}): {@link #findRunnable} looks at
 *       {@code runnext}, the local queue, every 61st time the global queue first (fairness),
 *       then the global queue, then steals.</li>
 *   <li><b>Steal.</b> An M whose P has nothing becomes <em>spinning</em> ({@link #nmspinning}
 *       counts them) and takes half of another P's local queue ({@code runqsteal}), trying
 *       every P from a random start.</li>
 *   <li><b>Park.</b> An M that found nothing puts its P on the idle list, stops spinning and
 *       then looks at every queue once more before it parks (the idle M list). Step 1's
 *       submitter enqueues before it reads {@link #nmspinning} and the idle list; the spinner
 *       decrements before it re-checks the queues: one of the two always sees the other
 *       (both sides use volatile read-modify-writes), so no runnable G is stranded while a
 *       P idles. As in Go, the M joins the idle M list only when it parks: a wake-up in
 *       between finds no idle M and starts one more, which then stays and is reused (a few
 *       per million pthreads here). Joining the list together with giving the P up closes
 *       that window but was measured to make create+join from outside the scheduler twice as
 *       slow (JMH, 2 vCPUs: 41 µs instead of 20): the next G then mostly ran on the M that had
 *       just given its P up, rather than on a parked M woken on the other CPU.</li>
 *   <li><b>Wake.</b> A G parks and unparks through the JDK; an unpark is step 1 again.</li>
 *   <li><b>System call.</b> {@link #entersyscall}: eager mode ({@code -Dpthread4j.gmp.handoff=eager})
 *       detaches the P from the M at once and {@link #handoffp}s it: to a new or idle M if
 *       there is work, else to the idle list. Lazy mode (the default, as Go) only marks the P
 *       {@code SYSCALL}; sysmon retakes it after {@link #SYSCALL_GRACE_NANOS} and hands it
 *       off, so short calls cost no hand-off at all. {@link #exitsyscall}: take back the
 *       old P if it is still ours (CAS {@code SYSCALL → RUNNING}), else any idle P; with none,
 *       the G yields: {@link #execute} sees an M without a P and queues it globally, and the
 *       M, back in its loop without a P, parks.</li>
 *   <li><b>Preempt.</b> Cooperative: sysmon flags an M whose G has run longer than
 *       {@link #TIME_SLICE_NANOS}; the G yields at its next facade call
 *       ({@link #preemptPoint}: every call a loop may spin on, trylocks, sem_trywait and
 *       sched_yield included, so pollers cannot keep every P from the owner they wait for)
 *       and goes behind everyone, on the global queue. A G that never calls into the facade
 *       is never preempted and keeps its P, which the lab shows.</li>
 * </ol>
 * Memory ordering: P ownership changes under {@link #lock} or by CAS on {@link P#status};
 * the local queues are guarded by their P's {@link SpinMutex}; {@link M#nextp} is handed over
 * with a volatile write before the unpark. No lock here is a monitor: see {@link SpinMutex}.
 */
public final class Sched implements Executor {

    static final long TIME_SLICE_NANOS = 10_000_000;
    static final long SYSCALL_GRACE_NANOS = 20_000;
    static final long SYSMON_PERIOD_NANOS = 20_000;
    /** How many Ms may exist (running, idle or in system calls). */
    static final int MAX_M = 256;

    final int gomaxprocs;
    final boolean eagerHandoff;
    final P[] allp;
    private final MethodHandle currentCarrier;
    private final Thread sysmonThread;
    private volatile long sysmonDelay = SYSMON_PERIOD_NANOS;
    /** Whether sysmon has asked some M's G to yield; recomputed every sysmon round. */
    private volatile boolean preemptPending;

    /** Guards {@link #globrunq}, {@link #pidle}, {@link #midle} and {@link #mcount}. */
    final SpinMutex lock = new SpinMutex();
    private final ArrayDeque<Runnable> globrunq = new ArrayDeque<>();
    private final ArrayDeque<P> pidle = new ArrayDeque<>();
    private final ArrayDeque<M> midle = new ArrayDeque<>();
    private int mcount;
    /** The global queue's length, readable without the lock. */
    private final AtomicInteger globrunqsize = new AtomicInteger();
    final AtomicInteger nmspinning = new AtomicInteger();
    final AtomicInteger npidle = new AtomicInteger();

    final AtomicLong handoffs = new AtomicLong();
    final AtomicLong retakes = new AtomicLong();
    final AtomicLong preemptions = new AtomicLong();

    public Sched(int gomaxprocs, boolean eagerHandoff) {
        this.gomaxprocs = gomaxprocs;
        this.eagerHandoff = eagerHandoff;
        this.currentCarrier = CustomScheduler.currentCarrierThread("gmp");
        allp = new P[gomaxprocs];
        for (int i = 0; i < gomaxprocs; i++) {
            allp[i] = new P(i);
            pidle.add(allp[i]);
        }
        npidle.set(gomaxprocs);
        sysmonThread = new Thread(this::sysmon, "pthread4j-gmp-sysmon");
        sysmonThread.setDaemon(true);
        sysmonThread.start();
        Syscalls.install(new Syscalls.Hook() {
            @Override
            public void enter() {
                entersyscall();
            }

            @Override
            public void exit() {
                exitsyscall();
            }
        });
    }

    /** The M running the caller, or null when the caller is not on one of ours. */
    M currentM() {
        try {
            return (Thread) currentCarrier.invokeExact() instanceof M m && m.sched == this ? m : null;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    // ---- step 1: queue ------------------------------------------------------------------

    @Override
    public void execute(Runnable g) {
        M m = currentM();
        P p = m == null ? null : m.p;
        if (m != null && m.preemptYield && g == m.curg) {
            m.preemptYield = false;
            globrunqput(g); // a preempted G goes behind everyone, as Go's gopreempt_m
        } else if (p != null && p.status.get() == P.RUNNING) {
            runqput(p, g, g != m.curg);
        } else {
            globrunqput(g);
        }
        wakep();
    }

    /** Puts g on p's local queue: into runnext when {@code next}, else at the tail. */
    void runqput(P p, Runnable g, boolean next) {
        Runnable[] overflow;
        p.lock.lock();
        try {
            if (next) {
                Runnable old = p.runnext;
                p.runnext = g;
                if (old == null) {
                    return;
                }
                g = old;
            }
            if (p.size < P.RUNQ_SIZE) {
                p.push(g);
                return;
            }
            // runqputslow: half of the full local queue, and g, go to the global queue
            overflow = new Runnable[P.RUNQ_SIZE / 2 + 1];
            for (int i = 0; i < P.RUNQ_SIZE / 2; i++) {
                overflow[i] = p.pop();
            }
            overflow[P.RUNQ_SIZE / 2] = g;
        } finally {
            p.lock.unlock();
        }
        lock.lock();
        try {
            for (Runnable r : overflow) {
                globrunq.add(r);
            }
            globrunqsize.addAndGet(overflow.length);
        } finally {
            lock.unlock();
        }
    }

    void globrunqput(Runnable g) {
        lock.lock();
        try {
            globrunq.add(g);
            globrunqsize.incrementAndGet();
        } finally {
            lock.unlock();
        }
    }

    /** Takes one G from the global queue and moves a fair share more to p's local queue. */
    Runnable globrunqget(P p) {
        if (globrunqsize.get() == 0) {
            return null;
        }
        Runnable g;
        Runnable[] batch;
        lock.lock();
        try {
            g = globrunq.poll();
            if (g == null) {
                return null;
            }
            int n = Math.min(globrunq.size(), Math.min(globrunq.size() / gomaxprocs + 1, P.RUNQ_SIZE / 4));
            batch = new Runnable[n];
            for (int i = 0; i < n; i++) {
                batch[i] = globrunq.poll();
            }
            globrunqsize.addAndGet(-(n + 1));
        } finally {
            lock.unlock();
        }
        if (batch.length > 0) {
            p.lock.lock();
            try {
                for (Runnable r : batch) {
                    if (p.size < P.RUNQ_SIZE) {
                        p.push(r);
                    } else {
                        globrunqput(r); // cannot happen often: the batch is at most a quarter
                    }
                }
            } finally {
                p.lock.unlock();
            }
        }
        p.globalGets.incrementAndGet();
        return g;
    }

    // ---- step 2 and 3: run, steal ---------------------------------------------------------

    /** The next G for m's P, or null once m has given its P up (m.p == null then). */
    Runnable findRunnable(M m) {
        for (;;) {
            P p = m.p;
            Runnable g;
            if (++m.schedtick % 61 == 0 && (g = globrunqget(p)) != null) {
                return g;
            }
            if ((g = p.get()) != null || (g = globrunqget(p)) != null) {
                return g;
            }
            if (!m.spinning && 2 * nmspinning.get() < gomaxprocs - npidle.get()) {
                m.spinning = true;
                nmspinning.incrementAndGet();
            }
            if (m.spinning && (g = stealWork(p)) != null) {
                return g;
            }
            // Step 4: give the P up, then look once more before parking.
            lock.lock();
            try {
                g = globrunq.poll();
                if (g != null) {
                    globrunqsize.decrementAndGet();
                    return g;
                }
                releasep(m);
                pidleput(p);
            } finally {
                lock.unlock();
            }
            if (m.spinning) {
                m.spinning = false;
                nmspinning.decrementAndGet();
            }
            if (globrunqsize.get() == 0 && !anyStealableWork()) {
                return null;
            }
            P again = pidleget();
            if (again == null) {
                return null; // every P is busy: their Ms will find the work
            }
            acquirep(m, again);
            m.spinning = true; // back to spinning, as Go's findrunnable does
            nmspinning.incrementAndGet();
        }
    }

    /** Tries every other P from a random start, a few rounds; null if nothing was there. */
    private Runnable stealWork(P p) {
        for (int attempt = 0; attempt < 4; attempt++) {
            int start = ThreadLocalRandom.current().nextInt(gomaxprocs);
            for (int i = 0; i < gomaxprocs; i++) {
                P victim = allp[(start + i) % gomaxprocs];
                Runnable g;
                if (victim != p && (g = runqsteal(p, victim)) != null) {
                    return g;
                }
            }
        }
        return null;
    }

    /** Whether some P has Gs that {@link #runqsteal} could take. */
    boolean anyStealableWork() {
        for (P p : allp) {
            if (p.hasStealable()) {
                return true;
            }
        }
        return false;
    }

    /** Steals half of victim's local queue into p's; returns one of the stolen Gs. */
    Runnable runqsteal(P p, P victim) {
        Runnable[] stolen;
        victim.lock.lock();
        try {
            int n = victim.size - victim.size / 2;
            if (n == 0) {
                // A P that is not running (its M is in a system call, or it idles) would
                // strand its runnext: take that instead.
                Runnable next = victim.runnext;
                if (next == null || victim.status.get() == P.RUNNING) {
                    return null;
                }
                victim.runnext = null;
                p.steals.incrementAndGet();
                return next;
            }
            stolen = new Runnable[n];
            for (int i = 0; i < n; i++) {
                stolen[i] = victim.pop();
            }
        } finally {
            victim.lock.unlock();
        }
        p.lock.lock();
        try {
            for (int i = 1; i < stolen.length; i++) {
                p.push(stolen[i]); // p's queue was empty: half of another fits
            }
        } finally {
            p.lock.unlock();
        }
        p.steals.addAndGet(stolen.length);
        return stolen[0];
    }

    // ---- step 4: idle Ps and Ms ----------------------------------------------------------

    /** Guarded by lock. */
    private void pidleput(P p) {
        p.status.set(P.IDLE);
        pidle.add(p);
        npidle.incrementAndGet();
    }

    P pidleget() {
        lock.lock();
        try {
            P p = pidle.poll();
            if (p != null) {
                npidle.decrementAndGet();
            }
            return p;
        } finally {
            lock.unlock();
        }
    }

    void acquirep(M m, P p) {
        p.status.set(P.RUNNING);
        p.m = m;
        m.p = p;
    }

    void releasep(M m) {
        P p = m.p;
        if (p != null) {
            p.m = null;
        }
        m.p = null;
    }

    /** Step 1's wake-up: if a P idles and nobody spins, start an M spinning on it. */
    void wakep() {
        if (npidle.get() == 0 || nmspinning.get() != 0) {
            return;
        }
        P p = pidleget();
        if (p == null) {
            return;
        }
        nmspinning.incrementAndGet();
        startm(p, true);
    }

    /** Runs p on an idle M, or a new one (up to {@link #MAX_M}); else p goes back to idle. */
    void startm(P p, boolean spinning) {
        M m;
        lock.lock();
        try {
            m = midle.poll();
            if (m == null) {
                if (mcount >= MAX_M) {
                    pidleput(p);
                    if (spinning) {
                        nmspinning.decrementAndGet();
                    }
                    return;
                }
                mcount++;
                m = new M(this, mcount);
            }
        } finally {
            lock.unlock();
        }
        if (m.getState() == Thread.State.NEW) {
            m.spinning = spinning;
            m.nextp = p;
            m.start();
            return;
        }
        m.spinning = spinning;
        m.nextp = p;
        LockSupport.unpark(m);
    }

    /** Parks m until it is given a P. */
    void stopm(M m) {
        lock.lock();
        try {
            midle.add(m);
        } finally {
            lock.unlock();
        }
        while (m.nextp == null) {
            LockSupport.park(this);
        }
    }

    // ---- step 6: system calls -------------------------------------------------------------

    void entersyscall() {
        M m = currentM();
        if (m == null || m.p == null) {
            return;
        }
        P p = m.p;
        m.oldp = p;
        m.syscallTick = System.nanoTime();
        if (eagerHandoff) {
            releasep(m);
            p.status.set(P.IDLE);
            handoffp(p);
        } else {
            p.status.set(P.SYSCALL); // sysmon may retake it
            if (sysmonDelay > SYSCALL_GRACE_NANOS) {
                LockSupport.unpark(sysmonThread);
            }
        }
    }

    void exitsyscall() {
        M m = currentM();
        if (m == null || m.oldp == null) {
            return;
        }
        P old = m.oldp;
        m.oldp = null;
        if (old.status.compareAndSet(P.SYSCALL, P.RUNNING)) {
            acquirep(m, old); // fast path: nobody took it
            return;
        }
        m.p = null; // sysmon (lazy) or entersyscall (eager) gave it to another M
        P p = pidleget();
        if (p != null) {
            acquirep(m, p);
            return;
        }
        // No P: requeue this G globally (execute sees an M without a P) and let the M park.
        Thread.yield();
    }

    /** Gives a P whose M is in a system call to another M. */
    void handoffp(P p) {
        handoffs.incrementAndGet();
        p.handoffs.incrementAndGet();
        if (p.hasWork() || globrunqsize.get() > 0) {
            startm(p, false);
            return;
        }
        if (nmspinning.get() + npidle.get() == 0 && nmspinning.compareAndSet(0, 1)) {
            startm(p, true); // no M is looking for work: this one will
            return;
        }
        lock.lock();
        try {
            pidleput(p);
        } finally {
            lock.unlock();
        }
    }

    // ---- step 7 and sysmon ----------------------------------------------------------------

    /** The facade's preemption point: yields if sysmon asked the running G to. */
    void preemptPoint() {
        if (!preemptPending) {
            return; // the common case: one volatile read, no carrier lookup
        }
        M m = currentM();
        if (m != null && m.preempt) {
            m.preempt = false;
            preemptions.incrementAndGet();
            m.preemptYield = true;
            Thread.yield();
            m = currentM(); // the G may resume on another M
            if (m != null) {
                m.preemptYield = false;
            }
        }
    }

    /**
     * Sysmon: every {@link #SYSMON_PERIOD_NANOS} at first, doubling up to 10 ms after 50
     * quiet rounds (as Go's); {@link #entersyscall} wakes it when it sleeps longer than the
     * grace period, so that a blocking call is noticed in time.
     */
    private void sysmon() {
        long delay = SYSMON_PERIOD_NANOS;
        int quiet = 0;
        for (;;) {
            sysmonDelay = delay;
            LockSupport.parkNanos(delay);
            long now = System.nanoTime();
            boolean busy = false;
            boolean flagged = false;
            for (P p : allp) {
                M m = p.m;
                if (p.status.get() == P.SYSCALL && m != null) {
                    busy = true;
                    if (now - m.syscallTick > SYSCALL_GRACE_NANOS && p.status.compareAndSet(P.SYSCALL, P.IDLE)) {
                        retakes.incrementAndGet();
                        p.m = null;
                        handoffp(p);
                    }
                } else if (m != null && m.curg != null && now - m.gstart > TIME_SLICE_NANOS) {
                    m.preempt = true;
                }
                flagged |= m != null && m.preempt;
            }
            preemptPending = flagged;
            if (busy || flagged) {
                quiet = 0;
                delay = SYSMON_PERIOD_NANOS;
            } else if (++quiet > 50) {
                delay = Math.min(delay * 2, 10_000_000);
            }
        }
    }

    // ---- counters for tests and the lab --------------------------------------------------

    /** Per-P counters: {@code [runs, steals, globalGets, handoffs]} for each P. */
    public long[][] counters() {
        long[][] c = new long[gomaxprocs][];
        for (int i = 0; i < gomaxprocs; i++) {
            P p = allp[i];
            c[i] = new long[] {p.runs.get(), p.steals.get(), p.globalGets.get(), p.handoffs.get()};
        }
        return c;
    }

    /** The id of the P the caller runs on, or -1 (not on an M, or the M holds no P). */
    public int currentP() {
        M m = currentM();
        P p = m == null ? null : m.p;
        return p == null ? -1 : p.id;
    }

    public int gomaxprocs() {
        return gomaxprocs;
    }

    public int mcount() {
        lock.lock();
        try {
            return mcount;
        } finally {
            lock.unlock();
        }
    }

    public long handoffs() {
        return handoffs.get();
    }

    public long retakes() {
        return retakes.get();
    }

    public long preemptions() {
        return preemptions.get();
    }
}
