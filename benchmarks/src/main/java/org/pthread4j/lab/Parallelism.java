package org.pthread4j.lab;

import static org.pthread4j.Pthreads.*;
import static org.pthread4j.lab.LabProbe.*;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.pthread4j.bench.Interleaved;
import org.pthread4j.pthread_t;

/**
 * The lab's parallelism: the evidence for its verdict (per-thread CPU clocks of the kernel
 * threads that run pthreads, see {@link #windows} and {@link #simultaneous}), and the
 * parallel speedup.
 */
final class Parallelism {

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
    /** Chunks of CPU work whose kernel thread was mostly on its CPU (see {@link #timedBurn}). */
    static final Queue<Chunk> CHUNKS = new ConcurrentLinkedQueue<>();

    private Parallelism() {}

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
    record Evidence(double bestCpuPerWall, long together, Chunk a, Chunk b) {}

    /**
     * 2 × cores pthreads that only compute, in chunks, for a few windows of {@code window} ms;
     * returns the best window's ratio. Two proofs of two cores at once, both from per-thread
     * CPU clocks:
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
     */
    static double windows(int minWindows, long window) throws Exception {
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
        // At least minWindows; until either proof holds, up to five times as many: on a busy
        // machine, or while the kernel keeps two carriers on one CPU beside another process
        // (pointless where one kernel thread runs them all).
        List<Double> cpuPerWall = new ArrayList<>();
        double best = 0;
        for (int w = 0; w < minWindows
                || (kernels.size() > 1 && !proven(simultaneous(best)) && w < 5 * minWindows); w++) {
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
        figure("parallel.cpu_per_wall", Interleaved.spread(cpuPerWall.stream().mapToDouble(d -> d).toArray()));
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

    /** Whether the evidence proves two cores at once. */
    static boolean proven(Evidence p) {
        return p.bestCpuPerWall() > PARALLEL || p.together() >= TOGETHER_NANOS;
    }

    /** Of every chunk kept so far, the pair on different kernel threads that were on a CPU together longest. */
    static Evidence simultaneous(double bestCpuPerWall) {
        List<Chunk> byStart = new ArrayList<>(CHUNKS);
        byStart.sort(Comparator.comparingLong(Chunk::start));
        Evidence best = new Evidence(bestCpuPerWall, 0, null, null);
        for (int i = 0; i < byStart.size(); i++) {
            Chunk a = byStart.get(i);
            for (int j = i + 1; j < byStart.size() && byStart.get(j).start() < a.end(); j++) {
                Chunk b = byStart.get(j);
                long together = Math.min(a.end(), b.end()) - b.start() - a.off() - b.off();
                if (a.tid() != b.tid() && together > best.together()) {
                    best = new Evidence(bestCpuPerWall, together, a, b);
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
    static String verdict(Evidence p) {
        String window = String.format(Locale.ROOT, "the kernel threads running pthreads used %.2f× the wall time "
                + "in the best window", p.bestCpuPerWall());
        if (p.bestCpuPerWall() > PARALLEL) {
            return "yes: " + window;
        }
        if (proven(p)) {
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
     * The same work ({@code chunks} of 2,000,000 iterations) on one pthread and on
     * {@code cores}, interleaved: per round, wall time on one over wall time on all. The
     * pthreads never block, so on one carrier (M:1) the two runs do the same thing and the
     * ratio is 1 but for noise.
     */
    static void speedup(int cores, int chunks, int rounds) throws Exception {
        long iterations = 2_000_000;
        Map<String, Interleaved.Round> c = new LinkedHashMap<>();
        c.put("one", () -> runChunks(1, chunks, iterations));
        c.put("all", () -> runChunks(cores, chunks, iterations));
        Interleaved.Results r = Interleaved.run(1, rounds, c);
        result("speedup.threads", cores);
        ratio("speedup", r.ratio("one", "all"));
    }
}
