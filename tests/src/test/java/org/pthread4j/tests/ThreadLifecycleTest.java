package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.tests.TestSupport.*;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.pthread4j.*;

/** Creation, exit, join, detach, identity and names of pthreads (pthread_create(3) and friends). */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ThreadLifecycleTest {

    // ---- exit values --------------------------------------------------------------------

    /** The value a start routine returns is what pthread_join(3) yields. */
    @Test
    void returnValueReachesJoin() {
        Object value = new Object();
        pthread_t t = start(null, arg -> arg, value);
        assertSame(value, join(t));
    }

    /**
     * The argument is not the exit value (the block keeps it in the exit value's field until
     * the body starts): a routine that returns null gives join null, and a throwable it
     * returns, not throws, is its exit value and no failure on stderr.
     */
    @Test
    void returnedNullAndReturnedThrowableReachJoinAsTheyAre() {
        assertNull(join(start(null, arg -> null, "the argument")));
        String token = "returned-" + System.nanoTime();
        IllegalStateException returned = new IllegalStateException(token);
        Object[] exit = new Object[1];
        String err = captureStderr(() -> exit[0] = join(start(null, arg -> returned, null)));
        assertSame(returned, exit[0]);
        assertFalse(err.contains(token), "a returned throwable was reported:\n" + err);
    }

    /**
     * A pthread that sets an uncaught-exception handler of its own stays the same pthread (its
     * id, the mutexes it owns), and its handler is the one that a call of the thread's handler
     * reaches (a virtual pthread's control block stands in the handler's place).
     */
    @Test
    void ownUncaughtExceptionHandlerKeepsTheIdentity() {
        pthread_mutex_t m = new pthread_mutex_t();
        pthread_mutexattr_t attr = new pthread_mutexattr_t();
        assertEquals(0, pthread_mutexattr_init(attr));
        assertEquals(0, pthread_mutexattr_settype(attr, PTHREAD_MUTEX_ERRORCHECK));
        assertEquals(0, pthread_mutex_init(m, attr));
        pthread_t[] self = new pthread_t[2];
        List<Throwable> handled = new ArrayList<>();
        Throwable thrown = new IllegalStateException("handed to the handler");
        pthread_t t = start(arg -> {
            self[0] = pthread_self();
            int locked = pthread_mutex_lock(m);
            Thread.currentThread().setUncaughtExceptionHandler((thread, e) -> handled.add(e));
            self[1] = pthread_self();
            int unlocked = pthread_mutex_unlock(m);
            Thread me = Thread.currentThread();
            me.getUncaughtExceptionHandler().uncaughtException(me, thrown);
            return locked * 1000 + unlocked;
        });
        assertEquals(0, join(t), "lock and unlock (1000 x lock + unlock)");
        assertTrue(pthread_equal(self[0], self[1]) && pthread_equal(self[0], t), "pthread_self() after the handler was set");
        assertEquals(List.of(thrown), handled, "the pthread's own handler got the exception");
        assertEquals(0, pthread_mutex_destroy(m));
    }

    /** pthread_exit(3) ends the thread at once and delivers its value to join. */
    @Test
    void pthreadExitValueReachesJoin() {
        AtomicBoolean after = new AtomicBoolean();
        pthread_t t = start(arg -> {
            pthread_exit("exit value");
            after.set(true);
            return "returned";
        });
        assertEquals("exit value", join(t));
        assertFalse(after.get(), "code after pthread_exit ran");
    }

    /** pthread_exit(3) called 300 frames deep unwinds every frame and still delivers its value. */
    @Test
    void pthreadExitFromDeepInTheStack() {
        AtomicInteger unwound = new AtomicInteger();
        AtomicBoolean cleanup = new AtomicBoolean();
        pthread_t t = start(arg -> {
            pthread_cleanup_push(v -> cleanup.set(true), null);
            descendAndExit(300, unwound);
            return "returned";
        });
        assertEquals("deep", join(t));
        assertEquals(300, unwound.get(), "frames whose finally block ran");
        assertTrue(cleanup.get(), "the cleanup handler pushed at the top ran");
    }

    private static void descendAndExit(int depth, AtomicInteger unwound) {
        try {
            if (depth == 1) {
                pthread_exit("deep");
            } else {
                descendAndExit(depth - 1, unwound);
            }
        } finally {
            unwound.incrementAndGet();
        }
    }

    /** pthread_exit(3) is not an Exception: a catch (Exception) around it does not stop it. */
    @Test
    void pthreadExitPassesThroughCatchException() {
        pthread_t t = start(arg -> {
            try {
                pthread_exit("exited");
            } catch (Exception e) {
                return "caught";
            }
            return "returned";
        });
        assertEquals("exited", join(t));
    }

    /** A start routine that throws ends only its thread: join yields the exception and stderr shows it once. */
    @Test
    void throwingStartRoutineEndsOnlyItsThread() {
        String token = "boom-" + System.nanoTime();
        IllegalStateException thrown = new IllegalStateException(token);
        Object[] exit = new Object[1];
        String err = captureStderr(() -> {
            pthread_t t = start(arg -> {
                throw thrown;
            });
            exit[0] = join(t);
        });
        assertSame(thrown, exit[0], "join yields the exception as the exit value");
        long lines = err.lines().filter(l -> l.contains(token)).count();
        assertTrue(lines >= 1 && lines <= 2,
                "the failure is reported once (a summary and/or a stack trace header), got:\n" + err);
        assertFalse(err.contains("Exception in thread"), "reported by the JVM too:\n" + err);
        // The program goes on: another thread runs fine.
        assertEquals("still alive", join(start(null, arg -> arg, "still alive")));
    }

    // ---- join and detach ----------------------------------------------------------------

    /** Joining a thread created detached gives EINVAL (pthread_join(3)). */
    @Test
    void joinOfDetachedThreadIsEinval() {
        sem_t release = semaphore(0);
        pthread_t t = startDetached(arg -> {
            sem_wait(release);
            return null;
        });
        assertEquals(EINVAL, pthread_join(t, null));
        assertEquals(0, sem_post(release));
    }

    /** A thread joining itself gets EDEADLK, on a pthread and on the test's own thread (pthread_join(3)). */
    @Test
    void joinOfSelfIsEdeadlk() {
        pthread_t t = start(arg -> pthread_join(pthread_self(), null));
        assertEquals(EDEADLK, join(t));
        assertEquals(EDEADLK, pthread_join(pthread_self(), null));
    }

    /** A second join of the same thread gives ESRCH (pthread_join(3)). */
    @Test
    void secondJoinIsEsrch() {
        pthread_t t = start(null, arg -> arg, 7);
        assertEquals(7, join(t));
        assertEquals(ESRCH, pthread_join(t, null));
    }

    /** Detaching a thread that was already joined gives ESRCH (pthread_detach(3)). */
    @Test
    void detachOfJoinedThreadIsEsrch() {
        pthread_t t = start(null, arg -> arg, 1);
        join(t);
        assertEquals(ESRCH, pthread_detach(t));
    }

    /** Detaching a thread twice gives EINVAL the second time, and join then gives EINVAL (pthread_detach(3)). */
    @Test
    void detachTwiceIsEinval() {
        sem_t release = semaphore(0);
        pthread_t t = start(arg -> {
            sem_wait(release);
            return null;
        });
        assertEquals(0, pthread_detach(t));
        assertEquals(EINVAL, pthread_detach(t));
        assertEquals(EINVAL, pthread_join(t, null));
        assertEquals(0, sem_post(release));
    }

    /** A thread that has already ended may still be detached, after which join gives EINVAL (pthread_detach(3)). */
    @Test
    void detachAfterTheThreadEnded() {
        sem_t ending = semaphore(0);
        pthread_t t = start(arg -> {
            sem_post(ending);
            return null;
        });
        awaitPost(ending, "the thread's last statement");
        pause(20);
        assertEquals(0, pthread_detach(t));
        assertEquals(EINVAL, pthread_join(t, null));
    }

    /** A thread may detach itself (pthread_detach(pthread_self())); joining it then gives EINVAL. */
    @Test
    void selfDetach() {
        sem_t detached = semaphore(0);
        sem_t release = semaphore(0);
        int[] r = {-1};
        pthread_t t = start(arg -> {
            r[0] = pthread_detach(pthread_self());
            sem_post(detached);
            sem_wait(release);
            return null;
        });
        awaitPost(detached, "the thread detached itself");
        assertEquals(0, r[0]);
        assertEquals(EINVAL, pthread_join(t, null));
        assertEquals(0, sem_post(release));
    }

    /** While one thread joins a thread, another joiner and a detach get EINVAL; the first joiner still gets the value. */
    @Test
    void secondConcurrentJoinerIsEinval() {
        sem_t release = semaphore(0);
        pthread_t target = start(arg -> {
            sem_wait(release);
            return "value";
        });
        AtomicInteger joinerTid = new AtomicInteger();
        pthread_t joiner = start(arg -> {
            Object[] ret = new Object[1];
            joinerTid.set(gettid());
            int r = pthread_join(target, ret);
            return r + ":" + ret[0];
        });
        awaitBlocked(joinerTid);
        assertEquals(EINVAL, joinWithin(target, null, WAIT_SECONDS));
        assertEquals(EINVAL, pthread_detach(target), "a thread being joined cannot be detached");
        assertEquals(0, sem_post(release));
        assertEquals("0:value", join(joiner));
    }

    /** A handle never filled by pthread_create names no thread: join, detach and cancel give ESRCH. */
    @Test
    void neverCreatedHandleIsEsrch() {
        pthread_t t = new pthread_t();
        assertEquals(ESRCH, pthread_join(t, null));
        assertEquals(ESRCH, pthread_detach(t));
        assertEquals(ESRCH, pthread_cancel(t));
    }

    /** pthread_create(3) with a null handle or a null start routine gives EINVAL and starts nothing. */
    @Test
    void createWithNullArgumentsIsEinval() {
        assertEquals(EINVAL, pthread_create(null, null, arg -> null, null));
        pthread_t t = new pthread_t();
        assertEquals(EINVAL, pthread_create(t, null, null, null));
        assertEquals(ESRCH, pthread_join(t, null), "the handle stays unfilled");
    }

    // ---- identity -----------------------------------------------------------------------

    /** pthread_self(3) works on the test's own (non-pthread) thread and is stable; pthread_equal(3) agrees. */
    @Test
    void selfOnTheTestThreadIsStable() {
        pthread_t a = pthread_self();
        pthread_t b = pthread_self();
        assertTrue(pthread_equal(a, b));
        assertTrue(pthread_equal(a, a));
        assertFalse(pthread_equal(a, null));
        assertFalse(pthread_equal(null, null));
        assertFalse(pthread_equal(a, new pthread_t()));
    }

    /** Inside a thread, pthread_self(3) equals the handle its creator got, and differs from the creator's own. */
    @Test
    void selfInsideAThreadEqualsItsHandle() {
        pthread_t creator = pthread_self();
        AtomicBoolean equalsCreator = new AtomicBoolean(true);
        pthread_t t = start(arg -> {
            equalsCreator.set(pthread_equal(pthread_self(), creator));
            return pthread_self();
        });
        pthread_t inside = (pthread_t) join(t);
        assertTrue(pthread_equal(t, inside));
        assertFalse(equalsCreator.get());
        assertFalse(pthread_equal(t, creator));
    }

    /** Two live threads are never equal (pthread_equal(3)). */
    @Test
    void distinctThreadsAreNotEqual() {
        sem_t release = semaphore(0);
        StartRoutine wait = arg -> {
            sem_wait(release);
            return null;
        };
        pthread_t a = start(wait);
        pthread_t b = start(wait);
        assertFalse(pthread_equal(a, b));
        sem_post(release);
        sem_post(release);
        joinAll(a, b);
    }

    /** Joining or detaching the test's own thread from a pthread gives EINVAL at once (it is not joinable). */
    @Test
    void joinOrDetachOfTheTestThreadIsEinval() {
        pthread_t main = pthread_self();
        pthread_t t = start(arg -> pthread_join(main, null) + "," + pthread_detach(main));
        assertEquals(EINVAL + "," + EINVAL, join(t));
    }

    // ---- names --------------------------------------------------------------------------

    /** pthread_setname_np(3) names a running thread; pthread_getname_np(3) and the thread itself read it back. */
    @Test
    void setnameAndGetname() {
        sem_t named = semaphore(0);
        String[] seenInside = new String[1];
        AtomicInteger tid = new AtomicInteger();
        pthread_t t = start(arg -> {
            tid.set(gettid());
            sem_wait(named);
            String[] n = new String[1];
            int r = pthread_getname_np(pthread_self(), n, 16);
            seenInside[0] = r + ":" + n[0];
            return null;
        });
        await(() -> tid.get() != 0, "the thread started");
        assertEquals(0, pthread_setname_np(t, "worker-7"));
        String[] name = new String[1];
        assertEquals(0, pthread_getname_np(t, name, 16));
        assertEquals("worker-7", name[0]);
        assertEquals(0, sem_post(named));
        join(t);
        assertEquals("0:worker-7", seenInside[0]);
    }

    /** The test's own thread can be named too. */
    @Test
    void setnameOnTheTestThread() {
        assertEquals(0, pthread_setname_np(pthread_self(), "p4j-test-main"));
        String[] name = new String[1];
        assertEquals(0, pthread_getname_np(pthread_self(), name, 16));
        assertEquals("p4j-test-main", name[0]);
    }

    /** A name of 16 bytes or more gives ERANGE, 15 bytes fit, and bytes count rather than chars (pthread_setname_np(3)). */
    @Test
    void longNamesAreErange() {
        pthread_t self = pthread_self();
        assertEquals(0, pthread_setname_np(self, "fifteen-bytes-x"));
        assertEquals(ERANGE, pthread_setname_np(self, "sixteen-bytes-xx"));
        assertEquals(ERANGE, pthread_setname_np(self, "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"),
                "8 chars but 16 UTF-8 bytes");
        String[] name = new String[1];
        assertEquals(0, pthread_getname_np(self, name, 16));
        assertEquals("fifteen-bytes-x", name[0], "a refused name leaves the old one");
    }

    /** pthread_getname_np(3) with a buffer too small for the name and its NUL gives ERANGE. */
    @Test
    void getnameWithSmallBufferIsErange() {
        pthread_t self = pthread_self();
        assertEquals(0, pthread_setname_np(self, "abcdef"));
        String[] name = new String[1];
        assertEquals(ERANGE, pthread_getname_np(self, name, 6));
        assertEquals(0, pthread_getname_np(self, name, 7));
        assertEquals("abcdef", name[0]);
    }

    /** Naming a thread that was already joined gives ESRCH instead of touching a dead thread. */
    @Test
    void setnameOfJoinedThreadIsEsrch() {
        pthread_t t = start(null, arg -> arg, 1);
        join(t);
        assertEquals(ESRCH, pthread_setname_np(t, "late"));
        assertEquals(ESRCH, pthread_getname_np(t, new String[1], 16));
    }

    /** A thread that has ended but is not joined yet can still be named and its name read back. */
    @Test
    void setnameOfEndedThreadBeforeJoin() {
        sem_t ending = semaphore(0);
        pthread_t t = start(arg -> {
            sem_post(ending);
            return "done";
        });
        awaitPost(ending, "the thread's last statement");
        pause(50); // its kernel thread is gone by now on native
        assertEquals(0, pthread_setname_np(t, "after-the-end"));
        String[] name = new String[1];
        assertEquals(0, pthread_getname_np(t, name, 16));
        assertEquals("after-the-end", name[0]);
        assertEquals("done", join(t));
    }

    /** The kernel shows the name set by pthread_setname_np(3) in /proc/self/task/TID/comm. */
    @Test
    @EnabledIfSystemProperty(named = "pthread4j.backend", matches = "native",
            disabledReason = "only on native is a pthread a kernel task with a comm of its own")
    void nameReachesTheKernel() throws Exception {
        sem_t release = semaphore(0);
        AtomicInteger tid = new AtomicInteger();
        pthread_t t = start(arg -> {
            tid.set(gettid());
            sem_wait(release);
            return null;
        });
        await(() -> tid.get() != 0, "the thread started");
        assertEquals(0, pthread_setname_np(t, "kernel-sees-me"));
        String comm = Files.readString(Path.of("/proc/self/task/" + tid.get() + "/comm")).trim();
        sem_post(release);
        join(t);
        assertEquals("kernel-sees-me", comm);
    }

    // ---- many threads, kernel threads ---------------------------------------------------

    /** 2,000 pthreads live at once: a barrier of 2,001 opens only when every one of them has arrived. */
    @Test
    void twoThousandLivePthreadsAtOnce() {
        int n = 2000;
        pthread_barrier_t all = new pthread_barrier_t();
        assertEquals(0, pthread_barrier_init(all, null, n + 1));
        pthread_attr_t attr = new pthread_attr_t();
        assertEquals(0, pthread_attr_init(attr));
        assertEquals(0, pthread_attr_setstacksize(attr, 256 * 1024));
        Set<Integer> before = onNative() ? kernelTids() : Set.of();
        pthread_t[] t = new pthread_t[n];
        AtomicInteger passed = new AtomicInteger();
        for (int i = 0; i < n; i++) {
            t[i] = start(attr, arg -> {
                pthread_barrier_wait(all);
                passed.incrementAndGet();
                return null;
            }, null);
        }
        Set<Integer> appeared = onNative() ? kernelTids() : new HashSet<>();
        appeared.removeAll(before);
        assertEquals(0, passed.get(), "nobody passed the barrier before the last arrival");
        pthread_barrier_wait(all);
        joinAll(t);
        assertEquals(n, passed.get());
        assertEquals(0, pthread_barrier_destroy(all));
        if (onNative()) {
            assertTrue(appeared.size() >= n, appeared.size() + " new kernel tasks for " + n + " live pthreads");
        }
    }

    /** Every pthread is its own kernel thread: distinct gettid(2) values, each listed in /proc/self/task. */
    @Test
    @EnabledIfSystemProperty(named = "pthread4j.backend", matches = "native",
            disabledReason = "only on native (1:1) is each pthread a kernel thread of its own")
    void eachPthreadIsADistinctKernelThread() {
        int n = 32;
        // An idle kernel thread of the cache predates the pthread it runs: wait until none is left.
        await(() -> org.pthread4j.nativ.ffi.pthread4j_h.p4j_thread_cache_idle() == 0,
                "the cache of kernel threads is empty");
        Set<Integer> before = kernelTids();
        pthread_barrier_t all = new pthread_barrier_t();
        assertEquals(0, pthread_barrier_init(all, null, n + 1));
        AtomicIntegerArray tids = new AtomicIntegerArray(n);
        pthread_t[] t = new pthread_t[n];
        for (int i = 0; i < n; i++) {
            t[i] = start(null, arg -> {
                tids.set((Integer) arg, gettid());
                pthread_barrier_wait(all); // everyone has recorded its tid
                pthread_barrier_wait(all); // the test has looked at /proc
                return null;
            }, i);
        }
        pthread_barrier_wait(all);
        Set<Integer> appeared = kernelTids();
        appeared.removeAll(before);
        Set<Integer> distinct = new HashSet<>();
        for (int i = 0; i < n; i++) {
            distinct.add(tids.get(i));
        }
        pthread_barrier_wait(all);
        joinAll(t);
        assertEquals(n, distinct.size(), "distinct tids: " + distinct);
        assertFalse(distinct.contains(gettid()), "no pthread runs on the test's own kernel thread");
        List<Integer> missing = new ArrayList<>(distinct);
        missing.removeAll(appeared);
        assertEquals(List.of(), missing, "pthread tids that are not new tasks in /proc/self/task");
    }

    /** 2,000 detached threads all run, and every pthread_create succeeds although nobody joins them. */
    @Test
    void detachedThreadsAllRun() {
        int n = 2_000;
        sem_t done = semaphore(0);
        sem_t slots = semaphore(256);
        for (int i = 0; i < n; i++) {
            awaitPost(slots, "a detached thread slot");
            startDetached(arg -> {
                sem_post(done);
                sem_post(slots);
                return null;
            });
        }
        for (int i = 0; i < n; i++) {
            awaitPost(done, "detached thread " + i + " ran");
        }
    }

    /**
     * 10,000 detached threads give back their kernel tasks: /proc/self/task returns to near its
     * size before. Thousands of kernel threads may still be ending when the last one is
     * created (at the machine's pace), and the cache's idle ones leave after its idle time, so
     * the wait fails only when their number stops falling.
     */
    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @EnabledIfSystemProperty(named = "pthread4j.backend", matches = "native",
            disabledReason = "only on native does a detached pthread hold a kernel task to give back")
    void detachedThreadsReleaseTheirKernelTasks() {
        int before = kernelTasks();
        int n = 10_000;
        sem_t slots = semaphore(256);
        for (int i = 0; i < n; i++) {
            awaitPost(slots, "a detached thread slot");
            startDetached(arg -> {
                sem_post(slots);
                return null;
            });
        }
        int slack = 16; // JIT compiler threads come and go on their own
        awaitProgress(() -> kernelTasks() - (before + slack), "the kernel tasks return to about " + before);
    }

    // ---- the program --------------------------------------------------------------------

    /**
     * When main returns the program ends, with exit status 0, even though a pthread is still
     * running. The child starts at the machine's pace, so the bound on its end counts from
     * main's last line: a JVM that its pthreads keep alive never ends.
     */
    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void programEndsWhenMainReturns() throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                System.getProperty("java.home") + "/bin/java",
                "--enable-native-access=ALL-UNNAMED",
                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "-Dpthread4j.backend=" + BACKEND,
                "-cp", classPath,
                MainReturnsWhilePthreadsRun.class.getName()));
        File out = File.createTempFile("pthread4j-child", ".log");
        out.deleteOnExit();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out).start();
        try {
            while (p.isAlive() && !Files.readString(out.toPath()).contains(MainReturnsWhilePthreadsRun.MARK)) {
                pause(10);
            }
            boolean exited = p.waitFor(CHILD_SECONDS, TimeUnit.SECONDS);
            String log = Files.readString(out.toPath());
            assertTrue(exited, "the child JVM did not exit within " + CHILD_SECONDS + " s after main returned:\n" + log);
            assertEquals(0, p.exitValue(), "child exit status; its output:\n" + log);
            assertTrue(log.contains(MainReturnsWhilePthreadsRun.MARK), "main ran to its end:\n" + log);
            assertNotEquals(-1, log.indexOf("pthreads running: 2"), log);
        } finally {
            p.destroyForcibly();
        }
    }
}
