package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.tests.TestSupport.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIfEnvironmentVariable;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pthread4j.*;
import org.pthread4j.nativ.ffi.p4j_epoll_event;
import org.pthread4j.nativ.ffi.p4j_rlimit;
import org.pthread4j.nativ.ffi.p4j_rusage;
import org.pthread4j.nativ.ffi.p4j_sockaddr_in;
import org.pthread4j.nativ.ffi.p4j_start_fn;
import org.pthread4j.nativ.ffi.p4j_timespec;
import org.pthread4j.nativ.ffi.pthread4j_h;

/**
 * The seam between Java and the C layer: the header and the jextract bindings agree, the
 * structure layouts match C's, and the primitives' fast paths never enter the kernel.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@EnabledIfSystemProperty(named = "pthread4j.backend", matches = "native",
        disabledReason = "checks the C layer and its kernel futex calls, which only the native backend uses")
class NativeSeamTest {

    private static final Pattern FUNCTION = Pattern.compile("(p4j_[a-z0-9_]+)\\(");

    /** Every function declared in include/pthread4j.h is a public static method of the generated pthread4j_h. */
    @Test
    void everyHeaderFunctionIsBound() throws Exception {
        String repo = System.getProperty("pthread4j.repo");
        assertNotNull(repo, "surefire passes -Dpthread4j.repo");
        String header = Files.readString(Path.of(repo, "include", "pthread4j.h"));
        TreeSet<String> declared = new TreeSet<>();
        Matcher m = FUNCTION.matcher(header);
        while (m.find()) {
            declared.add(m.group(1));
        }
        assertTrue(declared.size() >= 30, "functions found in the header: " + declared);
        TreeSet<String> bound = new TreeSet<>();
        for (Method method : pthread4j_h.class.getMethods()) {
            if (Modifier.isStatic(method.getModifiers()) && Modifier.isPublic(method.getModifiers())) {
                bound.add(method.getName());
            }
        }
        List<String> missing = new ArrayList<>();
        for (String f : declared) {
            if (!bound.contains(f)) {
                missing.add(f);
            }
        }
        assertEquals(List.of(), missing, "declared in pthread4j.h but not in the bindings");
    }

    /** The jextract layouts of the structures the seam shares have the sizes C gives them. */
    @Test
    void structureSizesMatchC() {
        assertEquals(pthread4j_h.p4j_sizeof(pthread4j_h.P4J_SIZEOF_RUSAGE()), p4j_rusage.sizeof());
        assertEquals(pthread4j_h.p4j_sizeof(pthread4j_h.P4J_SIZEOF_TIMESPEC()), p4j_timespec.sizeof());
        assertEquals(pthread4j_h.p4j_sizeof(pthread4j_h.P4J_SIZEOF_SOCKADDR_IN()), p4j_sockaddr_in.sizeof());
        assertEquals(pthread4j_h.p4j_sizeof(pthread4j_h.P4J_SIZEOF_RLIMIT()), p4j_rlimit.sizeof());
        assertEquals(pthread4j_h.p4j_sizeof(pthread4j_h.P4J_SIZEOF_EPOLL_EVENT()), p4j_epoll_event.sizeof());
        assertEquals(-EINVAL, pthread4j_h.p4j_sizeof(99), "an unknown structure");
    }

    /** The C layer's clock numbers are the facade's, and its minimum stack is what pthread_stack_min() reports. */
    @Test
    void constantsMatchTheFacade() {
        assertEquals(CLOCK_REALTIME, pthread4j_h.P4J_CLOCK_REALTIME());
        assertEquals(CLOCK_MONOTONIC, pthread4j_h.P4J_CLOCK_MONOTONIC());
        assertEquals(pthread4j_h.p4j_stack_min(), pthread_stack_min());
        assertTrue(pthread4j_h.p4j_java_stack_floor() >= pthread_stack_min());
        assertEquals(pthread4j_h.p4j_gettid(), gettid());
    }

    /** The futex call counter moves when a thread really sleeps: the control that makes the zero-call tests meaningful. */
    @Test
    void blockingMakesFutexCalls() {
        sem_t s = semaphore(0);
        AtomicInteger tid = new AtomicInteger();
        long before = pthread4j_h.p4j_futex_syscalls();
        pthread_t t = start(arg -> {
            tid.set(gettid());
            return sem_wait(s);
        });
        awaitBlocked(tid);
        sem_post(s);
        assertEquals(0, join(t));
        long calls = pthread4j_h.p4j_futex_syscalls() - before;
        assertTrue(calls >= 2, "futex calls for one sleep and one wake: " + calls);
    }

    /** The primitives whose uncontended paths must stay in user space. */
    enum FastPath {
        MUTEX_NORMAL, MUTEX_ERRORCHECK, MUTEX_RECURSIVE, MUTEX_ROBUST, MUTEX_TRYLOCK, COND_SIGNAL_NOBODY,
        COND_BROADCAST_NOBODY, RWLOCK_READ, RWLOCK_WRITE, SPIN, SEM_POST_WAIT, SEM_TRYWAIT_EMPTY, ONCE_DONE,
        GETSPECIFIC
    }

    private static IntSupplier op(FastPath p, List<Runnable> after) {
        switch (p) {
            case MUTEX_NORMAL, MUTEX_ERRORCHECK, MUTEX_RECURSIVE, MUTEX_ROBUST -> {
                pthread_mutexattr_t a = new pthread_mutexattr_t();
                pthread_mutexattr_init(a);
                pthread_mutexattr_settype(a, switch (p) {
                    case MUTEX_ERRORCHECK -> PTHREAD_MUTEX_ERRORCHECK;
                    case MUTEX_RECURSIVE -> PTHREAD_MUTEX_RECURSIVE;
                    default -> PTHREAD_MUTEX_NORMAL;
                });
                pthread_mutexattr_setrobust(a, p == FastPath.MUTEX_ROBUST ? PTHREAD_MUTEX_ROBUST : PTHREAD_MUTEX_STALLED);
                pthread_mutex_t m = new pthread_mutex_t();
                pthread_mutex_init(m, a);
                return () -> pthread_mutex_lock(m) | pthread_mutex_unlock(m);
            }
            case MUTEX_TRYLOCK -> {
                pthread_mutex_t m = new pthread_mutex_t();
                return () -> pthread_mutex_trylock(m) | pthread_mutex_unlock(m);
            }
            case COND_SIGNAL_NOBODY -> {
                pthread_cond_t c = new pthread_cond_t();
                return () -> pthread_cond_signal(c);
            }
            case COND_BROADCAST_NOBODY -> {
                pthread_cond_t c = new pthread_cond_t();
                return () -> pthread_cond_broadcast(c);
            }
            case RWLOCK_READ -> {
                pthread_rwlock_t l = new pthread_rwlock_t();
                return () -> pthread_rwlock_rdlock(l) | pthread_rwlock_unlock(l);
            }
            case RWLOCK_WRITE -> {
                pthread_rwlock_t l = new pthread_rwlock_t();
                return () -> pthread_rwlock_wrlock(l) | pthread_rwlock_unlock(l);
            }
            case SPIN -> {
                pthread_spinlock_t s = new pthread_spinlock_t();
                pthread_spin_init(s, PTHREAD_PROCESS_PRIVATE);
                return () -> pthread_spin_lock(s) | pthread_spin_unlock(s);
            }
            case SEM_POST_WAIT -> {
                sem_t s = semaphore(0);
                return () -> sem_post(s) | sem_wait(s);
            }
            case SEM_TRYWAIT_EMPTY -> {
                sem_t s = semaphore(0);
                return () -> sem_trywait(s) == -1 && errno() == EAGAIN ? 0 : 1;
            }
            case ONCE_DONE -> {
                pthread_once_t o = new pthread_once_t();
                pthread_once(o, () -> {});
                return () -> pthread_once(o, () -> {});
            }
            case GETSPECIFIC -> {
                pthread_key_t k = new pthread_key_t();
                pthread_key_create(k, null);
                pthread_setspecific(k, "v");
                after.add(() -> assertEquals(0, pthread_key_delete(k)));
                return () -> "v".equals(pthread_getspecific(k)) ? 0 : 1;
            }
            default -> throw new IllegalArgumentException(p.name());
        }
    }

    /** 100,000 uncontended operations of each primitive make no futex system call. */
    @ParameterizedTest
    @EnumSource(FastPath.class)
    void uncontendedPathsStayInUserSpace(FastPath path) {
        List<Runnable> after = new ArrayList<>();
        IntSupplier op = op(path, after);
        long calls = Long.MAX_VALUE;
        try {
            // A thread of an earlier test ending in the background may make a call: best of three.
            for (int attempt = 0; attempt < 3 && calls != 0; attempt++) {
                long before = pthread4j_h.p4j_futex_syscalls();
                int failures = 0;
                for (int i = 0; i < 100_000; i++) {
                    failures |= op.getAsInt();
                }
                calls = pthread4j_h.p4j_futex_syscalls() - before;
                assertEquals(0, failures, "an operation failed");
            }
        } finally {
            after.forEach(Runnable::run);
        }
        assertEquals(0, calls, "futex system calls on the uncontended path of " + path);
    }

    /**
     * p4j_thread_join2, the join of the native backend: it returns only once the kernel
     * thread is gone from /proc/self/task (glibc's join word, cleared by the kernel at exit),
     * and a non-zero cancel word ends the wait with -ECANCELED, leaving the thread joinable.
     */
    @Test
    @DisabledIfEnvironmentVariable(named = "PTHREAD4J_JOIN_FALLBACK", matches = ".*",
            disabledReason = "the fallback knob turns this join off (see the test below)")
    void joinWaitsForTheKernelThreadAndACancelEndsIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger tid = new AtomicInteger();
        try (Arena arena = Arena.ofShared()) {
            MemorySegment body = p4j_start_fn.allocate(id -> {
                tid.set(gettid());
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, arena);
            MemorySegment handleOut = arena.allocate(ValueLayout.JAVA_LONG);
            MemorySegment cancel = arena.allocate(ValueLayout.JAVA_INT);
            assertEquals(0, pthread4j_h.p4j_thread_create(body, 0, 0, 0, 0, MemorySegment.NULL, handleOut));
            long handle = handleOut.get(ValueLayout.JAVA_LONG, 0);
            awaitBlocked(tid);

            AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);
            Thread joiner = Thread.ofPlatform().start(() -> result.set(pthread4j_h.p4j_thread_join2(handle, cancel)));
            joiner.join(200);
            assertEquals(Integer.MIN_VALUE, result.get(), "join2 returned while the thread still runs");
            cancel.set(ValueLayout.JAVA_INT, 0, 1);
            pthread4j_h.p4j_futex_wake(cancel, Integer.MAX_VALUE);
            joiner.join();
            assertEquals(-ECANCELED, result.get(), "a set cancel word ends the join");
            assertEquals(-ECANCELED, pthread4j_h.p4j_thread_join2(handle, cancel), "a cancel already set: no wait");

            release.countDown();
            cancel.set(ValueLayout.JAVA_INT, 0, 0);
            assertEquals(0, pthread4j_h.p4j_thread_join2(handle, cancel), "the thread stayed joinable");
            assertFalse(Files.exists(Path.of("/proc/self/task/" + tid.get())), "the kernel thread is gone when join2 returns");
        }
    }

    /**
     * With PTHREAD4J_JOIN_FALLBACK set (the native-join-fallback test run), p4j_thread_join2
     * answers -ENOSYS for a joinable thread, which sends the backend's join to its fallback;
     * a plain glibc join still works.
     */
    @Test
    @EnabledIfEnvironmentVariable(named = "PTHREAD4J_JOIN_FALLBACK", matches = ".*",
            disabledReason = "only where the knob is set")
    void joinTwoAnswersEnosysUnderTheFallbackKnob() throws Exception {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment body = p4j_start_fn.allocate(id -> {}, arena);
            MemorySegment handleOut = arena.allocate(ValueLayout.JAVA_LONG);
            MemorySegment cancel = arena.allocate(ValueLayout.JAVA_INT);
            assertEquals(0, pthread4j_h.p4j_thread_create(body, 0, 0, 0, 0, MemorySegment.NULL, handleOut));
            long handle = handleOut.get(ValueLayout.JAVA_LONG, 0);
            assertEquals(-ENOSYS, pthread4j_h.p4j_thread_join2(handle, cancel));
            assertEquals(0, pthread4j_h.p4j_thread_join(handle));
        }
    }
}
