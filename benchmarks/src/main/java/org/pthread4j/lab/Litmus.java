package org.pthread4j.lab;

import static org.pthread4j.Pthreads.*;
import static org.pthread4j.Stdatomic.*;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import org.pthread4j.Backend;
import org.pthread4j.atomic_int;
import org.pthread4j.memory_order;
import org.pthread4j.pthread_cond_t;
import org.pthread4j.pthread_mutex_t;
import org.pthread4j.pthread_t;

/**
 * {@code ./pthread4j lab memory}: the classic litmus tests run on this machine's hardware,
 * through {@link org.pthread4j.Stdatomic}, on every thread model, side by side — litmus7's
 * method (count the outcomes of many runs of a tiny concurrent program) with herd7's verdicts
 * (which outcomes the C11 model and the hardware model allow), for each memory order.
 *
 * <h2>The tests</h2>
 * Each has one <i>weak</i> outcome, the one no interleaving of the threads can give; every
 * other outcome is sequentially consistent and always allowed. Whether the weak outcome is
 * allowed depends on the order:
 * <pre>
 * SB    store buffering      T0: x=1; r0=y    T1: y=1; r1=x                       weak: r0=0 r1=0
 * MP    message passing      T0: x=1; y=1     T1: r0=y; r1=x                      weak: r0=1 r1=0
 * LB    load buffering       T0: r0=x; y=1    T1: r1=y; x=1                       weak: r0=1 r1=1
 * IRIW  independent reads    T0: x=1  T1: y=1  T2: r0=x; r1=y  T3: r2=y; r3=x     weak: 1 0 1 0
 * 2+2W  two writes each      T0: x=1; y=2     T1: y=1; x=2   (final x and y)      weak: x=1 y=1
 * CoRR  read-read coherence  T0: x=1          T1: r0=x; r1=x                      weak: r0=1 r1=0
 * </pre>
 * under the orders of {@link #ORDERS}: every access relaxed; stores release and loads
 * acquire; stores release and loads consume; every access seq_cst; relaxed accesses with an
 * {@code atomic_thread_fence(memory_order_seq_cst)} between a thread's two accesses (SB, MP,
 * LB only). The verdict table of each test is written out below, one {@link Verdict} per
 * order: C11's (herd7's C11 model; consume as C11 defines it, although pthread4j runs it as
 * acquire), x86-TSO's and ARMv8's for the instructions HotSpot emits for the mapping in
 * {@code Stdatomic} (opaque, acquire and release accesses are plain {@code mov}s on x86; a
 * volatile store adds a locked instruction). A weak outcome that C11 forbids for the order is
 * a bug of pthread4j's mapping (or of the JIT), and is flagged loudly; the JSON counts it in
 * {@code forbidden_observed} and the run exits with status 1.
 *
 * <h2>How a run works</h2>
 * As litmus7 does, not a thread per trial: a test's threads are created once (pthreads of the
 * backend under test) and run batches of {@link #BATCH} trials; trial {@code i} of a batch has
 * its own variables {@code x[i]}, {@code y[i]} (fresh {@code atomic_int}s, reset between
 * batches) and its own slot per register. Each thread runs its side of all the trials of the
 * batch in a loop, trial {@code i} at a common start time (litmus7's "timebase" mode, see
 * {@link Batch}); the threads meet at a {@link Rendezvous} before and after each batch, and
 * thread 0 counts the outcomes and resets the variables between the two.
 *
 * <p>On native the threads are pinned to distinct cores ({@code sched_setaffinity} of glibc,
 * called through FFM: the C layer has no affinity call), thread {@code k} to the
 * {@code k}-th allowed core modulo their number. The other backends cannot pin a pthread:
 * their pthreads move between carriers.
 *
 * <p>What each model shows: on native the two threads of a test run at the same time on two
 * cores, and x86 shows SB's weak outcome under relaxed and release/acquire orders (a store
 * waits in the store buffer while the next load goes ahead); virtual and gmp do the same
 * while each thread has a carrier running on a core of its own (on a loaded machine, less
 * often); on green one carrier runs the threads one after the other, so no weak outcome can
 * show at all — one core hides reordering, which is not the same as a stronger memory model.
 *
 * <p>Protocol between the driver and the probe (one JVM per backend, like {@link Lab}): the
 * probe prints {@code pinned <cpus|no>} and one line per test and order on stdout,
 * {@code result <test> <order> <trials> <outcome>=<count>,...} with outcomes as register
 * values ({@code 0110}), and {@code progress <done> <total> <label>} lines on stderr.
 */
public final class Litmus {

