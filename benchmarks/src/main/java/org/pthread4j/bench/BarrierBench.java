package org.pthread4j.bench;

import static org.pthread4j.Pthreads.PTHREAD_BARRIER_SERIAL_THREAD;
import static org.pthread4j.Pthreads.pthread_barrier_destroy;
import static org.pthread4j.Pthreads.pthread_barrier_init;
import static org.pthread4j.Pthreads.pthread_barrier_wait;
import static org.pthread4j.bench.Harness.TRIPS_N;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.pthread4j.StartRoutine;
import org.pthread4j.pthread_barrier_t;
import org.pthread4j.pthread_t;

/**
 * One round of a barrier for two threads is one operation: both arrive, both leave. Each
 * invocation starts two threads of the measured kind that each make {@link Harness#TRIPS_N}
 * rounds, and joins them: two creates and joins, amortized over the rounds. (A partner that
 * lived for the whole trial would need a stop signal, and a barrier has no way to tell a
 * partner "this round was the last" without a race at tear-down.)
 *
 * <ul>
 *   <li>{@code pthread4j}: two pthreads at a {@code pthread_barrier_t} of count 2;</li>
 *   <li>{@code cyclicBarrierPlatform}, {@code cyclicBarrierVirtual}: a {@code CyclicBarrier}
 *       of 2 between platform threads and between virtual threads.</li>
 * </ul>
 * The C layer has no barrier loop yet, so there is no glibc figure here.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(jvmArgsPrepend = {Harness.NATIVE_ACCESS, Harness.OPEN_LANG})
public class BarrierBench {

    private final pthread_barrier_t barrier = new pthread_barrier_t();
    /** Each side's rounds; the exit value counts the rounds it was the serial thread. */
    private final StartRoutine rounds = arg -> rounds(TRIPS_N);
    private final CyclicBarrier cyclicBarrier = new CyclicBarrier(2);

    @Setup
    public void setUp() {
        Harness.setUpTrial();
        Harness.ok("pthread_barrier_init", pthread_barrier_init(barrier, null, 2));
    }

    @TearDown
    public void tearDown() {
        Harness.ok("pthread_barrier_destroy", pthread_barrier_destroy(barrier));
    }

    private Object rounds(int n) {
        int serial = 0;
        for (int i = 0; i < n; i++) {
            int rc = pthread_barrier_wait(barrier);
            if (rc == PTHREAD_BARRIER_SERIAL_THREAD) {
                serial++;
            } else {
                Harness.ok("pthread_barrier_wait", rc);
            }
        }
        return serial;
    }

    /** Both sides' serial counts: together exactly one per round, or the run fails. */
    private static int checkSerial(int a, int b) {
        if (a + b != TRIPS_N) {
            throw new IllegalStateException((a + b) + " serial threads in " + TRIPS_N + " rounds");
        }
        return a;
    }

    @Benchmark
    @OperationsPerInvocation(TRIPS_N)
    public int pthread4j() {
        pthread_t other = Harness.start("rounds", rounds);
        int a = (Integer) Harness.inPthread("rounds", rounds);
        int b = (Integer) Harness.join("rounds", other);
        return checkSerial(a, b);
    }

    private void cyclicRounds(int n, int[] serial) {
        try {
            for (int i = 0; i < n; i++) {
                if (cyclicBarrier.await() == 0) { // the last to arrive gets index 0
                    serial[0]++;
                }
            }
        } catch (InterruptedException | BrokenBarrierException e) {
            throw new IllegalStateException(e);
        }
    }

    private int cyclic(Thread.Builder builder) throws InterruptedException {
        int[] a = new int[1];
        int[] b = new int[1];
        Thread other = builder.start(() -> cyclicRounds(TRIPS_N, b));
        Harness.inThread(builder, () -> cyclicRounds(TRIPS_N, a));
        Harness.joinPartner(other);
        return checkSerial(a[0], b[0]);
    }

    @Benchmark
    @OperationsPerInvocation(TRIPS_N)
    public int cyclicBarrierPlatform() throws InterruptedException {
        return cyclic(Thread.ofPlatform());
    }

    @Benchmark
    @OperationsPerInvocation(TRIPS_N)
    public int cyclicBarrierVirtual() throws InterruptedException {
        return cyclic(Thread.ofVirtual());
    }
}
