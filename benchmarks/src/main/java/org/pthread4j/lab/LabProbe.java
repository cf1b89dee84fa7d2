package org.pthread4j.lab;

import static org.pthread4j.Pthreads.*;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.pthread4j.Backend;
import org.pthread4j.StartRoutine;
import org.pthread4j.bench.Interleaved;
import org.pthread4j.gmp.GmpThreadModel;
import org.pthread4j.gmp.Sched;
import org.pthread4j.nativ.NativeLibrary;
import org.pthread4j.nativ.ffi.pthread4j_h;
import org.pthread4j.posix.Posix;
import org.pthread4j.pthread_cond_t;
import org.pthread4j.pthread_key_t;
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
 *       preemption), or not at all while the spinners held every carrier of a model that has
 *       no scheduler of pthread4j's own ("none").</li>
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
    static final int STEPS = 8;
    /**
     * CPU time over wall time that proves two cores at once: above 1, with a margin for the
     * readings of the clocks, which take a few microseconds each inside the window's bracket.
     */
    static final double PARALLEL = 1.1;
    /**
     * How long two kernel threads must have been on a CPU together to prove it: well above
     * the microsecond or so that reading a clock takes.
     */
    static final long TOGETHER_NANOS = 50_000;
    /** How long a pthread queued behind busy ones is given to run before the lab stops them. */
    static final long SPIN_LIMIT_MILLIS = 250;

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private static final MethodHandle CARRIER = CustomScheduler.currentCarrierThread("lab");

    /** Every kernel thread (tid) seen running a pthread's code in this JVM. */
    static final Set<Integer> PTHREAD_TIDS = ConcurrentHashMap.newKeySet();
    /** Chunks of CPU work whose kernel thread was mostly on its CPU (see {@link #timedBurn}). */
    static final Queue<Chunk> CHUNKS = new ConcurrentLinkedQueue<>();

    private static int step;
    private static boolean quick;
    /** Rounds of interleaved figures, and of the costlier ones (thousands of threads). */
    private static int rounds;
    private static int fewRounds;
    /** gmp's scheduler (Ps, hand-offs, preemptions), or null on the other backends. */
    private static final Sched SCHED = schedulerOfThisJvm();
    private static String creation = UNCLEAR;

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
        creation = creation();
        verdict("creation", creation);
        progress("parallelism");
        double bestWindow = parallelism();
        progress("create+join");
        createJoin(backend);
        progress("cond ping-pong");
        pingPong(backend);
        progress("blocking read");
        String blocking = blockingRead();
        progress("preemption");
        String preemption = preemption();
        progress("memory per thread");
        memoryPerThread();
        progress("done");
        verdict("parallelism", parallelism(simultaneous(bestWindow)));
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
        pthread_self();
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
     * every round shows a task and a tid per pthread (within the JVM's own few threads that
     * come and go), "user" when every round shows neither.
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
            crowd.release();
            delta[r] = during - before;
            kernel &= delta[r] >= 0.9 * n && tids == n;
            user &= delta[r] < 0.1 * n && tids < 0.1 * n;
        }
        result("tasks.alive", n);
        figure("tasks.delta", Interleaved.spread(delta));
        String evidence = String.format(Locale.ROOT, ": %d pthreads alive added %.0f kernel tasks and ran on %d tids",
                n, Interleaved.spread(delta).median(), tids);
        return (kernel ? "kernel" : user ? "user" : UNCLEAR) + evidence;
    }

    // ---- parallelism ----------------------------------------------------------------------

    /**
     * A chunk of CPU work: the kernel thread that ran it, its wall bracket, and a lower bound
     * of the CPU time that thread got inside the bracket (both CPU clock readings lie inside it).
     */
    record Chunk(int tid, long start, long end, long cpu) {
        /** The most wall time inside the bracket during which the thread was off its CPU. */
        long off() {
            return end - start - cpu;
        }
    }

    /** The evidence for parallelism: the best window, and the best pair of simultaneous chunks. */
    record Parallel(double bestCpuPerWall, long together, Chunk a, Chunk b) {}

    /**
     * 2 × cores pthreads that only compute, in chunks, for a few windows; returns the best
     * window's ratio. Two proofs of two cores at once, both from per-thread CPU clocks:
     * <ol>
     *   <li>a window: the CPU time the kernel threads running them used in it, over its wall
     *       time. Every clock reading lies inside the window's bracket, so more than the wall
     *       time (by {@link #PARALLEL}) is impossible on one core; threads that appear after
     *       the first reading are left out, which can only lower the sum;</li>
     *   <li>two chunks on different kernel threads whose brackets overlap by more than the
     *       time each thread spent off its CPU inside its own bracket: at some moment of the
     *       overlap both were on a CPU. A busy machine makes this rare, not false; the chunks
     *       of the blocking-read phase count too, whose short sleeps let the kernel place
     *       the carriers anew at each wake-up (a carrier that never sleeps may share one CPU
     *       with another all along, beside another process alone on the second).</li>
     * </ol>
     * Then the parallel speedup, interleaved: the same work on one pthread and on {@code cores}.
     */
    static double parallelism() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        int threads = 2 * cores;
        AtomicInteger stop = new AtomicInteger();
        AtomicLong chunks = new AtomicLong();
        Set<Thread> kernels = ConcurrentHashMap.newKeySet();
        pthread_t[] t = new pthread_t[threads];
        for (int i = 0; i < threads; i++) {
            t[i] = new pthread_t();
            check(pthread_create(t[i], null, arg -> {
                while (stop.get() == 0) {
                    timedBurn(200_000);
                    kernels.add(kernelThread());
                    chunks.incrementAndGet();
                }
                return null;
            }, null), "pthread_create");
        }
        await(() -> chunks.get() >= threads, 2_000);
        Thread.sleep(20); // every carrier that will run them has started
        long window = quick ? 200 : 300;
        // At least fewRounds windows; on a busy machine up to three times as many, until one proves it.
        List<Double> cpuPerWall = new ArrayList<>();
        double best = 0;
        for (int w = 0; w < fewRounds || (best <= PARALLEL && w < 3 * fewRounds); w++) {
            Thread[] k = kernels.toArray(new Thread[0]);
            long[] before = new long[k.length];
            long t0 = System.nanoTime();
            for (int i = 0; i < k.length; i++) {
                before[i] = cpuNanos(k[i]);
            }
            Thread.sleep(window);
            long sum = 0;
            for (int i = 0; i < k.length; i++) {
                long after = cpuNanos(k[i]);
                if (before[i] >= 0 && after >= before[i]) {
                    sum += after - before[i];
                }
            }
            double ratio = (double) sum / (System.nanoTime() - t0);
            cpuPerWall.add(ratio);
            best = Math.max(best, ratio);
        }
        stop.set(1);
        for (pthread_t x : t) {
            check(pthread_join(x, null), "pthread_join");
        }
        result("parallel.threads", threads);
        result("parallel.kernel_threads", kernels.size());
        figure("parallel.cpu_per_wall", Interleaved.spread(cpuPerWall.stream().mapToDouble(Double::doubleValue).toArray()));
        speedup(cores);
        return best;
    }

    /**
     * Burns {@code iterations} of CPU work on the calling pthread and returns the tid of the
     * kernel thread that ran it (no facade call inside: gmp cannot move it meanwhile). Keeps
     * the chunk in {@link #CHUNKS} when that thread was on its CPU for most of it.
     */
    static int timedBurn(long iterations) {
        Thread kernel = kernelThread();
        int tid = tid();
        long s = System.nanoTime();
        long c0 = cpuNanos(kernel);
        sink += burn(iterations);
        long c1 = cpuNanos(kernel);
        long e = System.nanoTime();
        if (c0 >= 0 && c1 >= c0 && (e - s) - (c1 - c0) < (e - s) / 4) {
            CHUNKS.add(new Chunk(tid, s, e, c1 - c0));
        }
        return tid;
    }

    /** Of every chunk kept so far, the pair on different kernel threads that were on a CPU together longest. */
    static Parallel simultaneous(double bestCpuPerWall) {
        List<Chunk> byStart = new ArrayList<>(CHUNKS);
        byStart.sort(Comparator.comparingLong(Chunk::start));
        Parallel best = new Parallel(bestCpuPerWall, 0, null, null);
        for (int i = 0; i < byStart.size(); i++) {
            Chunk a = byStart.get(i);
            for (int j = i + 1; j < byStart.size() && byStart.get(j).start() < a.end(); j++) {
                Chunk b = byStart.get(j);
                long together = Math.min(a.end(), b.end()) - b.start() - a.off() - b.off();
                if (a.tid() != b.tid() && together > best.together()) {
                    best = new Parallel(bestCpuPerWall, together, a, b);
                }
            }
        }
        return best;
    }

    /**
     * "yes" when a window's CPU time exceeded its wall time by {@link #PARALLEL}, or two
     * kernel threads were on a CPU together for at least {@link #TOGETHER_NANOS}; "no" when
     * one kernel thread ran every pthread of the whole run (asked at its end); else unclear.
     */
    static String parallelism(Parallel p) {
        String window = String.format(Locale.ROOT, "the kernel threads running pthreads used %.2f× the wall time "
                + "in the best window", p.bestCpuPerWall());
        if (p.bestCpuPerWall() > PARALLEL) {
            return "yes: " + window;
        }
        if (p.together() >= TOGETHER_NANOS) {
            return String.format(Locale.ROOT, "yes: kernel threads %d and %d were both on a CPU for at least %.0f µs "
                    + "at once (%s)", p.a().tid(), p.b().tid(), p.together() / 1e3, window);
        }
        if (PTHREAD_TIDS.size() == 1) {
            return "no: one kernel thread (tid " + PTHREAD_TIDS.iterator().next() + ") ran every pthread of the run; "
                    + window;
        }
        return UNCLEAR + String.format(Locale.ROOT, ": %s; two kernel threads seen on a CPU together for %.0f µs at "
                + "most", window, Math.max(0, p.together()) / 1e3);
    }

    /** Runs {@code chunks} CPU chunks split over {@code threads} pthreads; returns wall ns. */
    static long runChunks(int threads, int chunks, long chunkIterations) {
        pthread_t[] t = new pthread_t[threads];
        long start = System.nanoTime();
        for (int i = 0; i < threads; i++) {
            int share = chunks / threads + (i < chunks % threads ? 1 : 0);
            t[i] = new pthread_t();
            check(pthread_create(t[i], null, arg -> {
                tid();
                long acc = 0;
                for (int k = 0; k < share; k++) {
                    acc += burn(chunkIterations);
                }
                sink += acc;
                return null;
            }, null), "pthread_create");
        }
        for (pthread_t x : t) {
            check(pthread_join(x, null), "pthread_join");
        }
        return System.nanoTime() - start;
    }

    /**
     * The same work on one pthread and on {@code cores}, interleaved: per round, wall time on
     * one over wall time on all. The pthreads never block, so on one carrier (M:1) the two
     * runs do the same thing and the ratio is 1 but for noise.
     */
    static void speedup(int cores) throws Exception {
        int chunks = quick ? 16 : 40;
        long iterations = 2_000_000;
        Map<String, Interleaved.Round> c = new LinkedHashMap<>();
        c.put("one", () -> runChunks(1, chunks, iterations));
        c.put("all", () -> runChunks(cores, chunks, iterations));
        Interleaved.Results r = Interleaved.run(1, rounds, c);
        result("speedup.threads", cores);
        ratio("speedup", r.ratio("one", "all"));
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
        int n = nativ ? (quick ? 100 : 300) : (quick ? 2000 : 5000);
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

    // ---- a blocking read ------------------------------------------------------------------

    /** Where a worker's chunk ran: its kernel thread and (gmp) its P. */
    record Place(int tid, int p) {}

    /**
     * {@code cores} pthreads that compute in chunks, each chunk followed by a short sleep (so
     * a queued pthread gets a carrier), counting chunks and noting where each one ran.
     */
    static final class Workers {
        final AtomicLongArray done;
        final pthread_t[] threads;
        final AtomicInteger stop = new AtomicInteger();
        /** Every kernel thread that ran a chunk. */
        final Set<Integer> seen = ConcurrentHashMap.newKeySet();
        /** The places of chunks that ended during the current window, or null between windows. */
        volatile Set<Place> window;

        Workers(int n) {
            done = new AtomicLongArray(n);
            threads = new pthread_t[n];
            for (int i = 0; i < n; i++) {
                int me = i;
                threads[i] = new pthread_t();
                check(pthread_create(threads[i], null, arg -> {
                    while (stop.get() == 0) {
                        int tid = timedBurn(500_000);
                        seen.add(tid);
                        Set<Place> w = window;
                        if (w != null) {
                            w.add(new Place(tid, currentP()));
                        }
                        done.incrementAndGet(me);
                        usleep(20);
                    }
                    return null;
                }, null), "pthread_create");
            }
        }

        long progress() {
            long sum = 0;
            for (int i = 0; i < done.length(); i++) {
                sum += done.get(i);
            }
            return sum;
        }

        void stop() {
            stop.set(1);
            for (pthread_t t : threads) {
                check(pthread_join(t, null), "pthread_join");
            }
        }
    }

    /** The workers' progress (chunks) over a window with nobody in read(). */
    static long freeWindow(Workers w, long millis) throws InterruptedException {
        long p0 = w.progress();
        Thread.sleep(millis);
        return w.progress() - p0;
    }

    /**
     * The workers' progress over a window while one more pthread sits in {@code read()} on an
     * empty pipe. The window opens once the reader's kernel thread is seen asleep in that
     * read, and counts only if it still is at the end. Adds the round's verdict to
     * {@code verdicts}.
     */
    static long blockedWindow(Workers w, long millis, List<String> verdicts) throws InterruptedException {
        int[] fds = new int[2];
        if (Posix.pipe(fds) != 0) {
            throw new IllegalStateException("pipe: " + strerror(errno()));
        }
        AtomicInteger readerTid = new AtomicInteger();
        AtomicInteger readerP = new AtomicInteger(-1);
        Set<Integer> tasksBefore = Proc.tasks();
        long handoffs0 = SCHED == null ? 0 : SCHED.handoffs(); // sysmon may retake the P before we look
        pthread_t reader = new pthread_t();
        check(pthread_create(reader, null, arg -> {
            readerP.set(currentP());
            readerTid.set(Posix.gettid()); // no facade call until the read: the tid is the reading one
            return Posix.read(fds[0], new byte[1], 1);
        }, null), "pthread_create");
        boolean inReadAtStart = await(() -> readerTid.get() != 0 && Proc.sleepsInRead(readerTid.get(), fds[0]), 2_000);
        int tid = readerTid.get();
        Set<Integer> seenBefore = new HashSet<>(w.seen);
        Set<Place> places = ConcurrentHashMap.newKeySet();
        w.window = places;
        long p0 = w.progress();
        Thread.sleep(millis);
        long progress = w.progress() - p0;
        w.window = null;
        boolean inReadAtEnd = Proc.sleepsInRead(tid, fds[0]);
        long handoffs = SCHED == null ? 0 : SCHED.handoffs() - handoffs0;
        Posix.write(fds[1], new byte[] {1}, 1);
        check(pthread_join(reader, null), "pthread_join");
        boolean ownThread = tid != 0 && !tasksBefore.contains(tid) && Proc.awaitGone(tid, 500);
        Posix.close(fds[0]);
        Posix.close(fds[1]);

        Set<Integer> during = new HashSet<>();
        for (Place p : places) {
            during.add(p.tid());
        }
        String where = String.format(Locale.ROOT, ": the reader's kernel thread %d slept in read() for %d ms; "
                + "the others did %d chunks meanwhile on tids %s", tid, millis, progress, during);
        if (!inReadAtStart || !inReadAtEnd) {
            verdicts.add(UNCLEAR + ": the reader was not seen asleep in read() for the whole window");
        } else if (progress == 0) {
            verdicts.add(PTHREAD_TIDS.equals(Set.of(tid))
                    ? "freezes-all" + where + ", the one kernel thread that has run every pthread of the run"
                    : UNCLEAR + where + " (but pthreads have run on other kernel threads: load?)");
        } else if (SCHED != null) {
            int p = readerP.get();
            boolean pMoved = places.stream().anyMatch(x -> x.p() == p && x.tid() != tid);
            verdicts.add(p >= 0 && pMoved && handoffs > 0
                    ? "hands-off" + where + String.format(Locale.ROOT, "; its P %d ran them on another M "
                            + "(%d hand-offs)", p, handoffs)
                    : UNCLEAR + where + "; no hand-off of its P seen");
        } else if (ownThread && !w.seen.contains(tid)) {
            verdicts.add("blocks-caller" + where + ", a kernel thread born and ended with the reader");
        } else if (!ownThread && seenBefore.contains(tid) && seenBefore.containsAll(during)) {
            verdicts.add("pins-carrier" + where + ", a carrier that ran the others before; no new carrier came");
        } else {
            verdicts.add(UNCLEAR + where);
        }
        return progress;
    }

    /**
     * Others' progress while one pthread blocks in read(), as a fraction of their progress
     * without it: free and blocked windows interleaved. Returns the combined verdict.
     */
    static String blockingRead() throws Exception {
        List<String> verdicts = new ArrayList<>();
        Interleaved.Results r = blockingRounds(rounds, quick ? 100 : 200, verdicts);
        figure("blocking.free", r.spread("free"));
        figure("blocking.blocked", r.spread("blocked"));
        ratio("blocking.effect", r.ratio("blocked", "free"));
        return agree(verdicts);
    }

    /**
     * Free and blocked windows of {@code millis}, interleaved after one warm-up round; every
     * blocked window, the warm-up's too, adds its verdict to {@code verdicts}. ({@link Handoff}
     * uses it too.)
     */
    static Interleaved.Results blockingRounds(int n, long millis, List<String> verdicts) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        Workers w = new Workers(cores);
        try {
            await(() -> w.progress() >= 2L * cores, 2_000); // they run before the first window
            Map<String, Interleaved.Round> c = new LinkedHashMap<>();
            c.put("free", () -> freeWindow(w, millis));
            c.put("blocked", () -> blockedWindow(w, millis, verdicts));
            return Interleaved.run(1, n, c);
        } finally {
            w.stop();
        }
    }

    // ---- preemption -----------------------------------------------------------------------

    /** One pthread queued behind {@code cores} busy ones: what happened. */
    record Queued(boolean ranWhileBusy, double waitMillis, boolean allStarted, boolean ownThread, boolean heldAll,
            long preemptions, int tid) {}

    /**
     * Starts {@code cores} pthreads that compute until told to stop (calling into the facade
     * as they go, or never), then one more, and gives it {@link #SPIN_LIMIT_MILLIS} to run
     * while they all still compute.
     */
    static Queued behindSpinners(boolean callsIn) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        pthread_key_t key = new pthread_key_t();
        check(pthread_key_create(key, null), "pthread_key_create");
        AtomicInteger stop = new AtomicInteger();
        AtomicInteger started = new AtomicInteger();
        Set<Integer> spinnerTids = ConcurrentHashMap.newKeySet();
        Set<Integer> spinnerPs = ConcurrentHashMap.newKeySet();
        pthread_t[] spinners = new pthread_t[cores];
        for (int i = 0; i < cores; i++) {
            spinners[i] = new pthread_t();
            check(pthread_create(spinners[i], null, arg -> {
                spinnerTids.add(tid());
                spinnerPs.add(currentP());
                started.incrementAndGet();
                long x = 0;
                while (stop.get() == 0) {
                    x++;
                    if (callsIn) {
                        pthread_getspecific(key);
                    }
                }
                return x;
            }, null), "pthread_create");
        }
        // On M:1 only one of them ever starts; elsewhere all do.
        boolean allStarted = await(() -> started.get() == cores, 200);
        Set<Integer> tasksBefore = Proc.tasks();
        Set<Integer> carriers = new HashSet<>(PTHREAD_TIDS);
        carriers.retainAll(tasksBefore); // the kernel threads alive that have run pthreads
        boolean heldAll = SCHED != null
                ? spinnerPs.size() == SCHED.gomaxprocs() && !spinnerPs.contains(-1)
                : spinnerTids.containsAll(carriers);
        long preemptions0 = SCHED == null ? 0 : SCHED.preemptions();
        CountDownLatch ran = new CountDownLatch(1);
        long[] ranAt = new long[1];
        boolean[] whileBusy = new boolean[1];
        int[] waiterTid = new int[1];
        pthread_t waiter = new pthread_t();
        long created = System.nanoTime();
        check(pthread_create(waiter, null, arg -> {
            ranAt[0] = System.nanoTime();
            whileBusy[0] = stop.get() == 0;
            waiterTid[0] = Posix.gettid();
            ran.countDown();
            return null;
        }, null), "pthread_create");
        ran.await(SPIN_LIMIT_MILLIS, TimeUnit.MILLISECONDS);
        stop.set(1);
        long preemptions = SCHED == null ? 0 : SCHED.preemptions() - preemptions0;
        for (pthread_t t : spinners) {
            check(pthread_join(t, null), "pthread_join");
        }
        check(pthread_join(waiter, null), "pthread_join"); // makes the waiter's writes visible
        pthread_key_delete(key);
        int tid = waiterTid[0];
        boolean ownThread = !tasksBefore.contains(tid) && Proc.awaitGone(tid, 500);
        double waited = whileBusy[0] ? (ranAt[0] - created) / 1e6 : SPIN_LIMIT_MILLIS;
        return new Queued(whileBusy[0], waited, allStarted, ownThread, heldAll, preemptions, tid);
    }

    /**
     * Rounds of a pthread queued behind busy ones that call in, and behind ones that never do.
     * "kernel": behind ones that never call in, it ran while they all still computed, on a
     * kernel thread born and ended with it. Otherwise, only where pthreads share kernel
     * threads ({@code creation} is "user") and the busy ones held every carrier (or P):
     * "cooperative" when it ran behind ones that call in, with the scheduler counting a
     * preemption; "none" when it never ran while they computed and the model has no
     * scheduler of pthread4j's own that could have been starved of CPU meanwhile.
     */
    static String preemption() throws Exception {
        List<Queued> in = new ArrayList<>();
        List<Queued> never = new ArrayList<>();
        Map<String, Interleaved.Round> c = new LinkedHashMap<>();
        c.put("calls in", () -> {
            Queued q = behindSpinners(true);
            in.add(q);
            return q.waitMillis();
        });
        c.put("never", () -> {
            Queued q = behindSpinners(false);
            never.add(q);
            return q.waitMillis();
        });
        Interleaved.Results r = Interleaved.run(0, fewRounds, c);
        result("slice.limit.ms", SPIN_LIMIT_MILLIS);
        figure("slice.callsin.ms", r.spread("calls in"));
        figure("slice.never.ms", r.spread("never"));
        boolean shared = creation.startsWith("user");
        List<String> verdicts = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            Queued a = in.get(i);
            Queued b = never.get(i);
            if (b.ranWhileBusy()) {
                verdicts.add(b.allStarted() && b.ownThread()
                        ? String.format(Locale.ROOT, "kernel: behind %d pthreads that never call in, it ran after %.1f ms, "
                                + "on a kernel thread of its own (tid %d)", Runtime.getRuntime().availableProcessors(),
                                b.waitMillis(), b.tid())
                        : UNCLEAR + ": it ran beside busy pthreads, but not on a kernel thread of its own");
            } else if (!shared || !b.heldAll()) {
                verdicts.add(UNCLEAR + ": it did not run within " + SPIN_LIMIT_MILLIS + " ms, and the busy pthreads "
                        + "did not hold every carrier");
            } else if (a.ranWhileBusy()) {
                verdicts.add(a.preemptions() > 0 && a.heldAll()
                        ? String.format(Locale.ROOT, "cooperative: behind busy pthreads that call in it ran after %.1f ms "
                                + "(%d preemptions); behind ones that never do, not in %d ms", a.waitMillis(),
                                a.preemptions(), SPIN_LIMIT_MILLIS)
                        : UNCLEAR + ": it ran behind busy pthreads that call in, without a preemption counted");
            } else if (SCHED != null) {
                // A scheduler that counts preemptions: none counted may only mean sysmon was starved.
                verdicts.add(UNCLEAR + ": the scheduler preempted nobody within " + SPIN_LIMIT_MILLIS + " ms");
            } else {
                verdicts.add(a.heldAll()
                        ? "none: behind busy pthreads holding every carrier, it did not run in " + SPIN_LIMIT_MILLIS
                                + " ms, whether they call in or not"
                        : UNCLEAR + ": the busy pthreads did not hold every carrier");
            }
        }
        return agree(verdicts);
    }

    // ---- memory ---------------------------------------------------------------------------

    static long rssBytes() throws IOException {
        String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
        return Long.parseLong(statm[1]) * 4096;
    }

    static void memoryPerThread() throws Exception {
        int n = quick ? 2_000 : 10_000;
        Runtime rt = Runtime.getRuntime();
        double[] rss = new double[fewRounds];
        double[] heap = new double[fewRounds];
        int alive = n;
        for (int r = 0; r < fewRounds; r++) {
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
}
