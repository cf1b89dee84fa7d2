package org.pthread4j.bench;

import static org.pthread4j.Pthreads.pthread_cond_signal;
import static org.pthread4j.Pthreads.pthread_cond_wait;
import static org.pthread4j.Pthreads.pthread_mutex_lock;
import static org.pthread4j.Pthreads.pthread_mutex_unlock;
import static org.pthread4j.bench.Harness.TRIPS_N;
import static org.pthread4j.bench.Harness.ok;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_bench_cond_pingpong;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
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
import org.pthread4j.pthread_cond_t;
import org.pthread4j.pthread_mutex_t;
import org.pthread4j.pthread_t;

/**
 * A condition-variable ping-pong: one round trip ping → pong → ping is one operation.
 *
 * <p>The protocol is the C baseline's ({@code p4j_bench_cond_pingpong} in native/p4j_bench.c),
 * move for move: a {@code turn} word guarded by the mutex; ping holds the mutex for the whole
 * loop, and each trip sets {@code turn = PONG}, signals, and waits until {@code turn == PING};
 * pong, the partner, waits for PONG, sets PING and signals. Each invocation makes
 * {@link Harness#TRIPS_N} trips: the pong thread lives for the whole trial, the ping side runs
 * on a thread of the measured kind created for the invocation (C creates its pong thread per
 * call instead: one create+join each side, amortized over the same trips).
 *
 * <ul>
 *   <li>{@code pthread4j}: two pthreads, {@code pthread_mutex_t} + {@code pthread_cond_t};</li>
 *   <li>{@code glibc}: the C loop, two glibc threads;</li>
 *   <li>{@code reentrantLockPlatform}, {@code reentrantLockVirtual}: {@code ReentrantLock} and
 *       its {@code Condition} between two platform threads, and between two virtual threads.</li>
 * </ul>
 * Targets: (native) {@code pthread4j} ≤ 1.3 × glibc; (virtual) {@code pthread4j} ≤ 1.3 ×
 * {@code reentrantLockVirtual}. On a 2-vCPU VM every trip is two cross-CPU wake-ups, which
 * dominate: compare within one run only.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(jvmArgsPrepend = {Harness.NATIVE_ACCESS, Harness.OPEN_LANG})
public class CondPingPongBench {

    static final int PING = 0;
    static final int PONG = 1;

    @Setup
    public void setUp() {
        Harness.setUpTrial();
    }

    /** Two pthreads and pthread4j's mutex and condition. */
    @State(Scope.Benchmark)
    public static class PthreadPair {
        final pthread_mutex_t mutex = new pthread_mutex_t();
        final pthread_cond_t cond = new pthread_cond_t();
        /** Guarded by mutex. */
        int turn = PING;
        /** Guarded by mutex. */
        boolean stop;
        long trips;
        pthread_t pong;
        final StartRoutine ping = arg -> ping(TRIPS_N);

        @Setup(Level.Trial)
        public void start() {
            pong = Harness.start("pong", arg -> pong());
        }

        private Object pong() {
            ok("pthread_mutex_lock", pthread_mutex_lock(mutex));
            for (;;) {
                while (turn != PONG) {
                    ok("pthread_cond_wait", pthread_cond_wait(cond, mutex));
                }
                if (stop) {
                    break;
                }
                turn = PING;
                ok("pthread_cond_signal", pthread_cond_signal(cond));
            }
            ok("pthread_mutex_unlock", pthread_mutex_unlock(mutex));
            return null;
        }

        private Object ping(int n) {
            ok("pthread_mutex_lock", pthread_mutex_lock(mutex));
            for (int i = 0; i < n; i++) {
                turn = PONG;
                ok("pthread_cond_signal", pthread_cond_signal(cond));
                while (turn != PING) {
                    ok("pthread_cond_wait", pthread_cond_wait(cond, mutex));
                }
            }
            long t = trips += n;
            ok("pthread_mutex_unlock", pthread_mutex_unlock(mutex));
            return t;
        }

        @TearDown(Level.Trial)
        public void stop() {
            ok("pthread_mutex_lock", pthread_mutex_lock(mutex));
            stop = true;
            turn = PONG;
            ok("pthread_cond_signal", pthread_cond_signal(cond));
            ok("pthread_mutex_unlock", pthread_mutex_unlock(mutex));
            Harness.join("pong", pong);
        }
    }

    /** Two Java threads of one kind and a {@code ReentrantLock} with its {@code Condition}. */
    public abstract static class JucPair {
        final ReentrantLock lock = new ReentrantLock();
        final Condition cond = lock.newCondition();
        /** Guarded by lock. */
        int turn = PING;
        /** Guarded by lock. */
        boolean stop;
        long trips;
        Thread pong;
        final Runnable ping = () -> ping(TRIPS_N);

        abstract Thread.Builder builder();

        @Setup(Level.Trial)
        public void start() {
            pong = builder().name("pong").start(this::pong);
        }

        private void pong() {
            lock.lock();
            try {
                for (;;) {
                    while (turn != PONG) {
                        cond.awaitUninterruptibly();
                    }
                    if (stop) {
                        return;
                    }
                    turn = PING;
                    cond.signal();
                }
            } finally {
                lock.unlock();
            }
        }

        private void ping(int n) {
            lock.lock();
            try {
                for (int i = 0; i < n; i++) {
                    turn = PONG;
                    cond.signal();
                    while (turn != PING) {
                        cond.awaitUninterruptibly();
                    }
                }
                trips += n;
            } finally {
                lock.unlock();
            }
        }

        long run() throws InterruptedException {
            Harness.inThread(builder().name("ping"), ping);
            return trips; // ordered by the join
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            lock.lock();
            try {
                stop = true;
                turn = PONG;
                cond.signal();
            } finally {
                lock.unlock();
            }
            Harness.joinPartner(pong);
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
        return Harness.inPthread("ping", pair.ping);
    }

    @Benchmark
    @OperationsPerInvocation(TRIPS_N)
    public long glibc() {
        return Harness.elapsed("p4j_bench_cond_pingpong", p4j_bench_cond_pingpong(TRIPS_N));
    }

    @Benchmark
    @OperationsPerInvocation(TRIPS_N)
    public long reentrantLockPlatform(PlatformPair pair) throws InterruptedException {
        return pair.run();
    }

    @Benchmark
    @OperationsPerInvocation(TRIPS_N)
    public long reentrantLockVirtual(VirtualPair pair) throws InterruptedException {
        return pair.run();
    }
}
