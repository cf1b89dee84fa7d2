package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.pthread4j.Pthreads.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import org.pthread4j.*;
import org.pthread4j.posix.Posix;
import org.pthread4j.posix.sockaddr_in;

/**
 * Bounded waits and small fixtures shared by the conformance kit. Every wait here has a
 * deadline and fails the test with a message when it passes; nothing spins unbounded.
 */
final class TestSupport {

    /** The backend under test, as surefire passes it. */
    static final String BACKEND = System.getProperty("pthread4j.backend", "native");

    /** How long a wait that should end "soon" may take before the test fails. */
    static final long WAIT_SECONDS = 20;

    /**
     * How long a child JVM may take to end: generous, because its start runs at the machine's
     * pace (more than 20 s for one JVM on a loaded machine here); only a hang takes longer.
     */
    static final long CHILD_SECONDS = 120;

    /** Joins run here, so that a join that never returns fails the test instead of hanging it. */
    private static final ExecutorService JOINERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "bounded-joiner");
        t.setDaemon(true);
        return t;
    });

    private TestSupport() {}

    static boolean onNative() {
        return "native".equals(BACKEND);
    }

    // ---- threads ------------------------------------------------------------------------

    static pthread_t start(StartRoutine routine) {
        return start(null, routine, null);
    }

    static pthread_t start(pthread_attr_t attr, StartRoutine routine, Object arg) {
        pthread_t t = new pthread_t();
        assertEquals(0, pthread_create(t, attr, routine, arg), "pthread_create");
        return t;
    }

    static pthread_t startDetached(StartRoutine routine) {
        pthread_attr_t attr = new pthread_attr_t();
        assertEquals(0, pthread_attr_init(attr));
        assertEquals(0, pthread_attr_setdetachstate(attr, PTHREAD_CREATE_DETACHED));
        pthread_t t = start(attr, routine, null);
        assertEquals(0, pthread_attr_destroy(attr));
        return t;
    }

    /**
     * {@code pthread_join(t, ret)} on a helper thread; fails the test when the join has not
     * returned within {@code seconds}. Returns what the join returned.
     */
    static int joinWithin(pthread_t t, Object[] ret, long seconds) {
        Future<Integer> f = JOINERS.submit(() -> pthread_join(t, ret));
        try {
            return f.get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("pthread_join(" + t + ") did not return within " + seconds + " s");
        } catch (ExecutionException e) {
            throw new AssertionError("pthread_join(" + t + ") threw", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Joins {@code t} within {@link #WAIT_SECONDS}, asserts the join returned 0, returns the exit value. */
    static Object join(pthread_t t) {
        Object[] ret = new Object[1];
        assertEquals(0, joinWithin(t, ret, WAIT_SECONDS), "pthread_join");
        return ret[0];
    }

    static void joinAll(pthread_t... threads) {
        for (pthread_t t : threads) {
            join(t);
        }
    }

    // ---- waiting ------------------------------------------------------------------------

    /** Polls {@code condition} every millisecond until it holds; fails after {@link #WAIT_SECONDS}. */
    static void await(BooleanSupplier condition, String what) {
        await(condition, what, false);
    }

    /**
     * {@link #await} without sleeping between polls: for a hand-shake between two threads that
     * must take microseconds, not a millisecond.
     */
    static void awaitSpinning(BooleanSupplier condition, String what) {
        await(condition, what, true);
    }

    private static void await(BooleanSupplier condition, String what, boolean spin) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + WAIT_SECONDS + " s waiting until " + what);
            }
            if (spin) {
                Thread.onSpinWait();
            } else {
                pause(1);
            }
        }
    }

    /**
     * Polls {@code remaining} every 10 ms until it is 0 or less; fails when it has not reached
     * a new low for {@link #WAIT_SECONDS}. For work whose pace is the machine's (thousands of
     * kernel threads ending): on a loaded machine it may take long, but it must keep moving.
     */
    static void awaitProgress(IntSupplier remaining, String what) {
        int lowest = Integer.MAX_VALUE;
        long lowSince = System.nanoTime();
        for (int now; (now = remaining.getAsInt()) > 0; pause(10)) {
            if (now < lowest) {
                lowest = now;
                lowSince = System.nanoTime();
            } else if (System.nanoTime() - lowSince > TimeUnit.SECONDS.toNanos(WAIT_SECONDS)) {
                fail("no progress for " + WAIT_SECONDS + " s waiting until " + what + " (" + now + " to go)");
            }
        }
    }

    /** Sleeps without a cancellation point (Thread.sleep parks a virtual thread too). */
    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Returns once the pthread whose kernel tid is in {@code tid} has recorded it and, on
     * {@code native}, once the kernel shows it asleep twice 5 ms apart; elsewhere gives it
     * 50 ms to get there.
     */
    static void awaitBlocked(AtomicInteger tid) {
        await(() -> tid.get() != 0, "the pthread recorded its tid");
        if (!onNative()) {
            pause(50);
            return;
        }
        await(() -> {
            if (!taskAsleep(tid.get())) {
                return false;
            }
            pause(5);
            return taskAsleep(tid.get());
        }, "kernel task " + tid.get() + " sleeps");
    }

    /** Whether /proc shows kernel task {@code tid} of this process asleep (state S or D). */
    private static boolean taskAsleep(int tid) {
        try {
            String s = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
            char state = s.substring(s.lastIndexOf(')') + 2).charAt(0);
            return state == 'S' || state == 'D';
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Returns once the pthread running on {@code thread} (kernel tid {@code tid}) sleeps in a
     * wait: on {@code native} the kernel shows its task asleep twice 1 ms apart, elsewhere its
     * virtual thread is parked twice 1 ms apart. Cheaper than {@link #awaitBlocked}, for loops
     * of many rounds.
     */
    static void awaitAsleep(Thread thread, int tid) {
        BooleanSupplier asleep = onNative() ? () -> taskAsleep(tid)
                : () -> thread.getState() == Thread.State.WAITING || thread.getState() == Thread.State.TIMED_WAITING;
        await(() -> {
            if (!asleep.getAsBoolean()) {
                return false;
            }
            pause(1);
            return asleep.getAsBoolean();
        }, "thread " + thread + " (tid " + tid + ") sleeps");
    }

    /** A semaphore that starts at {@code value}. */
    static sem_t semaphore(int value) {
        sem_t s = new sem_t();
        assertEquals(0, sem_init(s, 0, value));
        return s;
    }

    /** {@code sem_timedwait} with a deadline {@link #WAIT_SECONDS} away; fails the test when it passes. */
    static void awaitPost(sem_t s, String what) {
        int r = sem_timedwait(s, realtimeIn(TimeUnit.SECONDS.toMillis(WAIT_SECONDS)));
        if (r != 0) {
            fail("sem_timedwait for " + what + ": " + strerror(errno()));
        }
    }

    // ---- time ---------------------------------------------------------------------------

    static timespec now(int clock) {
        timespec ts = new timespec();
        assertEquals(0, clock_gettime(clock, ts));
        return ts;
    }

    static timespec plusMillis(timespec t, long millis) {
        long nanos = t.tv_nsec + TimeUnit.MILLISECONDS.toNanos(millis);
        return new timespec(t.tv_sec + Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    /** An absolute CLOCK_REALTIME time {@code millis} from now (negative: in the past). */
    static timespec realtimeIn(long millis) {
        return plusMillis(now(CLOCK_REALTIME), millis);
    }

    /** An absolute CLOCK_MONOTONIC time {@code millis} from now. */
    static timespec monotonicIn(long millis) {
        return plusMillis(now(CLOCK_MONOTONIC), millis);
    }

    static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    // ---- a lock held by another thread --------------------------------------------------

    /**
     * A pthread that takes a lock, reports the result, holds the lock until {@link #release}
     * and then unlocks it; its exit value is the unlock's result.
     */
    static final class Holder {
        final pthread_t thread;
        private final sem_t locked = semaphore(0);
        private final sem_t release = semaphore(0);
        private volatile int lockResult = Integer.MIN_VALUE;

        Holder(IntSupplier lock, IntSupplier unlock) {
            thread = start(arg -> {
                lockResult = lock.getAsInt();
                sem_post(locked);
                sem_wait(release);
                return unlock.getAsInt();
            });
            awaitPost(locked, "the holder took the lock");
        }

        int lockResult() {
            return lockResult;
        }

        /** Lets the holder unlock and end; returns the unlock's result. */
        int release() {
            assertEquals(0, sem_post(release));
            return (Integer) join(thread);
        }
    }

    static Holder hold(IntSupplier lock, IntSupplier unlock) {
        Holder h = new Holder(lock, unlock);
        assertEquals(0, h.lockResult(), "the holder's lock call");
        return h;
    }

    // ---- processes and files ------------------------------------------------------------

    /** 127.0.0.1 at {@code port} (0: a port the kernel picks), as C fills a {@code sockaddr_in}. */
    static sockaddr_in loopback(int port) {
        sockaddr_in a = new sockaddr_in();
        a.sin_family = (short) Posix.AF_INET;
        a.sin_port = Posix.htons(port);
        a.sin_addr = Posix.htonl(Posix.INADDR_LOOPBACK);
        return a;
    }

    /** The number of kernel tasks (threads) of this process. */
    static int kernelTasks() {
        return kernelTids().size();
    }

    /**
     * The number of kernel tasks other than the JVM's GC and JIT compiler workers, which the
     * JVM starts on demand (more GC workers as the heap grows) whatever the program does.
     */
    static int kernelTasksBesideGcAndJit() throws IOException {
        int n = 0;
        for (int tid : kernelTids()) {
            String comm;
            try {
                comm = Files.readString(Path.of("/proc/self/task", Integer.toString(tid), "comm"));
            } catch (java.nio.file.NoSuchFileException gone) {
                continue;
            }
            if (!(comm.startsWith("GC Thread#") || comm.startsWith("G1 ") || comm.startsWith("C1 CompilerThre")
                    || comm.startsWith("C2 CompilerThre"))) {
                n++;
            }
        }
        return n;
    }

    /** The tids of this process's kernel tasks, from /proc/self/task. */
    static java.util.Set<Integer> kernelTids() {
        String[] tasks = new java.io.File("/proc/self/task").list();
        assertEquals(false, tasks == null, "/proc/self/task is readable");
        java.util.Set<Integer> tids = new java.util.HashSet<>();
        for (String t : tasks) {
            tids.add(Integer.parseInt(t));
        }
        return tids;
    }

    /** read(2)'s system call number: 0 on x86_64, 63 on aarch64 (asm-generic). */
    private static final String SYS_READ = "aarch64".equals(System.getProperty("os.arch")) ? "63" : "0";

    /**
     * Whether some kernel task of this process is inside read(2) on {@code fd} now, as
     * /proc/self/task/TID/syscall shows it (the call's number, then its arguments in hex).
     */
    static boolean inRead(int fd) {
        String call = SYS_READ + " 0x" + Integer.toHexString(fd) + " ";
        for (int tid : kernelTids()) {
            try {
                if (Files.readString(Path.of("/proc/self/task", Integer.toString(tid), "syscall")).startsWith(call)) {
                    return true;
                }
            } catch (IOException gone) {
                // the task ended meanwhile
            }
        }
        return false;
    }

    /** How a child JVM ended: its exit status and everything it printed. */
    record Child(int status, String output) {}

        /**
     * Compiles {@code tests/src/test/c/<name>.c} with gcc and runs it: glibc's answers to
     * compare with. Aborts the test (skipped, saying why) where gcc is missing; fails if the
     * program does not compile, does not end within a minute or exits with another status
     * than 0.
     */
    static String glibcOutput(String name) throws IOException, InterruptedException {
        Path repo = Path.of(System.getProperty("pthread4j.repo", "..")).toAbsolutePath().normalize();
        Path source = repo.resolve("tests/src/test/c/" + name + ".c");
        Path binary = repo.resolve("tests/target/c/" + name + "-" + ProcessHandle.current().pid());
        Files.createDirectories(binary.getParent());
        Process cc;
        try {
            cc = new ProcessBuilder("gcc", "-O2", "-Wall", "-Wextra", "-Werror", "-pthread", "-o",
                    binary.toString(), source.toString()).redirectErrorStream(true).start();
        } catch (IOException noGcc) {
            return org.junit.jupiter.api.Assumptions.abort(
                    "gcc not found, so glibc's answers cannot be compared: " + noGcc.getMessage());
        }
        String diagnostics = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(cc.waitFor(60, TimeUnit.SECONDS), "gcc timed out");
        assertEquals(0, cc.exitValue(), "gcc " + name + ".c:\n" + diagnostics);
        Process p = new ProcessBuilder(binary.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), name + " (C) timed out");
        assertEquals(0, p.exitValue(), name + " (C) exit status; its output:\n" + out);
        Files.deleteIfExists(binary);
        return out;
    }

/**
     * Runs {@code main} in a child JVM on the backend and binding under test, so that a crash
     * there cannot end the test run. Its working directory is a fresh temporary directory,
     * kept (and named in the output) only if the child left a JVM crash report there. Fails
     * the test when the child has not ended within {@code seconds}.
     */
    static Child runChild(Class<?> main, long seconds, String... args) throws IOException, InterruptedException {
        List<String> command = childJvm(main, args);
        Path dir = Files.createTempDirectory("pthread4j-child");
        Path log = dir.resolve("output.log");
        Process p = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = p.waitFor(seconds, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor();
        }
        String output = Files.readString(log);
        Files.delete(log);
        try (java.util.stream.Stream<Path> left = Files.list(dir)) {
            if (left.findAny().isEmpty()) {
                Files.delete(dir);
            } else {
                output = "[the child left a crash report in " + dir + "]\n" + output;
            }
        }
        if (!ended) {
            fail(main.getSimpleName() + " did not end within " + seconds + " s:\n" + output);
        }
        return new Child(p.exitValue(), output);
    }

    /** Runs {@code body} with System.err captured; returns what was printed. */
    static String captureStderr(Runnable body) {
        PrintStream saved = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        System.setErr(capture);
        try {
            body.run();
        } finally {
            System.setErr(saved);
            capture.flush();
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Runs {@code body} with System.out captured; returns what was printed. */
    static synchronized String captureStdout(Runnable body) {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        try {
            body.run();
        } finally {
            System.setOut(saved);
            capture.flush();
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * The command that runs {@code main} in a child JVM on this JVM's backend and binding,
     * with the JVM flags and class path of this one.
     */
    static List<String> childJvm(Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "-XX:-CreateCoredumpOnCrash",
                "-Dpthread4j.backend=" + BACKEND,
                "-Dpthread4j.binding=" + System.getProperty("pthread4j.binding", "ffm"),
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                main.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
