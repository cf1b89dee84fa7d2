package org.pthread4j.bench;

import static org.pthread4j.Pthreads.errno;
import static org.pthread4j.Pthreads.sem_destroy;
import static org.pthread4j.Pthreads.sem_init;
import static org.pthread4j.Pthreads.sem_post;
import static org.pthread4j.Pthreads.sem_wait;
import static org.pthread4j.bench.Harness.TRIPS_N;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_bench_sem_pingpong;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.pthread4j.StartRoutine;
import org.pthread4j.pthread_t;
import org.pthread4j.sem_t;

/**
 * A semaphore ping-pong: ping posts pong's semaphore and waits on its own; pong does the
 * reverse. One round trip is one operation; each invocation makes {@link Harness#TRIPS_N},
 * with the same thread arrangement as {@link CondPingPongBench}.
 *
 * <ul>
 *   <li>{@code pthread4j}: two pthreads and two {@code sem_t};</li>
 *   <li>{@code glibc}: the C loop {@code p4j_bench_sem_pingpong}, glibc's {@code sem_t};</li>
 *   <li>{@code semaphorePlatform}, {@code semaphoreVirtual}:
 *       {@code java.util.concurrent.Semaphore} between platform threads and between virtual
 *       threads.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(jvmArgsPrepend = {Harness.NATIVE_ACCESS, Harness.OPEN_LANG})
public class SemPingPongBench {

    @Setup
    public void setUp() {
        Harness.setUpTrial();
    }

    /** sem_wait and sem_post return -1 and set errno, unlike the pthread_* functions. */
    static void semOk(String call, int rc) {
        if (rc != 0) {
            Harness.ok(call, errno());
        }
    }

    @State(Scope.Benchmark)
    public static class PthreadPair {
        final sem_t ping = new sem_t();
        final sem_t pong = new sem_t();
        /** Set before the last post to pong; the post orders it. */
        volatile boolean stop;
        pthread_t partner;
        final StartRoutine pinger = arg -> ping(TRIPS_N);

        @Setup(Level.Trial)
        public void start() {
            semOk("sem_init", sem_init(ping, 0, 0));
            semOk("sem_init", sem_init(pong, 0, 0));
            partner = Harness.start("pong", arg -> pong());
        }

        private Object pong() {
            for (;;) {
                semOk("sem_wait", sem_wait(pong));
                if (stop) {
                    return null;
                }
                semOk("sem_post", sem_post(ping));
            }
        }

        private Object ping(int n) {
            for (int i = 0; i < n; i++) {
                semOk("sem_post", sem_post(pong));
                semOk("sem_wait", sem_wait(ping));
            }
            return n;
        }

        @TearDown(Level.Trial)
        public void stop() {
            stop = true;
            semOk("sem_post", sem_post(pong));
            Harness.join("pong", partner);
            semOk("sem_destroy", sem_destroy(ping));
            semOk("sem_destroy", sem_destroy(pong));
        }
    }

    public abstract static class JucPair {
        final Semaphore ping = new Semaphore(0);
        final Semaphore pong = new Semaphore(0);
        volatile boolean stop;
        long trips;
        Thread partner;
        final Runnable pinger = () -> ping(TRIPS_N);

        abstract Thread.Builder builder();

        @Setup(Level.Trial)
        public void start() {
            partner = builder().name("pong").start(this::pong);
        }

        private void pong() {
            for (;;) {
                pong.acquireUninterruptibly();
                if (stop) {
                    return;
                }
                ping.release();
            }
        }

        private void ping(int n) {
            for (int i = 0; i < n; i++) {
                pong.release();
                ping.acquireUninterruptibly();
            }
            trips += n;
        }

        long run() throws InterruptedException {
            Harness.inThread(builder().name("ping"), pinger);
            return trips;
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            stop = true;
            pong.release();
            Harness.joinPartner(partner);
        }
    }

    @State(Scope.Benchmark)
    public static class PlatformPair extends JucPair {
        @Override
        Thread.Builder builder() {
            return Thread.ofPlatform();
        }
    }

    @State(Scope.Benchmark)
    public static class VirtualPair extends JucPair {
        @Override
        Thread.Builder builder() {
            return Thread.ofVirtual();
        }
    }

    @Benchmark
    @OperationsPerInvocation(TRIPS_N)
    public Object pthread4j(PthreadPair pair) {
        return Harness.inPthread("ping", pair.pinger);
    }

    @Benchmark
    @OperationsPerInvocation(TRIPS_N)
    public long glibc() {
        return Harness.elapsed("p4j_bench_sem_pingpong", p4j_bench_sem_pingpong(TRIPS_N));
    }

    @Benchmark
    @OperationsPerInvocation(TRIPS_N)
    public long semaphorePlatform(PlatformPair pair) throws InterruptedException {
        return pair.run();
    }

    @Benchmark
    @OperationsPerInvocation(TRIPS_N)
    public long semaphoreVirtual(VirtualPair pair) throws InterruptedException {
        return pair.run();
    }
}
