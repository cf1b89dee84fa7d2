package org.pthread4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * Every example on the backend of this JVM ({@code -Dpthread4j.backend}; the build runs this
 * class once per backend). Each test runs one example's {@code main} once, in this JVM,
 * captures what it prints, and checks the program's invariant in that output (exact sums, no
 * lost items, the deadlock reported, ...), not just that it returned. Where the output is
 * deterministic, the test also compiles the C original with gcc, runs it, and checks that
 * both print the same thing (after sorting lines whose order depends on the scheduler, or
 * dropping lines that report timings).
 *
 * <p>Each example runs once per JVM, as a C program runs once per process: the ports keep
 * their state in static fields, as the C programs keep it in globals.
 */
// A hang: gcc and the programs run at the machine's pace (on a loaded machine one test with its
// C original took 29 s), so the bound is generous.
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = ThreadMode.SEPARATE_THREAD)
class ExamplesTest {

    static final String BACKEND = System.getProperty("pthread4j.backend", "native");
    static final Path REPO = Path.of(System.getProperty("pthread4j.repo", "..")).toAbsolutePath().normalize();
    static final Path C_BUILD = Path.of(System.getProperty("pthread4j.c.build", "target/c")).toAbsolutePath();

    @BeforeAll
    static void cLocale() {
        Locale.setDefault(Locale.ROOT); // what Run does: C programs print in the "C" locale
    }

    // ---- running the Java port and the C original ----------------------------------------

