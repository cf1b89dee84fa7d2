package org.pthread4j.tests;

import static org.pthread4j.Pthreads.*;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.pthread4j.pthread_key_t;
import org.pthread4j.pthread_t;
import org.pthread4j.gmp.GmpThreadModel;

/**
 * Runs in a child JVM on {@code gmp} with a chosen GOMAXPROCS (see {@link GmpTest}) and
 * prints {@code key value} lines: how far a counting pthread gets while another sits in
 * {@code read()}, and whether a pthread queued behind one that spins runs before the spinner
 * stops: through facade calls (preemption) or without them (retake).
 */
public final class GmpProbe {

    public static void main(String[] args) throws Exception {
        System.out.println("blocked.progress "
                + ThreadModelTest.progressWhileOneBlocksInRead(TimeUnit.SECONDS.toMillis(TestSupport.WAIT_SECONDS)));
        System.out.println("preempted.ranWhileSpinning " + waiterRanWhileSpinning(true));
        System.out.println("retaken.ranWhileSpinning " + waiterRanWhileSpinning(false));
        var sched = GmpThreadModel.instance();
        System.out.println("handoffs " + (sched.handoffs() + sched.retakes()));
        System.out.println("preemptions " + sched.preemptions());
        System.out.println("sliceRetakes " + sched.sliceRetakes());
        System.out.flush();
        System.exit(0);
    }

    /**
     * One pthread creates a second, then spins until the second has run (at most
     * {@link TestSupport#WAIT_SECONDS}), calling pthread_getspecific in the loop when
     * {@code callsIn}. Returns 1 when the second ran while the spinner was still spinning:
     * with one P, only a preemption of the spinner (calling in) or a retake of its P (not
     * calling in) lets it run; 0 when it ran only after the spinner gave up.
     */
    static long waiterRanWhileSpinning(boolean callsIn) {
        pthread_key_t key = new pthread_key_t();
        pthread_key_create(key, null);
        AtomicInteger ran = new AtomicInteger();
        pthread_t spinner = new pthread_t();
        pthread_t waiter = new pthread_t();
        long[] sawIt = {0};
        pthread_create(spinner, null, arg -> {
            pthread_create(waiter, null, a -> {
                ran.set(1);
                return null;
            }, null);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(TestSupport.WAIT_SECONDS);
            while (ran.get() == 0 && System.nanoTime() - end < 0) {
                if (callsIn) {
                    pthread_getspecific(key);
                }
            }
            sawIt[0] = ran.get();
            return null;
        }, null);
        pthread_join(spinner, null);
        pthread_join(waiter, null);
        return sawIt[0];
    }
}
