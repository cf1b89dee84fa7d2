package org.pthread4j.lab;

import static org.pthread4j.Pthreads.*;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.pthread4j.Backend;
import org.pthread4j.StartRoutine;
import org.pthread4j.bench.Interleaved;
import org.pthread4j.gmp.GmpThreadModel;
import org.pthread4j.gmp.Sched;
import org.pthread4j.nativ.NativeLibrary;
import org.pthread4j.nativ.ffi.pthread4j_h;
import org.pthread4j.posix.Posix;
import org.pthread4j.pthread_attr_t;
import org.pthread4j.pthread_cond_t;
import org.pthread4j.pthread_mutex_t;
import org.pthread4j.pthread_t;
import org.pthread4j.spi.CustomScheduler;

/**
 * The lab's measurements inside one JVM, on the backend this JVM was started with. The
 * {@link Lab} driver starts one such JVM per backend and reads its results.
 *
 * <h2>Figures and verdicts</h2>
 * Figures (times, counts, ratios) are medians of several rounds, contestants interleaved
 * ({@link Interleaved}); on a busy machine they are noisy. The four verdicts, the model's
 * qualitative cells, rest on evidence that load can only hide, never fake; where the evidence
 * is missing a verdict is {@code unclear}, never a guess:
 * <ul>
 *   <li><b>creation</b>: kernel tasks of the process and distinct tids while N pthreads live;</li>
 *   <li><b>parallelism</b>: per-thread CPU clocks of the kernel threads that ran pthreads:
 *       more CPU time than wall time over a window, or two of them on a CPU at the same
 *       moment, is impossible on one core ("yes"); one kernel thread ran every pthread of
 *       the run ("no");</li>
 *   <li><b>blocking read</b>: the reader's kernel thread seen asleep in {@code read} on the
 *       pipe ({@code /proc/self/task/<tid>/syscall} and state), at the start and the end of
 *       a window; who progressed meanwhile, and on which kernel threads and (gmp) Ps; gmp's
 *       hand-off counter;</li>
 *   <li><b>preemption</b>: whether a pthread queued behind busy ones got to run while they
 *       all still spun, on a kernel thread born and ended with it (the kernel preempts), or on
 *       a processor a spinner gave up at a facade call (gmp's scheduler counts the
 *       preemption), or, behind spinners that never call in, on a processor sysmon took from
 *       one of them (gmp counts the retake), or not at all while the spinners held every
 *       carrier of a model that has no scheduler of pthread4j's own ("none").</li>
 * </ul>
 *
 * <h2>Protocol</h2>
 * On stdout, one line per item: {@code result <key> <value>}, {@code figure <key> <median>
 * <min> <max> <rounds>}, {@code ratio <key> <median> <low> <high> <confidence> <rounds>},
 * {@code verdict <key> <value> <evidence…>}. On stderr: {@code progress <done> <total>
 * <label>} lines for the driver's progress bar.
 *
 * <p>Workloads that need a pthread to give its processor up between chunks of CPU work do so
 * with a real block (a short sleep, a futex or park wait): virtual threads are not
 * time-sliced, and a pthread that never blocks keeps its carrier.
 */
public final class LabProbe {

    static final String UNCLEAR = "unclear";
    static final int STEPS = 9;
    /** Rounds of memory per thread: each starts thousands of threads (a full run's 10,000 native: seconds). */
    static final int MEMORY_ROUNDS = 3;

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private static final MethodHandle CARRIER = CustomScheduler.currentCarrierThread("lab");

    /** Every kernel thread (tid) seen running a pthread's code in this JVM. */
    static final Set<Integer> PTHREAD_TIDS = ConcurrentHashMap.newKeySet();

    private static int step;
    private static boolean quick;
    /** Rounds of interleaved figures, and of the costlier ones (thousands of threads). */
    private static int rounds;
    private static int fewRounds;
    /** gmp's scheduler (Ps, hand-offs, preemptions), or null on the other backends. */
    static final Sched SCHED = schedulerOfThisJvm();

    public static void main(String[] args) throws Exception {
        List<String> flags = List.of(args);
        quick = flags.contains("--quick");
        rounds = quick ? 5 : 11;
        fewRounds = quick ? 3 : 5;
        Backend backend = backend();
        if (flags.contains("--pingpong-only")) {
            pingPong(backend);
            System.exit(0);
        }
        result("backend", backend.id());
        result("cores", Runtime.getRuntime().availableProcessors());
        result("rounds", rounds);
        progress("kernel tasks");
        String creation = creation();
        verdict("creation", creation);
        progress("parallelism");
        double bestWindow = Parallelism.windows(fewRounds, quick ? 200 : 300);
        Parallelism.speedup(Runtime.getRuntime().availableProcessors(), quick ? 16 : 40, rounds);
        progress("create+join");
        createJoin(backend);
        progress("cond ping-pong");
        pingPong(backend);
        progress("blocking read");
        String blocking = BlockingRead.run(rounds, quick ? 100 : 200);
        progress("preemption");
        String preemption = Preemption.run(fewRounds, creation);
        progress("memory per thread");
        memoryPerThread();
        progress("busy-waiting pthreads");
        spin(); // last: on green and virtual it hangs until its timeout stops the spinners
        progress("done");
        verdict("parallelism", Parallelism.verdict(Parallelism.simultaneous(bestWindow)));
        verdict("blocking_read", blocking);
        verdict("preemption", preemption);
        System.out.flush();
        // Like C's main returning: pthreads still alive do not keep the program.
        System.exit(0);
    }

