package org.pthread4j.tests;

import static org.pthread4j.Pthreads.*;

import java.util.concurrent.atomic.AtomicLong;
import org.pthread4j.pthread_key_t;
import org.pthread4j.pthread_t;
import org.pthread4j.gmp.GmpThreadModel;
import org.pthread4j.posix.Posix;

/**
 * Runs in a child JVM on {@code gmp} with a chosen GOMAXPROCS (see {@link GmpTest}) and
 * prints {@code key value} lines: how far a counting pthread gets while another sits in
 * {@code read()}, and how soon a waiting pthread runs behind a pthread that spins through
 * facade calls (preemption) or without them (retake).
 */
public final class GmpProbe {

    public static void main(String[] args) throws Exception {
        System.out.println("blocked.progress " + ThreadModelTest.progressWhileOneBlocksInRead());
        System.out.println("preempted.waitMillis " + waitBehindSpinner(true));
        System.out.println("retaken.waitMillis " + waitBehindSpinner(false));
        var sched = GmpThreadModel.instance();
        System.out.println("handoffs " + (sched.handoffs() + sched.retakes()));
        System.out.println("preemptions " + sched.preemptions());
        System.out.println("sliceRetakes " + sched.sliceRetakes());
        System.out.flush();
        System.exit(0);
    }

    /**
     * One pthread spins for 300 ms (calling pthread_getspecific in the loop when
     * {@code callsIn}); a second, created just after, records when it first runs. Returns the
     * delay in ms: short when the spinner is preempted or loses its P, about 300 on one P
     * when neither happens.
     */
    static long waitBehindSpinner(boolean callsIn) {
        pthread_key_t key = new pthread_key_t();
        pthread_key_create(key, null);
        AtomicLong ranAt = new AtomicLong();
        pthread_t spinner = new pthread_t();
        pthread_t waiter = new pthread_t();
        long[] start = new long[1];
        pthread_create(spinner, null, arg -> {
            long end = System.nanoTime() + 300_000_000L;
            pthread_create(waiter, null, a -> {
                ranAt.set(System.nanoTime());
                return null;
            }, null);
            start[0] = System.nanoTime();
            long x = 0;
            while (System.nanoTime() < end) {
                x++;
                if (callsIn) {
                    pthread_getspecific(key);
                }
            }
            return x;
        }, null);
        pthread_join(spinner, null);
        pthread_join(waiter, null);
        return (ranAt.get() - start[0]) / 1_000_000;
    }
}
