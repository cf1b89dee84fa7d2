package org.pthread4j.lab;

import static org.pthread4j.Pthreads.*;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.pthread4j.Backend;
import org.pthread4j.StartRoutine;
import org.pthread4j.nativ.NativeLibrary;
import org.pthread4j.nativ.ffi.pthread4j_h;
import org.pthread4j.posix.Posix;
import org.pthread4j.pthread_cond_t;
import org.pthread4j.pthread_mutex_t;
import org.pthread4j.pthread_t;

/**
 * The lab's measurements inside one JVM, on the backend this JVM was started with. The
 * {@link Lab} driver starts one such JVM per backend and reads its results.
 *
 * <p>Protocol on stdout: one {@code result <key> <value>} line per figure. On stderr:
 * {@code progress <done> <total> <label>} lines for the driver's progress bar.
 *
 * <p>Every workload that measures scheduling does its CPU work in chunks separated by a real
 * block (a short sleep, which is a futex or park wait), since virtual threads are not
 * time-sliced and a pthread that never blocks would keep its carrier.
 */
public final class LabProbe {

    static final int STEPS = 8;
    private static int step;
    private static boolean quick;

    public static void main(String[] args) throws Exception {
        List<String> flags = List.of(args);
        quick = flags.contains("--quick");
        Backend backend = backend();
        if (flags.contains("--pingpong-only")) {
            pingPong(backend);
            System.exit(0);
        }
        result("backend", backend.id());
        result("cores", Runtime.getRuntime().availableProcessors());
        progress("kernel tasks");
        kernelTasks();
        progress("parallel speedup");
        parallelSpeedup();
        progress("create+join");
        createJoin(backend);
        progress("cond ping-pong");
        pingPong(backend);
        progress("blocking call");
        blockingCall();
        progress("time slices");
        timeSlices();
        progress("memory per thread");
        memoryPerThread(backend);
        progress("done");
        System.out.flush();
        // Like C's main returning: pthreads still alive do not keep the program.
        System.exit(0);
    }

