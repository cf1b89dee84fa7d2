package org.pthread4j.lab;

import static org.pthread4j.Pthreads.*;
import static org.pthread4j.lab.LabProbe.*;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.pthread4j.bench.Interleaved;
import org.pthread4j.posix.Posix;
import org.pthread4j.pthread_attr_t;
import org.pthread4j.pthread_key_t;
import org.pthread4j.pthread_t;

/**
 * The lab's preemption: how long a pthread queued behind busy ones waits, and the verdict on
 * who can take a processor from a pthread that computes (see {@link #run}).
 */
final class Preemption {

    /** How long a pthread queued behind busy ones is given to run before the lab stops them. */
    static final long SPIN_LIMIT_MILLIS = 250;

    private Preemption() {}

    /** One pthread queued behind {@code cores} busy ones: what happened. */
    record Queued(boolean ranWhileBusy, double waitMillis, boolean allStarted, boolean ownThread, boolean heldAll,
            long preemptions, long retakes, int tid) {}

    /**
     * Starts {@code cores} pthreads that compute until told to stop (calling into the facade
     * as they go, or never), then one more, and gives it {@link #SPIN_LIMIT_MILLIS} to run
     * while they all still compute.
     */
    static Queued behindSpinners(boolean callsIn) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        pthread_key_t key = new pthread_key_t();
        check(pthread_key_create(key, null), "pthread_key_create");
        AtomicInteger stop = new AtomicInteger();
        AtomicInteger started = new AtomicInteger();
        Set<Integer> spinnerTids = ConcurrentHashMap.newKeySet();
        Set<Integer> spinnerPs = ConcurrentHashMap.newKeySet();
        pthread_t[] spinners = new pthread_t[cores];
        for (int i = 0; i < cores; i++) {
            spinners[i] = new pthread_t();
            check(pthread_create(spinners[i], null, arg -> {
                spinnerTids.add(tid());
                spinnerPs.add(currentP());
                started.incrementAndGet();
                long x = 0;
                while (stop.get() == 0) {
                    x++;
                    if (callsIn) {
                        pthread_getspecific(key);
                    }
                }
                return x;
            }, null), "pthread_create");
        }
        // Where one kernel thread has run every pthread so far (M:1), only the first can start.
        await(() -> started.get() == cores || (started.get() > 0 && PTHREAD_TIDS.size() == 1), 200);
        boolean allStarted = started.get() == cores;
        Set<Integer> tasksBefore = Proc.tasks();
        Set<Integer> carriers = new HashSet<>(PTHREAD_TIDS);
        carriers.retainAll(tasksBefore); // the kernel threads alive that have run pthreads
        boolean heldAll = SCHED != null
                ? spinnerPs.size() == SCHED.gomaxprocs() && !spinnerPs.contains(-1)
                : spinnerTids.containsAll(carriers);
        long preemptions0 = SCHED == null ? 0 : SCHED.preemptions();
        long retakes0 = SCHED == null ? 0 : SCHED.sliceRetakes();
        CountDownLatch ran = new CountDownLatch(1);
        long[] ranAt = new long[1];
        boolean[] whileBusy = new boolean[1];
        int[] waiterTid = new int[1];
        pthread_t waiter = new pthread_t();
        long created = System.nanoTime();
        pthread_attr_t attr = freshThreadAttr();
        check(pthread_create(waiter, attr, arg -> {
            ranAt[0] = System.nanoTime();
            whileBusy[0] = stop.get() == 0;
            waiterTid[0] = Posix.gettid();
            ran.countDown();
            return null;
        }, null), "pthread_create");
        check(pthread_attr_destroy(attr), "pthread_attr_destroy");
        ran.await(SPIN_LIMIT_MILLIS, TimeUnit.MILLISECONDS);
        stop.set(1);
        long preemptions = SCHED == null ? 0 : SCHED.preemptions() - preemptions0;
        long retakes = SCHED == null ? 0 : SCHED.sliceRetakes() - retakes0;
        for (pthread_t t : spinners) {
            check(pthread_join(t, null), "pthread_join");
        }
        check(pthread_join(waiter, null), "pthread_join"); // makes the waiter's writes visible
        pthread_key_delete(key);
        int tid = waiterTid[0];
        boolean ownThread = !tasksBefore.contains(tid) && Proc.awaitGone(tid, 500);
        double waited = whileBusy[0] ? (ranAt[0] - created) / 1e6 : SPIN_LIMIT_MILLIS;
        return new Queued(whileBusy[0], waited, allStarted, ownThread, heldAll, preemptions, retakes, tid);
    }

    /**
     * Rounds of a pthread queued behind busy ones that call in, and behind ones that never do.
     * "kernel": behind ones that never call in, it ran while they all still computed, on a
     * kernel thread born and ended with it. Otherwise, only where pthreads share kernel
     * threads ({@code creation} is "user") and the busy ones held every carrier (or P):
     * "retake" when it ran behind ones that never call in, with the scheduler counting a
     * retake of a processor, and behind ones that call in, with a preemption or a retake
     * counted; "cooperative" when it ran only behind ones that call in, with a preemption
     * counted; "none" when it never ran while they computed and the model has no scheduler
     * of pthread4j's own that could have been starved of CPU meanwhile.
     */
    static String run(int rounds, String creation) throws Exception {
        List<Queued> in = new ArrayList<>();
        List<Queued> never = new ArrayList<>();
        Map<String, Interleaved.Round> c = new LinkedHashMap<>();
        c.put("calls in", () -> {
            Queued q = behindSpinners(true);
            in.add(q);
            return q.waitMillis();
        });
        c.put("never", () -> {
            Queued q = behindSpinners(false);
            never.add(q);
            return q.waitMillis();
        });
        Interleaved.Results r = Interleaved.run(0, rounds, c);
        result("slice.limit.ms", SPIN_LIMIT_MILLIS);
        figure("slice.callsin.ms", r.spread("calls in"));
        figure("slice.never.ms", r.spread("never"));
        boolean shared = creation.startsWith("user");
        List<String> verdicts = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            Queued a = in.get(i);
            Queued b = never.get(i);
            if (b.ranWhileBusy() && SCHED != null) {
                // Nothing stops a pthread that never calls in: only a retake frees its processor.
                verdicts.add(shared && b.heldAll() && b.retakes() > 0 && a.heldAll() && a.ranWhileBusy()
                        && a.preemptions() + a.retakes() > 0
                        ? String.format(Locale.ROOT, "retake: behind busy pthreads that never call in it ran after "
                                + "%.1f ms, once sysmon took a processor from them (%d retakes); behind ones that call "
                                + "in, after %.1f ms (%d preemptions, %d retakes)", b.waitMillis(), b.retakes(),
                                a.waitMillis(), a.preemptions(), a.retakes())
                        : UNCLEAR + ": it ran beside busy pthreads that never call in, without a retake counted while "
                                + "they held every processor, or behind ones that call in it did not run");
            } else if (b.ranWhileBusy()) {
                verdicts.add(b.allStarted() && b.ownThread()
                        ? String.format(Locale.ROOT, "kernel: behind %d pthreads that never call in, it ran after %.1f ms, "
                                + "on a kernel thread of its own (tid %d)", Runtime.getRuntime().availableProcessors(),
                                b.waitMillis(), b.tid())
                        : UNCLEAR + ": it ran beside busy pthreads, but not on a kernel thread of its own");
            } else if (!shared || !b.heldAll()) {
                verdicts.add(UNCLEAR + ": it did not run within " + SPIN_LIMIT_MILLIS + " ms, and the busy pthreads "
                        + "did not hold every carrier");
            } else if (a.ranWhileBusy()) {
                verdicts.add(a.preemptions() > 0 && a.heldAll()
                        ? String.format(Locale.ROOT, "cooperative: behind busy pthreads that call in it ran after %.1f ms "
                                + "(%d preemptions); behind ones that never do, not in %d ms", a.waitMillis(),
                                a.preemptions(), SPIN_LIMIT_MILLIS)
                        : UNCLEAR + ": it ran behind busy pthreads that call in, without a preemption counted");
            } else if (SCHED != null) {
                // A scheduler that counts preemptions: none counted may only mean sysmon was starved.
                verdicts.add(UNCLEAR + ": the scheduler preempted nobody within " + SPIN_LIMIT_MILLIS + " ms");
            } else {
                verdicts.add(a.heldAll()
                        ? "none: behind busy pthreads holding every carrier, it did not run in " + SPIN_LIMIT_MILLIS
                                + " ms, whether they call in or not"
                        : UNCLEAR + ": the busy pthreads did not hold every carrier");
            }
        }
        return agree(verdicts);
    }
}
