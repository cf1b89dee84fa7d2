package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.tests.TestSupport.await;
import static org.pthread4j.tests.TestSupport.join;
import static org.pthread4j.tests.TestSupport.semaphore;
import static org.pthread4j.tests.TestSupport.start;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.pthread4j.nativ.ffi.pthread4j_h;
import org.pthread4j.cpu_set_t;
import org.pthread4j.pthread_t;
import org.pthread4j.sched_param;
import org.pthread4j.sem_t;

/**
 * The native backend's cache of kernel threads: a pthread with default attributes may run on
 * the kernel thread of one that has ended, and must find it as a new thread would. Native
 * only: only there is a pthread a kernel thread that the JVM adopts, and only there is there
 * a cache.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@EnabledIfSystemProperty(named = "pthread4j.backend", matches = "native",
        disabledReason = "only the native backend caches kernel threads")
@DisabledIfSystemProperty(named = "pthread4j.threadcache", matches = "0",
        disabledReason = "the cache of kernel threads is turned off")
class ThreadCacheTest {

    private static final ThreadLocal<String> LOCAL = new ThreadLocal<>();
    private static final InheritableThreadLocal<String> INHERITED = new InheritableThreadLocal<>();

    /** What a pthread saw of its thread. */
    private record Seen(int tid, String local, String inherited, String javaName, int priority,
            boolean interrupted, long tlsCounter, String comm) {}

    private static String comm() {
        try {
            return Files.readString(Path.of("/proc/thread-self/comm")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Seen look() {
        Thread t = Thread.currentThread();
        return new Seen(gettid(), LOCAL.get(), INHERITED.get(), t.getName(), t.getPriority(), t.isInterrupted(),
                pthread4j_h.p4j_tls_counter_get(), comm());
    }

    /**
     * A pthread that runs on the kernel thread of an ended one finds it as a new thread: no
     * thread-local values, the Java name and priority it was adopted with, no interrupt, a
     * zero __thread counter, and its creator's kernel name; and such reuse does happen.
     */
    @Test
    void aReusedKernelThreadLooksNew() {
        String creatorComm = comm();
        boolean reused = false;
        for (int trial = 0; trial < 20 && !reused; trial++) {
            pthread_t dirty = start(arg -> {
                Seen before = look();
                LOCAL.set("left behind");
                INHERITED.set("left behind");
                Thread.currentThread().setName("renamed in Java");
                Thread.currentThread().setPriority(Thread.MIN_PRIORITY);
                Thread.currentThread().interrupt();
                pthread4j_h.p4j_tls_counter_inc();
                pthread_setname_np(pthread_self(), "renamed-comm");
                return before;
            });
            Seen first = (Seen) join(dirty);
            await(() -> pthread4j_h.p4j_thread_cache_idle() > 0, "the ended pthread's kernel thread is idle");
            Seen next = (Seen) join(start(arg -> look()));
            assertNull(next.local(), "a ThreadLocal value of the previous pthread");
            assertNull(next.inherited(), "an InheritableThreadLocal value of the previous pthread");
            assertFalse(next.interrupted(), "the previous pthread's interrupt");
            assertEquals(0, next.tlsCounter(), "the __thread counter");
            assertEquals(creatorComm, next.comm(), "the kernel name, inherited from the creator");
            if (next.tid() == first.tid()) {
                reused = true;
                assertEquals(first.javaName(), next.javaName(), "the Java name it was adopted with");
                assertEquals(first.priority(), next.priority(), "the priority it was adopted with");
            }
        }
        assertTrue(reused, "no pthread of 20 ran on the kernel thread its predecessor had ended on");
    }

    /**
     * A pthread that changed its kernel thread's policy and CPU affinity does not pass them
     * on through the cache: the next pthread on that kernel thread has the defaults, as a new
     * kernel thread of this creator would, also when the kernel thread went idle on another
     * CPU than its creator's and follows it there; and such reuse does happen.
     */
    @Test
    void aReusedKernelThreadHasTheDefaultScheduling() {
        int[] policy = new int[1];
        sched_param param = new sched_param();
        assertEquals(0, pthread_getschedparam(pthread_self(), policy, param));
        int defaultPolicy = policy[0];
        cpu_set_t all = new cpu_set_t();
        assertEquals(0, pthread_getaffinity_np(pthread_self(), cpu_set_t.SIZEOF, all));
        int defaultCpus = CPU_COUNT(all);
        boolean reused = false;
        for (int trial = 0; trial < 20 && !reused; trial++) {
            int creatorCpu = sched_getcpu();
            int first = (Integer) join(start(arg -> {
                cpu_set_t one = new cpu_set_t();
                CPU_ZERO(one);
                CPU_SET(otherCpu(all, creatorCpu), one);
                assertEquals(0, pthread_setaffinity_np(pthread_self(), cpu_set_t.SIZEOF, one));
                assertEquals(0, pthread_setschedparam(pthread_self(), SCHED_BATCH, new sched_param(0)));
                return gettid();
            }));
            await(() -> pthread4j_h.p4j_thread_cache_idle() > 0, "the ended pthread's kernel thread is idle");
            Object[] next = (Object[]) join(start(arg -> {
                int[] p = new int[1];
                cpu_set_t cpus = new cpu_set_t();
                assertEquals(0, pthread_getschedparam(pthread_self(), p, new sched_param()));
                assertEquals(0, pthread_getaffinity_np(pthread_self(), cpu_set_t.SIZEOF, cpus));
                return new Object[] {gettid(), p[0], CPU_COUNT(cpus)};
            }));
            if ((Integer) next[0] == first) {
                reused = true;
                assertEquals(defaultPolicy, next[1], "the policy of the previous pthread");
                assertEquals(defaultCpus, next[2], "the CPU affinity of the previous pthread");
            }
        }
        assertTrue(reused, "no pthread of 20 ran on the kernel thread its predecessor had ended on");
    }

    /** A CPU of {@code cpus} other than {@code cpu}, or {@code cpu} when it is the only one. */
    private static int otherCpu(cpu_set_t cpus, int cpu) {
        for (int c = 0; c < CPU_SETSIZE; c++) {
            if (c != cpu && CPU_ISSET(c, cpus)) {
                return c;
            }
        }
        return cpu;
    }

    /**
     * Join returns when the pthread ends, while its kernel thread lives on in the cache; the
     * exit value of a return, a pthread_exit and a throw all arrive.
     */
    @Test
    void joinReturnsWhenThePthreadEndsNotItsKernelThread() {
        Object token = new Object();
        int[] tid = new int[1];
        assertEquals(token, join(start(arg -> {
            tid[0] = gettid();
            return token;
        })));
        assertTrue(Files.exists(Path.of("/proc/self/task/" + tid[0])), "the kernel thread exited with its pthread");
        assertEquals(token, join(start(arg -> {
            pthread_exit(token);
            return null;
        })));
        RuntimeException thrown = new RuntimeException("thrown on purpose by a test");
        Object[] value = new Object[1];
        TestSupport.captureStderr(() -> value[0] = join(start(arg -> {
            throw thrown;
        })));
        assertEquals(thrown, value[0]);
    }

    /**
     * A pthread_t of an ended, joined pthread stays dead when its kernel thread runs another
     * pthread: ESRCH for join, setname, getname and cancel, and it is not equal to the new one.
     */
    @Test
    void aStaleHandleStaysDeadWhileItsKernelThreadRunsAnother() {
        pthread_t old = start(arg -> null);
        join(old);
        await(() -> pthread4j_h.p4j_thread_cache_idle() > 0, "the ended pthread's kernel thread is idle");
        sem_t release = semaphore(0);
        pthread_t[] self = new pthread_t[1];
        pthread_t next = start(arg -> {
            self[0] = pthread_self();
            sem_wait(release);
            return null;
        });
        assertEquals(ESRCH, pthread_join(old, null));
        assertEquals(ESRCH, pthread_setname_np(old, "stale"));
        assertEquals(ESRCH, pthread_getname_np(old, new String[1], 16));
        assertEquals(ESRCH, pthread_cancel(old));
        assertFalse(pthread_equal(old, next));
        sem_post(release);
        join(next);
        assertFalse(pthread_equal(old, self[0]));
    }

    /**
     * The cache is bounded and lets idle kernel threads go: after many pthreads end at once,
     * some wait idle (so the cache is on), and within the idle time none are left.
     */
    @Test
    void idleKernelThreadsLeave() {
        int n = 64;
        sem_t release = semaphore(0);
        pthread_t[] t = new pthread_t[n];
        for (int i = 0; i < n; i++) {
            t[i] = start(arg -> {
                sem_wait(release);
                return null;
            });
        }
        for (int i = 0; i < n; i++) {
            sem_post(release);
        }
        TestSupport.joinAll(t);
        await(() -> pthread4j_h.p4j_thread_cache_idle() > 0, "ended pthreads' kernel threads wait idle");
        int idle = pthread4j_h.p4j_thread_cache_idle();
        assertTrue(idle < n, idle + " idle kernel threads kept after " + n + " pthreads ended: the cache is unbounded");
        await(() -> pthread4j_h.p4j_thread_cache_idle() == 0, "the idle kernel threads leave");
    }
}
