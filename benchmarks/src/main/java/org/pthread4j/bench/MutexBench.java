package org.pthread4j.bench;

import static org.pthread4j.Pthreads.pthread_mutex_lock;
import static org.pthread4j.Pthreads.pthread_mutex_unlock;
import static org.pthread4j.bench.Harness.LOCK_N;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_bench_mutex;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_bench_mutex_contended;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.pthread4j.pthread_mutex_t;

/**
 * Lock + a one-field critical section + unlock: one operation.
 *
 * <h2>Uncontended (one thread)</h2>
 * {@code pthread4j} (a default mutex: one CAS to lock, one swap to unlock), {@code glibc}
 * (the C loop {@code p4j_bench_mutex}: glibc's lock/unlock around a volatile increment),
 * {@code reentrantLock}, {@code synchronizedBlock}. Target: {@code pthread4j} ≤ 1.5 × glibc.
 *
 * <h2>Contended (two threads on one lock)</h2>
 * {@code contendedPthread4j}, {@code contendedReentrantLock}, {@code contendedSynchronized}
 * run as JMH groups of two threads; {@code contendedGlibc} is the C loop
 * {@code p4j_bench_mutex_contended(2, n)}: two glibc threads, each {@code n} operations. Every
 * score is the time one thread takes per operation while the other competes, so a lower score
 * is a higher throughput and {@code glibc / pthread4j} is the throughput ratio. Target:
 * ≥ 0.8.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(jvmArgsPrepend = {Harness.NATIVE_ACCESS, Harness.OPEN_LANG})
public class MutexBench {

    private final pthread_mutex_t mutex = new pthread_mutex_t();
    private final ReentrantLock lock = new ReentrantLock();
    private final Object monitor = new Object();
    private long count;

    @Setup
    public void setUp() {
        Harness.setUpTrial();
    }

    @TearDown
    public void checkMutex() {
        Harness.ok("pthread_mutex_lock at tear-down", pthread_mutex_lock(mutex));
        Harness.ok("pthread_mutex_unlock at tear-down", pthread_mutex_unlock(mutex));
    }

    // ---- uncontended ----------------------------------------------------------------------

    @Benchmark
    public long pthread4j() {
        int rc = pthread_mutex_lock(mutex);
        long c = ++count;
        rc |= pthread_mutex_unlock(mutex);
        if (rc != 0) {
            throw new IllegalStateException("pthread_mutex_lock/unlock returned " + rc);
        }
        return c;
    }

    @Benchmark
    @OperationsPerInvocation(LOCK_N)
    public long glibc() {
        return Harness.elapsed("p4j_bench_mutex", p4j_bench_mutex(LOCK_N));
    }

    @Benchmark
    public long reentrantLock() {
        lock.lock();
        try {
            return ++count;
        } finally {
            lock.unlock();
        }
    }

    @Benchmark
    public long synchronizedBlock() {
        synchronized (monitor) {
            return ++count;
        }
    }

    // ---- contended by two threads ---------------------------------------------------------

    /** One lock of each kind per group of two threads. */
    @State(Scope.Group)
    public static class Contended {
        final pthread_mutex_t mutex = new pthread_mutex_t();
        final ReentrantLock lock = new ReentrantLock();
        final Object monitor = new Object();
        long count;

        @Setup(Level.Trial)
        public void setUp() {
            Harness.setUpTrial();
        }
    }

    @Benchmark
    @Group("contendedPthread4j")
    @GroupThreads(2)
    public long contendedPthread4j(Contended s) {
        int rc = pthread_mutex_lock(s.mutex);
        long c = ++s.count;
        rc |= pthread_mutex_unlock(s.mutex);
        if (rc != 0) {
            throw new IllegalStateException("pthread_mutex_lock/unlock returned " + rc);
        }
        return c;
    }

    @Benchmark
    @Group("contendedReentrantLock")
    @GroupThreads(2)
    public long contendedReentrantLock(Contended s) {
        s.lock.lock();
        try {
            return ++s.count;
        } finally {
            s.lock.unlock();
        }
    }

    @Benchmark
    @Group("contendedSynchronized")
    @GroupThreads(2)
    public long contendedSynchronized(Contended s) {
        synchronized (s.monitor) {
            return ++s.count;
        }
    }

    @Benchmark
    @OperationsPerInvocation(LOCK_N)
    public long contendedGlibc() {
        return Harness.elapsed("p4j_bench_mutex_contended", p4j_bench_mutex_contended(2, LOCK_N));
    }

    // ---- contended by four threads (on two cores: two of them are always descheduled) ----

    @Benchmark
    @Group("contended4Pthread4j")
    @GroupThreads(4)
    public long contended4Pthread4j(Contended s) {
        return contendedPthread4j(s);
    }

    @Benchmark
    @Group("contended4ReentrantLock")
    @GroupThreads(4)
    public long contended4ReentrantLock(Contended s) {
        return contendedReentrantLock(s);
    }

    @Benchmark
    @OperationsPerInvocation(LOCK_N / 4)
    public long contended4Glibc() {
        return Harness.elapsed("p4j_bench_mutex_contended", p4j_bench_mutex_contended(4, LOCK_N / 4));
    }
}