    // ---- the protocol ---------------------------------------------------------------------

    static void result(String key, Object value) {
        System.out.println("result " + key + " " + value);
        System.out.flush();
    }

    static void figure(String key, Interleaved.Spread s) {
        System.out.println("figure " + key + " " + s.median() + " " + s.min() + " " + s.max() + " " + s.rounds());
    }

    static void ratio(String key, Interleaved.Ratio r) {
        System.out.println("ratio " + key + " " + r.median() + " " + r.low() + " " + r.high() + " " + r.confidence()
                + " " + r.rounds());
    }

    /** A verdict and its evidence, as "value: evidence". */
    static void verdict(String key, String verdictAndEvidence) {
        int colon = verdictAndEvidence.indexOf(':');
        String value = colon < 0 ? verdictAndEvidence : verdictAndEvidence.substring(0, colon);
        String evidence = colon < 0 ? "" : verdictAndEvidence.substring(colon + 1).trim();
        System.out.println("verdict " + key + " " + value + " " + evidence.replace('\n', ' '));
        System.out.flush();
    }

    static void progress(String label) {
        System.err.println("progress " + (step++) + " " + STEPS + " " + label);
        System.err.flush();
    }

    static void check(int r, String what) {
        if (r != 0) {
            throw new IllegalStateException(what + ": " + strerror(r));
        }
    }

    /**
     * Combines the rounds' verdicts ("value: evidence" or "unclear…"): the value every
     * decisive round agrees on, with the evidence of the first; unclear when none decided or
     * two disagreed.
     */
    static String agree(List<String> perRound) {
        String first = null;
        int decided = 0;
        for (String v : perRound) {
            if (v.startsWith(UNCLEAR)) {
                continue;
            }
            if (first != null && !value(first).equals(value(v))) {
                return UNCLEAR + ": rounds disagree (" + value(first) + ", " + value(v) + ")";
            }
            if (first == null) {
                first = v;
            }
            decided++;
        }
        if (first == null) {
            return perRound.isEmpty() ? UNCLEAR : perRound.get(0);
        }
        return first + " (" + decided + " of " + perRound.size() + " rounds decided)";
    }

    private static String value(String verdictAndEvidence) {
        int colon = verdictAndEvidence.indexOf(':');
        return colon < 0 ? verdictAndEvidence : verdictAndEvidence.substring(0, colon);
    }

    // ---- where code runs ------------------------------------------------------------------

