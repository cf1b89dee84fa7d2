package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pthread4j.Pthreads.*;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.pthread4j.*;
import org.pthread4j.posix.Posix;

/**
 * What makes each thread model what it is. Every test here is specific to one model and
 * says why in its annotation: the same program must show a different shape on each.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ThreadModelTest {

    /** Starts n pthreads that wait on one condition until released; returns them. */
    static pthread_t[] blockOnOneCondition(int n, pthread_mutex_t m, pthread_cond_t c, boolean[] go,
                                           AtomicInteger waiting) {
        pthread_t[] t = new pthread_t[n];
        for (int i = 0; i < n; i++) {
            t[i] = new pthread_t();
            assertEquals(0, pthread_create(t[i], null, arg -> {
                pthread_mutex_lock(m);
                waiting.incrementAndGet();
                while (!go[0]) {
                    pthread_cond_wait(c, m);
                }
                pthread_mutex_unlock(m);
                return null;
            }, null));
        }
        return t;
    }

    /** Waits until {@code counter} reaches n, for as long as it keeps rising (see {@link TestSupport#awaitProgress}). */
    static void awaitCount(AtomicInteger counter, int n) {
        TestSupport.awaitProgress(() -> n - counter.get(), n + " threads reached the wait");
    }

    static void releaseAndJoin(pthread_t[] t, pthread_mutex_t m, pthread_cond_t c, boolean[] go) {
        pthread_mutex_lock(m);
        go[0] = true;
        pthread_cond_broadcast(c);
        pthread_mutex_unlock(m);
        for (pthread_t x : t) {
            assertEquals(0, pthread_join(x, null));
        }
    }

    /** M:N: 10,000 pthreads blocked on one condition variable hold no more kernel threads than the carrier pool. */
    @Test
    @EnabledIfSystemProperty(named = "pthread4j.backend", matches = "virtual",
            disabledReason = "on virtual only: a parked virtual thread gives its carrier back")
    void virtualBlockedPthreadsDoNotPinCarriers() throws Exception {
        int before = TestSupport.kernelTasksBesideGcAndJit();
        pthread_mutex_t m = new pthread_mutex_t();
        pthread_cond_t c = new pthread_cond_t();
        boolean[] go = {false};
        AtomicInteger waiting = new AtomicInteger();
        pthread_t[] t = blockOnOneCondition(10_000, m, c, go, waiting);
        awaitCount(waiting, 10_000);
        int during = TestSupport.kernelTasksBesideGcAndJit();
        int parallelism = Integer.getInteger("jdk.virtualThreadScheduler.parallelism",
                Runtime.getRuntime().availableProcessors());
        releaseAndJoin(t, m, c, go);
        // The carrier pool may grow to its parallelism (plus the JDK's unparker thread).
        assertTrue(during - before <= parallelism + 1,
                "kernel tasks grew from " + before + " to " + during + " for 10,000 blocked pthreads");
    }

    /**
     * 1:1: every live pthread is one more kernel task, once the native backend's cache holds
     * no idle kernel thread that a new pthread could run on.
     */
    @Test
    @EnabledIfSystemProperty(named = "pthread4j.backend", matches = "native",
            disabledReason = "on native only: a pthread is a kernel thread")
    void nativePthreadsAreKernelTasks() throws Exception {
        // Sets, not counts: JVM threads (JIT compilers, GC workers) may end meanwhile. Let the
        // cache empty first, so that no kernel thread of an earlier test's pthread joins it
        // unseen while this one creates.
        TestSupport.await(() -> org.pthread4j.nativ.ffi.pthread4j_h.p4j_thread_cache_idle() == 0,
                "the cache of kernel threads is empty");
        Set<Integer> before = TestSupport.kernelTids();
        pthread_mutex_t m = new pthread_mutex_t();
        pthread_cond_t c = new pthread_cond_t();
        boolean[] go = {false};
        AtomicInteger waiting = new AtomicInteger();
        pthread_t[] t = blockOnOneCondition(500, m, c, go, waiting);
        awaitCount(waiting, 500);
        Set<Integer> appeared = TestSupport.kernelTids();
        appeared.removeAll(before);
        releaseAndJoin(t, m, c, go);
        assertTrue(appeared.size() >= 500, appeared.size() + " new kernel tasks for 500 live pthreads");
    }

    /** M:1: every pthread runs on the same single kernel thread. */
    @Test
    @EnabledIfSystemProperty(named = "pthread4j.backend", matches = "green",
            disabledReason = "on green only: one carrier carries every pthread")
    void greenPthreadsShareOneKernelThread() {
        Set<Integer> tids = java.util.Collections.synchronizedSet(new HashSet<>());
        pthread_t[] t = new pthread_t[16];
        for (int i = 0; i < t.length; i++) {
            t[i] = new pthread_t();
            assertEquals(0, pthread_create(t[i], null, arg -> {
                for (int k = 0; k < 5; k++) {
                    tids.add(gettid());
                    usleep(200);
                }
                return null;
            }, null));
        }
        for (pthread_t x : t) {
            assertEquals(0, pthread_join(x, null));
        }
        assertEquals(1, tids.size(), "kernel tids seen: " + tids);
        assertTrue(!tids.contains(gettid()), "the carrier is not the test's own thread");
    }

    /**
     * M:1: two CPU-bound pthreads never run at the same time: their intervals of work,
     * recorded with a monotonic clock, never overlap.
     */
    @Test
    @EnabledIfSystemProperty(named = "pthread4j.backend", matches = "green",
            disabledReason = "on green only: one carrier, no parallelism")
    void greenRunsNothingInParallel() {
        ConcurrentLinkedQueue<long[]> intervals = new ConcurrentLinkedQueue<>();
        StartRoutine cpu = arg -> {
            for (int chunk = 0; chunk < 20; chunk++) {
                long start = System.nanoTime();
                spin(200_000);
                intervals.add(new long[] {start, System.nanoTime(), (Integer) arg});
                usleep(100); // a real block between chunks: the other pthread may run
            }
            return null;
        };
        pthread_t a = new pthread_t();
        pthread_t b = new pthread_t();
        assertEquals(0, pthread_create(a, null, cpu, 0));
        assertEquals(0, pthread_create(b, null, cpu, 1));
        assertEquals(0, pthread_join(a, null));
        assertEquals(0, pthread_join(b, null));
        List<long[]> all = new ArrayList<>(intervals);
        assertEquals(40, all.size());
        int overlaps = 0;
        for (long[] x : all) {
            for (long[] y : all) {
                if (x[2] != y[2] && x[0] < y[1] && y[0] < x[1]) {
                    overlaps++;
                }
            }
        }
        assertEquals(0, overlaps, "intervals of different pthreads that overlapped");
    }

    static long spin(int n) {
        long x = 1;
        for (int i = 0; i < n; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        return x;
    }

    /**
     * How far a counting pthread gets while another pthread sits in read() on an empty pipe.
     * The counter starts first (yielding now and then, so that on green the reader gets the
     * carrier); once some kernel thread of the process is seen inside read(2) on the pipe,
     * the count is sampled, then sampled again as soon as it moves or after {@code
     * windowMillis}, and the reader is checked to be in read(2) still: both samples fall
     * inside the read. After the write that ends the read, the counter must move again (it
     * was alive, only held back). Returns the difference of the two samples.
     */
    static long progressWhileOneBlocksInRead(long windowMillis) throws Exception {
        int[] fds = new int[2];
        assertEquals(0, Posix.pipe(fds));
        AtomicLong count = new AtomicLong();
        AtomicInteger stop = new AtomicInteger();
        pthread_t counter = new pthread_t();
        pthread_t reader = new pthread_t();
        assertEquals(0, pthread_create(counter, null, arg -> {
            while (stop.get() == 0) {
                if ((count.incrementAndGet() & 1023) == 0) {
                    sched_yield();
                }
            }
            return null;
        }, null));
        TestSupport.await(() -> count.get() > 0, "the counter counts");
        assertEquals(0, pthread_create(reader, null, arg -> Posix.read(fds[0], new byte[1], 1), null));
        TestSupport.await(() -> TestSupport.inRead(fds[0]), "a kernel thread sits in read(2) on the pipe");
        long first = count.get();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(windowMillis);
        while (count.get() == first && System.nanoTime() - deadline < 0) {
            Thread.sleep(1);
        }
        long last = count.get();
        assertTrue(TestSupport.inRead(fds[0]), "the reader was still in read(2) after the second sample");
        assertEquals(1, Posix.write(fds[1], new byte[] {42}, 1));
        Object[] ret = new Object[1];
        assertEquals(0, TestSupport.joinWithin(reader, ret, TestSupport.WAIT_SECONDS));
        assertEquals(1L, ret[0]);
        TestSupport.await(() -> count.get() > last, "the counter counts again after the read");
        stop.set(1);
        assertEquals(0, TestSupport.joinWithin(counter, null, TestSupport.WAIT_SECONDS));
        Posix.close(fds[0]);
        Posix.close(fds[1]);
        return last - first;
    }

    /**
     * M:1: a blocking system call in one pthread stops every other pthread until it returns:
     * the count does not move over 200 ms during which the reader is in read(2).
     */
    @Test
    @EnabledIfSystemProperty(named = "pthread4j.backend", matches = "green",
            disabledReason = "on green only: the blocked carrier is the only one")
    void greenBlockingReadFreezesEveryone() throws Exception {
        assertEquals(0, progressWhileOneBlocksInRead(200));
    }

    /** 1:1 and M:N: a blocking system call blocks only its own pthread: the count moves while the reader is in read(2). */
    @Test
    @EnabledIfSystemProperty(named = "pthread4j.backend", matches = "native|virtual|gmp",
            disabledReason = "on native, virtual and gmp: other kernel threads or carriers keep running")
    void blockingReadLeavesOthersRunning() throws Exception {
        assertTrue(progressWhileOneBlocksInRead(TimeUnit.SECONDS.toMillis(TestSupport.WAIT_SECONDS)) > 0);
    }

    /** The native backend reaches the C layer through the binding that -Dpthread4j.binding names (ffm or jni). */
    @Test
    @EnabledIfSystemProperty(named = "pthread4j.backend", matches = "native",
            disabledReason = "on native only: the other models make no system calls for threads")
    void nativeUsesTheSelectedBinding() throws Exception {
        var loaded = Class.forName("org.pthread4j.Backends").getDeclaredMethod("model");
        loaded.setAccessible(true);
        Object model = loaded.invoke(null);
        String binding = (String) model.getClass().getMethod("binding").invoke(model);
        assertEquals(System.getProperty("pthread4j.binding", "ffm"), binding);
        // and it works: a pthread runs, on a kernel thread of its own
        int[] tid = new int[1];
        pthread_t t = new pthread_t();
        assertEquals(0, pthread_create(t, null, arg -> {
            tid[0] = gettid();
            return null;
        }, null));
        assertEquals(0, pthread_join(t, null));
        assertTrue(tid[0] > 0 && tid[0] != gettid());
    }
}