    /**
     * Runs an example's main in this JVM and returns what it printed on System.out, which
     * also goes on to the real stdout (surefire's output file), so that a run that ends the
     * JVM through System.exit still leaves its output behind.
     */
    static synchronized String java(Consumer<String[]> main, String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        OutputStream tee = new OutputStream() {
            @Override
            public synchronized void write(int b) {
                captured.write(b);
                saved.write(b);
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) {
                captured.write(b, off, len);
                saved.write(b, off, len);
            }
        };
        System.setOut(new PrintStream(tee, true, StandardCharsets.UTF_8));
        try {
            main.accept(args);
        } finally {
            System.out.flush();
            System.setOut(saved);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    static boolean gccAvailable() {
        try {
            Process p = new ProcessBuilder("gcc", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static final boolean GCC = gccAvailable();

    /**
     * Compiles {@code examples/<name>/<name>.c} (once per build) and runs it; returns its
     * stdout, or null where gcc is missing. The C program must exit with status 0.
     */
    static String c(String name, String... args) throws Exception {
        Path binary = compiled(name);
        if (binary == null) {
            return null;
        }
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), name + " (C) timed out");
        assertEquals(0, p.exitValue(), name + " (C) exit status; its output:\n" + out);
        return out;
    }

    /** Compiles {@code examples/<name>/<name>.c} (once per build); null where gcc is missing. */
    static Path compiled(String name) throws Exception {
        if (!GCC) {
            System.err.println("gcc not found: not comparing " + name + " with its C original");
            return null;
        }
        Path source = REPO.resolve("examples").resolve(name).resolve(name + ".c");
        Path binary = C_BUILD.resolve(name);
        Files.createDirectories(C_BUILD);
        if (!Files.exists(binary) || Files.getLastModifiedTime(binary).compareTo(Files.getLastModifiedTime(source)) < 0) {
            Process cc = new ProcessBuilder("gcc", "-O2", "-Wall", "-Wextra", "-Werror", "-pthread",
                    "-o", binary.toString(), source.toString()).redirectErrorStream(true).start();
            String diagnostics = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(cc.waitFor(60, TimeUnit.SECONDS), "gcc timed out on " + source);
            assertEquals(0, cc.exitValue(), "gcc " + source + ":\n" + diagnostics);
        }
        return binary;
    }

    // ---- comparing outputs ---------------------------------------------------------------

    static List<String> lines(String out) {
        return out.lines().collect(Collectors.toList());
    }

    static String sorted(String out) {
        return out.lines().sorted().collect(Collectors.joining("\n"));
    }

    static String keep(String out, Predicate<String> which) {
        return out.lines().filter(which).collect(Collectors.joining("\n"));
    }

    /** Checks that C and Java print the same, once both are normalized the same way. */
    static void sameAsC(String java, String c, java.util.function.Function<String, String> normalize) {
        if (c != null) {
            assertEquals(normalize.apply(c), normalize.apply(java), "the Java port printed something else than the C original");
        }
    }

    static void contains(String out, String line) {
        assertTrue(lines(out).contains(line), "expected the line\n  " + line + "\nin\n" + out);
    }

    static long count(String out, String regex) {
        Pattern p = Pattern.compile(regex);
        return out.lines().filter(l -> p.matcher(l).matches()).count();
    }

    static Matcher find(String out, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(out);
        assertTrue(m.find(), "expected a line matching\n  " + regex + "\nin\n" + out);
        return m;
    }

    // ---- the examples --------------------------------------------------------------------

    /** Run lists all sixteen examples, and each has its C original beside it. */
    @Test
    void runListsEveryExampleWithItsCOriginal() {
        String out = java(Run::main);
        assertTrue(Run.EXAMPLES.size() >= 16, "examples: " + Run.EXAMPLES.size());
        for (Run.Example e : Run.EXAMPLES) {
            find(out, "^  " + Pattern.quote(e.name()) + " +\\S.*$");
            File source = REPO.resolve("examples").resolve(e.name()).resolve(e.name() + ".c").toFile();
            assertTrue(source.isFile(), "missing " + source);
        }
    }

    /** hello: each of the 8 threads prints its own argument once; main joins all 8. */
    @Test
    void hello() throws Exception {
        String out = java(Hello::main);
        for (int i = 0; i < 8; i++) {
            assertEquals(1, count(out, "thread " + i + " of 8: .*"), out);
        }
        contains(out, "main: 8 threads said hello and were joined");
        sameAsC(out, c("hello"), ExamplesTest::sorted);
    }

    /** join-sum: the partial sums returned by return and by pthread_exit add up to n(n+1)/2. */
    @Test
    void joinSum() throws Exception {
        String out = java(JoinSum::main);
        contains(out, "sum = 500000500000 (expected 500000500000): ok");
        contains(out, "thread 1: sum of 250001..500000 = 93750125000");    // an odd thread: pthread_exit
        sameAsC(out, c("join-sum"), s -> s);
    }

    /** detached: all 8 detached workers report before main, which joins none of them, goes on. */
    @Test
    void detached() throws Exception {
        String out = java(Detached::main);
        assertEquals(8, count(out, "worker [0-7] \\((detached itself|created detached)\\) finished"), out);
        contains(out, "main: 8 of 8 detached workers finished, none joined");
        assertTrue(lines(out).getLast().startsWith("main: 8 of 8"), "main reports last:\n" + out);
        sameAsC(out, c("detached"), ExamplesTest::sorted);
    }

    /** dotprod: the mutex-protected global sum equals the sequential dot product. */
    @Test
    void dotprod() throws Exception {
        String out = java(DotProd::main);
        contains(out, "dot product = 8999997.0 (sequential: 8999997.0): ok");
        assertEquals(4, count(out, "thread [0-3]: elements .*"), out);
        sameAsC(out, c("dotprod"), ExamplesTest::sorted);
    }

    /** watch-count: the watcher wakes only at count >= 12, and no increment is lost. */
    @Test
    void watchCount() throws Exception {
        String out = java(WatchCount::main);
        Matcher woke = find(out, "^watch: count = (\\d+) >= 12, adding 125$");
        assertTrue(Integer.parseInt(woke.group(1)) >= 12, out);
        assertEquals(20, count(out, "inc [12]: count = \\d+"), out);
        contains(out, "final count = 145 (expected 145): ok");
        sameAsC(out, c("watch-count"), s -> keep(s, l -> l.startsWith("final")));
    }

    /** bounded-buffer: every produced item is consumed exactly once; the sum matches. */
    @Test
    void boundedBuffer() throws Exception {
        String out = java(BoundedBuffer::main);
        contains(out, "produced 15000 items, consumed 15000 (expected 15000)");
        contains(out, "sum of consumed items = 112507500 (expected 112507500)");
        contains(out, "every item consumed exactly once: yes");
        sameAsC(out, c("bounded-buffer"), s -> keep(s, l -> !l.startsWith("consumer ")));
    }

    /** philosophers: ordered locking eats every meal; the naive order deadlocks, and all five report it. */
    @Test
    void philosophers() throws Exception {
        String out = java(Philosophers::main);
        contains(out, "ordered: 10000 meals eaten, 0 of 5 philosophers deadlocked");
        contains(out, "ordered: all 10000 meals eaten, no deadlock: yes");
        for (int i = 0; i < 5; i++) {
            contains(out, "philosopher " + i + ": holds fork " + i + ", fork " + (i + 1) % 5
                    + " still taken after 200 ms: deadlock");
        }
        contains(out, "naive: 0 meals eaten, 5 of 5 philosophers deadlocked");
        contains(out, "naive: circular wait detected by timedlock and reported, no hang: yes");
        sameAsC(out, c("philosophers"), ExamplesTest::sorted);
    }

    /** readers-writers: no reader sees a half-done write; every write lands. */
    @Test
    void readersWriters() throws Exception {
        String out = java(ReadersWriters::main);
        contains(out, "readers: 20000 reads, torn reads seen: 0 (expected 0)");
        contains(out, "writers: 1000 writes, every slot = 1000 (expected 1000): ok");
        Matcher most = find(out, "^\\(this run: at most (\\d+) readers held the lock at once\\)$");
        int m = Integer.parseInt(most.group(1));
        assertTrue(m >= 1 && m <= 4, out);
        sameAsC(out, c("readers-writers"), s -> keep(s, l -> !l.startsWith("(this run")));
    }

    /** life: the barrier-separated parallel generations equal the sequential computation, and C's. */
    @Test
    void life() throws Exception {
        String out = java(Life::main);
        contains(out, "generation 100: 130 alive");
        contains(out, "parallel result equals the sequential one: yes");
        sameAsC(out, c("life"), s -> s);
    }

    /** thread-pool: the workers run every task once, and the prime count is the sequential one. */
    @Test
    void threadPool() throws Exception {
        String out = java(ThreadPool::main);
        long tasks = 0;
        Matcher m = Pattern.compile("^worker [0-3] ran (\\d+) tasks$", Pattern.MULTILINE).matcher(out);
        while (m.find()) {
            tasks += Long.parseLong(m.group(1));
        }
        assertEquals(40, tasks, out);
        contains(out, "4 workers ran 40 of 40 tasks");
        contains(out, "primes below 200000: 17984 (sequential count: 17984): ok");
        sameAsC(out, c("thread-pool"), s -> keep(s, l -> !l.startsWith("worker ")));
    }

    /**
     * tls: pthread keys give each thread its own value and run its destructor, on every
     * backend; the C __thread counter is per kernel thread: own increments only on native,
     * shared by all pthreads on green's one carrier (the threads start counting together, so
     * on one carrier the others' increments land between a thread's own). On M:N a pthread
     * that moves to a carrier whose counter is behind sees it move less, even backwards.
     */
    @Test
    void tls() throws Exception {
        String out = java(Tls::main);
        assertEquals(4, count(out, "thread [0-3]: key value used 5 times \\(expected 5\\); .*"), out);
        assertEquals(4, count(out, "destructor: thread [0-3]'s log freed after 5 uses"), out);
        Pattern moved = Pattern.compile("__thread counter moved by (-?\\d+) \\(own increments 5\\)");
        List<Long> moves = out.lines().map(moved::matcher).filter(Matcher::find)
                .map(x -> Long.parseLong(x.group(1))).toList();
        assertEquals(4, moves.size(), out);
        switch (BACKEND) {
            case "native" -> {
                assertEquals(List.of(5L, 5L, 5L, 5L), moves, out);
                contains(out, "4 threads ended on 4 kernel threads");
                sameAsC(out, c("tls"), ExamplesTest::sorted);
            }
            case "green" -> {
                assertTrue(moves.stream().anyMatch(x -> x > 5), "the pthreads share one counter:\n" + out);
                contains(out, "4 threads ended on 1 kernel thread");
            }
            default -> find(out, "^4 threads ended on [1-4] kernel threads?$");
        }
    }

    /**
     * race: the mutex and the atomic counts are exact on every backend; the unsynchronized and
     * the atomic load+store counts never exceed the expected one, and on green (one carrier,
     * no preemption) they lose nothing.
     */
    @Test
    void race() throws Exception {
        String out = java(Race::main, "2000000");
        Matcher unsync = find(out, "^unsynchronized: counter = (\\d+) \\(expected 4000000\\): (\\d+) updates lost .*$");
        long counter = Long.parseLong(unsync.group(1));
        long lost = Long.parseLong(unsync.group(2));
        assertTrue(counter <= 4000000 && counter > 0 && lost == 4000000 - counter, out);
        Matcher loadStore = find(out, "^load\\+store: +counter = (\\d+) \\(expected 4000000\\): (\\d+) updates lost .*$");
        long loadStoreCounter = Long.parseLong(loadStore.group(1));
        long loadStoreLost = Long.parseLong(loadStore.group(2));
        assertTrue(loadStoreCounter <= 4000000 && loadStoreCounter > 0 && loadStoreLost == 4000000 - loadStoreCounter, out);
        find(out, "^mutex: +counter = 400000 \\(expected 400000\\): ok .*$");
        find(out, "^atomic: +counter = 400000 \\(expected 400000\\): ok .*$");
        if (BACKEND.equals("green")) {
            assertEquals(0, lost, out);
            assertEquals(0, loadStoreLost, out);
            find(out, "^  no update lost this run: .*$");
        }
        if (BACKEND.equals("native")) { // the C original does not depend on the backend: check it once
            String c = c("race", "2000000");
            if (c != null) {
                find(c, "^mutex: +counter = 400000 \\(expected 400000\\): ok .*$");
                find(c, "^atomic: +counter = 400000 \\(expected 400000\\): ok .*$");
            }
        }
    }

    /** sem-rendezvous: the rendezvous, the semaphore barrier and the multiplex hold, as in C. */
    @Test
    void semRendezvous() throws Exception {
        String out = java(SemRendezvous::main);
        contains(out, "rendezvous: a1 and b1 both came before a2 and b2: yes");
        contains(out, "barrier: 4 threads, 200 rounds, no thread ran ahead or fell behind: yes");
        contains(out, "multiplex: 6 guests, room for 2, never more than 2 inside: yes");
        contains(out, "semaphore values at the end: a_arrived=0 b_arrived=0 mutex=1 turnstile1=0 turnstile2=0 room=2");
        sameAsC(out, c("sem-rendezvous"), s -> s);
    }

    /** cancel: cleanup handlers run innermost first, the mutex comes back, a disabled cancel waits for testcancel. */
    @Test
    void cancel() throws Exception {
        String out = java(Cancel::main);
        List<String> l = lines(out);
        assertTrue(l.indexOf("  cleanup: unlocking the mutex the waiter held")
                < l.indexOf("  cleanup: freeing the waiter's buffer"), out);
        contains(out, "main: waiter joined, exit value is PTHREAD_CANCELED: yes");
        contains(out, "main: the mutex is free again: yes");
        contains(out, "stubborn: finished all 5 steps of its critical section");
        contains(out, "  cleanup: the stubborn worker was cancelled at pthread_testcancel");
        contains(out, "main: stubborn worker joined, exit value is PTHREAD_CANCELED: yes");
        assertTrue(!out.contains("never printed"), out);
        sameAsC(out, c("cancel"), s -> s);
    }

    /**
     * sigwait: the signal thread takes every SIGUSR1 (pthread_kill) and SIGINT (kill to the
     * process, blocked in every thread) in turn, and none stays pending.
     */
    @Test
    void sigwait() throws Exception {
        String out = java(Sigwait::main);
        contains(out, "signal thread: got SIGUSR1 (5), sent to this thread with pthread_kill");
        contains(out, "signal thread: got SIGINT (5 of 5), sent to the process with kill");
        contains(out, "main: every signal taken by the signal thread, none left pending: yes");
        sameAsC(out, c("sigwait"), s -> s);
    }

    /**
     * blocking: while one pthread is blocked in read(), the others freeze completely on green
     * (M:1): no tick while the reader is in read(); on native (1:1), in C as in Java, and on
     * virtual (M:N, given a second carrier) every counter ticks meanwhile. Rates are not
     * compared: they depend on what else the machine runs.
     */
    @Test
    void blocking() throws Exception {
        String out = java(Blocking::main);
        if (BACKEND.equals("native")) { // C's threads are kernel threads: it behaves as native does
            String c = c("blocking");
            if (c != null) {
                assertEveryCounterTickedDuringTheRead(c);
            }
        }
        Matcher blocked = find(out, "^reader: read\\(\\) blocked for (\\d+) ms$");
        assertTrue(Long.parseLong(blocked.group(1)) >= 900, out);
        int parallelism = Integer.getInteger("jdk.virtualThreadScheduler.parallelism",
                Runtime.getRuntime().availableProcessors());
        switch (BACKEND) {
            case "green" -> {
                assertEquals(3, count(out, "counter [0-2]: [1-9]\\d* ticks in 300 ms before; 0 ticks in 1000 ms .*"), out);
                contains(out, "  every thread froze: the blocked thread held the only kernel thread they run on (M:1)");
            }
            case "native" -> assertEveryCounterTickedDuringTheRead(out);
            default -> {
                if (parallelism >= 2) {
                    assertEveryCounterTickedDuringTheRead(out);
                }
            }
        }
    }

    /** Each of blocking's three counters ticked at least once while the reader was in read(). */
    static void assertEveryCounterTickedDuringTheRead(String out) {
        Pattern during = Pattern.compile("^counter [0-2]: \\d+ ticks in 300 ms before; (\\d+) ticks in 1000 ms while the reader was blocked: .*$");
        List<Long> ticks = out.lines().map(during::matcher).filter(Matcher::matches)
                .map(x -> Long.parseLong(x.group(1))).toList();
        assertEquals(3, ticks.size(), out);
        assertTrue(ticks.stream().allMatch(t -> t > 0), "a counter stood still while the reader was blocked:\n" + out);
    }

    /**
     * spin: behind as many busy-waiting spinners as cores, the setter runs on native (the kernel
     * time-slices) and on gmp (sysmon takes a spinner's processor), and never runs on green (one
     * carrier) or on virtual (the spinners keep every carrier); the spinners end in every case.
     */
    @Test
    void spin() throws Exception {
        int cpus = Runtime.getRuntime().availableProcessors();
        int parallelism = Integer.getInteger("jdk.virtualThreadScheduler.parallelism", cpus);
        boolean hangs = switch (BACKEND) {
            case "green" -> true;
            case "virtual" -> parallelism <= cpus;
            default -> false;
        };
        // Where the setter runs, main waits long enough for a loaded machine to let it.
        String[] args = {Integer.toString(cpus), hangs ? "1000" : "60000"};
        String out = java(Spin::main, args);
        contains(out, "every spinner saw the flag and ended: yes");
        if (hangs) {
            contains(out, "setter: had not run 1000 ms after it was created; main sets the flag");
            contains(out, "  the setter never ran: the spinners held every kernel thread the threads run on, and nothing");
        } else {
            find(out, "^setter: ran \\d+ ms after it was created$");
            if (!BACKEND.equals("virtual")) {
                contains(out, "  the busy threads did not keep the setter from running: the kernel time-slices kernel threads");
            }
        }
        if (BACKEND.equals("native")) { // C's threads are kernel threads: it behaves as native does
            sameAsC(out, c("spin", args), o -> keep(o, l -> !l.startsWith("setter: ")));
        }
    }

    /**
     * aba: the staged interleaving corrupts the plain stack, and neither the tagged nor the
     * fresh one, on every backend; the threads never corrupt the tagged or the fresh stack.
     * (Whether they hit ABA on the plain one is chance, and not asserted.)
     */
    @Test
    void aba() throws Exception {
        String out = java(Aba::main, "20000");
        int tagged = out.indexOf("\ntagged: ");
        int fresh = out.indexOf("\nfresh: ");
        assertTrue(0 < tagged && tagged < fresh, out);
        String plainRun = out.substring(0, tagged);
        contains(plainRun, "  staged: main pops A, pops B, pushes A; stack: A C");
        contains(plainRun, "  staged: T1 resumes and pops A; stack: B C");
        contains(plainRun, "  staged: CORRUPTED: the stack holds B, which main has popped (ABA)");
        find(plainRun, "^  threads: \\d+ pops got a node another thread held; .*$");
        for (String fixed : List.of(out.substring(tagged, fresh), out.substring(fresh))) {
            contains(fixed, "  staged: correct: no node in the stack is held by a thread");
            contains(fixed, "  threads: 0 pops got a node another thread held; stack at the end: 8 nodes of 8: ok");
        }
        contains(out, "  staged: T1 resumes and pops D; stack: C");
        sameAsC(out, c("aba", "20000"), s -> keep(s, l -> !l.startsWith("  threads:") && !l.startsWith("  no ABA")
                && !l.startsWith("  more rounds")));
    }

    /**
     * robust-mutex: on native the child JVM is killed holding the robust mutex and the parent
     * gets EOWNERDEAD, repairs the data and makes the mutex consistent, printing what C prints;
     * on the other backends PTHREAD_PROCESS_SHARED is ENOTSUP, and the program says so.
     */
    @Test
    void robustMutex() throws Exception {
        String out = java(RobustMutex::main);
        if (!BACKEND.equals("native")) {
            contains(out, "process-shared mutexes need kernel threads: pthread_mutexattr_setpshared: Operation not supported");
            return;
        }
        contains(out, "child: holds the lock, took 100 out of a, is killed before crediting b");
        contains(out, "parent: pthread_mutex_lock = EOWNERDEAD");
        contains(out, "parent: a + b = 900 (expected 1000): the transfer is half done");
        contains(out, "parent: next pthread_mutex_lock = 0, a + b = 1000 (expected 1000): ok");
        sameAsC(out, c("robust-mutex"), s -> s);
    }

    static final int ECHO_CONNECTIONS = 1000;
    static final int ECHO_PAYLOAD = 2000;

    /**
     * echo-server: 1,000 loopback connections each get their distinct payload back byte for
     * byte, and the server counts every one and every byte. While all are held open, native
     * (and C) serves all of them at once, and so does gmp (its netpoller parks each blocked
     * recv() and keeps the kernel thread); virtual serves as many as it has carriers (a blocked
     * recv() pins one), green one (it holds the only carrier). Closed one by one as their echoes
     * come back, all are served on every model.
     */
    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS, threadMode = ThreadMode.SEPARATE_THREAD)
    void echoServer() throws Exception {
        int parallelism = Integer.getInteger("jdk.virtualThreadScheduler.parallelism",
                Runtime.getRuntime().availableProcessors());
        int held = switch (BACKEND) {
            case "green" -> 1;
            case "virtual" -> Math.min(parallelism, ECHO_CONNECTIONS);
            default -> ECHO_CONNECTIONS;
        };
        String out = echoStep(ServerProcess.javaCommand("echo-server"), "java", held);
        if (BACKEND.equals("native")) { // C's threads are kernel threads: it behaves as native does
            Path c = compiled("echo-server");
            if (c != null) {
                sameAsC(out, echoStep(List.of(c.toString()), "c", ECHO_CONNECTIONS),
                        o -> o.replaceFirst(":\\d+\n", ":PORT\n"));
            }
        }
    }

    /**
     * Starts an echo server, checks the 1,000-connection step against it (held: how many
     * connections it serves at once), stops it, and returns what it printed.
     */
    static String echoStep(List<String> server, String label, int held) throws Exception {
        Files.createDirectories(C_BUILD);
        Path out = C_BUILD.resolve("echo-server-" + label + "-" + BACKEND + ".out");
        try (ServerProcess s = ServerProcess.start(server, out, 30_000);
                EchoClient client = EchoClient.connect(s.port, ECHO_CONNECTIONS, ECHO_PAYLOAD)) {
            assertEquals(held, client.awaitHeld(held, 30_000, 500),
                    "connections echoed while all " + ECHO_CONNECTIONS + " were held open");
            client.drain(30_000);
            String printed = s.stop(30_000);
            find(printed, "^RLIMIT_NOFILE: soft \\S+ -> (\\S+), hard \\1$");
            contains(printed, "stopped: " + ECHO_CONNECTIONS + " connections accepted, 0 refused, 0 still open, "
                    + client.bytesSent() + " bytes echoed");
            return printed;
        }
    }
}