    /** Trials per test and order: the default run, and {@code --quick}. */
    static final long TRIALS = 1_000_000;
    static final long QUICK_TRIALS = 10_000;
    /** Trials per batch: the variables of a batch stay in the caches of the two cores. */
    static final int BATCH = 1000;
    /**
     * The time between the starts of two trials: more than a trial takes here (one or two
     * cache-line transfers between cores, 100-200 ns on this VM), so that threads stay in step.
     */
    static final long PERIOD_NS = 250;
    /**
     * From thread 0's arrival at a batch's rendezvous to the batch's first trial: time for
     * every thread to see it. A thread that leaves later runs its first trials back to back
     * until it is in step again.
     */
    static final long START_DELAY_NS = 20_000;
    /** How long a thread spins at a rendezvous before it waits, where the threads of a test can all run at once. */
    static final long SPIN_NS = 1_000_000;
    /**
     * Batches of each order run, uncounted, before a test is measured: interpreted trials fall
     * behind their start times, and HotSpot compiles a loop that runs once per batch only after
     * some 60,000 iterations (tiered compilation's back-edge threshold), or 100 calls.
     */
    static final int WARMUP_BATCHES = 20;

    // ---- orders --------------------------------------------------------------------------

    /** How every thread of a test orders its accesses. */
    record Order(String name, String description, memory_order store, memory_order load, boolean fenced) {
        void fence() {
            if (fenced) {
                atomic_thread_fence(memory_order_seq_cst);
            }
        }
    }

    static final Order RELAXED = new Order("relaxed", "every access relaxed",
            memory_order_relaxed, memory_order_relaxed, false);
    static final Order RELEASE_ACQUIRE = new Order("release_acquire", "stores release, loads acquire",
            memory_order_release, memory_order_acquire, false);
    static final Order RELEASE_CONSUME = new Order("release_consume", "stores release, loads consume",
            memory_order_release, memory_order_consume, false);
    static final Order SEQ_CST = new Order("seq_cst", "every access seq_cst",
            memory_order_seq_cst, memory_order_seq_cst, false);
    static final Order FENCE_SEQ_CST = new Order("fence_seq_cst", "relaxed accesses, seq_cst fence between",
            memory_order_relaxed, memory_order_relaxed, true);
    static final List<Order> ORDERS = List.of(RELAXED, RELEASE_ACQUIRE, RELEASE_CONSUME, SEQ_CST, FENCE_SEQ_CST);

    // ---- tests ---------------------------------------------------------------------------

    /**
     * The variables of one batch: trial {@code i} uses {@code x[i]}, {@code y[i]} and
     * {@code r[k][i]}, and starts at {@code start + i * PERIOD_NS} (litmus7's "timebase"
     * synchronization: the threads of a trial start within a clock read of each other, which
     * a free-running loop does not achieve — a thread that starts a batch a few hundred ns
     * later never meets the other on the same trial). All the x come first, then all the y,
     * so that x[i] and y[i] sit on different cache lines.
     */
    static final class Batch {
        final int n;
        final atomic_int[] x;
        final atomic_int[] y;
        final int[][] r;
        /** The batch's start on {@code System.nanoTime()}: written by thread 0 before the rendezvous. */
        long start;

        Batch(int n, int registers) {
            this.n = n;
            x = new atomic_int[n];
            y = new atomic_int[n];
            for (int i = 0; i < n; i++) {
                x[i] = new atomic_int();
            }
            for (int i = 0; i < n; i++) {
                y[i] = new atomic_int();
            }
            r = new int[registers][n];
        }

        /** Waits for trial {@code i}'s start (a thread that is late goes at once). */
        void startOf(int i) {
            long t = start + i * PERIOD_NS;
            while (System.nanoTime() < t) {
                // a clock read per turn: the spin touches no shared line
            }
        }
    }

    /** One thread of a test: its side of every trial of a batch. */
    interface Actor {
        void run(Batch b, Order o);
    }

    /** Whether the weak outcome is allowed under an order: by C11, by x86-TSO, by ARMv8. */
    record Verdict(Order order, boolean c11, boolean tso, boolean arm) {}

    /**
     * A litmus test. {@code registers} name the values an outcome lists, {@code values} the
     * values a register can take in any execution (anything else is forbidden everywhere);
     * with {@code finals}, the registers are the final values of x and y, read after the batch.
     */
    record Test(String name, String title, String code, List<String> registers, int[] values, int[] weak,
            boolean finals, List<Actor> actors, List<Verdict> verdicts) {

        int outcomes() {
            int n = 1;
            for (int k = 0; k < registers.size(); k++) {
                n *= 3;
            }
            return n;
        }

        /** Register values as an outcome code: base 3, register 0 first; -1 for a value outside 0..2. */
        static int code(int[] values) {
            int c = 0;
            for (int v : values) {
                if (v < 0 || v > 2) {
                    return -1;
                }
                c = c * 3 + v;
            }
            return c;
        }

        int[] values(int code) {
            int[] v = new int[registers.size()];
            for (int k = v.length - 1; k >= 0; k--) {
                v[k] = code % 3;
                code /= 3;
            }
            return v;
        }

        /** {@code r0=1 r1=0}. */
        String label(String digits) {
            StringJoiner j = new StringJoiner(" ");
            for (int k = 0; k < registers.size(); k++) {
                j.add(registers.get(k) + "=" + digits.charAt(k));
            }
            return j.toString();
        }

        boolean possible(String digits) {
            for (char c : digits.toCharArray()) {
                boolean ok = false;
                for (int v : values) {
                    ok |= c - '0' == v;
                }
                if (!ok) {
                    return false;
                }
            }
            return digits.length() == registers.size();
        }

        String weakDigits() {
            StringBuilder sb = new StringBuilder();
            for (int v : weak) {
                sb.append(v);
            }
            return sb.toString();
        }

        /** Whether C11 (or the hardware) forbids an outcome under {@code v}'s order. */
        boolean c11Forbids(Verdict v, String digits) {
            return !possible(digits) || (digits.equals(weakDigits()) && !v.c11());
        }

        boolean hardwareForbids(Verdict v, String digits) {
            return !possible(digits) || (digits.equals(weakDigits()) && !Hardware.allows(v));
        }
    }

