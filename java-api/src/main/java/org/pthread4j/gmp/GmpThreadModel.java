package org.pthread4j.gmp;

import org.pthread4j.park.ParkingLot;
import org.pthread4j.spi.CustomScheduler;
import org.pthread4j.spi.Syscalls;
import org.pthread4j.virtual.VirtualThreadModel;

/**
 * The {@code gmp} backend: pthreads are virtual threads scheduled by {@link Sched}, Go's
 * G/M/P scheduler (per-P run queues with a runnext slot, work stealing, and hand-off of the
 * P around blocking system calls and away from a pthread that runs past its time slice
 * without calling in), and Go's network poller ({@link Netpoller}, installed as
 * {@link Syscalls#netpoll()}: a pthread blocked on a socket parks and holds no M). Futexes
 * are the {@link ParkingLot}, as on {@code virtual}.
 *
 * <p>Properties: {@code -Dpthread4j.gomaxprocs=N} (default: cores), and
 * {@code -Dpthread4j.gmp.handoff=lazy|eager} (default lazy: sysmon retakes the P of a system
 * call that lasts longer than 20 µs; eager hands it off on entry).
 */
public final class GmpThreadModel extends VirtualThreadModel {

    private static final int SPIN = 50;

    private final Sched sched;
    private static volatile Sched instance;

    /**
     * The scheduler of this JVM's gmp backend (per-P counters, M count, hand-offs: for tests
     * and the lab), or null when gmp is not the backend.
     */
    public static Sched instance() {
        return instance;
    }

    public GmpThreadModel() {
        this(new Sched(Integer.getInteger("pthread4j.gomaxprocs", Runtime.getRuntime().availableProcessors()),
                "eager".equals(System.getProperty("pthread4j.gmp.handoff", "lazy"))));
    }

    private GmpThreadModel(Sched sched) {
        super("gmp", CustomScheduler.virtualThreads("gmp", sched), new ParkingLot(SPIN, sched.gomaxprocs() == 1));
        this.sched = sched;
        instance = sched;
        Syscalls.installNetpoll(sched.netpoller);
    }

    @Override
    public void preemptPoint() {
        sched.preemptPoint();
    }
}
