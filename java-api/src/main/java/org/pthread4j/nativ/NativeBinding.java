package org.pthread4j.nativ;

import java.lang.foreign.MemorySegment;

/**
 * The calls the native backend makes into the C layer, behind one contract with two
 * implementations: {@link FfmBinding} (the jextract bindings; threads enter Java through an
 * FFM upcall) and {@link JniBinding} (JNI entry points of the same library; threads attach
 * with {@code AttachCurrentThread}). {@code -Dpthread4j.binding=ffm|jni} chooses (default
 * {@code ffm}). The lock algorithms and their off-heap words are the same either way.
 *
 * <p>Every method returns what the C function returns: {@code >= 0} or {@code -errno}.
 */
public interface NativeBinding {

    /** {@code ffm} or {@code jni}. */
    String name();

    /**
     * Creates a kernel thread (detached in glibc if {@code detached}) that enters Java with
     * {@code id}, which the binding passes to {@link NativeThreadModel#enter}. Stores the
     * glibc handle in {@code handle[0]}.
     */
    int threadCreate(int id, long stackSize, long guardSize, boolean detached, long[] handle);

    /**
     * {@code p4j_thread_run}: runs {@link NativeThreadModel#enter}{@code (id)} on a kernel thread
     * of the cache (an idle one, else a new one, detached in glibc). Stores the glibc handle in
     * {@code handle[0]}; returns 0 (an idle thread runs it), 1 (a new one does) or {@code -errno}.
     */
    int threadRun(int id, long[] handle);

    /**
     * {@code p4j_thread_join2}: joins the glibc thread in one sleep that a non-zero
     * {@code cancel} word ends ({@code -ECANCELED}); {@code cancel} null for a join no cancel
     * can end. {@code -ENOSYS} when this glibc's thread words cannot be used.
     */
    int threadJoin(long handle, MemorySegment cancel);

    int threadDetach(long handle);

    int threadSetname(long handle, String name);

    long threadSelf();

    int futexWait(MemorySegment word, int expected, int clock, long sec, long nsec);

    int futexWait2(MemorySegment word, int expected, MemorySegment cancel, int clock, long sec, long nsec);

    int futexWake(MemorySegment word, int count);

    int futexRequeue(MemorySegment from, int expected, int nwake, MemorySegment to, int nrequeue);

    /** The futex calls above on a word other processes map too (no FUTEX_PRIVATE_FLAG). */
    int futexWaitShared(MemorySegment word, int expected, int clock, long sec, long nsec);

    int futexWait2Shared(MemorySegment word, int expected, MemorySegment cancel, int clock, long sec, long nsec);

    int futexWakeShared(MemorySegment word, int count);

    /** {@code p4j_robust_pending}: the calling thread's list_op_pending ({@code NULL} clears it). */
    int robustPending(MemorySegment node);

    /** {@code p4j_robust_enqueue}: links {@code node} on the calling thread's robust list. */
    int robustEnqueue(MemorySegment node);

    /** {@code p4j_robust_dequeue}: unlinks {@code node}, announced as pending. */
    int robustDequeue(MemorySegment node);

    int gettid();

    int getpid();

    /** {@code p4j_sched_set}: the policy and priority of kernel thread {@code tid}. */
    int schedSet(int tid, int policy, int priority);

    int schedSetprio(int tid, int priority);

    /** {@code p4j_sched_get} into {@code policyPriority[0..1]}. */
    int schedGet(int tid, int[] policyPriority);

    /** {@code p4j_sched_setaffinity} from the first {@code size} bytes of {@code mask}. */
    int schedSetaffinity(int tid, long size, long[] mask);

    /** {@code p4j_sched_getaffinity} into the first {@code size} bytes of {@code mask}. */
    int schedGetaffinity(int tid, long size, long[] mask);

    /** {@code p4j_cpuclock_gettime} into {@code secNsec[0..1]}. */
    int cpuclockGettime(int clock, long[] secNsec);

    int futexLockPi(MemorySegment word, int clock, long sec, long nsec);

    int futexUnlockPi(MemorySegment word);

    /** The FFM binding (for benchmarks that compare the two). */
    static NativeBinding ffm() {
        NativeLibrary.ensureLoaded();
        return new FfmBinding();
    }

    /** The JNI binding (for benchmarks that compare the two). */
    static NativeBinding jni() {
        return new JniBinding();
    }

    /** The binding named by {@code -Dpthread4j.binding}. */
    static NativeBinding selected() {
        String name = System.getProperty("pthread4j.binding", "ffm");
        return switch (name) {
            case "ffm" -> new FfmBinding();
            case "jni" -> new JniBinding();
            default -> throw new IllegalArgumentException("-Dpthread4j.binding=" + name + ": use ffm or jni");
        };
    }
}
