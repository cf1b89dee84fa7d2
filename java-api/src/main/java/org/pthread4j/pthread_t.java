package org.pthread4j;

import java.util.Arrays;
import org.pthread4j.spi.Tcb;

/** A thread handle, filled by {@code pthread_create} or returned by {@code pthread_self}. */
public final class pthread_t {
    volatile Tcb tcb;

    /** An empty handle, as C's {@code pthread_t t;}: {@code pthread_create} fills it. */
    public pthread_t() {}

    pthread_t(Tcb tcb) {
        this.tcb = tcb;
    }

    /**
     * {@code n} new handles, each as {@code new pthread_t()} makes it: C's
     * {@code pthread_t t[n];}, each ready for {@code pthread_create}.
     *
     * @param n the length of the array
     * @return the array, every element a new handle
     */
    public static pthread_t[] array(int n) {
        pthread_t[] a = new pthread_t[n];
        Arrays.setAll(a, i -> new pthread_t());
        return a;
    }

    /**
     * A number for printing the handle, as C prints {@code pthread_t} with {@code %lu}
     * ({@code printf("%lu", t)} prints it too): positive, the same for handles that
     * {@code pthread_equal} calls equal, different for threads alive at the same time, and,
     * like glibc's, reused after a thread has been joined or its detached body has ended
     * (glibc's is the address of the thread's descriptor; this is pthread4j's thread id, the
     * owner id in lock words).
     *
     * @return the number; 0 for a handle that names no thread yet
     */
    public long value() {
        Tcb t = tcb;
        return t == null ? 0 : t.id;
    }

    @Override
    public String toString() {
        Tcb t = tcb;
        return t == null ? "pthread_t[unset]" : "pthread_t[" + t.id + "]";
    }
}
