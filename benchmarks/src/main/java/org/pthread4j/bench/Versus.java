package org.pthread4j.bench;

import static org.pthread4j.Pthreads.CPU_ISSET;
import static org.pthread4j.Pthreads.CPU_SET;
import static org.pthread4j.Pthreads.CPU_SETSIZE;
import static org.pthread4j.Pthreads.pthread_attr_init;
import static org.pthread4j.Pthreads.pthread_attr_setstacksize;
import static org.pthread4j.Pthreads.pthread_cond_broadcast;
import static org.pthread4j.Pthreads.pthread_cond_signal;
import static org.pthread4j.Pthreads.pthread_create;
import static org.pthread4j.Pthreads.pthread_getaffinity_np;
import static org.pthread4j.Pthreads.pthread_cond_wait;
import static org.pthread4j.Pthreads.pthread_mutex_lock;
import static org.pthread4j.Pthreads.pthread_mutex_unlock;
import static org.pthread4j.Pthreads.pthread_self;
import static org.pthread4j.Pthreads.pthread_setaffinity_np;
import static org.pthread4j.bench.Harness.ok;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_bench_cond_pingpong_on;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_bench_create_join;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_bench_mutex;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_bench_mutex_contended;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;
import org.pthread4j.StartRoutine;
import org.pthread4j.cpu_set_t;
import org.pthread4j.park.ParkingLot;
import org.pthread4j.pthread_attr_t;
import org.pthread4j.pthread_cond_t;
import org.pthread4j.pthread_mutex_t;
import org.pthread4j.pthread_t;
import org.pthread4j.spi.Futex;
import org.pthread4j.spi.Tcb;
import org.pthread4j.sync.Cancellation;
import org.pthread4j.sync.Cond;
import org.pthread4j.sync.Mutex;
import org.pthread4j.virtual.VirtualThreadModel;

/**
 * pthread4j against its baselines through the public facade, the way a ported C program runs:
 * {@code main} creates one pthread, which runs every loop. Each figure is measured with
 * {@link Interleaved}: pthread4j and its baselines alternate in short rounds, and each ratio
 * is the median of the per-round ratios with its distribution-free interval. A target is
 * "met" only when the whole interval meets it, "missed" when the whole interval misses it,
 * else "unclear".
 *
 * <p>The figures depend on the backend of the JVM ({@code -Dpthread4j.backend}); one JVM per
 * backend:
 * <ul>
 *   <li>native: create+join vs the glibc C loop (FFM, same process) and vs
 *       {@code java.lang.Thread}, after 30 warm-up rounds (the JIT's), and for information the
 *       same with a stack size set, which takes no cached kernel thread; uncontended lock+unlock vs the glibc C loop; cond ping-pong vs
 *       glibc's, with the CPU time of the process per round trip beside the latency (run once
 *       with {@code -Dpthread4j.condspin=0} and once with the default spin), unpinned, both
 *       threads on one CPU and on two; 2 and 4 threads
 *       contending one mutex vs {@code ReentrantLock} on the same pthreads;</li>
 *   <li>virtual: cond ping-pong vs {@code ReentrantLock}/{@code Condition} on virtual
 *       threads; memory per blocked thread, N pthreads in {@code pthread_cond_wait} vs N
 *       virtual threads in a {@code ReentrantLock} condition's await (heap after a full GC,
 *       RSS beside it), each kind in child JVMs of its own; and only when asked for
 *       ({@code --only waitpath}), the ping-pong taken apart (see {@link #waitPath});</li>
 *   <li>gmp: create+join from inside the scheduler vs Go's 0.48 µs (quoted from issue 15,
 *       measured on this machine, not re-run), and cond ping-pong beside
 *       {@code ReentrantLock}/{@code Condition} with both sides on gmp; {@link #GMP_N}
 *       operations per round;</li>
 *   <li>green: create+join vs {@code java.lang.Thread}, for information (no target).</li>
 * </ul>
 * The C loops also run, for reference, as a separate C process compiled with {@code gcc} at
 * the first use (skipped with a note when there is no gcc); each of its rounds is a process
 * timing its own loop, interleaved with the others.
 *
 * <pre>
 *   java -XX:+AlwaysPreTouch --enable-native-access=ALL-UNNAMED -Dpthread4j.backend=native [-Dpthread4j.condspin=0] \
 *       -cp benchmarks/target/benchmarks.jar org.pthread4j.bench.Versus [--rounds 21] [--json] [--only cond]
 * </pre>
 * or {@code ./pthread4j bench --versus [--backend native,virtual,gmp] [--json]}, which runs
 * one JVM per backend (two for native: condspin=0, and the default spin for cond only).
 *
 * <p>Those JVMs touch their whole heap as they start ({@link #PRE_TOUCH}). Without it, the
 * rounds that allocate (create+join above all) ran about four times slower, both contestants
 * alike, for the 300-400 ms before each of the first young collections: the stretch in which
 * the growing eden was first touched, at 2,700 minor page faults per 50 ms against none in the
 * fast rounds (gmp create+join, 2 vCPUs: 7 to 14 slow rounds in 41; with the flag, none after
 * the warm-up). A contestant measured against a quoted figure (gmp against Go) has no baseline
 * in the same round to cancel that out. The memory figure's child JVMs do without it, so that
 * their RSS growth is that of the blocked threads.
 */
public final class Versus {

    /** The flag with which {@link #launch} starts the figures' JVMs (see the class comment). */
    static final String PRE_TOUCH = "-XX:+AlwaysPreTouch";

    /** Go's goroutine create+join on this machine (issue 15), in ns. */
    static final double GO_CREATE_JOIN_NS = 480;

    private static final int WARM_UP = 3;
    /**
     * Warm-up rounds of native create+join: its Java path (control block, the C call, the
     * join) runs C1-compiled code, at about three times its final cost, for the first 1,500
     * or so creations.
     */
    private static final int CREATE_WARM_UP = 30;
    private static final int CREATES = 100;
    private static final int LOCKS = 1_000_000;
    private static final int TRIPS = 1_000;
    /**
     * gmp's figures are around a microsecond, so its rounds are long and its warm-up longer:
     * 100 creates in 3 rounds run interpreted (a few hundred µs each), and a loop of this
     * size reaches its compiled speed after some 100,000 iterations.
     */
    private static final int GMP_N = 20_000;
    private static final int GMP_WARM_UP = 10;
    private static final int CONTENDED = 100_000;

    /** One line of the table. */
    record Row(String figure, String unit, String name, Interleaved.Spread p4j, String baseline,
            Interleaved.Spread base, Interleaved.Ratio ratio, String target, String verdict, String note) {}

    private final int rounds;
    private final List<Row> rows = new ArrayList<>();
    private final Path cBench;

    private Versus(int rounds, Path cBench) {
        this.rounds = rounds;
        this.cBench = cBench;
    }

