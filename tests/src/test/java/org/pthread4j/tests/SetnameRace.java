package org.pthread4j.tests;

import static org.pthread4j.Pthreads.*;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.pthread4j.pthread_attr_t;
import org.pthread4j.pthread_t;

/**
 * The child program of {@link HandleRaceTest}: three pthreads rename, over and over, the
 * pthreads of a stream of short-lived ones (half joined, half detached, of varied stack sizes so
 * that glibc unmaps some freed stacks instead of reusing them) while they end and are joined.
 * Prints every result and exits 1 if one was neither 0 nor ESRCH; a crash ends it otherwise.
 */
public final class SetnameRace {

    static final String DONE = "setname race done";

    private SetnameRace() {}

    public static void main(String[] args) {
        long millis = Long.parseLong(args[0]);
        int batch = 8;
        AtomicReferenceArray<pthread_t> targets = new AtomicReferenceArray<>(batch);
        AtomicLongArray results = new AtomicLongArray(256);
        AtomicBoolean stop = new AtomicBoolean();
        // Nothing preempts a spinning M:N pthread: there the renamers sleep after each round,
        // or they would keep the carriers from the pthreads they rename.
        boolean pause = !"native".equals(backend().id());
        pthread_t[] renamers = new pthread_t[3];
        for (int i = 0; i < renamers.length; i++) {
            renamers[i] = new pthread_t();
            check(pthread_create(renamers[i], null, arg -> {
                while (!stop.get()) {
                    for (int k = 0; k < batch; k++) {
                        pthread_t t = targets.get(k);
                        if (t != null) {
                            results.incrementAndGet(pthread_setname_np(t, "renamed") & 255);
                        }
                    }
                    if (pause) {
                        usleep(100);
                    }
                }
                return null;
            }, null), "pthread_create (renamer)");
        }
        long end = System.nanoTime() + millis * 1_000_000L;
        long created = 0;
        pthread_t[] stream = new pthread_t[batch];
        while (System.nanoTime() < end) {
            for (int i = 0; i < batch; i++, created++) {
                pthread_attr_t attr = new pthread_attr_t();
                pthread_attr_init(attr);
                pthread_attr_setstacksize(attr, (256 << 10) + (created % 64) * (64 << 10));
                pthread_attr_setdetachstate(attr, i % 2 == 0 ? PTHREAD_CREATE_JOINABLE : PTHREAD_CREATE_DETACHED);
                stream[i] = new pthread_t();
                check(pthread_create(stream[i], attr, arg -> null, null), "pthread_create");
                targets.set(i, stream[i]);
            }
            for (int i = 0; i < batch; i += 2) {
                check(pthread_join(stream[i], null), "pthread_join");
            }
        }
        stop.set(true);
        for (pthread_t r : renamers) {
            check(pthread_join(r, null), "pthread_join (renamer)");
        }
        boolean ok = true;
        for (int r = 0; r < results.length(); r++) {
            if (results.get(r) != 0) {
                System.out.println("pthread_setname_np returned " + r + " (" + strerror(r) + ") " + results.get(r) + " times");
                ok &= r == 0 || r == ESRCH;
            }
        }
        System.out.println(created + " pthreads renamed while they ended");
        System.out.println(DONE);
        System.exit(ok ? 0 : 1);
    }

    private static void check(int r, String what) {
        if (r != 0) {
            System.out.println(what + ": " + strerror(r));
            System.exit(2);
        }
    }
}
