package org.pthread4j.nativ;

import java.lang.foreign.MemorySegment;
import org.pthread4j.nativ.ffi.pthread4j_h;
import org.pthread4j.spi.Futex;
import org.pthread4j.spi.ProcessShared;

/**
 * Process-shared objects on the 1:1 model: the kernel's shared futex, the kernel tid as the
 * owner, and the robust-futex list that glibc registered for each thread, which the nodes of
 * pthread4j's robust mutexes join (the C layer's {@code p4j_robust_*}; why they join glibc's
 * list rather than register one of their own is told in {@code native/p4j_shm.c}).
 *
 * <p>A kernel thread's tid never changes, so a platform thread reads it once; a virtual thread
 * (a foreign one calling in) asks each time, as it may run on another carrier at each call.
 */
final class NativeProcessShared implements ProcessShared {

    private final NativeBinding c;
    private final KernelFutex futex;
    private final ThreadLocal<Integer> tid;

    NativeProcessShared(NativeBinding binding, KernelFutex futex) {
        this.c = binding;
        this.futex = futex;
        this.tid = ThreadLocal.withInitial(binding::gettid);
    }

    @Override
    public Futex futex() {
        return futex;
    }

    @Override
    public long robustNode() {
        return pthread4j_h.P4J_ROBUST_NODE();
    }

    @Override
    public int tid() {
        return Thread.currentThread().isVirtual() ? c.gettid() : tid.get();
    }

    @Override
    public int robustPending(MemorySegment node) {
        return -c.robustPending(node);
    }

    @Override
    public void robustEnqueue(MemorySegment node) {
        c.robustEnqueue(node);
    }

    @Override
    public void robustDequeue(MemorySegment node) {
        c.robustDequeue(node);
    }
}