    public static void main(String[] args) throws Exception {
        int rounds = 21;
        boolean json = false;
        String only = "";
        String memoryChild = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--json" -> json = true;
                case "--only" -> only = args[++i];
                case "--memory-child" -> memoryChild = args[++i]; // the memory figure's child JVM of one kind
                default -> throw new IllegalArgumentException(
                        "usage: Versus [--rounds n] [--json] [--only create,mutex,cond,contended,memory]");
            }
        }
        Harness.setUpTrial();
        Versus v = new Versus(rounds, memoryChild == null ? compileC() : null);
        String figures = only;
        String child = memoryChild;
        Object failure = Harness.inPthread("versus", arg -> {
            try {
                if (child == null) {
                    v.runAll(figures);
                } else {
                    v.memoryChild(child);
                }
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        if (failure != null) {
            throw new IllegalStateException("versus failed", (Throwable) failure);
        }
        if (child == null) {
            System.out.println(json ? v.json() : v.table());
        }
    }

    /**
     * {@code ./pthread4j bench --versus [--backend a,b] [--rounds n] [--json]}: one JVM per
     * backend (native twice: {@code condspin=0} for every figure, then the default spin for the
     * ping-pong alone), each running {@link #main}; {@code --java} and {@code --jar} as
     * {@link Bench} gets them, {@code --out} ignored.
     */
    static void launch(String[] args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = Path.of(Versus.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        List<String> backends = List.of("native", "virtual", "green", "gmp");
        List<String> pass = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--versus" -> { }
                case "--java" -> java = args[++i];
                case "--jar" -> jar = args[++i];
                case "--out" -> i++;
                case "--backend" -> backends = List.of(args[++i].split(","));
                case "--rounds" -> pass.addAll(List.of(args[i], args[++i]));
                case "--json" -> pass.add(args[i]);
                default -> throw new IllegalArgumentException(
                        "usage: ./pthread4j bench --versus [--backend native,virtual,green,gmp] [--rounds n] [--json]");
            }
        }
        for (String backend : backends) {
            String[] spec = backend.split("/");
            List<List<String>> runs = new ArrayList<>();
            if (spec[0].equals("native")) {
                runs.add(List.of("-Dpthread4j.condspin=0"));
                runs.add(List.of("--only", "cond"));
            } else {
                runs.add(List.of());
            }
            for (List<String> run : runs) {
                List<String> cmd = figureCommand(java, jar, spec, run, pass);
                System.err.println("pthread4j bench --versus: " + String.join(" ", cmd));
                int code = new ProcessBuilder(cmd).inheritIO().start().waitFor();
                if (code != 0) {
                    throw new IllegalStateException("the " + backend + " run failed with status " + code);
                }
            }
        }
    }

    /**
     * The command of one figures' JVM of {@link #launch}: {@code java} with {@link #PRE_TOUCH},
     * the backend (and binding) of {@code spec}, the run's own {@code -D} options, then this
     * class on {@code jar} with the run's other arguments and {@code pass}.
     */
    static List<String> figureCommand(String java, String jar, String[] spec, List<String> run, List<String> pass) {
        List<String> cmd = new ArrayList<>(List.of(java, PRE_TOUCH, Harness.NATIVE_ACCESS, Harness.OPEN_LANG,
                "-Dpthread4j.backend=" + spec[0]));
        if (spec.length > 1) {
            cmd.add("-Dpthread4j.binding=" + spec[1]);
        }
        cmd.addAll(run.stream().filter(a -> a.startsWith("-D")).toList());
        cmd.addAll(List.of("-cp", jar, Versus.class.getName()));
        cmd.addAll(run.stream().filter(a -> !a.startsWith("-D")).toList());
        cmd.addAll(pass);
        return cmd;
    }

    private void runAll(String only) throws Exception {
        String backend = Harness.backend();
        boolean all = only.isEmpty();
        switch (backend) {
            case "native" -> {
                if (all || only.contains("create")) {
                    createJoin(true);
                }
                if (all || only.contains("mutex")) {
                    mutex();
                }
                if (all || only.contains("cond")) {
                    nativeCond();
                }
                if (all || only.contains("contended")) {
                    contended(2);
                    contended(4);
                    contendedPinned(2);
                    contendedPinned(4);
                }
            }
            case "virtual" -> {
                if (all || only.contains("cond")) {
                    virtualCond();
                }
                if (only.contains("waitpath")) {
                    waitPath();
                }
                if (all || only.contains("memory")) {
                    virtualMemory();
                }
            }
            case "gmp" -> {
                if (all || only.contains("create")) {
                    createJoin(false);
                }
                if (all || only.contains("cond")) {
                    gmpCond();
                }
            }
            default -> createJoin(false);
        }
    }

    // ---- (a), (f) create+join ---------------------------------------------------------------

    private final Object token = new Object();
    private volatile Object last;

    private double pthreadCreateJoin(int n) {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (Harness.join("empty", Harness.start("empty", a -> token)) != token) {
                throw new IllegalStateException("the empty routine's exit value was lost");
            }
        }
        return (double) (System.nanoTime() - t0) / n;
    }

    /**
     * Create+join of pthreads with an explicit stack size (glibc's default, 8 MiB): every one
     * takes the full path, a new kernel thread that the JVM adopts, instead of the cache.
     */
    private double pthreadCreateJoinUncached() {
        pthread_attr_t attr = new pthread_attr_t();
        ok("pthread_attr_init", pthread_attr_init(attr));
        ok("pthread_attr_setstacksize", pthread_attr_setstacksize(attr, 8L << 20));
        long t0 = System.nanoTime();
        for (int i = 0; i < CREATES; i++) {
            pthread_t t = new pthread_t();
            ok("pthread_create", pthread_create(t, attr, a -> token, null));
            if (Harness.join("empty", t) != token) {
                throw new IllegalStateException("the empty routine's exit value was lost");
            }
        }
        return (double) (System.nanoTime() - t0) / CREATES;
    }

    private double javaThreadCreateJoin(Thread.Builder builder, int n) throws InterruptedException {
        Runnable body = () -> last = token;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            builder.start(body).join();
        }
        return (double) (System.nanoTime() - t0) / n;
    }

    private void createJoin(boolean nativeBackend) throws Exception {
        boolean gmp = Harness.backend().equals("gmp");
        int n = gmp ? GMP_N : CREATES;
        Map<String, Interleaved.Round> c = new LinkedHashMap<>();
        c.put("pthread4j", gmp ? withCpu("pthread4j", n, () -> pthreadCreateJoin(n)) : () -> pthreadCreateJoin(n));
        if (nativeBackend) {
            c.put("glibc", () -> (double) Harness.elapsed("p4j_bench_create_join", p4j_bench_create_join(CREATES)) / CREATES);
            c.put("java.lang.Thread", () -> javaThreadCreateJoin(Thread.ofPlatform(), n));
            c.put("pthread4j uncached", this::pthreadCreateJoinUncached);
            addProcess(c, "create", CREATES);
        } else {
            c.put("virtual Thread", () -> javaThreadCreateJoin(Thread.ofVirtual(), n));
        }
        Interleaved.Results r = Interleaved.run(nativeBackend ? CREATE_WARM_UP : gmp ? GMP_WARM_UP : WARM_UP, rounds, c);
        String fig = "create+join";
        if (nativeBackend) {
            add(fig, "µs", r, "glibc", 1e-3, "≤ 1.3", "at most", 1.3, "glibc C loop via FFM, same process");
            addInverse(fig, r, "java.lang.Thread", "≥ 2× faster", 2.0, "java.lang.Thread start+join, same JVM");
            addReference(fig, "µs", r, "glibc process", 1e-3);
            Interleaved.Ratio full = r.ratio("pthread4j uncached", "glibc");
            rows.add(new Row(fig + " (stack size set: no cache)", "µs", "pthread4j uncached",
                    scale(r.spread("pthread4j uncached"), 1e-3), "glibc", scale(r.spread("glibc"), 1e-3), full, "—",
                    "—", "a new kernel thread per pthread, adopted by the JVM; for information"));
        } else if (gmp) {
            Interleaved.Spread p = r.spread("pthread4j");
            Interleaved.Ratio ratio = over(r.values("pthread4j"), GO_CREATE_JOIN_NS);
            Interleaved.Ratio busy = over(recordedValues(cpu.get("pthread4j")),
                    Runtime.getRuntime().availableProcessors() * GO_CREATE_JOIN_NS);
            rows.add(new Row(fig + " (in scheduler)", "µs", "pthread4j", scale(p, 1e-3), "Go 0.48 µs (quoted)", null,
                    ratio, "≤ 4", quotedVerdict(ratio, busy, 4),
                    "Go figure quoted from issue 15, not re-run; pthread4j " + cpuNote("pthread4j", "create+join")));
            add(fig, "µs", r, "virtual Thread", 1e-3, "—", null, 0, "virtual Thread start+join, same JVM");
        } else {
            add(fig, "µs", r, "virtual Thread", 1e-3, "—", null, 0, "virtual Thread start+join, same JVM");
        }
    }

    /** The median, with its interval, of {@code values} each divided by {@code figure}. */
    private static Interleaved.Ratio over(double[] values, double figure) {
        double[] q = new double[values.length];
        for (int i = 0; i < q.length; i++) {
            q[i] = values[i] / figure;
        }
        return Interleaved.medianInterval(q);
    }

    // ---- (b) uncontended mutex --------------------------------------------------------------

    private final pthread_mutex_t mutex = new pthread_mutex_t();
    private long count;

    private double pthreadMutex() {
        long before = count;
        long t0 = System.nanoTime();
        for (int i = 0; i < LOCKS; i++) {
            int rc = pthread_mutex_lock(mutex);
            count++;
            rc |= pthread_mutex_unlock(mutex);
            if (rc != 0) {
                throw new IllegalStateException("pthread_mutex_lock/unlock returned " + rc);
            }
        }
        double ns = (double) (System.nanoTime() - t0) / LOCKS;
        if (count != before + LOCKS) {
            throw new IllegalStateException("lost increments");
        }
        return ns;
    }

    private void mutex() throws Exception {
        Map<String, Interleaved.Round> c = new LinkedHashMap<>();
        c.put("pthread4j", this::pthreadMutex);
        c.put("glibc", () -> (double) Harness.elapsed("p4j_bench_mutex", p4j_bench_mutex(LOCKS)) / LOCKS);
        addProcess(c, "mutex", LOCKS);
        Interleaved.Results r = Interleaved.run(WARM_UP, rounds, c);
        add("uncontended lock+unlock", "ns", r, "glibc", 1, "≤ 1.5", "at most", 1.5, "glibc C loop via FFM");
        addReference("uncontended lock+unlock", "ns", r, "glibc process", 1);
    }

    // ---- (c), (e) cond ping-pong ------------------------------------------------------------

    /** The process's CPU time per round trip of each contestant's rounds, ns. */
    private final Map<String, List<Double>> cpu = new LinkedHashMap<>();

    /** libc's {@code clock_gettime}: CLOCK_PROCESS_CPUTIME_ID counts every thread, exited ones too, in ns. */
    private static final MethodHandle CLOCK_GETTIME = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().findOrThrow("clock_gettime"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final int CLOCK_PROCESS_CPUTIME_ID = 2;
    private static final MemorySegment TIMESPEC = Arena.global().allocate(16, 8);

    /** The CPU time of the whole process (JVM threads included), ns. */
    private static long processCpuNs() {
        try {
            if ((int) CLOCK_GETTIME.invokeExact(CLOCK_PROCESS_CPUTIME_ID, TIMESPEC) != 0) {
                throw new IllegalStateException("clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed");
            }
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        return TIMESPEC.get(ValueLayout.JAVA_LONG, 0) * 1_000_000_000L + TIMESPEC.get(ValueLayout.JAVA_LONG, 8);
    }

    /** The spread of a figure recorded beside every round, over the recorded rounds (the warm-up's left out). */
    private Interleaved.Spread recorded(List<Double> perRound) {
        return Interleaved.spread(recordedValues(perRound));
    }

    /** The recorded rounds' values of {@code perRound}, whose first entries are the warm-up's. */
    private double[] recordedValues(List<Double> perRound) {
        return doubles(perRound.subList(perRound.size() - rounds, perRound.size()));
    }

    /** Wraps a ping-pong round so that the process's CPU time per trip is recorded beside it. */
    private Interleaved.Round withCpu(String name, int trips, Interleaved.Round round) {
        List<Double> list = cpu.computeIfAbsent(name, k -> new ArrayList<>());
        return () -> {
            long c0 = processCpuNs();
            double ns = round.run();
            list.add((double) (processCpuNs() - c0) / trips);
            return ns;
        };
    }

    private String cpuNote(String name) {
        return cpuNote(name, "trip");
    }

    private String cpuNote(String name, String per) {
        Interleaved.Spread s = recorded(cpu.get(name));
        return "CPU " + Interleaved.format(s.median() / 1e3) + " µs/" + per + " (" + Interleaved.format(s.min() / 1e3) + "–"
                + Interleaved.format(s.max() / 1e3) + ")";
    }

    static final int PING = 0;
    static final int PONG = 1;

    /** pthread4j's ping-pong: the calling pthread pings, a pthread created per round pongs. */
    private double pthreadPingPong(int trips) {
        return pthreadPingPong(trips, -1);
    }

    /**
     * The same with the pong on CPU {@code pongCpu} alone (it sets its affinity before its first,
     * untimed, trip), or, for {@code pongCpu < 0}, where pthread_create puts it.
     */
    private double pthreadPingPong(int trips, int pongCpu) {
        pthread_mutex_t m = new pthread_mutex_t();
        pthread_cond_t cv = new pthread_cond_t();
        int[] turn = {PING};
        pthread_t pong = Harness.start("pong", a -> {
            if (pongCpu >= 0) {
                pin(pongCpu);
            }
            ok("pthread_mutex_lock", pthread_mutex_lock(m));
            for (int i = 0; i <= trips; i++) {
                while (turn[0] != PONG) {
                    ok("pthread_cond_wait", pthread_cond_wait(cv, m));
                }
                turn[0] = PING;
                ok("pthread_cond_signal", pthread_cond_signal(cv));
            }
            ok("pthread_mutex_unlock", pthread_mutex_unlock(m));
            return null;
        });
        ok("pthread_mutex_lock", pthread_mutex_lock(m));
        long t0 = 0;
        for (int i = 0; i <= trips; i++) {
            if (i == 1) {
                t0 = System.nanoTime(); // the first trip, untimed, has the pong thread running
            }
            turn[0] = PONG;
            ok("pthread_cond_signal", pthread_cond_signal(cv));
            while (turn[0] != PING) {
                ok("pthread_cond_wait", pthread_cond_wait(cv, m));
            }
        }
        double ns = (double) (System.nanoTime() - t0) / trips;
        ok("pthread_mutex_unlock", pthread_mutex_unlock(m));
        Harness.join("pong", pong);
        return ns;
    }

    /**
     * The same protocol with ReentrantLock and its Condition, the pong on a virtual thread of
     * the JDK's scheduler, or (gmp) on a pthread, so that both sides run on gmp's.
     */
    private double reentrantPingPong(int trips, boolean pongOnPthread) throws InterruptedException {
        ReentrantLock l = new ReentrantLock();
        Condition cv = l.newCondition();
        int[] turn = {PING};
        Runnable pongBody = () -> {
            l.lock();
            try {
                for (int i = 0; i <= trips; i++) {
                    while (turn[0] != PONG) {
                        cv.awaitUninterruptibly();
                    }
                    turn[0] = PING;
                    cv.signal();
                }
            } finally {
                l.unlock();
            }
        };
        pthread_t pongPthread = pongOnPthread ? Harness.start("pong", a -> {
            pongBody.run();
            return null;
        }) : null;
        Thread pong = pongOnPthread ? null : Thread.ofVirtual().start(pongBody);
        l.lock();
        long t0 = 0;
        try {
            for (int i = 0; i <= trips; i++) {
                if (i == 1) {
                    t0 = System.nanoTime();
                }
                turn[0] = PONG;
                cv.signal();
                while (turn[0] != PING) {
                    cv.awaitUninterruptibly();
                }
            }
        } finally {
            l.unlock();
        }
        double ns = (double) (System.nanoTime() - t0) / trips;
        if (pong == null) {
            Harness.join("pong", pongPthread);
        } else {
            pong.join();
        }
        return ns;
    }

    /**
     * The native ping-pong three ways, pthread4j and glibc alike in each: left where thread
     * creation puts them (pthread4j's cache of kernel threads starts the pong on its creator's
     * CPU, glibc's clone wherever the kernel places a new task), then both threads on one
     * CPU, then on two. Whether the two share a CPU decides most of
     * the round trip (a switch on one CPU, or a wake-up of the other, which may have halted),
     * so the pinned rows compare the condition variables under the same placement. Each
     * starts with a warm-up ({@link #condWarmUp}), which runs pthread4j's wait path through
     * the JIT as the virtual row's do; glibc's loop is compiled ahead of time.
     */
    private void nativeCond() throws Exception {
        String spin = System.getProperty("pthread4j.condspin");
        String fig = "cond ping-pong (condspin=" + (spin == null ? "default" : spin) + ")";
        nativeCond(fig, -1, -1);
        int[] cpus = allowedCpus();
        if (cpus.length > 0) {
            // in pthreads of their own: a pinned pthread's later creations take no cached kernel thread
            inPinned(cpus[0], () -> nativeCond(fig + ", both on one CPU", cpus[0], cpus[0]));
        }
        if (cpus.length > 1) {
            inPinned(cpus[0], () -> nativeCond(fig + ", on two CPUs", cpus[0], cpus[1]));
        }
    }

    /** One native ping-pong figure, the pong on {@code pongCpu} (the ping is on {@code pingCpu}), or unpinned (-1). */
    private void nativeCond(String fig, int pingCpu, int pongCpu) throws Exception {
        Map<String, Interleaved.Round> c = new LinkedHashMap<>();
        c.put("pthread4j", withCpu("pthread4j", TRIPS, () -> pthreadPingPong(TRIPS, pongCpu)));
        c.put("glibc", withCpu("glibc", TRIPS, () -> (double) Harness.elapsed("p4j_bench_cond_pingpong_on",
                p4j_bench_cond_pingpong_on(TRIPS, pongCpu)) / TRIPS));
        if (pingCpu < 0) {
            addProcess(c, "cond", TRIPS);
        }
        Interleaved.WarmUp w = condWarmUp(c, COND_JIT_WARM_UP);
        Interleaved.Results r = Interleaved.run(0, rounds, c);
        boolean judged = "0".equals(System.getProperty("pthread4j.condspin"));
        add(fig, "µs", r, "glibc", 1e-3, judged ? "≤ 1.3" : "—", judged ? "at most" : null, 1.3,
                (pingCpu < 0 ? "unpinned" : "ping on CPU " + pingCpu + ", pong on CPU " + pongCpu) + ", after "
                        + w + "; pthread4j "
                        + cpuNote("pthread4j") + "; glibc " + cpuNote("glibc"));
        if (pingCpu < 0) {
            addReference(fig, "µs", r, "glibc process", 1e-3);
        }
    }

    /** The CPUs this pthread may run on, in increasing order. */
    private static int[] allowedCpus() {
        cpu_set_t set = new cpu_set_t();
        ok("pthread_getaffinity_np", pthread_getaffinity_np(pthread_self(), cpu_set_t.SIZEOF, set));
        return java.util.stream.IntStream.range(0, CPU_SETSIZE).filter(i -> CPU_ISSET(i, set)).toArray();
    }

    /** Sets the calling pthread's affinity to {@code cpu} alone. */
    private static void pin(int cpu) {
        cpu_set_t set = new cpu_set_t();
        CPU_SET(cpu, set);
        ok("pthread_setaffinity_np", pthread_setaffinity_np(pthread_self(), cpu_set_t.SIZEOF, set));
    }

    /** A figure that throws. */
    @FunctionalInterface
    private interface Figure {
        void run() throws Exception;
    }

    /** Runs {@code figure} in a new pthread that runs on {@code cpu} alone; its failure fails the run. */
    private static void inPinned(int cpu, Figure figure) {
        Object failure = Harness.inPthread("pinned", a -> {
            pin(cpu);
            try {
                figure.run();
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        if (failure != null) {
            throw new IllegalStateException("a pinned figure failed", (Throwable) failure);
        }
    }

    /**
     * Ping-pong rounds of both kinds before the judged ones, at least: the JDK's condition is
     * partly compiled before the run starts, pthread4j's wait path is not, and the default
     * three warm-up rounds (3,000 trips) leave it running C1's code or the interpreter. Then
     * more, until the JIT is quiet ({@link #condWarmUp}): after 100 rounds of the virtual
     * ping-pong the loops' final C2 code was still to come (it landed some 300 ms into the
     * recorded rounds), so the recorded rounds timed a mix of C1's code and C2's.
     */
    private static final int COND_JIT_WARM_UP = 100;
    /** How long the compiler time must stand still before the recorded rounds of a ping-pong start. */
    private static final long JIT_QUIET_NANOS = 500_000_000L;
    /** The longest warm-up of one ping-pong figure; its row says when the JIT was not quiet by then. */
    private static final long JIT_WARM_UP_LIMIT_NANOS = 10_000_000_000L;

    /** The warm-up of a ping-pong figure: {@code minRounds} rounds at least, then until the JIT is quiet. */
    private static Interleaved.WarmUp condWarmUp(Map<String, Interleaved.Round> c, int minRounds) throws Exception {
        return Interleaved.warmUp(c, minRounds, JIT_QUIET_NANOS, JIT_WARM_UP_LIMIT_NANOS);
    }

    private void virtualCond() throws Exception {
        Map<String, Interleaved.Round> c = new LinkedHashMap<>();
        c.put("pthread4j", withCpu("pthread4j", TRIPS, () -> pthreadPingPong(TRIPS)));
        c.put("ReentrantLock", withCpu("ReentrantLock", TRIPS, () -> reentrantPingPong(TRIPS, false)));
        Interleaved.WarmUp w = condWarmUp(c, COND_JIT_WARM_UP);
        Interleaved.Results r = Interleaved.run(0, rounds, c);
        add("cond ping-pong", "µs", r, "ReentrantLock", 1e-3, "≤ 1.0", "at most", 1.0,
                "ReentrantLock/Condition on virtual threads, after " + w + "; pthread4j " + cpuNote("pthread4j")
                        + "; RL " + cpuNote("ReentrantLock"));
    }

    /**
     * The virtual ping-pong taken apart ({@code --only waitpath}, not in the default set): the
     * public API's loop, the same loop on pthread4j's own mutex and condition called directly
     * (the "core": a parking lot of its own, no facade, no cancellation point, still in
     * pthreads), and {@code ReentrantLock}'s, interleaved; its rows split the public API's
     * time over {@code ReentrantLock}'s into the core's share and the rest's.
     */
    private void waitPath() throws Exception {
        Map<String, Interleaved.Round> c = new LinkedHashMap<>();
        c.put("pthread4j", () -> pthreadPingPong(TRIPS));
        c.put("core", () -> corePingPong(TRIPS));
        c.put("ReentrantLock", () -> reentrantPingPong(TRIPS, false));
        Interleaved.WarmUp w = condWarmUp(c, COND_JIT_WARM_UP);
        Interleaved.Results r = Interleaved.run(0, rounds, c);
        part(WAIT_PATH_ROWS[0], r, "pthread4j", "ReentrantLock", w);
        part(WAIT_PATH_ROWS[1], r, "core", "ReentrantLock", w);
        part(WAIT_PATH_ROWS[2], r, "pthread4j", "core", w);
    }

    /** The rows of {@link #waitPath}: the first column is the contestant named first. */
    static final String[] WAIT_PATH_ROWS = {"cond ping-pong, public API against ReentrantLock",
        "cond ping-pong, core against ReentrantLock", "cond ping-pong, public API against core"};

    /** A row without a target: {@code name}'s rounds over {@code baseline}'s. */
    private void part(String fig, Interleaved.Results r, String name, String baseline, Interleaved.WarmUp w) {
        rows.add(new Row(fig, "µs", name, scale(r.spread(name), 1e-3), baseline, scale(r.spread(baseline), 1e-3),
                r.ratio(name, baseline), "—", "—", "first column: " + name + " (--only waitpath), after " + w));
    }

    /** A cancellation that never acts: the core's waits are no cancellation points. */
    private static final Cancellation NO_CANCELLATION = new Cancellation() {
        @Override
        public Tcb point() {
            return null;
        }

        @Override
        public Tcb asynchronous() {
            return null;
        }

        @Override
        public void act(Tcb self) {
            throw new IllegalStateException("no cancel reaches the core's ping-pong");
        }

        @Override
        public int interrupted(Tcb self) {
            throw new IllegalStateException("no signal reaches the core's ping-pong");
        }
    };

    /**
     * The core's parking lot, serial where the virtual model's is (one carrier), so that the
     * core's signal wakes or moves as the public API's does (its spin limit is never used
     * here: the ping-pong's relock finds the mutex free).
     */
    private static final ParkingLot CORE_LOT = new ParkingLot(0, VirtualThreadModel.oneCarrier());

    /**
     * {@link #pthreadPingPong} on a {@link Mutex} and a {@link Cond} called directly (see
     * {@link #waitPath}). Each contestant keeps its own copy of the loop: one loop shared
     * through callbacks would reach the three kinds of lock from one call site, which the JIT
     * cannot inline for all three, and the figure would time the calls.
     */
    private double corePingPong(int trips) {
        Mutex m = new Mutex(CORE_LOT, Mutex.NORMAL, false);
        Cond cv = new Cond(CORE_LOT, Futex.CLOCK_REALTIME);
        int[] turn = {PING};
        pthread_t pong = Harness.start("pong", a -> {
            m.lock(NO_CANCELLATION);
            for (int i = 0; i <= trips; i++) {
                while (turn[0] != PONG) {
                    ok("Cond.wait", cv.wait(m, Futex.CLOCK_NONE, 0, 0, NO_CANCELLATION));
                }
                turn[0] = PING;
                cv.signal();
            }
            m.unlock();
            return null;
        });
        m.lock(NO_CANCELLATION);
        long t0 = 0;
        for (int i = 0; i <= trips; i++) {
            if (i == 1) {
                t0 = System.nanoTime();
            }
            turn[0] = PONG;
            cv.signal();
            while (turn[0] != PING) {
                ok("Cond.wait", cv.wait(m, Futex.CLOCK_NONE, 0, 0, NO_CANCELLATION));
            }
        }
        double ns = (double) (System.nanoTime() - t0) / trips;
        m.unlock();
        Harness.join("pong", pong);
        return ns;
    }

    /** gmp's ping-pong from inside the scheduler, beside the JDK's condition on the same scheduler. */
    private void gmpCond() throws Exception {
        Map<String, Interleaved.Round> c = new LinkedHashMap<>();
        c.put("pthread4j", withCpu("pthread4j", GMP_N, () -> pthreadPingPong(GMP_N)));
        c.put("ReentrantLock", withCpu("ReentrantLock", GMP_N, () -> reentrantPingPong(GMP_N, true)));
        Interleaved.WarmUp w = condWarmUp(c, GMP_WARM_UP);
        Interleaved.Results r = Interleaved.run(0, rounds, c);
        add("cond ping-pong (in scheduler)", "µs", r, "ReentrantLock", 1e-3, "—", null, 0,
                "ReentrantLock/Condition, its pong a pthread on gmp too, after " + w + "; pthread4j " + cpuNote("pthread4j")
                        + "; RL " + cpuNote("ReentrantLock"));
    }

    // ---- memory per blocked virtual pthread -------------------------------------------------

    /** Blocked threads per memory round: enough that a full GC's noise is a few bytes per thread. */
    static final int BLOCKED = 50_000;

    /** The two kinds of blocked thread, one child JVM each: their names in the row. */
    static final String PTHREAD = "pthread4j";
    static final String VIRTUAL = "virtual Thread";

    /**
     * A memory child's figures, its one line on stdout: the kind, the threads counted blocked,
     * per thread the growth of the live heap (after a full GC) and of the RSS, bytes, and the
     * median bytes of frames in a blocked thread's stack chunk ({@link StackChunks}; part of
     * the heap figure, {@link StackChunks#UNKNOWN} where they cannot be read).
     */
    record Blocked(String kind, int threads, double heap, double rss, double stack) {
        private static final Pattern LINE = Pattern.compile("\\{\"kind\":\"([^\"]+)\",\"threads\":(\\d+),"
                + "\"heap\":([0-9.Ee+-]+),\"rss\":([0-9.Ee+-]+),\"stack\":([0-9.Ee+-]+)}");

        String json() {
            return String.format(Locale.ROOT, "{\"kind\":\"%s\",\"threads\":%d,\"heap\":%s,\"rss\":%s,\"stack\":%s}",
                    kind, threads, heap, rss, stack);
        }

        /** The figures of a child's stdout, which must be the one line {@link #json} writes. */
        static Blocked parse(String out) {
            Matcher m = LINE.matcher(out.strip());
            if (!m.matches()) {
                throw new IllegalStateException("not a memory child's line: " + out);
            }
            return new Blocked(m.group(1), Integer.parseInt(m.group(2)), Double.parseDouble(m.group(3)),
                    Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5)));
        }
    }

    /**
     * The bytes of live objects after a full GC: the total of a class histogram (which collects
     * first) less the collector's filler arrays. G1's full GC leaves regions that are nearly all
     * live in place and formats their dead gaps as filler arrays, which the heap's used bytes
     * count, and how much of it a round leaves depends on where its garbage fell: used less
     * live bytes per thread was 13-63 B for pthreads and 0-12 B for raw virtual threads (rounds
     * 4 to 7 of two JVMs of each kind; histograms of the measured round held 4.4-5.2 MB of
     * filler beside pthreads, 0.3-0.4 MB beside raw virtual threads). A blocked thread holds
     * none of it.
     */
    private static long liveBytesAfterGc() throws Exception {
        System.gc();
        System.gc();
        String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        return liveBytes(histogram);
    }

    /** The total of a class histogram ({@code jcmd GC.class_histogram}'s text) less its filler arrays. */
    static long liveBytes(String histogram) {
        long total = -1;
        long filler = 0;
        for (String line : histogram.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[0].equals("Total")) {
                total = Long.parseLong(f[2]);
            } else if (f.length >= 4 && f[3].equals(FILLER)) {
                filler += Long.parseLong(f[2]);
            }
        }
        if (total < 0) {
            throw new IllegalStateException("not a class histogram: " + histogram);
        }
        return total - filler;
    }

    /** The class of the filler arrays with which the JVM formats dead space in the heap. */
    static final String FILLER = "[Ljdk.internal.vm.FillerElement;";

    private static long rssBytes() throws IOException {
        String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
        return Long.parseLong(statm[1]) * 4096;
    }

    /**
     * One memory round: {@code start} starts {@link #BLOCKED} threads that each count
     * themselves into {@code counted} and block until {@code release} runs; returns the growth
     * per thread of the live heap ({@link #liveBytesAfterGc}) and of the RSS while they are
     * all blocked, and the frames they keep ({@link StackChunks}).
     */
    private static Blocked blockedRound(String kind, IntConsumer start, Counted counted, Runnable release)
            throws Exception {
        AtomicInteger waiting = counted.waiting;
        long heap0 = liveBytesAfterGc();
        long rss0 = rssBytes();
        for (int i = 0; i < BLOCKED; i++) {
            start.accept(i);
        }
        while (waiting.get() < BLOCKED) {
            Thread.sleep(5);
        }
        long heap1 = liveBytesAfterGc();
        long rss1 = rssBytes();
        int threads = waiting.get();
        double stack = StackChunks.medianUsed(counted.threads);
        release.run();
        return new Blocked(kind, threads, (double) (heap1 - heap0) / BLOCKED, (double) (rss1 - rss0) / BLOCKED, stack);
    }

    /** The blocked threads of a memory round, each counted as it blocks; made before the round's first heap figure. */
    private static final class Counted {
        final AtomicInteger waiting = new AtomicInteger();
        final Thread[] threads = new Thread[BLOCKED];

        /** Counts the calling thread, which then blocks. */
        void count() {
            threads[waiting.getAndIncrement()] = Thread.currentThread();
        }
    }

    private static Blocked pthreadsBlocked() throws Exception {
        pthread_mutex_t m = new pthread_mutex_t();
        pthread_cond_t cv = new pthread_cond_t();
        boolean[] go = {false};
        Counted counted = new Counted();
        pthread_t[] t = new pthread_t[BLOCKED];
        StartRoutine body = a -> {
            ok("pthread_mutex_lock", pthread_mutex_lock(m));
            counted.count();
            while (!go[0]) {
                ok("pthread_cond_wait", pthread_cond_wait(cv, m));
            }
            ok("pthread_mutex_unlock", pthread_mutex_unlock(m));
            return null;
        };
        return blockedRound(PTHREAD, i -> t[i] = Harness.start("blocked", body), counted, () -> {
            ok("pthread_mutex_lock", pthread_mutex_lock(m));
            go[0] = true;
            ok("pthread_cond_broadcast", pthread_cond_broadcast(cv));
            ok("pthread_mutex_unlock", pthread_mutex_unlock(m));
            for (pthread_t x : t) {
                Harness.join("blocked", x);
            }
        });
    }

    private static Blocked virtualThreadsBlocked() throws Exception {
        ReentrantLock l = new ReentrantLock();
        Condition cv = l.newCondition();
        boolean[] go = {false};
        Counted counted = new Counted();
        Thread[] t = new Thread[BLOCKED];
        Runnable body = () -> {
            l.lock();
            try {
                counted.count();
                while (!go[0]) {
                    cv.awaitUninterruptibly();
                }
            } finally {
                l.unlock();
            }
        };
        return blockedRound(VIRTUAL, i -> t[i] = Thread.ofVirtual().start(body), counted, () -> {
            l.lock();
            try {
                go[0] = true;
                cv.signalAll();
            } finally {
                l.unlock();
            }
            for (Thread x : t) {
                try {
                    x.join();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
    }

    /**
     * Ping-pong rounds of the child's kind before its memory rounds: a parked thread's stack
     * chunk keeps the frames it parked in, and those of a method still running C1's code are
     * several times larger than C2's (a blocked pthread's chunk was 3.8 KB with C1 only, 0.5 KB
     * with C2), so memory is measured once the wait path is C2's.
     */
    private static final int JIT_WARM_UP = 20;
    /**
     * Unrecorded memory rounds of the child's kind: the ping-pong does not take the paths of
     * 50,000 waiters woken by one broadcast (requeued waiters, a long bucket list), nor the
     * type profile of the blocked body, so the JIT recompiles during the first memory rounds.
     * In JVMs of one kind the heap per thread settled by the seventh round (pthread4j 1763,
     * 1490, 860, 1248, 888, 915, then 849-882 B; virtual Thread 1348, 1181, 794, 925, 827,
     * 769, then 745-771 B), at a level that differs from JVM to JVM (pthread4j 850-970 B,
     * virtual Thread 690-750 B), which the rounds' children sample.
     */
    private static final int MEMORY_WARM_UP = 6;

    /**
     * A memory child: the JIT and memory warm-up of one kind, then one memory round, whose
     * {@link Blocked} line is the child's only output. One JVM per kind: the two kinds share
     * the JDK's frames (the virtual thread's run and park), and in one JVM each kind's type
     * profile invalidated the other's compiled code, so that a kind's stack chunks took C1's
     * frames or C2's depending on what the other kind had last done.
     */
    private void memoryChild(String kind) throws Exception {
        Interleaved.Round ping = switch (kind) {
            case PTHREAD -> () -> pthreadPingPong(TRIPS);
            case VIRTUAL -> () -> reentrantPingPong(TRIPS, false);
            default -> throw new IllegalArgumentException("no memory child " + kind);
        };
        Callable<Blocked> round = kind.equals(PTHREAD) ? Versus::pthreadsBlocked : Versus::virtualThreadsBlocked;
        for (int i = 0; i < JIT_WARM_UP; i++) {
            ping.run();
        }
        for (int i = 0; i < MEMORY_WARM_UP; i++) {
            round.call();
        }
        System.out.println(round.call().json());
    }

    /**
     * The command of a memory child of {@code kind} on {@code backend}: this java and class
     * path, Builds's flags, and this JVM's other {@code pthread4j.*} properties (a figure run
     * with {@code -Dpthread4j.handoff=-1} measures children without the hand-off).
     */
    static List<String> memoryChildCommand(String backend, String kind) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                Harness.NATIVE_ACCESS, Harness.OPEN_LANG, StackChunks.OPEN_VM, "-Dpthread4j.backend=" + backend));
        System.getProperties().stringPropertyNames().stream().sorted()
                .filter(k -> k.startsWith("pthread4j.") && !k.equals("pthread4j.backend"))
                .forEach(k -> cmd.add("-D" + k + "=" + System.getProperty(k)));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Versus.class.getName(), "--memory-child", kind));
        return cmd;
    }

    /** Runs a memory child of {@code kind} on this JVM's backend and reads its line. */
    private static Blocked runMemoryChild(String kind, List<Double> rss, List<Double> stack) throws Exception {
        List<String> cmd = memoryChildCommand(Harness.backend(), kind);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
        Blocked b = Blocked.parse(out);
        if (!b.kind().equals(kind) || b.threads() != BLOCKED) {
            throw new IllegalStateException("the memory child of " + kind + " measured " + b);
        }
        rss.add(b.rss());
        if (b.stack() != StackChunks.UNKNOWN) {
            stack.add(b.stack());
        }
        return b;
    }

    /**
     * Each round one child JVM per kind, the two taking turns at going first
     * ({@link Interleaved}); a round's ratio pairs the two children's heap figures.
     */
    private void virtualMemory() throws Exception {
        List<Double> mine = new ArrayList<>();
        List<Double> theirs = new ArrayList<>();
        List<Double> myStack = new ArrayList<>();
        List<Double> theirStack = new ArrayList<>();
        Map<String, Interleaved.Round> c = new LinkedHashMap<>();
        c.put(PTHREAD, () -> runMemoryChild(PTHREAD, mine, myStack).heap());
        c.put(VIRTUAL, () -> runMemoryChild(VIRTUAL, theirs, theirStack).heap());
        Interleaved.Results r = Interleaved.run(0, rounds, c);
        double[] rssMine = doubles(mine);
        double[] rssTheirs = doubles(theirs);
        String frames = myStack.isEmpty() || theirStack.isEmpty() ? ""
                : "; of the heap, the frames a blocked thread keeps (its stack chunk's used part, median per child): "
                        + "pthread4j " + Interleaved.spread(doubles(myStack)) + " B, virtual Thread "
                        + Interleaved.spread(doubles(theirStack)) + " B";
        add("memory per blocked thread (heap)", "B", r, VIRTUAL, 1, "≤ 1.3", "at most", 1.3,
                "one JVM per kind; live heap after a full GC (class histogram less the collector's filler); " + BLOCKED
                        + " blocked in pthread_cond_wait vs in a ReentrantLock Condition's await, "
                        + "each JVM after " + JIT_WARM_UP + " ping-pong and " + MEMORY_WARM_UP
                        + " unrecorded memory rounds of its kind; RSS growth per thread: pthread4j "
                        + Interleaved.spread(rssMine) + " B, virtual Thread " + Interleaved.spread(rssTheirs)
                        + " B, ratio " + Interleaved.ratio(rssMine, rssTheirs) + frames);
    }

    private static double[] doubles(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    // ---- (d) contended mutex ----------------------------------------------------------------

    /**
     * Per contended row and contestant, the operations per hand-over of each round: how many
     * critical sections ran, on average, before another thread held the lock. It tells what a
     * round's time is made of: a lock that changes hands every few operations moves its cache
     * lines between CPUs and wakes sleepers on almost every one, one that stays with a
     * running holder for hundreds does neither.
     */
    private final Map<String, List<Double>> handOvers = new LinkedHashMap<>();

    /** Records each round's operations per hand-over under {@code row}'s contestant {@code name}. */
    private Interleaved.Round withHandOvers(String row, String name, Interleaved.Round round, long[] counts) {
        List<Double> list = handOvers.computeIfAbsent(row + "/" + name, k -> new ArrayList<>());
        return () -> {
            double ns = round.run();
            list.add((double) counts[0] / Math.max(1, counts[1]));
            return ns;
        };
    }

    /** The median operations per hand-over of {@code row}'s recorded rounds, pthread4j's and ReentrantLock's. */
    private String handOverNote(String row) {
        StringBuilder b = new StringBuilder("operations per hand-over (median, min–max):");
        for (String name : List.of("pthread4j", "ReentrantLock")) {
            Interleaved.Spread s = recorded(handOvers.get(row + "/" + name));
            b.append(' ').append(name).append(' ').append(Interleaved.format(s.median())).append(" (")
                    .append(Interleaved.format(s.min())).append('–').append(Interleaved.format(s.max())).append(')');
        }
        return b.toString();
    }

    /**
     * Time per operation of {@code n} pthreads each locking {@code CONTENDED} times, pthread
     * {@code t} on CPU {@code cpus[t % cpus.length]} alone when {@code cpus} is not null (set
     * before its first lock). Inside the lock each operation counts itself in
     * {@code counts[0]}, and a holder other than the last one counts a hand-over in
     * {@code counts[1]}.
     */
    private double contendedRound(int n, boolean pthreadMutex, int[] cpus, long[] counts) throws InterruptedException {
        pthread_mutex_t m = new pthread_mutex_t();
        ReentrantLock l = new ReentrantLock();
        counts[0] = 0;
        counts[1] = 0;
        long[] last = {-1};
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        pthread_t[] threads = new pthread_t[n];
        for (int t = 0; t < n; t++) {
            int cpu = cpus == null ? -1 : cpus[t % cpus.length];
            int me = t;
            threads[t] = Harness.start("contender", a -> {
                if (cpu >= 0) {
                    pin(cpu);
                }
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return e;
                }
                for (int i = 0; i < CONTENDED; i++) {
                    if (pthreadMutex) {
                        ok("pthread_mutex_lock", pthread_mutex_lock(m));
                        count(counts, last, me);
                        ok("pthread_mutex_unlock", pthread_mutex_unlock(m));
                    } else {
                        l.lock();
                        count(counts, last, me);
                        l.unlock();
                    }
                }
                return null;
            });
        }
        if (!ready.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("contenders did not start");
        }
        long t0 = System.nanoTime();
        go.countDown();
        for (pthread_t t : threads) {
            Harness.join("contender", t);
        }
        double ns = (double) (System.nanoTime() - t0) / ((long) n * CONTENDED);
        if (counts[0] != (long) n * CONTENDED) {
            throw new IllegalStateException("lost increments: " + counts[0]);
        }
        return ns;
    }

    /**
     * The two lock contestants of a contended row {@code fig}, {@code n} pthreads placed by
     * {@code cpus} as in {@link #contendedRound}: pthread4j's mutex and ReentrantLock, each
     * round's hand-overs recorded ({@link #withHandOvers}).
     */
    private Map<String, Interleaved.Round> lockContestants(String fig, int n, int[] cpus) {
        long[] mine = new long[2];
        long[] theirs = new long[2];
        Map<String, Interleaved.Round> c = new LinkedHashMap<>();
        c.put("pthread4j", withHandOvers(fig, "pthread4j", () -> contendedRound(n, true, cpus, mine), mine));
        c.put("ReentrantLock", withHandOvers(fig, "ReentrantLock", () -> contendedRound(n, false, cpus, theirs), theirs));
        return c;
    }

    /**
     * A contender's critical section: one operation, and a hand-over if the last holder was
     * another thread (the round's first holder counts as one).
     */
    static void count(long[] counts, long[] last, int me) {
        counts[0]++;
        if (last[0] != me) {
            counts[1]++;
            last[0] = me;
        }
    }

    /**
     * {@code n} pthreads where the scheduler puts them, against ReentrantLock and glibc: for
     * reference only, the target being judged on the pinned rows ({@link #contendedPinned}),
     * since these rounds often measure no contention (their hand-over counts show it: one
     * hand-over per 100,000 operations is one thread after the other).
     */
    private void contended(int n) throws Exception {
        String fig = n + " threads contending, unpinned, ns/op";
        Map<String, Interleaved.Round> c = lockContestants(fig, n, null);
        c.put("glibc", () -> (double) Harness.elapsed("p4j_bench_mutex_contended",
                p4j_bench_mutex_contended(n, CONTENDED)) / ((long) n * CONTENDED));
        Interleaved.Results r = Interleaved.run(WARM_UP, rounds, c);
        add(fig, "ns", r, "ReentrantLock", 1, "—", null, 0,
                "reference: the target is judged pinned, as unpinned rounds often do not contend; ReentrantLock on the "
                        + "same pthreads; " + handOverNote(fig));
        add(fig, "ns", r, "glibc", 1, "—", null, 0, "glibc C threads via FFM");
    }

    /**
     * The contended figure: {@code n} pthreads spread evenly over the CPUs, pinned: unpinned, a round of
     * {@link #CONTENDED} locks per thread is over in a few milliseconds, and on a busy machine
     * the scheduler often runs the threads one after another, so that rounds measure no
     * contention at all; pinned, every CPU has contenders from the first lock on. Against
     * ReentrantLock on pthreads pinned the same way (glibc's loop places its own threads).
     */
    private void contendedPinned(int n) throws Exception {
        int[] cpus = allowedCpus();
        if (cpus.length < 2) {
            return;
        }
        String fig = n + " threads contending, pinned over " + cpus.length + " CPUs, ns/op";
        Interleaved.Results r = Interleaved.run(WARM_UP, rounds, lockContestants(fig, n, cpus));
        add(fig, "ns", r, "ReentrantLock", 1, "≤ 1.0 (throughput ≥ RL)", "at most", 1.0,
                "each pthread on one CPU, " + n / cpus.length + " per CPU; ReentrantLock on pthreads pinned the same way; "
                        + handOverNote(fig));
    }

    // ---- the separate C process -------------------------------------------------------------

    private static final String C_SOURCE = """
            #include <pthread.h>
            #include <stdio.h>
            #include <stdlib.h>
            #include <string.h>
            #include <time.h>
            static long long now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1000000000LL + t.tv_nsec; }
            static void *empty(void *a) { return a; }
            static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
            static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
            static int turn; static long trips;
            static void *pong(void *a) {
                pthread_mutex_lock(&m);
                for (long i = 0; i <= trips; i++) { while (turn != 1) pthread_cond_wait(&cv, &m); turn = 0; pthread_cond_signal(&cv); }
                pthread_mutex_unlock(&m); return a;
            }
            int main(int argc, char **argv) {
                long n = atol(argv[2]), i; long long t0 = 0; volatile long count = 0; pthread_t t;
                if (!strcmp(argv[1], "create")) {
                    t0 = now(); for (i = 0; i < n; i++) { pthread_create(&t, NULL, empty, NULL); pthread_join(t, NULL); }
                } else if (!strcmp(argv[1], "mutex")) {
                    t0 = now(); for (i = 0; i < n; i++) { pthread_mutex_lock(&m); count++; pthread_mutex_unlock(&m); }
                } else {
                    trips = n; pthread_create(&t, NULL, pong, NULL); pthread_mutex_lock(&m);
                    for (i = 0; i <= n; i++) { if (i == 1) t0 = now(); turn = 1; pthread_cond_signal(&cv); while (turn != 0) pthread_cond_wait(&cv, &m); }
                    pthread_mutex_unlock(&m); pthread_join(t, NULL);
                }
                printf("%.3f\\n", (double) (now() - t0) / n);
                return 0;
            }
            """;

    /** Compiles the C loops into a temporary directory; null, with a note, without gcc. */
    private static Path compileC() {
        try {
            Path dir = Files.createTempDirectory("p4j-versus");
            Path src = Files.writeString(dir.resolve("versus.c"), C_SOURCE);
            Path exe = dir.resolve("versus");
            Process p = new ProcessBuilder("gcc", "-O2", "-pthread", "-o", exe.toString(), src.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                System.err.println("versus: gcc failed, no separate C process: " + out);
                return null;
            }
            exe.toFile().deleteOnExit();
            src.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return exe;
        } catch (IOException | InterruptedException e) {
            System.err.println("versus: no gcc (" + e.getMessage() + "): the separate C process is skipped");
            return null;
        }
    }

    private void addProcess(Map<String, Interleaved.Round> c, String loop, int n) {
        if (cBench != null) {
            c.put("glibc process", () -> {
                Process p = new ProcessBuilder(cBench.toString(), loop, Integer.toString(n)).start();
                String out = new String(p.getInputStream().readAllBytes()).trim();
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("the C process failed: " + out);
                }
                return Double.parseDouble(out);
            });
        }
    }

    // ---- rows -------------------------------------------------------------------------------

    private static Interleaved.Spread scale(Interleaved.Spread s, double k) {
        return s == null ? null : new Interleaved.Spread(s.median() * k, s.min() * k, s.max() * k, s.rounds());
    }

    /**
     * The verdict of a time against a quoted figure (Go's), which no round of this run measured,
     * so that nothing cancels a busy machine out: met as {@link #verdict} says; missed only where
     * {@code cpu}, the process's CPU time per operation spread over every CPU (as if the run had
     * them all to itself, at most that parallel) against the same figure, misses the bound too;
     * else unclear. A time that misses only because the run waited for a CPU is not a miss.
     */
    static String quotedVerdict(Interleaved.Ratio time, Interleaved.Ratio cpu, double bound) {
        String v = verdict(time, true, bound);
        return v.equals("missed") && !verdict(cpu, true, bound).equals("missed") ? "unclear" : v;
    }

    static String verdict(Interleaved.Ratio r, boolean atMost, double bound) {
        if (atMost ? r.atMost(bound) : r.atLeast(bound)) {
            return "met";
        }
        if (atMost ? r.low() > bound : r.high() < bound) {
            return "missed";
        }
        return "unclear";
    }

    private void add(String fig, String unit, Interleaved.Results r, String baseline, double k, String target,
            String kind, double bound, String note) {
        Interleaved.Ratio ratio = r.ratio("pthread4j", baseline);
        rows.add(new Row(fig, unit, "pthread4j", scale(r.spread("pthread4j"), k), baseline,
                scale(r.spread(baseline), k), ratio, target, kind == null ? "—" : verdict(ratio, true, bound), note));
    }

    /** Speed-up over {@code baseline}: baseline time / pthread4j time per round. */
    private void addInverse(String fig, Interleaved.Results r, String baseline, String target, double bound,
            String note) {
        Interleaved.Ratio ratio = r.ratio(baseline, "pthread4j");
        rows.add(new Row(fig + " (speed-up)", "µs", "pthread4j", scale(r.spread("pthread4j"), 1e-3), baseline,
                scale(r.spread(baseline), 1e-3), ratio, target, verdict(ratio, false, bound), note));
    }

    private void addReference(String fig, String unit, Interleaved.Results r, String baseline, double k) {
        if (cBench == null) {
            rows.add(new Row(fig, unit, "pthread4j", null, "glibc process", null, null, "—", "—", "skipped: no gcc"));
        } else {
            add(fig, unit, r, baseline, k, "—", null, 0, "separate C process, for reference (includes no JVM)");
        }
    }

    private String header() {
        return String.format(Locale.ROOT, "backend %s%s, %d interleaved rounds (+%d warm-up; ping-pongs: until the JIT is quiet, see each row), %d CPUs, load average %s",
                Harness.backend(), System.getProperty("pthread4j.condspin") == null ? ""
                        : " condspin=" + System.getProperty("pthread4j.condspin"),
                rounds, Harness.backend().equals("gmp") ? GMP_WARM_UP : WARM_UP,
                Runtime.getRuntime().availableProcessors(), loadAverage());
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private String table() {
        StringBuilder b = new StringBuilder(header()).append("\n\n");
        b.append("| figure | pthread4j median (min–max) | baseline | baseline median (min–max) | ratio median [CI] | target | verdict | note |\n");
        b.append("|---|---:|---|---:|---:|---|---|---|\n");
        for (Row r : rows) {
            b.append("| ").append(r.figure()).append(" | ").append(spread(r.p4j(), r.unit())).append(" | ")
                    .append(r.baseline()).append(" | ").append(spread(r.base(), r.unit())).append(" | ")
                    .append(r.ratio() == null ? "—" : r.ratio().toString()).append(" | ").append(r.target())
                    .append(" | ").append(r.verdict()).append(" | ").append(r.note()).append(" |\n");
        }
        return b.toString();
    }

    private static String spread(Interleaved.Spread s, String unit) {
        return s == null ? "—" : s + " " + unit;
    }

    private String json() {
        StringBuilder b = new StringBuilder("{\"machine\":").append(quote(header())).append(",\"rows\":[");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            b.append(i == 0 ? "" : ",").append("{\"figure\":").append(quote(r.figure())).append(",\"unit\":")
                    .append(quote(r.unit())).append(",\"pthread4j\":").append(spreadJson(r.p4j()))
                    .append(",\"baseline\":").append(quote(r.baseline())).append(",\"baselineValue\":")
                    .append(spreadJson(r.base())).append(",\"ratio\":");
            Interleaved.Ratio q = r.ratio();
            b.append(q == null ? "null" : String.format(Locale.ROOT,
                    "{\"median\":%s,\"low\":%s,\"high\":%s,\"confidence\":%s,\"rounds\":%d}",
                    q.median(), q.low(), q.high(), q.confidence(), q.rounds()));
            b.append(",\"target\":").append(quote(r.target())).append(",\"verdict\":").append(quote(r.verdict()))
                    .append(",\"note\":").append(quote(r.note())).append('}');
        }
        return b.append("]}").toString();
    }

    private static String spreadJson(Interleaved.Spread s) {
        return s == null ? "null" : String.format(Locale.ROOT, "{\"median\":%s,\"min\":%s,\"max\":%s}",
                s.median(), s.min(), s.max());
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
