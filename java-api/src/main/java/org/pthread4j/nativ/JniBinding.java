package org.pthread4j.nativ;

import java.lang.foreign.MemorySegment;

/**
 * The C layer through its JNI entry points ({@code native/p4j_jni.c}), in the same
 * {@code libpthread4j.so}. Words travel as addresses. A thread created here attaches itself
 * to the JVM with {@code AttachCurrentThreadAsDaemon}, calls {@link #run}, and detaches; a
 * thread of the cache ({@link #threadRun}) detaches only when it leaves the cache.
 */
final class JniBinding implements NativeBinding {

    static {
        NativeLibrary.ensureLoaded();
        if (init() != 0) {
            throw new UnsatisfiedLinkError("libpthread4j.so: the JNI entry points did not initialize");
        }
    }

    private static native int init();

    private static native int threadCreate(long id, long stackSize, long guardSize, int detached, long[] handle);

    private static native int threadRun(long id, long[] handle);

    private static native int setname0(long handle, String name);

    private static native long self0();

    private static native int futexWait(long word, int expected, int clock, long sec, long nsec);

    private static native int futexWait2(long word, int expected, long cancel, int clock, long sec, long nsec);

    private static native int futexWake(long word, int count);

    private static native int futexRequeue(long from, int expected, int nwake, long to, int nrequeue);

    private static native int futexWaitShared(long word, int expected, int clock, long sec, long nsec);

    private static native int futexWait2Shared(long word, int expected, long cancel, int clock, long sec, long nsec);

    private static native int futexWakeShared(long word, int count);

    private static native int robustPending0(long node);

    private static native int robustEnqueue0(long node);

    private static native int robustDequeue0(long node);

    private static native int gettid0();

    private static native int getpid0();

    /** getrusage(RUSAGE_THREAD) into {@code [utime_ns, stime_ns, nvcsw, nivcsw]}. */
    static native int threadRusage(long[] out);

    private static native int join2(long handle, long cancel);

    private static native int schedSet0(int tid, int policy, int priority);

    private static native int schedSetprio0(int tid, int priority);

    private static native int schedGet0(int tid, int[] policyPriority);

    private static native int schedSetaffinity0(int tid, long size, long[] mask);

    private static native int schedGetaffinity0(int tid, long size, long[] mask);

    private static native int cpuclockGettime0(int clock, long[] secNsec);

    private static native int futexLockPi0(long word, int clock, long sec, long nsec);

    private static native int futexUnlockPi0(long word);

    private static native int detach0(long handle);

    /** Called from C on the new kernel thread, once attached. Never throws. */
    private static void run(long id) {
        try {
            NativeThreadModel.enter(id);
        } catch (Throwable t) {
            // the C side would only clear it
        }
    }

    @Override
    public String name() {
        return "jni";
    }

    @Override
    public int threadCreate(int id, long stackSize, long guardSize, boolean detached, long[] handle) {
        return threadCreate(id, stackSize, guardSize, detached ? 1 : 0, handle);
    }

    @Override
    public int threadRun(int id, long[] handle) {
        return threadRun((long) id, handle);
    }

    @Override
    public int threadJoin(long handle, MemorySegment cancel) {
        return join2(handle, cancel == null ? 0 : cancel.address());
    }

    @Override
    public int threadDetach(long handle) {
        return detach0(handle);
    }

    @Override
    public int threadSetname(long handle, String name) {
        return setname0(handle, name);
    }

    @Override
    public long threadSelf() {
        return self0();
    }

    @Override
    public int futexWait(MemorySegment word, int expected, int clock, long sec, long nsec) {
        return futexWait(word.address(), expected, clock, sec, nsec);
    }

    @Override
    public int futexWait2(MemorySegment word, int expected, MemorySegment cancel, int clock, long sec, long nsec) {
        return futexWait2(word.address(), expected, cancel.address(), clock, sec, nsec);
    }

    @Override
    public int futexWake(MemorySegment word, int count) {
        return futexWake(word.address(), count);
    }

    @Override
    public int futexRequeue(MemorySegment from, int expected, int nwake, MemorySegment to, int nrequeue) {
        return futexRequeue(from.address(), expected, nwake, to.address(), nrequeue);
    }

    @Override
    public int futexWaitShared(MemorySegment word, int expected, int clock, long sec, long nsec) {
        return futexWaitShared(word.address(), expected, clock, sec, nsec);
    }

    @Override
    public int futexWait2Shared(MemorySegment word, int expected, MemorySegment cancel, int clock, long sec, long nsec) {
        return futexWait2Shared(word.address(), expected, cancel.address(), clock, sec, nsec);
    }

    @Override
    public int futexWakeShared(MemorySegment word, int count) {
        return futexWakeShared(word.address(), count);
    }

    @Override
    public int robustPending(MemorySegment node) {
        return robustPending0(node.address());
    }

    @Override
    public int robustEnqueue(MemorySegment node) {
        return robustEnqueue0(node.address());
    }

    @Override
    public int robustDequeue(MemorySegment node) {
        return robustDequeue0(node.address());
    }

    @Override
    public int gettid() {
        return gettid0();
    }

    @Override
    public int getpid() {
        return getpid0();
    }

    @Override
    public int schedSet(int tid, int policy, int priority) {
        return schedSet0(tid, policy, priority);
    }

    @Override
    public int schedSetprio(int tid, int priority) {
        return schedSetprio0(tid, priority);
    }

    @Override
    public int schedGet(int tid, int[] policyPriority) {
        return schedGet0(tid, policyPriority);
    }

    @Override
    public int schedSetaffinity(int tid, long size, long[] mask) {
        return schedSetaffinity0(tid, size, mask);
    }

    @Override
    public int schedGetaffinity(int tid, long size, long[] mask) {
        return schedGetaffinity0(tid, size, mask);
    }

    @Override
    public int cpuclockGettime(int clock, long[] secNsec) {
        return cpuclockGettime0(clock, secNsec);
    }

    @Override
    public int futexLockPi(MemorySegment word, int clock, long sec, long nsec) {
        return futexLockPi0(word.address(), clock, sec, nsec);
    }

    @Override
    public int futexUnlockPi(MemorySegment word) {
        return futexUnlockPi0(word.address());
    }
}