    static void result(String key, Object value) {
        System.out.println("result " + key + " " + value);
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

    static int kernelTaskCount() {
        String[] tasks = new File("/proc/self/task").list();
        return tasks == null ? -1 : tasks.length;
    }

    /** N pthreads parked on one condition variable, released by {@link #release}. */
    static final class Crowd {
        final pthread_mutex_t m = new pthread_mutex_t();
        final pthread_cond_t c = new pthread_cond_t();
        final AtomicInteger waiting = new AtomicInteger();
        boolean go;
        final pthread_t[] threads;

        Crowd(int n) throws InterruptedException {
            threads = new pthread_t[n];
            StartRoutine wait = arg -> {
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
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (waiting.get() < n && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
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

    static void kernelTasks() throws InterruptedException {
        int n = 1000;
        int before = kernelTaskCount();
        Crowd crowd = new Crowd(n);
        int during = kernelTaskCount();
        crowd.release();
        result("tasks.alive", n);
        result("tasks.delta", during - before);
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

    /** Runs {@code chunks} CPU chunks split over {@code threads} pthreads; returns wall ns. */
    static long runChunks(int threads, int chunks, long chunkIterations) {
        pthread_t[] t = new pthread_t[threads];
        long start = System.nanoTime();
        for (int i = 0; i < threads; i++) {
            int share = chunks / threads + (i < chunks % threads ? 1 : 0);
            t[i] = new pthread_t();
            check(pthread_create(t[i], null, arg -> {
                long acc = 0;
                for (int k = 0; k < share; k++) {
                    acc += burn(chunkIterations);
                    usleep(20);
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

    static void parallelSpeedup() {
        int cores = Runtime.getRuntime().availableProcessors();
        int chunks = quick ? 40 : 120;
        long chunkIterations = 2_000_000;
        runChunks(cores, chunks / 4, chunkIterations); // warm up the JIT
        long one = runChunks(1, chunks, chunkIterations);
        long all = runChunks(cores, chunks, chunkIterations);
        result("speedup.threads", cores);
        result("speedup", fmt((double) one / all));
    }

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

    static void createJoin(Backend backend) {
        int n = backend == Backend.NATIVE ? (quick ? 500 : 2000) : (quick ? 5000 : 20000);
        StartRoutine loop = count -> {
            StartRoutine empty = arg -> arg;
            pthread_t t = new pthread_t();
            long start = System.nanoTime();
            for (int i = 0; i < (Integer) count; i++) {
                check(pthread_create(t, null, empty, null), "pthread_create");
                check(pthread_join(t, null), "pthread_join");
            }
            return (System.nanoTime() - start) / (Integer) count;
        };
        pthread_t warm = new pthread_t();
        check(pthread_create(warm, null, loop, n), "pthread_create");
        check(pthread_join(warm, null), "pthread_join");
        result("create_join.ns", inPthread(arg -> loop.run(n)));
        if (backend == Backend.NATIVE) {
            NativeLibrary.ensureLoaded();
            int c = quick ? 500 : 2000;
            result("c.create_join.ns", cNanos(pthread4j_h.p4j_bench_create_join(c), c));
            result("c.clone_join.ns", cNanos(pthread4j_h.p4j_bench_clone_join(c), c));
        }
    }

    static long cNanos(long elapsed, int n) {
        if (elapsed < 0) {
            throw new IllegalStateException("C baseline failed: " + strerror((int) -elapsed));
        }
        return elapsed / n;
    }

    /** Round trips of a condition-variable ping-pong between two pthreads. */
    static long pingPongNanos(int rounds) {
        pthread_mutex_t m = new pthread_mutex_t();
        pthread_cond_t c = new pthread_cond_t();
        int[] turn = {0};
        StartRoutine player = arg -> {
            int me = (Integer) arg;
            for (int i = 0; i < rounds; i++) {
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
        return (System.nanoTime() - start) / rounds;
    }

    static void pingPong(Backend backend) {
        int rounds = quick ? 5_000 : 20_000;
        pingPongNanos(rounds / 4);
        result("pingpong.ns", pingPongNanos(rounds));
        if (backend == Backend.NATIVE) {
            result("c.pingpong.ns", cNanos(pthread4j_h.p4j_bench_cond_pingpong(rounds), rounds));
        }
    }

    /**
     * Work done by {@code cores} counting pthreads in a fixed window, with or without one more
     * pthread sitting in {@code read()} on an empty pipe for that whole window.
     */
    static long workInWindow(boolean blocker, long windowMillis) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        int[] fds = new int[2];
        if (Posix.pipe(fds) != 0) {
            throw new IllegalStateException("pipe: " + strerror(errno()));
        }
        pthread_t reader = new pthread_t();
        if (blocker) {
            check(pthread_create(reader, null, arg -> Posix.read(fds[0], new byte[1], 1), null), "pthread_create");
            Thread.sleep(50); // the reader is in the kernel
        }
        AtomicLongArray done = new AtomicLongArray(cores);
        AtomicInteger stop = new AtomicInteger();
        pthread_t[] workers = new pthread_t[cores];
        for (int i = 0; i < cores; i++) {
            int me = i;
            workers[i] = new pthread_t();
            check(pthread_create(workers[i], null, arg -> {
                while (stop.get() == 0) {
                    sink += burn(1_000_000);
                    done.incrementAndGet(me);
                    usleep(20);
                }
                return null;
            }, null), "pthread_create");
        }
        Thread.sleep(windowMillis);
        long total = 0;
        for (int i = 0; i < cores; i++) {
            total += done.get(i);
        }
        if (blocker) {
            Posix.write(fds[1], new byte[] {1}, 1);
            check(pthread_join(reader, null), "pthread_join");
        }
        stop.set(1);
        for (pthread_t w : workers) {
            check(pthread_join(w, null), "pthread_join");
        }
        Posix.close(fds[0]);
        Posix.close(fds[1]);
        return total;
    }

    static void blockingCall() throws Exception {
        long window = quick ? 400 : 1000;
        workInWindow(false, window / 4); // warm up
        long free = workInWindow(false, window);
        long blocked = workInWindow(true, window);
        result("blocking.free", free);
        result("blocking.blocked", blocked);
        result("blocking.effect", fmt(free == 0 ? 0 : (double) blocked / free));
    }

    /**
     * How long a pthread waits for a processor behind {@code cores} pthreads that compute for
     * 300 ms, when those call into the facade as they go (and so can be preempted
     * cooperatively on gmp) and when they never do. The kernel preempts on native; nothing
     * preempts a virtual thread on virtual or green.
     */
    static long waitBehindSpinners(boolean callsIn) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        org.pthread4j.pthread_key_t key = new org.pthread4j.pthread_key_t();
        check(pthread_key_create(key, null), "pthread_key_create");
        pthread_t[] spinners = new pthread_t[cores];
        for (int i = 0; i < cores; i++) {
            spinners[i] = new pthread_t();
            check(pthread_create(spinners[i], null, arg -> {
                long end = System.nanoTime() + 300_000_000L;
                long x = 0;
                while (System.nanoTime() < end) {
                    x++;
                    if (callsIn) {
                        pthread_getspecific(key);
                    }
                }
                return x;
            }, null), "pthread_create");
        }
        Thread.sleep(20); // the spinners hold every processor now
        long[] ranAt = new long[1];
        long created = System.nanoTime();
        pthread_t waiter = new pthread_t();
        check(pthread_create(waiter, null, arg -> {
            ranAt[0] = System.nanoTime();
            return null;
        }, null), "pthread_create");
        check(pthread_join(waiter, null), "pthread_join");
        for (pthread_t t : spinners) {
            check(pthread_join(t, null), "pthread_join");
        }
        pthread_key_delete(key);
        return (ranAt[0] - created) / 1_000_000;
    }

    static void timeSlices() throws Exception {
        result("slice.callsin.ms", waitBehindSpinners(true));
        result("slice.never.ms", waitBehindSpinners(false));
    }

    static long rssBytes() throws IOException {
        String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
        return Long.parseLong(statm[1]) * 4096;
    }

    static void memoryPerThread(Backend backend) throws Exception {
        int n = 10_000;
        System.gc();
        long before = rssBytes();
        Runtime rt = Runtime.getRuntime();
        long heapBefore = rt.totalMemory() - rt.freeMemory();
        Crowd crowd = new Crowd(n);
        System.gc();
        long after = rssBytes();
        long heapAfter = rt.totalMemory() - rt.freeMemory();
        result("memory.threads", crowd.waiting.get());
        result("memory.rss_per_thread", (after - before) / n);
        result("memory.heap_per_thread", Math.max(0, heapAfter - heapBefore) / n);
        crowd.release();
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
