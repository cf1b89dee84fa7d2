package org.pthread4j.gmp;

import java.lang.invoke.MethodHandle;
import java.util.ArrayDeque;
import java.util.List;
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
 *   <dt>sysmon</dt><dd>a monitor thread without a P: it takes Ps back (<em>retakes</em> them)
 *       from Ms stuck in system calls and from Gs that overrun their time slice.</dd>
 * </dl>
 *
 * <h2>The problem</h2>
 * The JDK's own scheduler is M:N too, but a virtual thread blocked in a system call (an FFM
 * downcall) holds its carrier for the whole call and nothing replaces it, so a blocking
 * {@code read()} costs the program a processor. Go's answer is to separate the processor
 * (P) from the kernel thread (M): the M goes into the kernel without its P, and the P moves
 * to another M, so the other Gs keep every processor. The same holds for a G that computes
 * without ever calling in (C's {@code while (!flag);}): nothing can stop a virtual thread
 * from outside, so unless its P moves, it keeps it, and a G queued behind it that would set
 * the flag never runs (Go before 1.14).
 *
 * <h2>Approaches rejected</h2>
 * A compensating pool (start one more carrier per blocked call, as ForkJoinPool's managed
 * blocking does) has no notion of the processor, so runnable Gs are not bound to at most
 * GOMAXPROCS running Ms and nothing gives the surplus back. One global queue (a plain
 * ThreadPoolExecutor) serializes every wake-up on one lock and loses locality: the G that a
 * running G just woke (ping-pong) should run next, on the same M, while its data is hot.
 * Go 1.14's asynchronous preemption (a signal stops the goroutine at a safe point and its M
 * switches to another) has no JDK counterpart: a continuation unmounts only from its own
 * thread, at a yield. So a G that overruns is treated like a G in a system call: it keeps its
 * M and loses its P, and the kernel, which time-slices kernel threads, preempts it.
 * Reusing Gs (Go's gfput/gfget: an ended pthread's virtual thread parks on its P's free list
 * and runs the next pthread created there) was built and measured: it cut the allocation per
 * create+join from 504 to 200 bytes but not its time (paired rounds in one JVM, 2 vCPUs:
 * medians 1.42 and 1.40 µs at load 10-13), because an idle G's park and unpark cost a freeze
 * and a thaw of its continuation, which is what a new virtual thread's start and end cost; and
 * it must scrub the previous pthread from the {@code Thread} (thread-locals, name, interrupt,
 * context class loader). A create+join here is one new virtual thread and one park and unpark
 * of the joiner, nothing more (step 1): the same start+join of bare virtual threads on the
 * simplest executor (one carrier, one queue) measured 0.63 µs, on this scheduler 0.63-0.68 µs.
 *
 * <h2>The protocol</h2>
 * <ol>
 *   <li><b>Queue.</b> {@link #execute} (the JDK makes a G runnable): if the caller runs on an
 *       M that owns a P (the P's word names it), the G goes to that P's {@code runnext} (the
 *       previous occupant moves to the tail of the local queue), except a G that re-submits
 *       itself (a yield), which goes to the tail; a full local queue moves half of itself to
 *       the global queue ({@code runqputslow}). Anywhere else the G goes to the global queue.
 *       Then {@link #wakep}: if a P is idle and no M is spinning, start an M on it; except
 *       when the G went into an empty runnext, where no other M could take it: the caller's
 *       M runs it as soon as its own G parks, yields or ends, which is what a G that creates
 *       a pthread and joins it, or signals a condition and waits, does next. Go wakes an M
 *       there too, and its spinning M may steal a running P's runnext after 3 µs; here that
 *       wake-up was a futex call of the creating M (every 10th to 250th create+join of a
 *       loop) for an M that found nothing, spun and parked again, and it doubled the CPU time
 *       per create+join (perf, 2 vCPUs). If the caller's G runs on instead, sysmon's next
 *       look that finds the same G running ({@link #unstrandRunnext}) moves the waiting G to
 *       the local queue and wakes an M to steal it: a G waits so at most two sysmon periods
 *       (2 ms while any P is held), or until its P is retaken or handed off with it.</li>
 *   <li><b>Run.</b> An M's loop ({@link M#run}): {@link #findRunnable} looks at
 *       {@code runnext}, the local queue, every 61st tick the global queue first (fairness),
 *       then the global queue, then steals. Around each G: {@link #startSlice} (a new
 *       {@link P#schedtick}, then the word RUNNING → RUNNING_G) and {@link #endSlice}
 *       (CAS RUNNING_G → RUNNING).</li>
 *   <li><b>Steal.</b> An M whose P has nothing becomes <em>spinning</em> ({@link #nmspinning}
 *       counts them) and takes half of another P's local queue ({@code runqsteal}), trying
 *       every P from a random start.</li>
 *   <li><b>Park.</b> An M that found nothing puts its P on the idle list, stops spinning and
 *       then looks at every queue once more before it parks (the idle M list). Step 1's
 *       submitter enqueues before it reads {@link #nmspinning} and the idle list; the spinner
 *       decrements before it re-checks the queues: one of the two always sees the other
 *       (both sides use volatile read-modify-writes), so no runnable G is stranded while a
 *       P idles, but for step 1's runnext, which its own M or sysmon moves on. As in Go, the
 *       M joins the idle M list only when it parks: a wake-up in between finds no idle M and
 *       starts one more, which then stays and is reused (a few per million pthreads here). Joining the list together with giving the P up closes
 *       that window but was measured to make create+join from outside the scheduler twice as
 *       slow (JMH, 2 vCPUs: 41 µs instead of 20): the next G then mostly ran on the M that had
 *       just given its P up, rather than on a parked M woken on the other CPU.</li>
 *   <li><b>Wake.</b> A G parks and unparks through the JDK; an unpark is step 1 again.</li>
 *   <li><b>System call.</b> {@link #entersyscall}: eager mode ({@code -Dpthread4j.gmp.handoff=eager})
 *       CASes the P from RUNNING_G to IDLE at once and {@link #handoffp}s it: to a new or idle M
 *       if there is work, else to the idle list. Lazy mode (the default, as Go) only CASes it to
 *       SYSCALL; sysmon retakes it (CAS SYSCALL → IDLE) after {@link #SYSCALL_GRACE_NANOS} and
 *       hands it off, so short calls cost no hand-off at all. {@link #exitsyscall}: take back
 *       the old P if it is still ours (CAS SYSCALL → RUNNING_G), else any idle P; with none,
 *       the G yields: {@link #execute} sees an M without a P and queues it globally, and the
 *       M, back in its loop without a P, parks.</li>
 *   <li><b>Preempt.</b> Sysmon times each P's G by its tick, as Go's sysmon does: a tick it has
 *       not seen starts a slice, so a run of short Gs never adds up. It looks at least every
 *       {@link #SLICE_CHECK_NANOS} while a P is held ({@link #acquirep} wakes it from a longer
 *       sleep), so a slice is timed to within that, with no clock read per G. When the tick has
 *       stood still for {@link #TIME_SLICE_NANOS}, sysmon asks the G to yield
 *       ({@link M#preempt}); the G yields at its next facade call ({@link #preemptPoint}: every call a loop may
 *       spin on, trylocks, sem_trywait and sched_yield included, so pollers cannot keep every
 *       P from the owner they wait for) and
 *       goes behind everyone, to the global queue (Go's {@code gopreempt_m}).</li>
 *   <li><b>Retake.</b> When the tick still stands {@link #RETAKE_GRACE_NANOS} later, the G does
 *       not call in: sysmon CASes its P from RUNNING_G to IDLE and {@link #handoffp}s it, as for
 *       a system call. The G keeps its M, now without a P, and the kernel time-slices that
 *       kernel thread with the others. The M finds out at the first of: the G's next facade
 *       call (the request of step 7 is still set: the G yields and is queued globally), its
 *       next system call ({@link #entersyscall}'s CAS fails: it enters without a P, and
 *       {@link #exitsyscall} finds one), or the return of {@code g.run()} ({@link #endSlice}'s
 *       CAS fails). Then, like {@code exitsyscall}, it takes an idle P if there is one, else it
 *       parks. So a pthread that never calls in keeps its P for at most a slice, the grace and
 *       sysmon's look: 11 to 13 ms; the Gs queued behind it then run.</li>
 *   <li><b>Netpoll.</b> Go's network poller ({@link Netpoller}, installed as
 *       {@link Syscalls#netpoll()}): a socket the POSIX layer opens gets a <em>pollDesc</em> and
 *       is registered once with the process's one epoll instance, edge-triggered, and made
 *       O_NONBLOCK. A call that gets EAGAIN parks its G in {@code netpollblock} on the pollDesc's
 *       read or write word; the parked virtual thread unmounts, so <em>a G blocked on a socket
 *       holds no M</em>: its M goes back to its loop and runs other Gs. {@code netpoll(delay)}
 *       ({@link Netpoller#poll}) runs epoll_wait and makes the Gs of the ready words runnable
 *       ({@link #injectglist}: the poller's P's runnext and local queue if it holds one, else the
 *       global queue and {@link #wakep}). Who polls, while any G is parked there (Go's
 *       netpollWaiters): {@link #findRunnable} of an M that found nothing local or global polls
 *       netpoll(0) before it steals; an M about to park ({@link #stopm}) becomes <em>the</em>
 *       poller if no M is ({@code polling}, {@code lastpoll} = POLLING) and blocks in
 *       netpoll(-1) instead of on its futex, and when it returns takes an idle P, if any, for
 *       the Gs it readied. Only one M at a time is in netpoll(-1), from that decision until it
 *       has looked for a P: a second M blocked in epoll_wait could take the eventfd's wake-up
 *       meant for the first. Sysmon polls netpoll(0) when nobody has polled for 10 ms
 *       ({@link #NETPOLL_SYSMON_NANOS}). The scheduler has no timers: a deadline is the parked
 *       G's timed park, so the poller blocks with no timeout. <em>netpollBreak</em>: the poller
 *       is an idle M; {@link #startm} takes it when no M is parked on the idle list (rather than
 *       making a new M), hands it the P under {@link #lock} and writes the eventfd, which ends
 *       its epoll_wait; the poller reads the P under the lock. Step 4's argument holds: the
 *       poller gave its P up and looked at every queue before it polls, and a submitter that
 *       finds an idle P wakes an M, idle or polling. <em>Close while parked</em>: the POSIX layer
 *       calls {@link Netpoller#close} before close(2); it marks the pollDesc closing and wakes its
 *       Gs, whose await returns -EBADF. <em>Timeouts</em>: a G whose deadline passes leaves the
 *       word and its await returns -EAGAIN; a signal or a cancel unparks it (the interrupt word,
 *       as for a futex wait) and await returns -EINTR; a wake-up that came first wins.</li>
 * </ol>
 *
 * <h2>Ownership and memory ordering</h2>
 * A P's status word names its owner ({@link P}: {@code owner << 2 | state}). A P in RUNNING
 * belongs to its M unconditionally: only that M changes the word, so {@link #findRunnable}
 * uses its P without checks. A P in RUNNING_G or SYSCALL may be retaken at any moment; every
 * transition out of those two states is a CAS on the exact word, so exactly one of the M and
 * sysmon wins, and an M whose {@link M#p} is stale (retaken, not yet noticed) can never win a
 * CAS against the P's next owner, which writes its own id. The ordering points:
 * <ol type="a">
 *   <li>{@link #startSlice} writes the tick, then the word (release); sysmon reads the word,
 *       then the tick: a word published for a new G comes with that G's tick. Sysmon reads
 *       word and tick once more just before its retake CAS; only a G that ends and a next one
 *       that starts on the same M in between (same word) can lose the P to a retake meant for
 *       the first, and it then goes on as a retaken G: late, never wrong.</li>
 *   <li>Sysmon sets {@link M#preempt}, then reads the word and tick again and withdraws the
 *       request if they moved; the M CASes the word, then clears the request
 *       ({@link #endSlice}). Either sysmon sees the move or the M's clear comes after its set,
 *       so a request never outlives the G it was for.</li>
 *   <li>A G that a P-less M's G makes runnable goes to the global queue ({@link #execute}
 *       checks the owner); one that went into a P's queue just as the P was retaken is not
 *       lost: {@link #handoffp} looks at the queues after its CAS, and a P that idles with work
 *       is found by stealing (step 4's argument).</li>
 *   <li>A P handed to an M travels in the volatile {@link M#nextp}, written before the
 *       unpark. P queues are guarded by their {@link SpinMutex}; the global queue and the idle
 *       lists by {@link #lock}. No lock here is a monitor: see {@link SpinMutex}.</li>
 * </ol>
 *
 * <h2>How many Ms</h2>
 * Ms are made only by {@link #startm}, and only when the idle M list is empty and no M blocks
 * in netpoll. At any moment an M holds a P (at most GOMAXPROCS of them), or carries a G
 * without a P (a G in a system call whose P was handed off, or a G retaken past its slice: one
 * M each), or is on the idle list or blocked in netpoll (step 9: at most one), or is on its
 * way there (step 4's window). A G parked on a socket is none of these: it holds no M. Hence
 * <pre>
 *   Ms ≤ max over time of (GOMAXPROCS + Gs without a P + Ms on their way to the idle list) ≤ MAX_M
 * </pre>
 * and each retake or hand-off starts at most one M. Idle Ms are kept and reused, as in Go. At
 * {@link #MAX_M} {@code startm} cannot start an M: the P it was for goes to the idle list with
 * its Gs, and the next M that comes back (a system call returning, a retaken G calling in,
 * parking or ending) takes it. The program then degrades to step 7's cooperative preemption
 * instead of making kernel threads without bound.
 */
public final class Sched implements Executor {

    static final long TIME_SLICE_NANOS = 10_000_000;
    /** How long a G asked to yield has to call in before sysmon retakes its P. */
    static final long RETAKE_GRACE_NANOS = 1_000_000;
    static final long SYSCALL_GRACE_NANOS = 20_000;
    /** Sysmon's period while a P is in a system call (and for 50 rounds after). */
    static final long SYSMON_PERIOD_NANOS = 20_000;
    /** Sysmon's longest sleep while a P is held (and for 50 rounds after): a slice's precision. */
    static final long SLICE_CHECK_NANOS = 1_000_000;
    /** Sysmon's longest sleep once nothing has been held for 50 rounds. */
    static final long SYSMON_MAX_DELAY_NANOS = 10_000_000;
    private static final int QUIET_ROUNDS = 50;
    /** How many Ms may exist (holding Ps, carrying Gs without one, or idle). */
    static final int MAX_M = 256;
    /** Sysmon polls the network when nobody has for this long (Go's 10 ms). */
    static final long NETPOLL_SYSMON_NANOS = 10_000_000;
    /** {@link #lastpoll} while an M blocks in netpoll (Go's 0). */
    private static final long POLLING = Long.MIN_VALUE;

    final int gomaxprocs;
    final boolean eagerHandoff;
    final P[] allp;
    /**
     * Every M by its id, from 1; never shrinks. Written under {@link #lock} before the M
     * starts; read by sysmon without it, which sees each M it finds in a P's word (the M
     * started after its slot was written) and may miss only an M made this instant.
     */
    private final M[] allm = new M[MAX_M + 1];
    /**
     * {@code Thread.currentCarrierThread()}, or null when java.lang is closed to us (the
     * constructor then fails with the message that names the flag). Static final, so that the
     * JIT inlines the call into {@link #currentM}, which every {@link #execute} makes; held in
     * an instance field, it was called through a method handle's lambda forms.
     */
    private static final MethodHandle CURRENT_CARRIER = currentCarrierOrNull();
    private final Thread sysmonThread;
    private volatile long sysmonDelay = SYSMON_PERIOD_NANOS;
    /** Whether sysmon has asked some M's G to yield; recomputed every sysmon round. */
    private volatile boolean preemptPending;

    /** The network poller (step 9); installed by {@link GmpThreadModel}. */
    final Netpoller netpoller = new Netpoller();
    /** When the network was last polled by a blocking poll or sysmon, or {@link #POLLING} (Go's sched.lastpoll). */
    private final AtomicLong lastpoll = new AtomicLong(System.nanoTime());
    /**
     * Whether an M is in netpoll(-1), from its decision to poll until it has looked for a P
     * after the poll; guarded by {@link #lock}. Only one at a time: a second M blocked in
     * epoll_wait could take the eventfd's wake-up meant for the first.
     */
    private boolean polling;
    /** The M in netpoll(-1) while {@link #startm} may still hand it a P, else null; guarded by {@link #lock}. */
    private M pollerM;

    /** Guards {@link #globrunq}, {@link #pidle}, {@link #midle}, {@link #polling}, {@link #pollerM}, {@link #mcount} and {@link #allm}. */
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
    final AtomicLong sliceRetakes = new AtomicLong();
    final AtomicLong preemptions = new AtomicLong();
    final AtomicLong unstranded = new AtomicLong();

    public Sched(int gomaxprocs, boolean eagerHandoff) {
        this.gomaxprocs = gomaxprocs;
        this.eagerHandoff = eagerHandoff;
        if (CURRENT_CARRIER == null) {
            CustomScheduler.currentCarrierThread("gmp"); // throws, naming the missing flag
        }
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

    private static MethodHandle currentCarrierOrNull() {
        try {
            return CustomScheduler.currentCarrierThread("gmp");
        } catch (IllegalStateException e) {
            return null;
        }
    }

    /** The M running the caller, or null when the caller is not on one of ours. */
    M currentM() {
        try {
            return (Thread) CURRENT_CARRIER.invokeExact() instanceof M m && m.sched == this ? m : null;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** The P that m owns now (its word names m), or null: m.p may be stale after a retake. */
    private static P ownedP(M m) {
        P p = m.p;
        return p != null && P.owner(p.status.get()) == m.id ? p : null;
    }

    // ---- step 1: queue ------------------------------------------------------------------

    @Override
    public void execute(Runnable g) {
        M m = currentM();
        P p = m == null ? null : ownedP(m);
        if (m != null && m.preemptYield && g == m.curg) {
            m.preemptYield = false;
            globrunqput(g); // a preempted G goes behind everyone, as Go's gopreempt_m
        } else if (p != null) {
            if (runqput(p, g, g != m.curg)) {
                return; // m runs g once its G stops; if that G runs on, sysmon wakes an M (step 1)
            }
        } else {
            globrunqput(g);
        }
        wakep();
    }

    /**
     * Puts g on p's local queue: into runnext when {@code next}, else at the tail. Returns
     * true when g went into an empty runnext: nothing was added that another M could steal.
     */
    boolean runqput(P p, Runnable g, boolean next) {
        Runnable[] overflow;
        p.lock.lock();
        try {
            if (next) {
                Runnable old = p.runnext;
                p.runnext = g;
                if (old == null) {
                    return true;
                }
                g = old;
            }
            if (p.size < P.RUNQ_SIZE) {
                p.push(g);
                return false;
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
        return false;
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

    /** The next G for m's P (RUNNING: m's alone), or null once m has given its P up (m.p == null then). */
    Runnable findRunnable(M m) {
        for (;;) {
            P p = m.p;
            Runnable g;
            if (p.schedtick.getPlain() % 61 == 0 && (g = globrunqget(p)) != null) {
                return g;
            }
            if ((g = p.get()) != null || (g = globrunqget(p)) != null) {
                return g;
            }
            if (netpoller.anyWaiters() && lastpoll.get() != POLLING && injectglist(netpoller.poll(0)) > 0) {
                continue; // the readied Gs went to p's queues (step 9)
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

    /**
     * Before m runs a G's code with p (RUNNING, m's): a new tick, then the word RUNNING_G, with
     * release (ordering point a). From here on sysmon may retake p.
     */
    void startSlice(M m, P p) {
        p.schedtick.setRelease(p.schedtick.getPlain() + 1);
        p.status.setRelease(P.word(m, P.RUNNING_G));
    }

    /**
     * After a G's code returned to m's loop: CAS its P back to RUNNING. If the CAS fails, sysmon
     * retook the P while the G ran and handed it off; m goes on like exitsyscall without its P:
     * it takes an idle P if there is one, else its loop parks it. Then any request to yield,
     * which was for that G, is cleared (ordering point b).
     */
    void endSlice(M m) {
        P p = m.p;
        if (p != null && !p.status.compareAndSet(P.word(m, P.RUNNING_G), P.word(m, P.RUNNING))) {
            m.p = null;
            P idle = pidleget();
            if (idle != null) {
                acquirep(m, idle);
            }
        }
        if (m.preempt) {
            m.preempt = false;
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
                // A P that no M runs (its M is in a system call, or it idles) would strand
                // its runnext: take that instead.
                Runnable next = victim.runnext;
                if (next == null || victim.running()) {
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

    /**
     * m takes p, which it was handed or took from the idle list. Sysmon, asleep for longer
     * than a slice's precision because nothing was held, is woken to time the Gs p will run.
     */
    void acquirep(M m, P p) {
        p.status.set(P.word(m, P.RUNNING));
        m.p = p;
        if (sysmonDelay > SLICE_CHECK_NANOS) {
            LockSupport.unpark(sysmonThread);
        }
    }

    void releasep(M m) {
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

    /**
     * Runs p on an idle M, else on the M blocked in netpoll (woken by netpollBreak), else on a
     * new one (up to {@link #MAX_M}); else p goes back to idle.
     */
    void startm(P p, boolean spinning) {
        M m;
        boolean poller = false;
        lock.lock();
        try {
            m = midle.poll();
            if (m == null && (m = pollerM) != null) {
                poller = true;
                pollerM = null;
                m.spinning = spinning;
                m.nextp = p; // read by the poller under the lock once its poll returns
            } else if (m == null) {
                if (mcount >= MAX_M) {
                    pidleput(p);
                    if (spinning) {
                        nmspinning.decrementAndGet();
                    }
                    return;
                }
                mcount++;
                m = new M(this, mcount);
                allm[mcount] = m;
            }
        } finally {
            lock.unlock();
        }
        if (poller) {
            netpoller.wakeup(); // netpollBreak: the poller takes p once its poll returns
            return;
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

    /**
     * Parks m until it is given a P. While Gs wait on the network and no M polls, m polls
     * instead, blocking in netpoll(-1) (step 9), and comes back with a P if it finds one.
     */
    void stopm(M m) {
        if (netpoller.anyWaiters() && becomePoller(m) && pollNetwork(m)) {
            return;
        }
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

    // ---- step 9: the network poller ------------------------------------------------------

    /** Makes m the one M that blocks in netpoll; false if another already does. */
    private boolean becomePoller(M m) {
        lock.lock();
        try {
            if (polling) {
                return false;
            }
            polling = true;
            pollerM = m;
            lastpoll.set(POLLING);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The poller's turn: netpoll(-1) until an event or a netpollBreak, then a P (handed by
     * {@link #startm}, or an idle one) and the readied Gs into its queues; without a P they go
     * to the global queue. Returns whether m now holds a P.
     */
    private boolean pollNetwork(M m) {
        List<Thread> ready = netpoller.poll(-1);
        P p;
        lock.lock();
        try {
            polling = false;
            if (pollerM == m) {
                pollerM = null;
            }
            p = m.nextp;
            if (p == null && (p = pidle.poll()) != null) {
                npidle.decrementAndGet();
            }
            m.nextp = null;
        } finally {
            lock.unlock();
        }
        lastpoll.set(System.nanoTime());
        if (p != null) {
            acquirep(m, p);
        }
        injectglist(ready);
        return p != null;
    }

    /**
     * Go's injectglist: makes Gs that netpoll readied runnable. Each unpark is {@link #execute}:
     * into the caller's P's queues if it holds one, else the global queue and {@link #wakep}.
     *
     * @return how many
     */
    int injectglist(List<Thread> ready) {
        for (Thread g : ready) {
            LockSupport.unpark(g);
        }
        return ready.size();
    }

    // ---- step 6: system calls -------------------------------------------------------------

    void entersyscall() {
        M m = currentM();
        if (m == null || m.p == null) {
            return; // not on an M, or the G already runs without a P
        }
        P p = m.p;
        int mine = P.word(m, P.RUNNING_G);
        m.syscallTick = System.nanoTime();
        if (eagerHandoff) {
            releasep(m);
            if (p.status.compareAndSet(mine, P.IDLE)) {
                handoffp(p);
            }
        } else if (!p.status.compareAndSet(mine, P.word(m, P.SYSCALL))) {
            releasep(m); // retaken while the G ran: it enters its call without a P
        } else if (sysmonDelay > SYSCALL_GRACE_NANOS) {
            LockSupport.unpark(sysmonThread); // sysmon may retake p in time
        }
    }

    void exitsyscall() {
        M m = currentM();
        if (m == null) {
            return;
        }
        P p = m.p;
        if (p != null && p.status.compareAndSet(P.word(m, P.SYSCALL), P.word(m, P.RUNNING_G))) {
            return; // fast path: nobody took it
        }
        releasep(m); // sysmon retook it, or entersyscall (eager) gave it away, or it had none
        P idle = pidleget();
        if (idle != null) {
            acquirep(m, idle);
            startSlice(m, idle);
            return;
        }
        // No P: requeue this G globally (execute sees an M without a P) and let the M park.
        Thread.yield();
    }

    /** Gives a P whose M is in a system call, or runs a G past its slice, to another M. */
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

    // ---- steps 7 and 8, and sysmon --------------------------------------------------------

    /**
     * The facade's preemption point: yields if sysmon asked the running G to (step 7). After
     * a retake (step 8) the request is still set, so the G yields here too, and its M, back
     * in its loop, finds its P gone ({@link #endSlice}).
     */
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
     * Sysmon: every {@link #SYSMON_PERIOD_NANOS} while a P is in a system call (and 50 rounds
     * after), at most {@link #SLICE_CHECK_NANOS} while a P is held (and 50 rounds after), then
     * doubling up to {@link #SYSMON_MAX_DELAY_NANOS}. {@link #entersyscall} and
     * {@link #acquirep} wake it from a longer sleep, so that a blocking call and a new slice
     * are timed from their start.
     */
    private void sysmon() {
        long delay = SYSMON_PERIOD_NANOS;
        int sinceSyscall = 0;
        int sinceHeld = 0;
        for (;;) {
            sysmonDelay = delay;
            long slept = System.nanoTime();
            LockSupport.parkNanos(delay);
            long now = System.nanoTime();
            boolean syscalls = false;
            boolean held = now - slept < delay; // woken early: a P was just taken
            for (P p : allp) {
                int w = p.status.get();
                switch (P.state(w)) {
                    case P.SYSCALL -> {
                        syscalls = true;
                        if (now - allm[P.owner(w)].syscallTick > SYSCALL_GRACE_NANOS && p.status.compareAndSet(w, P.IDLE)) {
                            retakes.incrementAndGet();
                            handoffp(p);
                        }
                    }
                    case P.RUNNING_G -> {
                        held = true;
                        preemptOrRetake(p, w, now);
                    }
                    case P.RUNNING -> held = true;
                    default -> { }
                }
            }
            boolean flagged = false;
            M m;
            for (int i = 1; i <= MAX_M && (m = allm[i]) != null && !flagged; i++) {
                flagged = m.preempt;
            }
            preemptPending = flagged;
            long last = lastpoll.get();
            if (netpoller.anyWaiters() && last != POLLING && now - last > NETPOLL_SYSMON_NANOS
                    && lastpoll.compareAndSet(last, now)) {
                injectglist(netpoller.poll(0)); // nobody polled for 10 ms (step 9)
            }
            sinceSyscall = syscalls ? 0 : Math.min(sinceSyscall + 1, QUIET_ROUNDS + 1);
            sinceHeld = held || flagged ? 0 : Math.min(sinceHeld + 1, QUIET_ROUNDS + 1);
            if (sinceSyscall <= QUIET_ROUNDS) {
                delay = SYSMON_PERIOD_NANOS;
            } else {
                delay = Math.min(delay * 2, sinceHeld <= QUIET_ROUNDS ? SLICE_CHECK_NANOS : SYSMON_MAX_DELAY_NANOS);
            }
        }
    }

    /**
     * Sysmon, for a P whose M runs a G (word w): steps 7 and 8. A tick not seen before starts
     * the G's slice; past {@link #TIME_SLICE_NANOS} the G is asked to yield, and past
     * {@link #RETAKE_GRACE_NANOS} more its P is retaken and handed off.
     */
    private void preemptOrRetake(P p, int w, long now) {
        long tick = p.schedtick.get(); // after the word: this G's tick or a later one (point a)
        if (tick != p.sysmonTick) {
            p.sysmonTick = tick;
            p.sysmonWhen = now;
            return;
        }
        unstrandRunnext(p);
        long ran = now - p.sysmonWhen;
        if (ran < TIME_SLICE_NANOS) {
            return;
        }
        M m = allm[P.owner(w)];
        m.preempt = true; // Go's preemptone
        if (p.status.get() != w || p.schedtick.get() != tick) {
            m.preempt = false; // the G left meanwhile: the request was for it (point b)
            return;
        }
        if (ran >= TIME_SLICE_NANOS + RETAKE_GRACE_NANOS && p.status.compareAndSet(w, P.IDLE)) {
            sliceRetakes.incrementAndGet();
            handoffp(p);
        }
    }

    /**
     * Sysmon, for a P whose G has run since its last look: a G that waited in runnext all that
     * while (step 1 woke no M for it) moves to the local queue, where a spinning M can steal
     * it, and an M is woken if a P idles.
     */
    private void unstrandRunnext(P p) {
        if (npidle.get() == 0) {
            return; // no P could run it: it keeps its place
        }
        p.lock.lock();
        try {
            Runnable next = p.runnext;
            if (next == null || p.size == P.RUNQ_SIZE) {
                return; // a full queue woke an M when it overflowed
            }
            p.runnext = null;
            p.push(next);
        } finally {
            p.lock.unlock();
        }
        unstranded.incrementAndGet();
        wakep();
    }

    // ---- counters for tests and the lab --------------------------------------------------

    /** Per-P counters: {@code [runs, steals, globalGets, handoffs]} for each P. */
    public long[][] counters() {
        long[][] c = new long[gomaxprocs][];
        for (int i = 0; i < gomaxprocs; i++) {
            P p = allp[i];
            c[i] = new long[] {p.schedtick.get(), p.steals.get(), p.globalGets.get(), p.handoffs.get()};
        }
        return c;
    }

    /** The id of the P the caller runs on, or -1 (not on an M, or the M holds no P). */
    public int currentP() {
        M m = currentM();
        P p = m == null ? null : ownedP(m);
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

    /** Ps that sysmon took back from Ms in system calls (lazy hand-off). */
    public long retakes() {
        return retakes.get();
    }

    /** Ps that sysmon took back from Gs that ran past their slice without calling in (step 8). */
    public long sliceRetakes() {
        return sliceRetakes.get();
    }

    public long preemptions() {
        return preemptions.get();
    }

    /** Gs parked on a descriptor that netpoll made runnable (step 9). */
    public long netpollWakeups() {
        return netpoller.wakeups.get();
    }

    /** netpollBreaks: wake-ups of an M blocked in netpoll, for work or a P handed to it (step 9). */
    public long netpollBreaks() {
        return netpoller.breaks.get();
    }

    /** Gs parked in the network poller now (Go's netpollWaiters). */
    public int netpollWaiters() {
        return netpoller.waiters();
    }

    /** Whether an M blocks in netpoll now. */
    public boolean netpollBlocked() {
        lock.lock();
        try {
            return pollerM != null;
        } finally {
            lock.unlock();
        }
    }

    /** Gs that sysmon moved out of the runnext of a P whose G ran on (step 1's deferred wake-up). */
    public long unstranded() {
        return unstranded.get();
    }
}