    static final Test SB = new Test("SB", "store buffering", "T0: x=1; r0=y  ||  T1: y=1; r1=x",
            List.of("r0", "r1"), new int[] {0, 1}, new int[] {0, 0}, false,
            List.of((b, o) -> {
                for (int i = 0; i < b.n; i++) {
                    b.startOf(i);
                    atomic_store_explicit(b.x[i], 1, o.store());
                    o.fence();
                    b.r[0][i] = atomic_load_explicit(b.y[i], o.load());
                }
            }, (b, o) -> {
                for (int i = 0; i < b.n; i++) {
                    b.startOf(i);
                    atomic_store_explicit(b.y[i], 1, o.store());
                    o.fence();
                    b.r[1][i] = atomic_load_explicit(b.x[i], o.load());
                }
            }),
            // ARMv8 orders a store-release before a later load-acquire (STLR, LDAR), but
            // HotSpot emits a barrier and a plain store for a release-only store: allowed.
            List.of(new Verdict(RELAXED, true, true, true), new Verdict(RELEASE_ACQUIRE, true, true, true),
                    new Verdict(RELEASE_CONSUME, true, true, true), new Verdict(SEQ_CST, false, false, false),
                    new Verdict(FENCE_SEQ_CST, false, false, false)));

    static final Test MP = new Test("MP", "message passing", "T0: x=1; y=1  ||  T1: r0=y; r1=x",
            List.of("r0", "r1"), new int[] {0, 1}, new int[] {1, 0}, false,
            List.of((b, o) -> {
                for (int i = 0; i < b.n; i++) {
                    b.startOf(i);
                    atomic_store_explicit(b.x[i], 1, o.store());
                    o.fence();
                    atomic_store_explicit(b.y[i], 1, o.store());
                }
            }, (b, o) -> {
                for (int i = 0; i < b.n; i++) {
                    b.startOf(i);
                    b.r[0][i] = atomic_load_explicit(b.y[i], o.load());
                    o.fence();
                    b.r[1][i] = atomic_load_explicit(b.x[i], o.load());
                }
            }),
            // consume: C11 orders only loads that depend on r0; the load of x does not
            List.of(new Verdict(RELAXED, true, false, true), new Verdict(RELEASE_ACQUIRE, false, false, false),
                    new Verdict(RELEASE_CONSUME, true, false, false), new Verdict(SEQ_CST, false, false, false),
                    new Verdict(FENCE_SEQ_CST, false, false, false)));

    static final Test LB = new Test("LB", "load buffering", "T0: r0=x; y=1  ||  T1: r1=y; x=1",
            List.of("r0", "r1"), new int[] {0, 1}, new int[] {1, 1}, false,
            List.of((b, o) -> {
                for (int i = 0; i < b.n; i++) {
                    b.startOf(i);
                    b.r[0][i] = atomic_load_explicit(b.x[i], o.load());
                    o.fence();
                    atomic_store_explicit(b.y[i], 1, o.store());
                }
            }, (b, o) -> {
                for (int i = 0; i < b.n; i++) {
                    b.startOf(i);
                    b.r[1][i] = atomic_load_explicit(b.y[i], o.load());
                    o.fence();
                    atomic_store_explicit(b.x[i], 1, o.store());
                }
            }),
            // consume: the weak outcome would make happens-before cyclic, which C11 forbids
            List.of(new Verdict(RELAXED, true, false, true), new Verdict(RELEASE_ACQUIRE, false, false, false),
                    new Verdict(RELEASE_CONSUME, false, false, false), new Verdict(SEQ_CST, false, false, false),
                    new Verdict(FENCE_SEQ_CST, false, false, false)));

