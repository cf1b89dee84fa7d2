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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.pthread4j.bench.Interleaved;
import org.pthread4j.posix.Posix;
import org.pthread4j.pthread_attr_t;
import org.pthread4j.pthread_t;

/**
 * The lab's blocking read: others' progress while one pthread sits in {@code read()} on an
 * empty pipe, and the verdict on what that read stops, from the reader's kernel thread seen
 * asleep in it, who progressed meanwhile on which kernel threads (and, on gmp, which Ps), and
 * gmp's hand-off counter.
 */
final class BlockingRead {

    private BlockingRead() {}

    /** Where a worker's chunk ran: its kernel thread and (gmp) its P. */
    record Place(int tid, int p) {}

    /**
     * {@code cores} pthreads that compute in chunks, each chunk followed by a short sleep (so
     * a queued pthread gets a carrier), counting chunks and noting where each one ran.
     */
    static final class Workers {
        final AtomicLongArray done;
        final pthread_t[] threads;
        final AtomicInteger stop = new AtomicInteger();
        /** Every kernel thread that ran a chunk. */
        final Set<Integer> seen = ConcurrentHashMap.newKeySet();
        /** The places of chunks that ended during the current window, or null between windows. */
        volatile Set<Place> window;

        Workers(int n) {
            done = new AtomicLongArray(n);
            threads = new pthread_t[n];
            for (int i = 0; i < n; i++) {
                int me = i;
                threads[i] = new pthread_t();
                check(pthread_create(threads[i], null, arg -> {
                    while (stop.get() == 0) {
                        int tid = Parallelism.timedBurn(500_000);
                        seen.add(tid);
                        Set<Place> w = window;
                        if (w != null) {
                            w.add(new Place(tid, currentP()));
                        }
                        done.incrementAndGet(me);
                        usleep(20);
                    }
                    return null;
                }, null), "pthread_create");
            }
        }

        long progress() {
            long sum = 0;
            for (int i = 0; i < done.length(); i++) {
                sum += done.get(i);
            }
            return sum;
        }

        void stop() {
            stop.set(1);
            for (pthread_t t : threads) {
                check(pthread_join(t, null), "pthread_join");
            }
        }
    }

    /** The workers' progress (chunks) over a window with nobody in read(). */
    static long freeWindow(Workers w, long millis) throws InterruptedException {
        long p0 = w.progress();
        Thread.sleep(millis);
        return w.progress() - p0;
    }

    /**
     * The workers' progress over a window while one more pthread sits in {@code read()} on an
     * empty pipe. The window opens once the reader's kernel thread is seen asleep in that
     * read, and counts only if it still is at the end. Adds the round's verdict to
     * {@code verdicts}.
     */
    static long blockedWindow(Workers w, long millis, List<String> verdicts) throws InterruptedException {
        int[] fds = new int[2];
        if (Posix.pipe(fds) != 0) {
            throw new IllegalStateException("pipe: " + strerror(errno()));
        }
        AtomicInteger readerTid = new AtomicInteger();
        AtomicInteger readerP = new AtomicInteger(-1);
        Set<Integer> tasksBefore = Proc.tasks();
        long handoffs0 = SCHED == null ? 0 : SCHED.handoffs(); // sysmon may retake the P before we look
        pthread_t reader = new pthread_t();
        pthread_attr_t attr = freshThreadAttr();
        check(pthread_create(reader, attr, arg -> {
            readerP.set(currentP());
            readerTid.set(Posix.gettid()); // no facade call until the read: the tid is the reading one
            return Posix.read(fds[0], new byte[1], 1);
        }, null), "pthread_create");
        check(pthread_attr_destroy(attr), "pthread_attr_destroy");
        boolean inReadAtStart = await(() -> readerTid.get() != 0 && Proc.sleepsInRead(readerTid.get(), fds[0]), 2_000);
        int tid = readerTid.get();
        Set<Integer> seenBefore = new HashSet<>(w.seen);
        Set<Place> places = ConcurrentHashMap.newKeySet();
        w.window = places;
        long p0 = w.progress();
        Thread.sleep(millis);
        long progress = w.progress() - p0;
        w.window = null;
        boolean inReadAtEnd = Proc.sleepsInRead(tid, fds[0]);
        long handoffs = SCHED == null ? 0 : SCHED.handoffs() - handoffs0;
        Posix.write(fds[1], new byte[] {1}, 1);
        check(pthread_join(reader, null), "pthread_join");
        boolean ownThread = tid != 0 && !tasksBefore.contains(tid) && Proc.awaitGone(tid, 500);
        Posix.close(fds[0]);
        Posix.close(fds[1]);

        Set<Integer> during = new HashSet<>();
        for (Place p : places) {
            during.add(p.tid());
        }
        String where = String.format(Locale.ROOT, ": the reader's kernel thread %d slept in read() for %d ms; "
                + "the others did %d chunks meanwhile on tids %s", tid, millis, progress, during);
        if (!inReadAtStart || !inReadAtEnd) {
            verdicts.add(UNCLEAR + ": the reader was not seen asleep in read() for the whole window");
        } else if (progress == 0) {
            verdicts.add(PTHREAD_TIDS.equals(Set.of(tid))
                    ? "freezes-all" + where + ", the one kernel thread that has run every pthread of the run"
                    : UNCLEAR + where + " (but pthreads have run on other kernel threads: load?)");
        } else if (SCHED != null) {
            int p = readerP.get();
            boolean pMoved = places.stream().anyMatch(x -> x.p() == p && x.tid() != tid);
            verdicts.add(p >= 0 && pMoved && handoffs > 0
                    ? "hands-off" + where + String.format(Locale.ROOT, "; its P %d ran them on another M "
                            + "(%d hand-offs)", p, handoffs)
                    : UNCLEAR + where + "; no hand-off of its P seen");
        } else if (ownThread && !w.seen.contains(tid)) {
            verdicts.add("blocks-caller" + where + ", a kernel thread born and ended with the reader");
        } else if (!ownThread && seenBefore.contains(tid) && seenBefore.containsAll(during)) {
            verdicts.add("pins-carrier" + where + ", a carrier that ran the others before; no new carrier came");
        } else {
            verdicts.add(UNCLEAR + where);
        }
        return progress;
    }

    /**
     * Others' progress while one pthread blocks in read(), as a fraction of their progress
     * without it: free and blocked windows interleaved. Returns the combined verdict.
     */
    static String run(int rounds, long millis) throws Exception {
        List<String> verdicts = new ArrayList<>();
        Interleaved.Results r = rounds(rounds, millis, verdicts);
        figure("blocking.free", r.spread("free"));
        figure("blocking.blocked", r.spread("blocked"));
        ratio("blocking.effect", r.ratio("blocked", "free"));
        return agree(verdicts);
    }

    /**
     * Free and blocked windows of {@code millis}, interleaved after one warm-up round; every
     * blocked window, the warm-up's too, adds its verdict to {@code verdicts}. ({@link Handoff}
     * uses it too.)
     */
    static Interleaved.Results rounds(int n, long millis, List<String> verdicts) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        Workers w = new Workers(cores);
        try {
            await(() -> w.progress() >= 2L * cores, 2_000); // they run before the first window
            Map<String, Interleaved.Round> c = new LinkedHashMap<>();
            c.put("free", () -> freeWindow(w, millis));
            c.put("blocked", () -> blockedWindow(w, millis, verdicts));
            return Interleaved.run(1, n, c);
        } finally {
            w.stop();
        }
    }
}
