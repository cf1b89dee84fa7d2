package org.pthread4j.bench;

import static org.pthread4j.bench.Harness.CREATE_N;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_bench_clone_join;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_bench_create_join;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_thread_create;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_thread_join;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
import org.pthread4j.StartRoutine;
import org.pthread4j.nativ.ffi.p4j_start_fn;

/**
 * Creating a thread that runs an empty routine, and joining it: one operation.
 *
 * <ul>
 *   <li>{@code pthread4j}: {@code pthread_create} + {@code pthread_join} on the selected backend
 *       (native: glibc creates the kernel thread, which enters Java through an upcall);</li>
 *   <li>{@code glibc}: the C loop {@code p4j_bench_create_join}, glibc create+join of a C
 *       routine (no JVM attach), called through FFM;</li>
 *   <li>{@code javaThread}, {@code virtualThread}: {@code java.lang.Thread} start+join, platform
 *       and virtual;</li>
 *   <li>{@code cloneTask}: the C loop {@code p4j_bench_clone_join}, a bare {@code clone(2)} task
 *       on a 64 KiB mmap'd stack joined by a futex wait: the floor of the mechanism;</li>
 *   <li>{@code rawUpcall}: the C layer's {@code p4j_thread_create} (joinable) +
 *       {@code p4j_thread_join} with a no-op FFM upcall and none of pthread4j's bookkeeping:
 *       glibc's create+join plus the JVM attaching and detaching the kernel thread, all on
 *       the critical path. {@code rawUpcall / glibc} is what the JVM charges for letting a C
 *       thread run Java. (pthread4j's native backend does the same glibc create+join, its join
 *       made cancellable by a futex wait on the kernel's clear-child-tid word.)</li>
 * </ul>
 * Targets (native): {@code pthread4j} ≤ 1.5 × {@code glibc}, and ≥ 1.5 × faster than
 * {@code javaThread}; (virtual) {@code pthread4j} ≤ 1.3 × {@code virtualThread}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(jvmArgsPrepend = {Harness.NATIVE_ACCESS, Harness.OPEN_LANG})
public class CreateJoinBench {

    private final Object token = new Object();
    /** Returns a constant, so that join has a value to hand back and check. */
    private final StartRoutine routine = arg -> token;
    /** Written by each Java thread: its routine is not empty to the compiler. */
    private volatile Object last;
    private final Runnable javaBody = () -> last = token;

    /** Counts the raw upcalls: the no-op body has an effect the compiler must keep. */
    private volatile long upcalls;
    private MemorySegment noopStub;
    private MemorySegment handle;

    @Setup
    public void setUp() {
        Harness.setUpTrial();
        noopStub = p4j_start_fn.allocate(id -> upcalls++, Arena.global());
        handle = Arena.global().allocate(ValueLayout.JAVA_LONG);
    }

    @Benchmark
    public Object pthread4j() {
        Object value = Harness.join("empty", Harness.start("empty", routine));
        if (value != token) {
            throw new IllegalStateException("the empty routine's exit value was lost: " + value);
        }
        return value;
    }

    @Benchmark
    @OperationsPerInvocation(CREATE_N)
    public long glibc() {
        return Harness.elapsed("p4j_bench_create_join", p4j_bench_create_join(CREATE_N));
    }

    @Benchmark
    public Object javaThread() throws InterruptedException {
        Thread t = new Thread(javaBody);
        t.start();
        t.join();
        return last;
    }

    @Benchmark
    public Object virtualThread() throws InterruptedException {
        Thread.ofVirtual().start(javaBody).join();
        return last;
    }

    @Benchmark
    @OperationsPerInvocation(CREATE_N)
    public long cloneTask() {
        return Harness.elapsed("p4j_bench_clone_join", p4j_bench_clone_join(CREATE_N));
    }

    @Benchmark
    public long rawUpcall() {
        long before = upcalls;
        Harness.ok("p4j_thread_create", -p4j_thread_create(noopStub, 0, 0, 0, 0, MemorySegment.NULL, handle));
        Harness.ok("p4j_thread_join", -p4j_thread_join(handle.get(ValueLayout.JAVA_LONG, 0)));
        if (upcalls != before + 1) {
            throw new IllegalStateException("the upcall did not run");
        }
        return before;
    }
}
