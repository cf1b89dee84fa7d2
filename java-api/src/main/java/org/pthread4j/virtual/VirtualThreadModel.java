package org.pthread4j.virtual;

import static org.pthread4j.spi.Errno.EAGAIN;

import org.pthread4j.nativ.NativeLibrary;
import org.pthread4j.nativ.ffi.pthread4j_h;
import org.pthread4j.park.ParkingLot;
import org.pthread4j.spi.Futex;
import org.pthread4j.spi.Tcb;
import org.pthread4j.spi.ThreadModel;

/**
 * The M:N model: every pthread is a JDK virtual thread, carried by the JDK's work-stealing
 * pool of carrier threads (as many as cores by default), and every futex is the
 * {@link ParkingLot}, so a blocked pthread gives its carrier back.
 *
 * <p>What has no meaning here: the stack size and guard size are accepted and ignored (a
 * virtual thread's stack lives on the heap and grows as needed); {@code gettid} returns the
 * tid of the carrier the pthread runs on at that moment; robust mutexes work, since the
 * owner's end is the end of its pthread, not of a kernel thread. A blocking system call (an
 * FFM downcall) pins its carrier for its whole duration.
 */
public class VirtualThreadModel implements ThreadModel {

    private static final int SPIN = 50;

    private final Thread.Builder builder;
    private final Futex futex;
    private final String name;

    public VirtualThreadModel() {
        this("virtual", Thread.ofVirtual(), new ParkingLot(SPIN, oneCarrier(), HAND_OFF_NANOS));
    }

    /**
     * How long a condition waiter whose release woke a sleeper spins, after its yield, for
     * its signal before it parks ({@link org.pthread4j.spi.Futex#handOffNanos}): the JDK's
     * scheduler queues the woken thread on the waker's carrier, so the yield lets it run
     * there now, without an idle carrier's wake-up; where another carrier took it, the two
     * run in parallel and the answer comes within the spin. {@code -Dpthread4j.handoff=<ns>}:
     * 0 yields without spinning, a negative value turns the hand-off off. None on one
     * carrier, where the lot is serial.
     */
    static final long HAND_OFF_NANOS = Long.getLong("pthread4j.handoff", 5_000);

    /**
     * Whether the JDK's scheduler runs virtual threads on one carrier: its parallelism, read as
     * the JDK reads it ({@code jdk.virtualThreadScheduler.parallelism}, else the processors
     * available), is 1. The parking lot is then serial: a signal from a pthread wakes its
     * waiter instead of moving it onto the mutex.
     *
     * @return whether the JDK's virtual threads run on one carrier
     */
    public static boolean oneCarrier() {
        String parallelism = System.getProperty("jdk.virtualThreadScheduler.parallelism");
        if (parallelism == null) {
            return Runtime.getRuntime().availableProcessors() == 1;
        }
        try {
            return Integer.parseInt(parallelism.trim()) == 1;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    protected VirtualThreadModel(String name, Thread.Builder builder, Futex futex) {
        this.name = name;
        this.builder = builder;
        this.futex = futex;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Futex futex() {
        return futex;
    }

    @Override
    public int start(Tcb tcb, Runnable body, long stackSize, long guardSize, boolean detached, String threadName) {
        Thread t;
        try {
            t = builder.unstarted(body);
            if (threadName != null) {
                t.setName(threadName);
            }
            tcb.thread = t;
            t.start();
        } catch (OutOfMemoryError | IllegalStateException e) {
            return EAGAIN;
        }
        return 0;
    }

    @Override
    public int detach(Tcb tcb) {
        return 0;
    }

    @Override
    public int gettid() {
        NativeLibrary.ensureLoaded();
        return pthread4j_h.p4j_gettid();
    }

    @Override
    public int setName(Tcb tcb, String threadName) {
        Thread t = tcb.thread;
        if (t != null) {
            t.setName(threadName);
        }
        return 0;
    }

    @Override
    public long stackMin() {
        return NativeLibrary.isAvailable() ? pthread4j_h.p4j_stack_min() : 16384;
    }
}
