package org.pthread4j.lab;

import static org.pthread4j.Pthreads.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToLongFunction;
import org.pthread4j.StartRoutine;
import org.pthread4j.pthread_cond_t;
import org.pthread4j.pthread_mutex_t;
import org.pthread4j.pthread_t;

/**
 * The scale benchmark: N live pthreads blocked on one condition variable, then all released
 * and joined, beside the same with raw JDK threads of the model (virtual threads on a
 * {@link ReentrantLock} {@link Condition}; platform threads on {@code native}). Reports the
 * time to create them all, the time to release and join them, and memory per thread (heap
 * after a full GC, and RSS): medians of {@code -Dscale.rounds} (3) alternating rounds of each
 * kind, after an unmeasured warm-up round of each ({@link #WARM_UP}).
 *
 * <pre>java -Dpthread4j.backend=virtual -cp benchmarks.jar org.pthread4j.lab.Scale 1000 100000 1000000</pre>
 */
public final class Scale {

    /**
     * Each measured round follows an unmeasured one of up to this many threads of the same
     * kind, so that both kinds park through compiled code: a virtual thread that parks in
     * interpreted frames keeps a stack chunk about twice the size, and without the warm-up
     * the kind measured first in a fresh JVM would pay for it.
     */
    static final int WARM_UP = 100_000;

    public static void main(String[] args) throws Exception {
        String backend = backend().id();
        System.out.printf(Locale.ROOT, "%-8s %-9s %10s %12s %14s %14s %12s%n", "backend", "threads", "N",
                "create µs/t", "release+join", "heap B/thread", "RSS B/thread");
        boolean virtual = !backend.equals("native");
        int rounds = Integer.getInteger("scale.rounds", 3);
        for (String a : args) {
            int n = Integer.parseInt(a.replace("_", ""));
            pthreads(Math.min(n, WARM_UP));
            raw(Math.min(n, WARM_UP), virtual);
            List<Figures> mine = new ArrayList<>();
            List<Figures> theirs = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                mine.add(pthreads(n));
                theirs.add(raw(n, virtual));
            }
            report(backend, "pthread4j", n, median(mine));
            report(backend, virtual ? "raw-jdk" : "platform", n, median(theirs));
        }
        System.exit(0);
    }

    record Figures(long createNanos, long releaseNanos, long heapBytes, long rssBytes) {}

    /**
     * Each figure's median over the rounds (rounds of the two kinds alternate). Where a
     * parked virtual thread's stack chunk is sized depends on whether it first parked on the
     * contended mutex or on the condition; that varies between rounds by up to ±10%.
     */
    static Figures median(List<Figures> rounds) {
        return new Figures(median(rounds, Figures::createNanos), median(rounds, Figures::releaseNanos),
                median(rounds, Figures::heapBytes), median(rounds, Figures::rssBytes));
    }

    private static long median(List<Figures> rounds, ToLongFunction<Figures> figure) {
        long[] v = rounds.stream().mapToLong(figure).sorted().toArray();
        return v[v.length / 2];
    }

    static void report(String backend, String kind, int n, Figures f) {
        System.out.printf(Locale.ROOT, "%-8s %-9s %10d %12.2f %11.0f ms %14d %12d%n", backend, kind, n,
                f.createNanos / 1000.0 / n, f.releaseNanos / 1e6, f.heapBytes / n, f.rssBytes / n);
    }

    static long heap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    static long rss() throws IOException {
        String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
        return Long.parseLong(statm[1]) * 4096;
    }

    static void awaitCount(AtomicInteger c, int n) throws InterruptedException {
        while (c.get() < n) {
            Thread.sleep(5);
        }
    }

    static Figures pthreads(int n) throws Exception {
        pthread_mutex_t m = new pthread_mutex_t();
        pthread_cond_t c = new pthread_cond_t();
        boolean[] go = {false};
        AtomicInteger waiting = new AtomicInteger();
        StartRoutine wait = arg -> {
            pthread_mutex_lock(m);
            waiting.incrementAndGet();
            while (!go[0]) {
                pthread_cond_wait(c, m);
            }
            pthread_mutex_unlock(m);
            return null;
        };
        long heap0 = heap();
        long rss0 = rss();
        pthread_t[] t = new pthread_t[n];
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            t[i] = new pthread_t();
            int r = pthread_create(t[i], null, wait, null);
            if (r != 0) {
                throw new IllegalStateException("pthread_create #" + i + ": " + strerror(r));
            }
        }
        awaitCount(waiting, n);
        long created = System.nanoTime() - start;
        long heap1 = heap();
        long rss1 = rss();
        start = System.nanoTime();
        pthread_mutex_lock(m);
        go[0] = true;
        pthread_cond_broadcast(c);
        pthread_mutex_unlock(m);
        for (pthread_t x : t) {
            pthread_join(x, null);
        }
        long released = System.nanoTime() - start;
        return new Figures(created, released, heap1 - heap0, rss1 - rss0);
    }

    static Figures raw(int n, boolean virtual) throws Exception {
        ReentrantLock lock = new ReentrantLock();
        Condition cond = lock.newCondition();
        boolean[] go = {false};
        AtomicInteger waiting = new AtomicInteger();
        Runnable wait = () -> {
            lock.lock();
            try {
                waiting.incrementAndGet();
                while (!go[0]) {
                    cond.awaitUninterruptibly();
                }
            } finally {
                lock.unlock();
            }
        };
        Thread.Builder builder = virtual ? Thread.ofVirtual() : Thread.ofPlatform().daemon();
        long heap0 = heap();
        long rss0 = rss();
        Thread[] t = new Thread[n];
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            t[i] = builder.start(wait);
        }
        awaitCount(waiting, n);
        long created = System.nanoTime() - start;
        long heap1 = heap();
        long rss1 = rss();
        start = System.nanoTime();
        lock.lock();
        try {
            go[0] = true;
            cond.signalAll();
        } finally {
            lock.unlock();
        }
        for (Thread x : t) {
            x.join();
        }
        long released = System.nanoTime() - start;
        return new Figures(created, released, heap1 - heap0, rss1 - rss0);
    }
}