    static final Test IRIW = new Test("IRIW", "independent reads of independent writes",
            "T0: x=1  ||  T1: y=1  ||  T2: r0=x; r1=y  ||  T3: r2=y; r3=x",
            List.of("r0", "r1", "r2", "r3"), new int[] {0, 1}, new int[] {1, 0, 1, 0}, false,
            List.of((b, o) -> {
                for (int i = 0; i < b.n; i++) {
                    b.startOf(i);
                    atomic_store_explicit(b.x[i], 1, o.store());
                }
            }, (b, o) -> {
                for (int i = 0; i < b.n; i++) {
                    b.startOf(i);
                    atomic_store_explicit(b.y[i], 1, o.store());
                }
            }, (b, o) -> {
                for (int i = 0; i < b.n; i++) {
                    b.startOf(i);
                    b.r[0][i] = atomic_load_explicit(b.x[i], o.load());
                    b.r[1][i] = atomic_load_explicit(b.y[i], o.load());
                }
            }, (b, o) -> {
                for (int i = 0; i < b.n; i++) {
                    b.startOf(i);
                    b.r[2][i] = atomic_load_explicit(b.y[i], o.load());
                    b.r[3][i] = atomic_load_explicit(b.x[i], o.load());
                }
            }),
            // x86 and ARMv8 are multi-copy atomic: readers whose loads stay in order agree on
            // the order of the writes; C11 promises that only to seq_cst
            List.of(new Verdict(RELAXED, true, false, true), new Verdict(RELEASE_ACQUIRE, true, false, false),
                    new Verdict(RELEASE_CONSUME, true, false, false), new Verdict(SEQ_CST, false, false, false)));

    static final Test TWO_PLUS_TWO_W = new Test("2+2W", "two writes each", "T0: x=1; y=2  ||  T1: y=1; x=2",
            List.of("x", "y"), new int[] {1, 2}, new int[] {1, 1}, true,
            List.of((b, o) -> {
                for (int i = 0; i < b.n; i++) {
                    b.startOf(i);
                    atomic_store_explicit(b.x[i], 1, o.store());
                    atomic_store_explicit(b.y[i], 2, o.store());
                }
            }, (b, o) -> {
                for (int i = 0; i < b.n; i++) {
                    b.startOf(i);
                    atomic_store_explicit(b.y[i], 1, o.store());
                    atomic_store_explicit(b.x[i], 2, o.store());
                }
            }),
            // release stores synchronize with nobody here (no loads): C11's release/acquire
            // allows the weak outcome; the hardware keeps the two stores in order
            List.of(new Verdict(RELAXED, true, false, true), new Verdict(RELEASE_ACQUIRE, true, false, false),
                    new Verdict(SEQ_CST, false, false, false)));

    static final Test CORR = new Test("CoRR", "read-read coherence", "T0: x=1  ||  T1: r0=x; r1=x",
            List.of("r0", "r1"), new int[] {0, 1}, new int[] {1, 0}, false,
            List.of((b, o) -> {
                for (int i = 0; i < b.n; i++) {
                    b.startOf(i);
                    atomic_store_explicit(b.x[i], 1, o.store());
                }
            }, (b, o) -> {
                for (int i = 0; i < b.n; i++) {
                    b.startOf(i);
                    b.r[0][i] = atomic_load_explicit(b.x[i], o.load());
                    b.r[1][i] = atomic_load_explicit(b.x[i], o.load());
                }
            }),
            // coherence: even relaxed reads of one variable never go back in its history
            List.of(new Verdict(RELAXED, false, false, false), new Verdict(RELEASE_ACQUIRE, false, false, false),
                    new Verdict(RELEASE_CONSUME, false, false, false), new Verdict(SEQ_CST, false, false, false)));

    static final List<Test> TESTS = List.of(SB, MP, LB, IRIW, TWO_PLUS_TWO_W, CORR);

    /** The machine's memory model, from {@code os.arch}. */
    static final class Hardware {
        static final String ARCH = System.getProperty("os.arch");
        static final String MODEL = switch (ARCH) {
            case "amd64", "x86_64" -> "x86-TSO";
            case "aarch64" -> "ARMv8";
            default -> "unknown";
        };

        /** Whether the machine may show the weak outcome; an unknown one is assumed to allow what C11 allows. */
        static boolean allows(Verdict v) {
            return switch (MODEL) {
                case "x86-TSO" -> v.tso();
                case "ARMv8" -> v.arm();
                default -> v.c11();
            };
        }
    }

    // ---- the probe: one backend, in this JVM ------------------------------------------------

    /**
     * Threads meet here before and after each batch. Each adds one to {@code arrived}; the last
     * to arrive broadcasts {@code all} under {@code lock}; the others spin on the counter for up
     * to {@code spinNanos}, yield once and spin as long again, then wait on the condition until
     * the counter is complete (checked under the lock, so the broadcast cannot fall between
     * the check and the wait).
     *
     * <p>Spinning, so that threads that run in parallel leave together: a pthread of virtual
     * or gmp woken from a wait is queued behind its waker (gmp puts it in the waker's
     * {@code runnext}, as Go does) and would run its batch after the waker's, not beside it.
     * The one yield lets a thread queued behind the spinner on its carrier run there, while
     * another carrier takes the spinner. Then blocking, so that the awaited thread always gets
     * to run: on green's one carrier, with more threads than cores, or behind a loaded
     * machine's other work (yielding in a loop would not do: a virtual thread that spins on
     * {@code Thread.yield()} can starve a pthread that is not yet running).
     */
    static final class Rendezvous {
        final atomic_int arrived = new atomic_int();
        final pthread_mutex_t lock = new pthread_mutex_t();
        final pthread_cond_t all = new pthread_cond_t();
        final int parties;
        final long spinNanos;

