package org.pthread4j.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.TimeUnit;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.pthread4j.nativ.NativeBinding;

/**
 * The binding question: the same call into the same C layer through FFM (jextract's
 * bindings), FFM with {@code Linker.Option.critical} (no thread-state transition; safe here
 * because these calls never block and never call back), pthread4j's own JNI entry points, and
 * jnr-posix (JNI into libc) where it has the call. Thread create+join and ping-pong over each
 * binding come from {@link CreateJoinBench} and {@link CondPingPongBench} run with
 * {@code -Dpthread4j.binding=jni}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsPrepend = {Harness.NATIVE_ACCESS, Harness.OPEN_LANG, "--sun-misc-unsafe-memory-access=allow"})
public class BindingBench {

    NativeBinding ffm;
    NativeBinding jni;
    POSIX jnr;
    MethodHandle gettidCritical;
    MethodHandle futexWakeCritical;
    /** A word nobody waits on: FUTEX_WAKE returns 0 after the system call. */
    MemorySegment word;

    @Setup
    public void setUp() {
        org.pthread4j.nativ.NativeLibrary.ensureLoaded();
        ffm = NativeBinding.ffm();
        jni = NativeBinding.jni();
        jnr = POSIXFactory.getNativePOSIX();
        Linker linker = Linker.nativeLinker();
        SymbolLookup lib = SymbolLookup.loaderLookup();
        gettidCritical = linker.downcallHandle(lib.find("p4j_gettid").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT), Linker.Option.critical(false));
        futexWakeCritical = linker.downcallHandle(lib.find("p4j_futex_wake").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
                Linker.Option.critical(false));
        word = Arena.global().allocate(4, 4);
    }

    @Benchmark
    public int gettidFfm() {
        return ffm.gettid();
    }

    @Benchmark
    public int gettidFfmCritical() throws Throwable {
        return (int) gettidCritical.invokeExact();
    }

    @Benchmark
    public int gettidJni() {
        return jni.gettid();
    }

    @Benchmark
    public int getpidFfm() {
        return ffm.getpid();
    }

    @Benchmark
    public int getpidJni() {
        return jni.getpid();
    }

    @Benchmark
    public int getpidJnr() {
        return jnr.getpid();
    }

    @Benchmark
    public int futexWakeFfm() {
        return ffm.futexWake(word, 1);
    }

    @Benchmark
    public int futexWakeFfmCritical() throws Throwable {
        return (int) futexWakeCritical.invokeExact(word, 1);
    }

    @Benchmark
    public int futexWakeJni() {
        return jni.futexWake(word, 1);
    }
}
