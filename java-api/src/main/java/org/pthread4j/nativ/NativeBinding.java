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

    int gettid();

    int getpid();

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
