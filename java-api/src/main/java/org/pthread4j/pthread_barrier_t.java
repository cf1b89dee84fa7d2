package org.pthread4j;

import java.util.Arrays;
import org.pthread4j.sync.Barrier;

/** A barrier; usable after {@code pthread_barrier_init}. */
public final class pthread_barrier_t {
    Barrier impl;

    /**
     * An uninitialized object, as C's {@code pthread_barrier_t x;}: {@code pthread_barrier_init}
     * makes it usable.
     */
    public pthread_barrier_t() {}

    /**
     * {@code n} new handles, each as {@code new pthread_barrier_t()} makes it: C's
     * {@code pthread_barrier_t b[n];}, each ready for {@code pthread_barrier_init}.
     *
     * @param n the length of the array
     * @return the array, every element a new handle
     */
    public static pthread_barrier_t[] array(int n) {
        pthread_barrier_t[] a = new pthread_barrier_t[n];
        Arrays.setAll(a, i -> new pthread_barrier_t());
        return a;
    }
}