    /** The kernel thread running the caller: the carrier of a virtual thread, else the thread itself. */
    static Thread kernelThread() {
        try {
            return (Thread) CARRIER.invokeExact();
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** The CPU time of a kernel thread (its per-thread CPU clock), or -1 once it has ended. */
    static long cpuNanos(Thread kernelThread) {
        return kernelThread == Thread.currentThread() ? MX.getCurrentThreadCpuTime()
                : MX.getThreadCpuTime(kernelThread.threadId());
    }

    /** Records and returns the caller's tid, without a facade call (which gmp may preempt). */
    static int tid() {
        int tid = Posix.gettid();
        PTHREAD_TIDS.add(tid);
        return tid;
    }

    /** Loads the backend (the first facade call does), then asks for gmp's scheduler. */
    private static Sched schedulerOfThisJvm() {
        pthread_stack_min(); // a call that needs the model loads the backend (pthread_self does not)
        return GmpThreadModel.instance();
    }

    /** The caller's P on gmp, else -1. */
    static int currentP() {
        return SCHED == null ? -1 : SCHED.currentP();
    }

    static long burn(long iterations) {
        long x = 88172645463325252L;
        for (long i = 0; i < iterations; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        return x;
    }

    static volatile long sink;

    /** Polls {@code condition} every millisecond for up to {@code millis}; whether it became true. */
    static boolean await(java.util.function.BooleanSupplier condition, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }

    /**
     * Attributes with a stack size of their own: the native model then starts the pthread on
     * a new kernel thread rather than on one of its cache, so a probe can see a kernel thread
     * born and ended with it; the M:N models ignore the size. Destroy after the create.
     */
    static pthread_attr_t freshThreadAttr() {
        pthread_attr_t attr = new pthread_attr_t();
        check(pthread_attr_init(attr), "pthread_attr_init");
        check(pthread_attr_setstacksize(attr, 1 << 20), "pthread_attr_setstacksize");
        return attr;
    }

    // ---- creation: kernel tasks -----------------------------------------------------------

    /** N pthreads parked on one condition variable, released by {@link #release}. */
    static final class Crowd {
        final pthread_mutex_t m = new pthread_mutex_t();
        final pthread_cond_t c = new pthread_cond_t();
        final AtomicInteger waiting = new AtomicInteger();
        final Set<Integer> tids = ConcurrentHashMap.newKeySet();
        boolean go;
        final pthread_t[] threads;

        Crowd(int n) throws InterruptedException {
            threads = new pthread_t[n];
            StartRoutine wait = arg -> {
                tids.add(tid());
                pthread_mutex_lock(m);
                waiting.incrementAndGet();
                while (!go) {
                    pthread_cond_wait(c, m);
                }
                pthread_mutex_unlock(m);
                return null;
            };
            for (int i = 0; i < n; i++) {
                threads[i] = new pthread_t();
                check(pthread_create(threads[i], null, wait, null), "pthread_create");
            }
            await(() -> waiting.get() >= n, 60_000);
        }

        void release() {
            pthread_mutex_lock(m);
            go = true;
            pthread_cond_broadcast(c);
            pthread_mutex_unlock(m);
            for (pthread_t t : threads) {
                check(pthread_join(t, null), "pthread_join");
            }
        }
    }

    /**
     * Kernel tasks while 1,000 pthreads wait, and the distinct tids they ran on: "kernel" when
     * in every round all of them were waiting at once on as many distinct tids (a tid is not
     * reused while its task lives, so that is one kernel task each), "user" when in every round
     * they ran on fewer than a tenth as many tids. The change in /proc/self/task is reported but
     * not judged: native's kernel-thread cache, the JVM's own workers and the tasks of a previous
     * round still exiting all move it by tens.
     */
    static String creation() throws InterruptedException {
        int n = 1000;
        double[] delta = new double[fewRounds];
        boolean kernel = true;
        boolean user = true;
        int tids = 0;
        for (int r = 0; r < fewRounds; r++) {
            int before = Proc.tasks().size();
            Crowd crowd = new Crowd(n);
            int during = Proc.tasks().size();
            tids = crowd.tids.size();
            boolean allWaiting = crowd.waiting.get() >= n;
            crowd.release();
            delta[r] = during - before;
            kernel &= allWaiting && tids == n;
            user &= allWaiting && tids < 0.1 * n;
        }
        result("tasks.alive", n);
        figure("tasks.delta", Interleaved.spread(delta));
        String evidence = String.format(Locale.ROOT, ": %d pthreads alive added %.0f kernel tasks and ran on %d tids",
                n, Interleaved.spread(delta).median(), tids);
        return (kernel ? "kernel" : user ? "user" : UNCLEAR) + evidence;
    }

    // ---- create+join, ping-pong -------------------------------------------------------------

    /**
     * Runs {@code body} in a pthread of the model and returns its result: as in C, the
     * measuring thread is itself a thread of the model (on green, it shares the carrier).
     */
    static long inPthread(StartRoutine body) {
        pthread_t t = new pthread_t();
        Object[] ret = new Object[1];
        check(pthread_create(t, null, body, null), "pthread_create");
        check(pthread_join(t, ret), "pthread_join");
        if (!(ret[0] instanceof Long value)) {
            throw new IllegalStateException("measurement failed: " + ret[0]);
        }
        return value;
    }

    /** ns per create+join of an empty pthread, {@code n} in a loop inside a pthread. */
    static long createJoinNanos(int n) {
        return inPthread(arg -> {
            StartRoutine empty = x -> x;
            pthread_t t = new pthread_t();
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                check(pthread_create(t, null, empty, null), "pthread_create");
                check(pthread_join(t, null), "pthread_join");
            }
            return (System.nanoTime() - start) / n;
        });
    }

    static void createJoin(Backend backend) throws Exception {
        boolean nativ = backend == Backend.NATIVE;
        int n = nativ ? (quick ? 50 : 300) : (quick ? 2000 : 5000);
        Map<String, Interleaved.Round> c = new LinkedHashMap<>();
        c.put("pthread4j", () -> createJoinNanos(n));
        if (nativ) {
            NativeLibrary.ensureLoaded();
            c.put("c", () -> cNanos(pthread4j_h.p4j_bench_create_join(n), n));
            c.put("clone", () -> cNanos(pthread4j_h.p4j_bench_clone_join(n), n));
        }
        Interleaved.Results r = Interleaved.run(1, rounds, c);
        figure("create_join.ns", r.spread("pthread4j"));
        if (nativ) {
            figure("c.create_join.ns", r.spread("c"));
            figure("c.clone_join.ns", r.spread("clone"));
            ratio("create_join.vs_c", r.ratio("pthread4j", "c"));
        }
    }

    static long cNanos(long elapsed, int n) {
        if (elapsed < 0) {
            throw new IllegalStateException("C baseline failed: " + strerror((int) -elapsed));
        }
        return elapsed / n;
    }

    /** Round trips of a condition-variable ping-pong between two pthreads. */
    static long pingPongNanos(int trips) {
        pthread_mutex_t m = new pthread_mutex_t();
        pthread_cond_t c = new pthread_cond_t();
        int[] turn = {0};
        StartRoutine player = arg -> {
            int me = (Integer) arg;
            for (int i = 0; i < trips; i++) {
                pthread_mutex_lock(m);
                while (turn[0] != me) {
                    pthread_cond_wait(c, m);
                }
                turn[0] = 1 - me;
                pthread_cond_signal(c);
                pthread_mutex_unlock(m);
            }
            return null;
        };
        pthread_t a = new pthread_t();
        pthread_t b = new pthread_t();
        long start = System.nanoTime();
        check(pthread_create(a, null, player, 0), "pthread_create");
        check(pthread_create(b, null, player, 1), "pthread_create");
        check(pthread_join(a, null), "pthread_join");
        check(pthread_join(b, null), "pthread_join");
        return (System.nanoTime() - start) / trips;
    }

    static void pingPong(Backend backend) throws Exception {
        int trips = quick ? 1_000 : 4_000;
        Map<String, Interleaved.Round> c = new LinkedHashMap<>();
        c.put("pthread4j", () -> pingPongNanos(trips));
        if (backend == Backend.NATIVE) {
            NativeLibrary.ensureLoaded();
            c.put("c", () -> cNanos(pthread4j_h.p4j_bench_cond_pingpong(trips), trips));
        }
        Interleaved.Results r = Interleaved.run(1, rounds, c);
        figure("pingpong.ns", r.spread("pthread4j"));
        if (backend == Backend.NATIVE) {
            figure("c.pingpong.ns", r.spread("c"));
            ratio("pingpong.vs_c", r.ratio("pthread4j", "c"));
        }
    }

    // ---- memory ---------------------------------------------------------------------------

    static long rssBytes() throws IOException {
        String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
        return Long.parseLong(statm[1]) * 4096;
    }

    /**
     * RSS and heap per thread while N pthreads wait on a condition variable: the growth from
     * before they start, both sides after a full GC. The GC may return pages meanwhile, so a
     * round's RSS figure can be negative where threads live in the heap (M:N, M:1).
     */
    static void memoryPerThread() throws Exception {
        int n = quick ? 2_000 : 10_000;
        Runtime rt = Runtime.getRuntime();
        double[] rss = new double[MEMORY_ROUNDS];
        double[] heap = new double[MEMORY_ROUNDS];
        int alive = n;
        for (int r = 0; r < MEMORY_ROUNDS; r++) {
            System.gc();
            long rss0 = rssBytes();
            long heap0 = rt.totalMemory() - rt.freeMemory();
            Crowd crowd = new Crowd(n);
            System.gc();
            rss[r] = (double) (rssBytes() - rss0) / n;
            heap[r] = (double) Math.max(0, rt.totalMemory() - rt.freeMemory() - heap0) / n;
            alive = Math.min(alive, crowd.waiting.get());
            crowd.release();
        }
        result("memory.threads", alive);
        figure("memory.rss_per_thread", Interleaved.spread(rss));
        figure("memory.heap_per_thread", Interleaved.spread(heap));
    }

    // ---- busy-waiting pthreads --------------------------------------------------------------

    /**
     * {@link SpinProbe} behind 1 busy pthread and behind as many as the cores (at least 2):
     * "finished" or "timed-out", and the ms it took (or the timeout). Where nothing can take
     * a processor from a spinner it hangs for the whole timeout; the probe then ends the
     * spinners itself, so no busy pthread outlives the row.
     */
    static void spin() throws InterruptedException {
        long timeout = quick ? 4_000 : 10_000;
        result("spin.timeout.ms", timeout);
        spin("spin.n1", 1, timeout);
        spin("spin.ncores", Math.max(2, Runtime.getRuntime().availableProcessors()), timeout);
    }

    private static void spin(String key, int spinners, long timeout) throws InterruptedException {
        SpinProbe.Result r = SpinProbe.run(spinners, timeout);
        result(key + ".spinners", spinners);
        result(key, r.finished() ? "finished" : "timed-out");
        result(key + ".ms", r.millis());
    }
}
