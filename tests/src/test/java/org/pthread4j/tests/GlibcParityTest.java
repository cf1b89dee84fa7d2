package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.tests.TestSupport.*;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.pthread4j.*;

/**
 * Every misuse of every primitive, answered as glibc answers it. {@code src/test/c/misuse.c}
 * runs each call sequence against glibc and prints one line per case ({@code case result});
 * {@link Run} runs the same sequences through pthread4j on the backend of this JVM; each case
 * is one dynamic test that compares the two lines. The exceptions are listed: {@link #DOCUMENTED}
 * (pthread4j answers otherwise on purpose, as POSIX allows, and says so in the function's
 * Javadoc) and {@link #JAVA_ONLY} (the sequence hangs or crashes glibc, so misuse.c does not
 * run it).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GlibcParityTest {

    /** A case where pthread4j's answer differs from glibc's on purpose. */
    private record Difference(String glibc, String pthread4j, String reason) {}

    private static final String NULL_TIME = "a null timespec is EINVAL in every timed call (glibc waits"
            + " without a deadline in a lock, and dereferences NULL in sem and cond waits)";
    private static final String DESTROYED = "a destroyed handle is EINVAL in every function (glibc's destroy"
            + " of this type changes nothing, so the object goes on working; POSIX recommends EINVAL)";
    private static final String HELD = "destroying a held lock is EBUSY, POSIX's recommended answer"
            + " (glibc's destroy of this type does not check)";
    private static final String NOT_HELD = "unlocking what the caller does not hold is EPERM, POSIX's"
            + " recommended answer (glibc answers 0 and releases another thread's lock, or corrupts it)";

    private static final Map<String, Difference> DOCUMENTED = new LinkedHashMap<>();

    static {
        for (String k : List.of("default", "normal", "errorcheck", "recursive", "robust_normal",
                "robust_errorcheck", "robust_recursive")) {
            documented("mutex." + k + ".timedlock_free_null", "0", "EINVAL", NULL_TIME);
            documented("mutex." + k + ".destroy_destroyed", "0", "EINVAL", "a destroyed handle is EINVAL in"
                    + " every function (glibc's destroy does not check that the mutex is still initialized)");
        }
        for (String k : List.of("robust_normal", "robust_errorcheck", "robust_recursive")) {
            documented("mutex." + k + ".destroy_locked", "0", "EBUSY", "destroying a locked mutex is EBUSY"
                    + " for every type (glibc skips its busy check for robust mutexes only)");
        }
        documented("mutex.robust_errorcheck.trylock_relock", "EDEADLK", "EBUSY",
                "POSIX: trylock of a locked mutex shall fail with EBUSY; glibc answers so for a non-robust one");
        for (String k : List.of("robust_normal", "robust_errorcheck", "robust_recursive")) {
            documented("mutex." + k + ".owner_died.consistent_by_other", "0", "EINVAL", "only the owner"
                    + " that got EOWNERDEAD may mark the mutex consistent (glibc lets any thread do it)");
        }
        documented("mutexattr.settype_3", "0", "EINVAL",
                "3 is glibc's non-portable PTHREAD_MUTEX_ADAPTIVE_NP; pthread4j has the POSIX types only");
        documented("cond.timedwait_other_mutex", "ETIMEDOUT", "EINVAL", "a second mutex while threads wait"
                + " with another is EINVAL, as POSIX allows (glibc does not check)");
        documented("cond.signal_destroyed", "0", "EINVAL", DESTROYED);
        documented("cond.broadcast_destroyed", "0", "EINVAL", DESTROYED);
        documented("cond.destroy_destroyed", "0", "EINVAL", DESTROYED);
        documented("rwlock.unlock_unlocked", "0", "EPERM", NOT_HELD);
        documented("rwlock.unlock_wrlocked_by_other", "0", "EPERM", NOT_HELD);
        documented("rwlock.destroy_wrlocked", "0", "EBUSY", HELD);
        documented("rwlock.destroy_rdlocked", "0", "EBUSY", HELD);
        documented("rwlock.destroy_destroyed", "0", "EINVAL", DESTROYED);
        documented("rwlock.rdlock_destroyed", "0", "EINVAL", DESTROYED);
        documented("rwlock.timedrdlock_free_null", "0", "EINVAL", NULL_TIME);
        documented("rwlock.timedwrlock_free_null", "0", "EINVAL", NULL_TIME);
        documented("spin.unlock_unlocked", "0", "EPERM", NOT_HELD);
        documented("spin.unlock_by_other", "0", "EPERM", NOT_HELD);
        documented("spin.destroy_locked", "0", "EBUSY", HELD);
        documented("spin.destroy_held_by_other", "0", "EBUSY", HELD);
        documented("sem.destroy_waited", "0", "-1 EBUSY", "destroying a semaphore threads wait on is EBUSY,"
                + " a POSIX 'may fail' (glibc's destroy does not check)");
        documented("sem.post_destroyed", "0", "-1 EINVAL", DESTROYED);
    }

    private static void documented(String c, String glibc, String pthread4j, String reason) {
        DOCUMENTED.put(c, new Difference(glibc, pthread4j, reason));
    }

    /** Cases that hang or crash glibc: pthread4j's answer, and what glibc does instead. */
    private static final Map<String, String> JAVA_ONLY = new LinkedHashMap<>();

    static {
        JAVA_ONLY.put("mutex.default.timedlock_held_null EINVAL", "glibc waits without a deadline");
        JAVA_ONLY.put("cond.timedwait_null EINVAL", "glibc dereferences NULL");
        JAVA_ONLY.put("cond.destroy_waited EBUSY", "glibc's destroy waits until the waiter is woken");
        JAVA_ONLY.put("barrier.destroy_waited EBUSY", "glibc's destroy waits until the round is complete");
        JAVA_ONLY.put("spin.lock_relock EDEADLK", "glibc spins for ever");
        JAVA_ONLY.put("sem.timedwait_null -1 EINVAL", "glibc dereferences NULL");
        JAVA_ONLY.put("once.null_control EINVAL", "glibc dereferences NULL");
        JAVA_ONLY.put("once.null_routine EINVAL", "glibc calls NULL");
        JAVA_ONLY.put("thread.create_null_start EINVAL", "the new thread calls NULL");
    }

    /** Each case of misuse.c, and of pthread4j's run, compared. */
    @TestFactory
    Stream<DynamicTest> sameAnswersAsGlibc() throws Exception {
        Map<String, String> glibc = results(glibcOutput());
        List<String> javaLines = new Run().all();
        Map<String, String> java = results(String.join("\n", javaLines));
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, String> e : JAVA_ONLY.entrySet()) {
            String[] expected = e.getKey().split(" ", 2);
            tests.add(dynamicTest(expected[0] + " (hangs or crashes glibc)", () -> {
                assertEquals(expected[1], java.get(expected[0]), expected[0] + " (" + e.getValue() + ")");
            }));
        }
        for (String c : glibc.keySet()) {
            String g = glibc.get(c);
            Difference d = DOCUMENTED.get(c);
            tests.add(dynamicTest(c, () -> {
                if (d == null) {
                    assertEquals(g, java.get(c), c + " (expected: glibc's answer; actual: pthread4j's)");
                } else {
                    assertEquals(d.glibc(), g, c + ": glibc's answer changed; the documented difference is out of date");
                    assertEquals(d.pthread4j(), java.get(c), c + " (documented difference: " + d.reason() + ")");
                }
            }));
        }
        tests.add(dynamicTest("the same cases on both sides", () -> {
            List<String> onlyJava = new ArrayList<>(java.keySet());
            onlyJava.removeAll(glibc.keySet());
            onlyJava.removeIf(c -> JAVA_ONLY.keySet().stream().anyMatch(k -> k.startsWith(c + " ")));
            List<String> onlyC = new ArrayList<>(glibc.keySet());
            onlyC.removeAll(java.keySet());
            assertTrue(onlyJava.isEmpty() && onlyC.isEmpty(), "run only in Java: " + onlyJava + "; only in C: " + onlyC);
            assertTrue(glibc.keySet().containsAll(DOCUMENTED.keySet()), "documented cases that misuse.c does not run");
        }));
        return tests.stream();
    }

    private static Map<String, String> results(String output) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            if (!line.isBlank()) {
                String[] parts = line.split(" ", 2);
                assertEquals(null, m.put(parts[0], parts[1]), "case " + parts[0] + " printed twice");
            }
        }
        return m;
    }

    // ---- glibc's side ------------------------------------------------------------------

    /** Compiles and runs misuse.c; skips the test where gcc is missing. */
    private static String glibcOutput() throws IOException, InterruptedException {
        return TestSupport.glibcOutput("misuse");
    }

    // ---- pthread4j's side --------------------------------------------------------------

    static String name(int e) {
        return switch (e) {
            case 0 -> "0";
            case EPERM -> "EPERM";
            case ESRCH -> "ESRCH";
            case EAGAIN -> "EAGAIN";
            case EFAULT -> "EFAULT";
            case EBUSY -> "EBUSY";
            case EINVAL -> "EINVAL";
            case ERANGE -> "ERANGE";
            case EDEADLK -> "EDEADLK";
            case EOVERFLOW -> "EOVERFLOW";
            case ETIMEDOUT -> "ETIMEDOUT";
            case EOWNERDEAD -> "EOWNERDEAD";
            case ENOTRECOVERABLE -> "ENOTRECOVERABLE";
            default -> Integer.toString(e);
        };
    }

    /** A mutex type of misuse.c: type -1 is PTHREAD_MUTEX_INITIALIZER. */
    private record Kind(String name, int type, boolean robust) {
        pthread_mutex_t mutex() {
            pthread_mutex_t m = new pthread_mutex_t();
            if (type < 0) {
                return m;
            }
            pthread_mutexattr_t a = new pthread_mutexattr_t();
            assertEquals(0, pthread_mutexattr_init(a));
            assertEquals(0, pthread_mutexattr_settype(a, type));
            assertEquals(0, pthread_mutexattr_setrobust(a, robust ? PTHREAD_MUTEX_ROBUST : PTHREAD_MUTEX_STALLED));
            assertEquals(0, pthread_mutex_init(m, a));
            assertEquals(0, pthread_mutexattr_destroy(a));
            return m;
        }

        boolean normal() {
            return type == -1 || type == PTHREAD_MUTEX_NORMAL;
        }
    }

    private static final List<Kind> KINDS = List.of(
            new Kind("default", -1, false),
            new Kind("normal", PTHREAD_MUTEX_NORMAL, false),
            new Kind("errorcheck", PTHREAD_MUTEX_ERRORCHECK, false),
            new Kind("recursive", PTHREAD_MUTEX_RECURSIVE, false),
            new Kind("robust_normal", PTHREAD_MUTEX_NORMAL, true),
            new Kind("robust_errorcheck", PTHREAD_MUTEX_ERRORCHECK, true),
            new Kind("robust_recursive", PTHREAD_MUTEX_RECURSIVE, true));

    private static final timespec PAST = new timespec(-1, 0);

    private static timespec withNsec(long nsec) {
        timespec t = realtimeIn(1000);
        t.tv_nsec = nsec;
        return t;
    }

    /** Runs {@code call} on a new pthread and returns its result. */
    private static int onOther(IntSupplier call) {
        return (Integer) join(start(arg -> call.getAsInt()));
    }

    /** The sequences of misuse.c, in its order, through the facade. */
    private static final class Run {
        private final List<String> lines = new ArrayList<>();

        private void out(String c, int r) {
            lines.add(c + " " + name(r));
        }

        private void outErrno(String c, int r) {
            lines.add(r == 0 ? c + " 0" : c + " " + r + " " + name(errno()));
        }

        List<String> all() {
            mutexes();
            conds();
            rwlocks();
            barriers();
            spins();
            sems();
            keys();
            threads();
            sleeping();
            return lines;
        }

        private static int condTimedwaitSoon(pthread_mutex_t m) {
            return pthread_cond_timedwait(new pthread_cond_t(), m, realtimeIn(50));
        }

        private void mutexKind(Kind k) {
            String n = "mutex." + k.name() + ".";
            int r;

            out(n + "unlock_unlocked", pthread_mutex_unlock(k.mutex()));

            pthread_mutex_t m1 = k.mutex();
            pthread_mutex_lock(m1);
            out(n + "unlock_by_other", onOther(() -> pthread_mutex_unlock(m1)));
            out(n + "unlock_by_owner_after", pthread_mutex_unlock(m1));

            pthread_mutex_t m = k.mutex();
            pthread_mutex_lock(m);
            r = pthread_mutex_trylock(m);
            out(n + "trylock_relock", r);
            if (r == 0) {
                pthread_mutex_unlock(m);
            }
            r = pthread_mutex_timedlock(m, realtimeIn(50));
            out(n + "timedlock_relock", r);
            if (r == 0) {
                pthread_mutex_unlock(m);
            }
            if (!k.normal()) {
                r = pthread_mutex_lock(m);
                out(n + "lock_relock", r);
                if (r == 0) {
                    pthread_mutex_unlock(m);
                }
            }
            r = pthread_mutex_timedlock(m, withNsec(-1));
            out(n + "timedlock_relock_nsec_negative", r);
            if (r == 0) {
                pthread_mutex_unlock(m);
            }
            r = pthread_mutex_timedlock(m, withNsec(1_000_000_000L));
            out(n + "timedlock_relock_nsec_1e9", r);
            if (r == 0) {
                pthread_mutex_unlock(m);
            }
            r = pthread_mutex_timedlock(m, PAST);
            out(n + "timedlock_relock_sec_negative", r);
            if (r == 0) {
                pthread_mutex_unlock(m);
            }
            out(n + "unlock_after_relocks", pthread_mutex_unlock(m));
            out(n + "unlock_twice", pthread_mutex_unlock(m));

            m = k.mutex();
            r = pthread_mutex_timedlock(m, withNsec(-1));
            out(n + "timedlock_free_nsec_negative", r);
            if (r == 0) {
                pthread_mutex_unlock(m);
            }
            r = pthread_mutex_timedlock(m, withNsec(1_000_000_000L));
            out(n + "timedlock_free_nsec_1e9", r);
            if (r == 0) {
                pthread_mutex_unlock(m);
            }
            r = pthread_mutex_timedlock(m, PAST);
            out(n + "timedlock_free_sec_negative", r);
            if (r == 0) {
                pthread_mutex_unlock(m);
            }
            r = pthread_mutex_timedlock(m, null);
            out(n + "timedlock_free_null", r);
            if (r == 0) {
                pthread_mutex_unlock(m);
            }
            out(n + "clocklock_bad_clock", pthread_mutex_clocklock(m, 99, PAST));
            out(n + "consistent_unlocked", pthread_mutex_consistent(m));

            pthread_mutex_t held = k.mutex();
            Holder h = hold(() -> pthread_mutex_lock(held), () -> pthread_mutex_unlock(held));
            out(n + "timedlock_held_nsec_negative", pthread_mutex_timedlock(held, withNsec(-1)));
            out(n + "timedlock_held_nsec_1e9", pthread_mutex_timedlock(held, withNsec(1_000_000_000L)));
            out(n + "timedlock_held_sec_negative", pthread_mutex_timedlock(held, PAST));
            out(n + "clocklock_monotonic_held_nsec_1e9",
                    pthread_mutex_clocklock(held, CLOCK_MONOTONIC, withNsec(1_000_000_000L)));
            out(n + "clocklock_monotonic_held_sec_negative", pthread_mutex_clocklock(held, CLOCK_MONOTONIC, PAST));
            if (k.type() == -1) {
                out(n + "timedlock_held_null", pthread_mutex_timedlock(held, null));
            }
            out(n + "trylock_held", pthread_mutex_trylock(held));
            if (!k.robust()) {
                out(n + "destroy_held_by_other", pthread_mutex_destroy(held));
            }
            if (!k.normal()) {
                out(n + "cond_timedwait_held_by_other", condTimedwaitSoon(held));
            }
            out(n + "unlock_held_by_other", pthread_mutex_unlock(held));
            h.release();

            m = k.mutex();
            r = condTimedwaitSoon(m);
            out(n + "cond_timedwait_unlocked", r);
            if (r == 0 || r == ETIMEDOUT) {
                pthread_mutex_unlock(m);
            }

            if (k.type() == PTHREAD_MUTEX_RECURSIVE) {
                m = k.mutex();
                pthread_mutex_lock(m);
                pthread_mutex_lock(m);
                out(n + "cond_timedwait_locked_twice", condTimedwaitSoon(m));
                out(n + "unlock_after_wait_1", pthread_mutex_unlock(m));
                out(n + "unlock_after_wait_2", pthread_mutex_unlock(m));
                out(n + "unlock_after_wait_3", pthread_mutex_unlock(m));
            }

            m = k.mutex();
            pthread_mutex_lock(m);
            out(n + "destroy_locked", pthread_mutex_destroy(m));

            m = k.mutex();
            assertEquals(0, pthread_mutex_destroy(m));
            out(n + "lock_destroyed", pthread_mutex_lock(m));
            out(n + "trylock_destroyed", pthread_mutex_trylock(m));
            out(n + "unlock_destroyed", pthread_mutex_unlock(m));
            out(n + "destroy_destroyed", pthread_mutex_destroy(m));

            if (!k.robust()) {
                return;
            }
            pthread_mutex_t died = k.mutex();
            onOther(() -> pthread_mutex_lock(died));
            out(n + "owner_died.lock", pthread_mutex_lock(died));
            out(n + "owner_died.unlock_inconsistent", pthread_mutex_unlock(died));
            out(n + "owner_died.lock_not_recoverable", pthread_mutex_lock(died));
            out(n + "owner_died.timedlock_not_recoverable", pthread_mutex_timedlock(died, realtimeIn(50)));
            out(n + "owner_died.unlock_not_recoverable", pthread_mutex_unlock(died));
            out(n + "owner_died.consistent_not_recoverable", pthread_mutex_consistent(died));
            out(n + "owner_died.trylock_not_recoverable", pthread_mutex_trylock(died));
            out(n + "owner_died.destroy_not_recoverable", pthread_mutex_destroy(died));

            pthread_mutex_t died2 = k.mutex();
            onOther(() -> pthread_mutex_lock(died2));
            out(n + "owner_died.trylock", pthread_mutex_trylock(died2));
            out(n + "owner_died.consistent", pthread_mutex_consistent(died2));
            out(n + "owner_died.consistent_again", pthread_mutex_consistent(died2));
            out(n + "owner_died.unlock_consistent", pthread_mutex_unlock(died2));
            out(n + "owner_died.lock_again", pthread_mutex_lock(died2));
            out(n + "owner_died.unlock_again", pthread_mutex_unlock(died2));

            pthread_mutex_t died3 = k.mutex();
            onOther(() -> pthread_mutex_lock(died3));
            out(n + "owner_died.unlock_before_lock", pthread_mutex_unlock(died3));
            out(n + "owner_died.unlock_by_other_before_lock", onOther(() -> pthread_mutex_unlock(died3)));
            out(n + "owner_died.consistent_before_lock", pthread_mutex_consistent(died3));
            out(n + "owner_died.lock_for_other", pthread_mutex_lock(died3));
            out(n + "owner_died.consistent_by_other", onOther(() -> pthread_mutex_consistent(died3)));
            pthread_mutex_consistent(died3);
            pthread_mutex_unlock(died3);
        }

        private void mutexes() {
            for (Kind k : KINDS) {
                mutexKind(k);
            }

            pthread_mutex_t m = KINDS.get(1).mutex();
            pthread_mutex_lock(m);
            AtomicInteger tid = new AtomicInteger();
            pthread_t t = start(arg -> {
                tid.set(gettid());
                pthread_mutex_lock(m);
                return pthread_mutex_unlock(m);
            });
            awaitBlocked(tid);
            out("mutex.normal.destroy_waited", pthread_mutex_destroy(m));
            pthread_mutex_unlock(m);
            join(t);

            pthread_mutexattr_t a = new pthread_mutexattr_t();
            pthread_mutexattr_init(a);
            out("mutexattr.settype_negative", pthread_mutexattr_settype(a, -1));
            out("mutexattr.settype_3", pthread_mutexattr_settype(a, 3));
            out("mutexattr.settype_4", pthread_mutexattr_settype(a, 4));
            out("mutexattr.setrobust_negative", pthread_mutexattr_setrobust(a, -1));
            out("mutexattr.setrobust_2", pthread_mutexattr_setrobust(a, 2));
            pthread_mutexattr_destroy(a);
        }

        /** A pthread in pthread_cond_wait(c, m) until go[0]; returns with m held, the waiter inside the wait. */
        private static pthread_t startWaiter(pthread_cond_t c, pthread_mutex_t m, boolean[] go) {
            boolean[] waiting = {false};
            pthread_t t = start(arg -> {
                pthread_mutex_lock(m);
                waiting[0] = true; // m is released only inside the wait
                while (!go[0]) {
                    pthread_cond_wait(c, m);
                }
                pthread_mutex_unlock(m);
                return null;
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            for (;;) {
                pthread_mutex_lock(m);
                if (waiting[0]) {
                    return t;
                }
                pthread_mutex_unlock(m);
                assertTrue(System.nanoTime() - deadline < 0, "the waiter did not start waiting");
                pause(1);
            }
        }

        private void conds() {
            pthread_mutex_t m = KINDS.get(2).mutex();
            pthread_mutex_t m2 = KINDS.get(2).mutex();
            pthread_cond_t c = new pthread_cond_t();
            boolean[] go = {false};

            pthread_mutex_lock(m);
            out("cond.timedwait_nsec_negative", pthread_cond_timedwait(c, m, withNsec(-1)));
            out("cond.timedwait_nsec_1e9", pthread_cond_timedwait(c, m, withNsec(1_000_000_000L)));
            out("cond.timedwait_sec_negative", pthread_cond_timedwait(c, m, PAST));
            out("cond.timedwait_null", pthread_cond_timedwait(c, m, null));
            pthread_mutex_unlock(m);
            out("cond.timedwait_unowned_nsec_negative", pthread_cond_timedwait(c, m, withNsec(-1)));
            out("cond.timedwait_unowned_sec_negative", pthread_cond_timedwait(c, m, PAST));
            out("cond.wait_unowned", pthread_cond_wait(c, m));

            pthread_t waiter = startWaiter(c, m, go);
            out("cond.destroy_waited", pthread_cond_destroy(c));
            pthread_mutex_unlock(m);
            pthread_mutex_lock(m2);
            out("cond.timedwait_other_mutex", pthread_cond_timedwait(c, m2, realtimeIn(50)));
            pthread_mutex_unlock(m2);

            pthread_mutex_lock(m);
            go[0] = true;
            pthread_cond_broadcast(c);
            out("cond.destroy_after_broadcast", pthread_cond_destroy(c));
            pthread_mutex_unlock(m);
            join(waiter);
            out("cond.signal_destroyed", pthread_cond_signal(c));
            out("cond.broadcast_destroyed", pthread_cond_broadcast(c));
            out("cond.destroy_destroyed", pthread_cond_destroy(c));

            pthread_condattr_t ca = new pthread_condattr_t();
            pthread_condattr_init(ca);
            out("condattr.setclock_process_cputime", pthread_condattr_setclock(ca, 2));
            out("condattr.setclock_99", pthread_condattr_setclock(ca, 99));
            assertEquals(0, pthread_condattr_setclock(ca, CLOCK_MONOTONIC));
            assertEquals(0, pthread_cond_init(c, ca));
            pthread_mutex_lock(m);
            out("cond.monotonic_timedwait_sec_negative", pthread_cond_timedwait(c, m, PAST));
            out("cond.monotonic_timedwait_nsec_negative", pthread_cond_timedwait(c, m, withNsec(-1)));
            pthread_mutex_unlock(m);
            pthread_condattr_destroy(ca);
        }

        private void rwlocks() {
            pthread_rwlock_t l = new pthread_rwlock_t();
            int r;

            out("rwlock.unlock_unlocked", pthread_rwlock_unlock(l));
            pthread_rwlock_init(l, null);

            pthread_rwlock_wrlock(l);
            out("rwlock.wrlock_relock", pthread_rwlock_wrlock(l));
            out("rwlock.timedwrlock_relock", pthread_rwlock_timedwrlock(l, realtimeIn(50)));
            out("rwlock.trywrlock_relock", pthread_rwlock_trywrlock(l));
            out("rwlock.rdlock_while_wrlocked", pthread_rwlock_rdlock(l));
            out("rwlock.timedrdlock_while_wrlocked", pthread_rwlock_timedrdlock(l, realtimeIn(50)));
            out("rwlock.tryrdlock_while_wrlocked", pthread_rwlock_tryrdlock(l));
            out("rwlock.timedwrlock_relock_nsec_negative", pthread_rwlock_timedwrlock(l, withNsec(-1)));
            out("rwlock.timedrdlock_while_wrlocked_nsec_negative", pthread_rwlock_timedrdlock(l, withNsec(-1)));
            out("rwlock.timedwrlock_relock_sec_negative", pthread_rwlock_timedwrlock(l, PAST));
            out("rwlock.timedrdlock_while_wrlocked_sec_negative", pthread_rwlock_timedrdlock(l, PAST));
            out("rwlock.unlock_wrlocked_by_other", onOther(() -> pthread_rwlock_unlock(l)));
            out("rwlock.destroy_wrlocked", pthread_rwlock_destroy(l));
            out("rwlock.unlock_wrlocked", pthread_rwlock_unlock(l));
            pthread_rwlock_init(l, null);

            pthread_rwlock_rdlock(l);
            out("rwlock.rdlock_twice", pthread_rwlock_rdlock(l));
            out("rwlock.trywrlock_while_rdlocked", pthread_rwlock_trywrlock(l));
            out("rwlock.timedwrlock_while_rdlocked", pthread_rwlock_timedwrlock(l, realtimeIn(50)));
            out("rwlock.destroy_rdlocked", pthread_rwlock_destroy(l));
            pthread_rwlock_unlock(l);
            out("rwlock.unlock_rdlocked_by_other", onOther(() -> pthread_rwlock_unlock(l)));
            pthread_rwlock_init(l, null);

            r = pthread_rwlock_timedrdlock(l, withNsec(-1));
            out("rwlock.timedrdlock_free_nsec_negative", r);
            if (r == 0) {
                pthread_rwlock_unlock(l);
            }
            r = pthread_rwlock_timedwrlock(l, withNsec(1_000_000_000L));
            out("rwlock.timedwrlock_free_nsec_1e9", r);
            if (r == 0) {
                pthread_rwlock_unlock(l);
            }
            r = pthread_rwlock_timedrdlock(l, PAST);
            out("rwlock.timedrdlock_free_sec_negative", r);
            if (r == 0) {
                pthread_rwlock_unlock(l);
            }
            r = pthread_rwlock_timedwrlock(l, PAST);
            out("rwlock.timedwrlock_free_sec_negative", r);
            if (r == 0) {
                pthread_rwlock_unlock(l);
            }
            r = pthread_rwlock_timedrdlock(l, null);
            out("rwlock.timedrdlock_free_null", r);
            if (r == 0) {
                pthread_rwlock_unlock(l);
            }
            r = pthread_rwlock_timedwrlock(l, null);
            out("rwlock.timedwrlock_free_null", r);
            if (r == 0) {
                pthread_rwlock_unlock(l);
            }

            Holder h = hold(() -> pthread_rwlock_wrlock(l), () -> pthread_rwlock_unlock(l));
            out("rwlock.timedrdlock_held_nsec_negative", pthread_rwlock_timedrdlock(l, withNsec(-1)));
            out("rwlock.timedwrlock_held_nsec_1e9", pthread_rwlock_timedwrlock(l, withNsec(1_000_000_000L)));
            out("rwlock.timedrdlock_held_sec_negative", pthread_rwlock_timedrdlock(l, PAST));
            out("rwlock.timedwrlock_held_sec_negative", pthread_rwlock_timedwrlock(l, PAST));
            out("rwlock.tryrdlock_held", pthread_rwlock_tryrdlock(l));
            out("rwlock.trywrlock_held", pthread_rwlock_trywrlock(l));
            h.release();

            assertEquals(0, pthread_rwlock_destroy(l));
            out("rwlock.destroy_destroyed", pthread_rwlock_destroy(l));
            r = pthread_rwlock_rdlock(l);
            out("rwlock.rdlock_destroyed", r);
            if (r == 0) {
                pthread_rwlock_unlock(l);
            }
        }

        private void barriers() {
            pthread_barrier_t b = new pthread_barrier_t();
            int r;

            out("barrier.init_count_0", pthread_barrier_init(b, null, 0));
            out("barrier.init_count_uint_max", pthread_barrier_init(b, null, -1));
            r = pthread_barrier_init(b, null, Integer.MAX_VALUE);
            out("barrier.init_count_int_max", r);
            if (r == 0) {
                pthread_barrier_destroy(b);
            }
            r = pthread_barrier_init(b, null, Integer.MAX_VALUE - 1);
            out("barrier.init_count_int_max_minus_1", r);
            if (r == 0) {
                pthread_barrier_destroy(b);
            }

            assertEquals(0, pthread_barrier_init(b, null, 2));
            AtomicInteger tid = new AtomicInteger();
            pthread_t t = start(arg -> {
                tid.set(gettid());
                return pthread_barrier_wait(b);
            });
            awaitBlocked(tid);
            out("barrier.destroy_waited", pthread_barrier_destroy(b));
            r = pthread_barrier_wait(b);
            if (r == PTHREAD_BARRIER_SERIAL_THREAD) {
                out("barrier.destroy_by_serial_thread", pthread_barrier_destroy(b));
                join(t);
            } else {
                join(t);
                out("barrier.destroy_by_serial_thread", pthread_barrier_destroy(b));
            }
        }

        private void spins() {
            pthread_spinlock_t s = new pthread_spinlock_t();

            out("spin.init_pshared_2", pthread_spin_init(s, 2));
            out("spin.init_pshared_negative", pthread_spin_init(s, -1));
            assertEquals(0, pthread_spin_init(s, PTHREAD_PROCESS_PRIVATE));
            out("spin.unlock_unlocked", pthread_spin_unlock(s));
            pthread_spin_lock(s);
            out("spin.lock_relock", pthread_spin_lock(s));
            out("spin.trylock_relock", pthread_spin_trylock(s));
            out("spin.unlock_by_other", onOther(() -> pthread_spin_unlock(s)));
            out("spin.unlock_after_other", pthread_spin_unlock(s));

            pthread_spin_lock(s);
            out("spin.destroy_locked", pthread_spin_destroy(s));
            pthread_spin_unlock(s);

            assertEquals(0, pthread_spin_init(s, PTHREAD_PROCESS_PRIVATE));
            Holder h = hold(() -> pthread_spin_lock(s), () -> pthread_spin_unlock(s));
            out("spin.trylock_held", pthread_spin_trylock(s));
            out("spin.destroy_held_by_other", pthread_spin_destroy(s));
            h.release();
        }

        private void sems() {
            sem_t s = new sem_t();

            outErrno("sem.init_above_max", sem_init(s, 0, SEM_VALUE_MAX + 1));
            assertEquals(0, sem_init(s, 0, SEM_VALUE_MAX));
            outErrno("sem.post_at_max", sem_post(s));
            sem_destroy(s);

            sem_init(s, 0, 1);
            outErrno("sem.timedwait_available_nsec_negative", sem_timedwait(s, withNsec(-1)));
            outErrno("sem.timedwait_available_nsec_1e9", sem_timedwait(s, withNsec(1_000_000_000L)));
            outErrno("sem.timedwait_null", sem_timedwait(s, null));
            outErrno("sem.clockwait_bad_clock", sem_clockwait(s, 99, PAST));
            outErrno("sem.timedwait_available_sec_negative", sem_timedwait(s, PAST));
            outErrno("sem.timedwait_zero_nsec_negative", sem_timedwait(s, withNsec(-1)));
            outErrno("sem.timedwait_zero_sec_negative", sem_timedwait(s, PAST));
            outErrno("sem.trywait_zero", sem_trywait(s));
            outErrno("sem.clockwait_monotonic_zero_nsec_1e9", sem_clockwait(s, CLOCK_MONOTONIC, withNsec(1_000_000_000L)));
            outErrno("sem.clockwait_monotonic_zero_sec_negative", sem_clockwait(s, CLOCK_MONOTONIC, PAST));

            AtomicInteger tid = new AtomicInteger();
            pthread_t t = start(arg -> {
                tid.set(gettid());
                return sem_wait(s);
            });
            awaitBlocked(tid);
            outErrno("sem.destroy_waited", sem_destroy(s));
            outErrno("sem.post_after_destroy_waited", sem_post(s));
            join(t);

            sem_t idle = semaphore(0);
            assertEquals(0, sem_destroy(idle));
            outErrno("sem.post_destroyed", sem_post(idle));
        }

        private void keys() {
            pthread_key_t[] k = new pthread_key_t[PTHREAD_KEYS_MAX + 1];
            int n = 0;
            int r = 0;
            while (n <= PTHREAD_KEYS_MAX && (r = pthread_key_create(k[n] = new pthread_key_t(), null)) == 0) {
                n++;
            }
            out("key.create_exhausted", r);
            assertEquals(0, pthread_key_delete(k[0]));
            pthread_key_t reused = new pthread_key_t();
            out("key.create_after_delete", pthread_key_create(reused, null));
            out("key.create_exhausted_again", pthread_key_create(k[n], null));
            for (int i = 1; i < n; i++) {
                pthread_key_delete(k[i]);
            }
            pthread_key_delete(reused);

            pthread_key_t key = new pthread_key_t();
            assertEquals(0, pthread_key_create(key, null));
            assertEquals(0, pthread_setspecific(key, "v"));
            assertEquals(0, pthread_key_delete(key));
            out("key.delete_deleted", pthread_key_delete(key));
            out("key.setspecific_deleted", pthread_setspecific(key, "w"));
            lines.add("key.getspecific_deleted " + (pthread_getspecific(key) != null ? "value" : "null"));
            pthread_key_t again = new pthread_key_t();
            assertEquals(0, pthread_key_create(again, null));
            lines.add("key.getspecific_reused_slot " + (pthread_getspecific(again) != null ? "value" : "null"));
            pthread_key_delete(again);
        }

        private void threads() {
            out("thread.join_self_main", pthread_join(pthread_self(), null));
            out("thread.join_self", onOther(() -> pthread_join(pthread_self(), null)));

            pthread_t t = start(arg -> arg);
            join(t);
            out("thread.join_twice", pthread_join(t, null));
            out("thread.detach_joined", pthread_detach(t));

            sem_t go = semaphore(0);
            t = start(arg -> sem_wait(go));
            out("thread.detach", pthread_detach(t));
            out("thread.detach_twice", pthread_detach(t));
            out("thread.join_detached", pthread_join(t, null));
            sem_post(go);

            pthread_attr_t a = new pthread_attr_t();
            pthread_attr_init(a);
            pthread_attr_setdetachstate(a, PTHREAD_CREATE_DETACHED);
            t = start(a, arg -> sem_wait(go), null);
            out("thread.join_created_detached", pthread_join(t, null));
            out("thread.detach_created_detached", pthread_detach(t));
            out("thread.setname_too_long", pthread_setname_np(t, "0123456789abcdef"));
            out("thread.getname_short_buffer", pthread_getname_np(pthread_self(), new String[1], 1));
            sem_post(go);
            out("thread.create_null_start", pthread_create(new pthread_t(), a, null, null));
            pthread_attr_destroy(a);

            pthread_attr_init(a);
            out("attr.setdetachstate_2", pthread_attr_setdetachstate(a, 2));
            out("attr.setdetachstate_negative", pthread_attr_setdetachstate(a, -1));
            out("attr.setstacksize_below_min", pthread_attr_setstacksize(a, pthread_stack_min() - 1));
            out("attr.setstacksize_min", pthread_attr_setstacksize(a, pthread_stack_min()));
            pthread_attr_destroy(a);

            out("cancel.setcancelstate_2", pthread_setcancelstate(2, null));
            out("cancel.setcanceltype_2", pthread_setcanceltype(2, null));

            out("once.null_control", pthread_once(null, () -> { }));
            out("once.null_routine", pthread_once(new pthread_once_t(), null));
        }

        private void sleeping() {
            outErrno("nanosleep.sec_negative", nanosleep(new timespec(-1, 0), null));
            outErrno("nanosleep.nsec_negative", nanosleep(new timespec(0, -1), null));
            outErrno("nanosleep.nsec_1e9", nanosleep(new timespec(0, 1_000_000_000L), null));
            outErrno("nanosleep.null", nanosleep(null, null));
            outErrno("clock_gettime.clock_99", clock_gettime(99, new timespec()));
        }
    }
}