        Rendezvous(int parties, long spinNanos) {
            this.parties = parties;
            this.spinNanos = spinNanos;
        }

        /** The calling thread's {@code generation}-th meeting (1, 2, ...). */
        void await(int generation) {
            int target = generation * parties;
            if (atomic_fetch_add(arrived, 1) + 1 == target) {
                LabProbe.check(pthread_mutex_lock(lock), "pthread_mutex_lock");
                LabProbe.check(pthread_cond_broadcast(all), "pthread_cond_broadcast");
                LabProbe.check(pthread_mutex_unlock(lock), "pthread_mutex_unlock");
                return;
            }
            long start = System.nanoTime();
            boolean yielded = false;
            while (atomic_load_explicit(arrived, memory_order_acquire) < target) {
                if (System.nanoTime() - start < spinNanos) {
                    Thread.onSpinWait();
                    continue;
                }
                if (!yielded && spinNanos > 0) {
                    // the awaited thread may be queued behind this one on its carrier: let it run
                    // there, and this one be taken by another carrier; then spin once more
                    sched_yield();
                    yielded = true;
                    start = System.nanoTime();
                    continue;
                }
                LabProbe.check(pthread_mutex_lock(lock), "pthread_mutex_lock");
                while (atomic_load_explicit(arrived, memory_order_acquire) < target) {
                    LabProbe.check(pthread_cond_wait(all, lock), "pthread_cond_wait");
                }
                LabProbe.check(pthread_mutex_unlock(lock), "pthread_mutex_unlock");
            }
        }
    }

    /** Outcome counts of one test under one order, by outcome code. */
    static long[] run(Test t, Order o, long batches, int[] cpus) {
        int threads = t.actors().size();
        Batch b = new Batch(BATCH, t.registers().size());
        long[] counts = new long[t.outcomes() + 1]; // the last: a value outside 0..2
        // spin only where the threads can all run at once
        boolean parallel = backend() != Backend.GREEN && threads <= Runtime.getRuntime().availableProcessors();
        Rendezvous meet = new Rendezvous(threads, parallel ? SPIN_NS : 0);
        pthread_t[] ts = new pthread_t[threads];
        for (int k = 0; k < threads; k++) {
            int id = k;
            ts[k] = new pthread_t();
            LabProbe.check(pthread_create(ts[k], null, arg -> {
                if (cpus != null) {
                    Affinity.pin(cpus[id % cpus.length]);
                }
                Actor actor = t.actors().get(id);
                int generation = 0;
                for (long n = 0; n < batches; n++) {
                    if (id == 0) {
                        b.start = System.nanoTime() + START_DELAY_NS;
                    }
                    meet.await(++generation);
                    actor.run(b, o);
                    meet.await(++generation);
                    if (id == 0) {
                        count(t, b, counts);
                    }
                }
                return null;
            }, null), "pthread_create");
        }
        for (pthread_t x : ts) {
            LabProbe.check(pthread_join(x, null), "pthread_join");
        }
        return counts;
    }

    /** Thread 0, between batches (the rendezvous orders it after every thread's trials, and before their next ones). */
    static void count(Test t, Batch b, long[] counts) {
        int[] values = new int[t.registers().size()];
        for (int i = 0; i < b.n; i++) {
            if (t.finals()) {
                b.r[0][i] = atomic_load_explicit(b.x[i], memory_order_relaxed);
                b.r[1][i] = atomic_load_explicit(b.y[i], memory_order_relaxed);
            }
            for (int k = 0; k < values.length; k++) {
                values[k] = b.r[k][i];
            }
            int code = Test.code(values);
            counts[code < 0 ? counts.length - 1 : code]++;
            atomic_init(b.x[i], 0);
            atomic_init(b.y[i], 0);
        }
    }

    static void probe(long trials, List<Test> tests) {
        Backend backend = backend();
        int[] cpus = backend == Backend.NATIVE ? Affinity.allowedCpus() : null;
        System.out.println("pinned " + (cpus == null || cpus.length < 2 ? "no" : join(cpus)));
        if (cpus != null && cpus.length < 2) {
            cpus = null;
        }
        long batches = Math.max(1, (trials + BATCH - 1) / BATCH);
        int total = 0;
        for (Test t : tests) {
            total += t.verdicts().size();
        }
        int done = 0;
        for (Test t : tests) {
            for (Verdict v : t.verdicts()) {
                run(t, v.order(), WARMUP_BATCHES, cpus);
            }
            for (Verdict v : t.verdicts()) {
                System.err.println("progress " + done++ + " " + total + " " + t.name() + " " + v.order().name());
                long[] counts = run(t, v.order(), batches, cpus);
                StringJoiner observed = new StringJoiner(",");
                for (int c = 0; c < counts.length; c++) {
                    if (counts[c] > 0) {
                        String digits = c == counts.length - 1 ? "?".repeat(t.registers().size()) : digits(t, c);
                        observed.add(digits + "=" + counts[c]);
                    }
                }
                System.out.println("result " + t.name() + " " + v.order().name() + " " + batches * BATCH + " " + observed);
            }
        }
        System.out.flush();
    }

