package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pthread4j.Pthreads.*;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.pthread4j.*;
import org.pthread4j.gmp.GmpThreadModel;
import org.pthread4j.gmp.Sched;

/** What makes the gmp model what it is: hand-off around system calls, stealing, preemption. */
@EnabledIfSystemProperty(named = "pthread4j.backend", matches = "gmp",
        disabledReason = "on gmp only: these are properties of its G/M/P scheduler")
@Timeout(value = 300, unit = TimeUnit.SECONDS) // a hang: each probe starts a JVM, at the machine's pace
class GmpTest {

    static Sched sched() throws Exception {
        pthread_stack_min(); // a call that needs the model loads the backend, and with it the scheduler
        return GmpThreadModel.instance();
    }

    static Map<String, Long> probe(int gomaxprocs, String handoff) throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-Dpthread4j.backend=gmp", "-Dpthread4j.gomaxprocs=" + gomaxprocs, "-Dpthread4j.gmp.handoff=" + handoff,
                "-cp", System.getProperty("java.class.path"), GmpProbe.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Map<String, Long> out = new HashMap<>();
        StringBuilder all = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            for (String line; (line = r.readLine()) != null; ) {
                all.append(line).append('\n');
                String[] f = line.split(" ");
                if (f.length == 2 && f[1].matches("-?[0-9]+")) {
                    out.put(f[0], Long.parseLong(f[1]));
                }
            }
        }
        assertTrue(p.waitFor(TestSupport.CHILD_SECONDS, TimeUnit.SECONDS), "probe did not end");
        assertEquals(0, p.exitValue(), all.toString());
        return out;
    }

    /**
     * With GOMAXPROCS=1, a pthread blocked in read() on an empty pipe does not stop the
     * others: a counting pthread moves while the reader is in read(2), because the reader's
     * P was handed to another M (where green freezes completely).
     */
    @Test
    void blockingReadHandsThePOff() throws Exception {
        for (String mode : new String[] {"lazy", "eager"}) {
            Map<String, Long> r = probe(1, mode);
            assertTrue(r.get("blocked.progress") > 0, mode + ": " + r);
            assertTrue(r.get("handoffs") > 0, mode + ": " + r);
        }
    }

    /**
     * A pthread that overruns its time slice loses its P: on one P, a pthread queued behind it
     * runs while it still spins. Calling in, it yields at its next facade call; on a loaded
     * machine the kernel may keep it off the CPU past the retake's grace first, and sysmon then
     * retakes its P instead: either mechanism counts, and one of them must have acted.
     */
    @Test
    void spinnerCallingInIsPreempted() throws Exception {
        Map<String, Long> r = probe(1, "lazy");
        assertTrue(r.get("preemptions") + r.get("sliceRetakes") > 0, r.toString());
        assertEquals(1L, r.get("preempted.ranWhileSpinning"), r.toString());
    }

    /**
     * N pthreads that busy-wait on a flag (C's {@code while (!flag);}, never calling in) do not
     * keep a pthread created after them from running and setting it, for N = 1..16, and it is
     * sysmon's retake that frees a processor. gmp only: on green and virtual this program hangs
     * by design (nothing preempts a virtual thread), and native's kernel preemption is not a
     * mechanism of the scheduler under test.
     */
    @Test
    void spinnersNeverCallingInLoseTheirProcessor() throws Exception {
        Sched s = sched();
        long before = s.sliceRetakes();
        for (int n = 1; n <= 16; n++) {
            spinUntilReleased(n);
        }
        assertTrue(s.sliceRetakes() > before, "no processor was retaken from a spinner");
    }

    /**
     * Starts n pthreads spinning on a volatile flag, then one that sets it, and joins them all
     * within bounded waits. The flag is set in any case, so that no spinner outlives the test.
     */
    static void spinUntilReleased(int n) {
        AtomicInteger flag = new AtomicInteger();
        pthread_t[] spinners = new pthread_t[n];
        try {
            for (int i = 0; i < n; i++) {
                spinners[i] = new pthread_t();
                assertEquals(0, pthread_create(spinners[i], null, arg -> {
                    while (flag.get() == 0) {
                        // busy-wait: no facade call, no park
                    }
                    return null;
                }, null));
            }
            pthread_t setter = new pthread_t();
            assertEquals(0, pthread_create(setter, null, arg -> {
                flag.set(1);
                return null;
            }, null));
            assertEquals(0, TestSupport.joinWithin(setter, null, 10), n + " spinners: the setter");
            for (pthread_t t : spinners) {
                assertEquals(0, TestSupport.joinWithin(t, null, 10), n + " spinners: a spinner");
            }
        } finally {
            flag.set(1);
        }
    }

    /**
     * With GOMAXPROCS=1, a pthread that spins without calling in loses its P (a retake), so
     * the pthread it put in its P's runnext runs while it still spins.
     */
    @Test
    void spinnerNeverCallingInLosesItsP() throws Exception {
        Map<String, Long> r = probe(1, "lazy");
        assertTrue(r.get("sliceRetakes") > 0, r.toString());
        assertEquals(1L, r.get("retaken.ranWhileSpinning"), r.toString());
    }

    /**
     * A pthread created into the runnext of a pthread that then spins without calling in (its
     * creation woke no M: the creator's M would run it next) runs while the creator still
     * spins, because sysmon moves it to the local queue and wakes an M to steal it. With one
     * P there is nobody to steal it: only the creator's retake frees it (the test above). Sysmon
     * unstrands only while a P idles; if the other P is busy at each of its looks (on a loaded
     * machine, with the end of an earlier test's pthreads), the retake of the creator's P frees
     * the child first: the counters tell which happened, and one of the two must have.
     */
    @Test
    void runnextOfASpinnerIsStolen() throws Exception {
        Sched s = sched();
        long before = s.unstranded();
        long retakesBefore = s.sliceRetakes();
        AtomicInteger flag = new AtomicInteger();
        AtomicInteger ranWhileSpinning = new AtomicInteger();
        pthread_t creator = new pthread_t();
        assertEquals(0, pthread_create(creator, null, arg -> {
            pthread_t child = new pthread_t();
            pthread_create(child, null, a -> {
                flag.set(1);
                return null;
            }, null);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(TestSupport.WAIT_SECONDS);
            while (flag.get() == 0 && System.nanoTime() - end < 0) {
                Thread.onSpinWait(); // no facade call, no park
            }
            ranWhileSpinning.set(flag.get());
            pthread_join(child, null);
            return null;
        }, null));
        assertEquals(0, TestSupport.joinWithin(creator, null, 60));
        assertEquals(1, ranWhileSpinning.get(), "the child ran while its creator spun");
        if (s.gomaxprocs() > 1) {
            assertTrue(s.unstranded() > before || s.sliceRetakes() > retakesBefore,
                    "neither sysmon's unstranding nor a retake freed the child in runnext");
        }
    }

    /**
     * A burst of pthreads created by one pthread (on one P's local queue, which it does not
     * overflow) spreads over every P by stealing: each pthread of the burst spins until as
     * many of them have run at once as there are Ps. Stealing does it at once, when an idle M
     * gets a CPU; on a loaded machine the kernel may keep every idle M off the CPU for longer
     * than a time slice, and then sysmon's retake hands the creator's P to another M first. The
     * counters tell which happened, and one of the two must have.
     */
    @Test
    void workStealingSpreadsABurst() throws Exception {
        Sched s = sched();
        long[][] before = s.counters();
        long retakesBefore = s.sliceRetakes();
        int n = 200; // fewer than a local queue holds (256): nothing goes to the global queue
        AtomicInteger ran = new AtomicInteger();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        pthread_t creator = new pthread_t();
        assertEquals(0, pthread_create(creator, null, arg -> {
            pthread_t[] t = new pthread_t[n];
            for (int i = 0; i < t.length; i++) {
                t[i] = new pthread_t();
                pthread_create(t[i], null, a -> {
                    mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(TestSupport.WAIT_SECONDS);
                    while (mostAtOnce.get() < s.gomaxprocs() && System.nanoTime() - end < 0) {
                        Thread.onSpinWait(); // no facade call: only a retake, after a slice, takes its P
                    }
                    running.decrementAndGet();
                    ran.incrementAndGet();
                    return null;
                }, null);
            }
            for (pthread_t x : t) {
                pthread_join(x, null);
            }
            return null;
        }, null));
        assertEquals(0, TestSupport.joinWithin(creator, null, 60));
        assertEquals(n, ran.get());
        assertEquals(s.gomaxprocs(), mostAtOnce.get(), "pthreads of the burst that ran at once");
        long[][] after = s.counters();
        long steals = 0;
        int pUsed = 0;
        for (int i = 0; i < s.gomaxprocs(); i++) {
            steals += after[i][1] - before[i][1];
            if (after[i][0] > before[i][0]) {
                pUsed++;
            }
        }
        if (s.gomaxprocs() > 1) {
            long retakes = s.sliceRetakes() - retakesBefore;
            assertTrue(steals > 0 || retakes > 0, "the burst spread, but neither a steal nor a retake was counted");
            assertEquals(s.gomaxprocs(), pUsed, "Ps that ran Gs");
        }
    }

    /**
     * 1,000,000 live pthreads, each blocked in sem_wait on one semaphore, are carried by a
     * handful of Ms, not one each, and all end once the semaphore is posted a million times.
     * The M count is the JVM's (earlier tests leave the Ms their system calls needed), so the
     * bound is relative to it: the Ms that existed or GOMAXPROCS, plus GOMAXPROCS more. The
     * slack is Go's: {@code startm} starts a new M when none is on the idle list, which can
     * happen while an M that just gave its P up has not yet joined that list (a few per
     * million here; never one per pthread). Each slice retake may start one M more: a pthread
     * whose kernel thread the kernel keeps off the CPU past its time slice (a loaded machine)
     * loses its P like a busy one.
     */
    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS) // a hang; the pace of a million pthreads is the machine's
    void aMillionLivePthreads() throws Exception {
        int n = 1_000_000;
        int msBefore = sched().mcount();
        long retakesBefore = sched().sliceRetakes();
        sem_t go = new sem_t();
        assertEquals(0, sem_init(go, 0, 0));
        AtomicInteger started = new AtomicInteger();
        AtomicInteger ended = new AtomicInteger();
        pthread_attr_t detached = new pthread_attr_t();
        assertEquals(0, pthread_attr_init(detached));
        assertEquals(0, pthread_attr_setdetachstate(detached, PTHREAD_CREATE_DETACHED));
        StartRoutine wait = arg -> {
            started.incrementAndGet();
            sem_wait(go);
            ended.incrementAndGet();
            return null;
        };
        for (int i = 0; i < n; i++) {
            assertEquals(0, pthread_create(new pthread_t(), detached, wait, null));
        }
        ThreadModelTest.awaitCount(started, n);
        int msAfter = sched().mcount();
        int bound = Math.max(msBefore, sched().gomaxprocs()) + sched().gomaxprocs()
                + (int) (sched().sliceRetakes() - retakesBefore);
        assertTrue(msAfter <= bound, "Ms before " + msBefore + ", after " + msAfter + ", bound " + bound);
        for (int i = 0; i < n; i++) {
            assertEquals(0, sem_post(go));
        }
        ThreadModelTest.awaitCount(ended, n);
    }
}
