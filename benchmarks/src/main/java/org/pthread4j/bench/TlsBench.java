package org.pthread4j.bench;

import static org.pthread4j.Pthreads.pthread_getspecific;
import static org.pthread4j.Pthreads.pthread_key_create;
import static org.pthread4j.Pthreads.pthread_key_delete;
import static org.pthread4j.Pthreads.pthread_setspecific;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_tls_counter_inc;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.pthread4j.pthread_key_t;

/**
 * Thread-local storage, one access per operation, on the benchmark thread (a Java thread that
 * pthread4j treats as a foreign pthread).
 *
 * <ul>
 *   <li>{@code getspecific} / {@code setspecific}: {@code pthread_getspecific} and
 *       {@code pthread_setspecific} on one key;</li>
 *   <li>{@code threadLocalGet} / {@code threadLocalSet}: {@code ThreadLocal.get} and
 *       {@code set};</li>
 *   <li>{@code cTlsDowncall}: an FFM downcall that increments a C {@code __thread} counter:
 *       the C access itself is about a nanosecond, so this is the price of crossing into C
 *       for it, the figure to beat by keeping TLS on the Java side.</li>
 * </ul>
 * The set benchmarks alternate between two values, so that no store is redundant.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(jvmArgsPrepend = {Harness.NATIVE_ACCESS, Harness.OPEN_LANG})
public class TlsBench {

    private final pthread_key_t key = new pthread_key_t();
    private final ThreadLocal<Object> local = new ThreadLocal<>();
    private final Object[] values = {new Object(), new Object()};
    private int next;

    @Setup
    public void setUp() {
        Harness.setUpTrial();
        Harness.ok("pthread_key_create", pthread_key_create(key, null));
        Harness.ok("pthread_setspecific", pthread_setspecific(key, values[0]));
        local.set(values[0]);
    }

    @TearDown
    public void tearDown() {
        if (pthread_getspecific(key) == null || local.get() == null) {
            throw new IllegalStateException("a thread-local value was lost");
        }
        Harness.ok("pthread_key_delete", pthread_key_delete(key));
    }

    private Object nextValue() {
        return values[next ^= 1];
    }

    @Benchmark
    public Object getspecific() {
        return pthread_getspecific(key);
    }

    @Benchmark
    public int setspecific() {
        int rc = pthread_setspecific(key, nextValue());
        if (rc != 0) {
            throw new IllegalStateException("pthread_setspecific returned " + rc);
        }
        return rc;
    }

    @Benchmark
    public Object threadLocalGet() {
        return local.get();
    }

    @Benchmark
    public Object threadLocalSet() {
        Object v = nextValue();
        local.set(v);
        return v;
    }

    @Benchmark
    public long cTlsDowncall() {
        return p4j_tls_counter_inc();
    }
}