    static String digits(Test t, int code) {
        StringBuilder sb = new StringBuilder();
        for (int v : t.values(code)) {
            sb.append(v);
        }
        return sb.toString();
    }

    static String join(int[] cpus) {
        StringJoiner j = new StringJoiner(",");
        for (int c : cpus) {
            j.add(Integer.toString(c));
        }
        return j.toString();
    }

    /** glibc's {@code sched_getaffinity}/{@code sched_setaffinity} for the calling thread, through FFM. */
    static final class Affinity {
        static final long SET_BYTES = 128; // cpu_set_t: 1024 CPUs
        static final Linker LINKER = Linker.nativeLinker();
        static final FunctionDescriptor SIGNATURE = FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS);
        static final MethodHandle GET = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("sched_getaffinity"), SIGNATURE);
        static final MethodHandle SET = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("sched_setaffinity"), SIGNATURE);

        /** The CPUs this process may run on. */
        static int[] allowedCpus() {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment set = arena.allocate(SET_BYTES);
                if ((int) GET.invokeExact(0, SET_BYTES, set) != 0) {
                    return new int[0];
                }
                List<Integer> cpus = new ArrayList<>();
                for (int cpu = 0; cpu < SET_BYTES * 8; cpu++) {
                    if ((set.get(ValueLayout.JAVA_BYTE, cpu / 8) & (1 << (cpu % 8))) != 0) {
                        cpus.add(cpu);
                    }
                }
                return cpus.stream().mapToInt(Integer::intValue).toArray();
            } catch (Throwable e) {
                throw new IllegalStateException("sched_getaffinity", e);
            }
        }

        /** Pins the calling kernel thread to {@code cpu}. */
        static void pin(int cpu) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment set = arena.allocate(SET_BYTES);
                set.set(ValueLayout.JAVA_BYTE, cpu / 8, (byte) (1 << (cpu % 8)));
                if ((int) SET.invokeExact(0, SET_BYTES, set) != 0) {
                    throw new IllegalStateException("sched_setaffinity(" + cpu + ") failed");
                }
            } catch (RuntimeException e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("sched_setaffinity", e);
            }
        }
    }

    // ---- the driver: one JVM per backend ------------------------------------------------------

    /** One backend's results: its pinned CPUs ("no" if none), and per test and order the outcome counts by digits. */
    record Results(String pinned, Map<String, Map<String, Long>> counts, Map<String, Long> trials, String error) {}

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        boolean json = false;
        boolean probe = false;
        long trials = -1;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> backends = new ArrayList<>(List.of(Lab.ALL));
        List<Test> tests = TESTS;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--json" -> json = true;
                case "--probe" -> probe = true;
                case "--java" -> java = args[++i];
                case "--backend" -> backends = List.of(args[++i].split(","));
                case "--trials" -> trials = Long.parseLong(args[++i]);
                case "--test" -> tests = selectTests(args[++i]);
                default -> usage();
            }
        }
        if (trials < 0) {
            trials = quick ? QUICK_TRIALS : TRIALS;
        }
        if (probe) {
            probe(trials, tests);
            System.exit(0);
        }
        for (String b : backends) {
            if (!Lab.MODEL.containsKey(b)) {
                System.err.println("pthread4j lab memory: unknown backend '" + b + "'");
                System.exit(2);
            }
        }
        long start = System.nanoTime();
        Map<String, Results> results = new LinkedHashMap<>();
        for (int i = 0; i < backends.size(); i++) {
            results.put(backends.get(i), fork(java, backends.get(i), trials, tests, i, backends.size()));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!json) {
            System.err.print("\r" + " ".repeat(78) + "\r");
        }
        System.out.print(json ? toJson(results, tests, seconds) : table(results, tests, trials, seconds));
        System.out.flush();
        boolean failed = false;
        for (Results r : results.values()) {
            failed |= r.error() != null || forbidden(r, tests, false) > 0;
        }
        System.exit(failed ? 1 : 0);
    }

    static void usage() {
        System.err.println("usage: ./pthread4j lab memory [--quick] [--json] [--trials N] [--backend native,virtual,green,gmp]"
                + " [--test SB,MP,LB,IRIW,2+2W,CoRR]");
        System.exit(2);
    }

    static List<Test> selectTests(String names) {
        List<Test> selected = new ArrayList<>();
        for (String name : names.split(",")) {
            Test found = null;
            for (Test t : TESTS) {
                if (t.name().equalsIgnoreCase(name)) {
                    found = t;
                }
            }
            if (found == null) {
                System.err.println("pthread4j lab memory: no litmus test '" + name + "'");
                usage();
            }
            selected.add(found);
        }
        return selected;
    }

    static Results fork(String java, String backend, long trials, List<Test> tests, int index, int count)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-Dpthread4j.backend=" + backend, "-cp", System.getProperty("java.class.path"), Litmus.class.getName(),
                "--probe", "--trials", Long.toString(trials), "--test", String.join(",", tests.stream().map(Test::name).toList())));
        Process p = new ProcessBuilder(cmd).start();
        StringBuilder errors = new StringBuilder();
        Thread stderr = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("progress ")) {
                        String[] f = line.split(" ", 4);
                        Lab.bar((index + Double.parseDouble(f[1]) / Double.parseDouble(f[2])) / count, backend + ": " + f[3]);
                    } else {
                        errors.append(line).append('\n');
                    }
                }
            } catch (IOException ignored) {
                // the probe ended
            }
        });
        String pinned = "no";
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        Map<String, Long> done = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.split(" ");
                if (f[0].equals("pinned")) {
                    pinned = f[1];
                } else if (f[0].equals("result")) {
                    String key = f[1] + " " + f[2];
                    done.put(key, Long.parseLong(f[3]));
                    Map<String, Long> observed = new LinkedHashMap<>();
                    if (f.length > 4) {
                        for (String kv : f[4].split(",")) {
                            String[] x = kv.split("=");
                            observed.put(x[0], Long.parseLong(x[1]));
                        }
                    }
                    counts.put(key, observed);
                }
            }
        }
        int code = p.waitFor();
        stderr.join();
        String error = null;
        if (code != 0) {
            error = "exit " + code;
            System.err.println("\npthread4j lab memory: the " + backend + " probe failed (" + error + "):\n" + errors);
        }
        return new Results(pinned, counts, done, error);
    }

    /** Outcomes observed that C11 (or, with {@code hardware}, the machine) forbids, over all tests and orders. */
    static long forbidden(Results r, List<Test> tests, boolean hardware) {
        long n = 0;
        for (Test t : tests) {
            for (Verdict v : t.verdicts()) {
                n += forbidden(r, t, v, hardware);
            }
        }
        return n;
    }

    static long forbidden(Results r, Test t, Verdict v, boolean hardware) {
        long n = 0;
        for (var e : observed(r, t, v).entrySet()) {
            if (hardware ? t.hardwareForbids(v, e.getKey()) : t.c11Forbids(v, e.getKey())) {
                n += e.getValue();
            }
        }
        return n;
    }

    static Map<String, Long> observed(Results r, Test t, Verdict v) {
        return r.counts().getOrDefault(t.name() + " " + v.order().name(), Map.of());
    }

    // ---- output ------------------------------------------------------------------------------

    static String table(Map<String, Results> results, List<Test> tests, long trials, double seconds) {
        List<String> backends = new ArrayList<>(results.keySet());
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "litmus tests on %s (%s), %d cores; %,d trials per test and order%n",
                Hardware.ARCH, Hardware.MODEL, Runtime.getRuntime().availableProcessors(), roundUp(trials)));
        Results nativ = results.get("native");
        if (nativ != null) {
            sb.append(nativ.pinned().equals("no")
                    ? "native: threads not pinned (fewer than two allowed cores)\n"
                    : "native: each thread pinned to one of cores " + nativ.pinned() + " (sched_setaffinity)\n");
        }
        sb.append("orders:");
        for (Order o : ORDERS) {
            sb.append(String.format(Locale.ROOT, "%n  %-16s %s", o.name(), o.description()));
        }
        sb.append("\ncells: how often the weak outcome showed; '!!' marks an outcome the model forbids\n");
        for (Test t : tests) {
            sb.append(String.format(Locale.ROOT, "%n%s (%s)   %s   weak outcome: %s%n", t.name(), t.title(), t.code(),
                    t.label(t.weakDigits())));
            List<String[]> rows = new ArrayList<>();
            List<String> header = new ArrayList<>(List.of("order", "C11", Hardware.MODEL));
            header.addAll(backends);
            rows.add(header.toArray(String[]::new));
            for (Verdict v : t.verdicts()) {
                List<String> row = new ArrayList<>(List.of(v.order().name(), v.c11() ? "allowed" : "forbidden",
                        Hardware.allows(v) ? "allowed" : "forbidden"));
                for (String b : backends) {
                    Results r = results.get(b);
                    Long weak = observed(r, t, v).get(t.weakDigits());
                    long n = r.trials().getOrDefault(t.name() + " " + v.order().name(), 0L);
                    String cell = n == 0 ? "-" : weak == null ? "0" : String.format(Locale.ROOT, "%,d (%.2f%%)", weak, 100.0 * weak / n);
                    if (forbidden(r, t, v, false) > 0) {
                        cell += " !! C11 FORBIDS";
                    } else if (forbidden(r, t, v, true) > 0) {
                        cell += " !! " + Hardware.MODEL + " forbids";
                    }
                    row.add(cell);
                }
                rows.add(row.toArray(String[]::new));
            }
            sb.append(align(rows));
        }
        sb.append("\nhistograms: every outcome seen, as register values (").append("* the weak one, ! forbidden by C11)\n");
        for (Test t : tests) {
            sb.append(String.format(Locale.ROOT, "%s (%s)%n", t.name(), String.join(" ", t.registers())));
            for (Verdict v : t.verdicts()) {
                for (String b : backends) {
                    StringJoiner j = new StringJoiner("  ");
                    for (var e : observed(results.get(b), t, v).entrySet()) {
                        String mark = t.c11Forbids(v, e.getKey()) ? "!" : e.getKey().equals(t.weakDigits()) ? "*" : "";
                        j.add(String.format(Locale.ROOT, "%s%s %,d", e.getKey(), mark, e.getValue()));
                    }
                    sb.append(String.format(Locale.ROOT, "  %-16s %-8s %s%n", v.order().name(), b, j));
                }
            }
        }
        sb.append(notes(results, tests));
        sb.append(String.format(Locale.ROOT, "%nmeasured in %.0f s, one JVM per backend%n", seconds));
        return sb.toString();
    }

    static long roundUp(long trials) {
        return Math.max(1, (trials + BATCH - 1) / BATCH) * BATCH;
    }

    static String notes(Map<String, Results> results, List<Test> tests) {
        StringBuilder sb = new StringBuilder("\n");
        for (var e : results.entrySet()) {
            for (Test t : tests) {
                for (Verdict v : t.verdicts()) {
                    long bad = forbidden(e.getValue(), t, v, false);
                    if (bad > 0) {
                        sb.append(String.format(Locale.ROOT,
                                "!!! BUG: %s %s on %s: %,d outcomes that C11 forbids for this order (see the histogram)%n",
                                t.name(), v.order().name(), e.getKey(), bad));
                    } else if (forbidden(e.getValue(), t, v, true) > 0) {
                        sb.append(String.format(Locale.ROOT,
                                "note: %s %s on %s: an outcome C11 allows but %s forbids for the instructions "
                                        + "HotSpot usually emits: the JIT reordered the accesses%n",
                                t.name(), v.order().name(), e.getKey(), Hardware.MODEL));
                    }
                }
            }
        }
        if (results.containsKey("green")) {
            sb.append("green: one carrier runs every pthread, so the threads of a batch run one after the other,\n"
                    + "  never at once, and no weak outcome can show (SB's included): one core hides reordering.\n"
                    + "  The zeros say nothing about the ordering of the accesses; the other models' counts do.\n");
        }
        if (Hardware.MODEL.equals("x86-TSO")) {
            sb.append("x86-TSO: a store may wait in the core's store buffer while a later load of another variable\n"
                    + "  goes ahead, so only SB's weak outcome can show, and only where no locked instruction\n"
                    + "  (a seq_cst store, a seq_cst fence) drains the buffer between the store and the load.\n");
        }
        sb.append("consume runs as acquire (as in every C compiler): where C11 allows more under consume (MP),\n"
                + "  the machine shows what acquire allows.\n");
        return sb.toString();
    }

    static String align(List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                String cell = i == 0 ? String.format("%-" + width[i] + "s", r[i]) : String.format("%" + width[i] + "s", r[i]);
                sb.append(i == 0 ? "" : i == 3 ? " | " : "  ").append(cell);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static String toJson(Map<String, Results> results, List<Test> tests, double seconds) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "{\"seconds\": %.1f, \"arch\": \"%s\", \"hardware_model\": \"%s\", \"backends\": {",
                seconds, Hardware.ARCH, Hardware.MODEL));
        StringJoiner bs = new StringJoiner(", ");
        for (var be : results.entrySet()) {
            Results r = be.getValue();
            StringJoiner ts = new StringJoiner(", ");
            for (Test t : tests) {
                StringJoiner os = new StringJoiner(", ");
                for (Verdict v : t.verdicts()) {
                    StringJoiner obs = new StringJoiner(", ");
                    for (var e : observed(r, t, v).entrySet()) {
                        obs.add("\"" + (t.possible(e.getKey()) ? t.label(e.getKey()) : "other") + "\": " + e.getValue());
                    }
                    os.add(String.format(Locale.ROOT,
                            "\"%s\": {\"trials\": %d, \"observed\": {%s}, \"forbidden_observed\": %d, "
                                    + "\"hardware_forbidden_observed\": %d, \"c11_forbids\": [%s], \"hardware_forbids\": [%s]}",
                            v.order().name(), r.trials().getOrDefault(t.name() + " " + v.order().name(), 0L), obs,
                            forbidden(r, t, v, false), forbidden(r, t, v, true),
                            v.c11() ? "" : "\"" + t.label(t.weakDigits()) + "\"",
                            Hardware.allows(v) ? "" : "\"" + t.label(t.weakDigits()) + "\""));
                }
                ts.add("\"" + t.name() + "\": {" + os + "}");
            }
            bs.add(String.format(Locale.ROOT, "\"%s\": {\"pinned\": %s, \"error\": %s, \"tests\": {%s}}", be.getKey(),
                    r.pinned().equals("no") ? "false" : "true", r.error() == null ? "null" : "\"" + r.error() + "\"", ts));
        }
        return sb.append(bs).append("}}\n").toString();
    }
}
