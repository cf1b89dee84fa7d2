package org.pthread4j;

import java.util.Arrays;
import org.pthread4j.spi.Futex;
import org.pthread4j.sync.Cond;

/** A condition variable. {@code new pthread_cond_t()} is {@code PTHREAD_COND_INITIALIZER}. */
public final class pthread_cond_t {
    Cond impl;

    /** {@code PTHREAD_COND_INITIALIZER}: a condition variable on CLOCK_REALTIME. */
    public pthread_cond_t() {
        impl = new Cond(Backends.futex(), Futex.CLOCK_REALTIME);
    }

    /**
     * {@code n} new handles, each as {@code new pthread_cond_t()} makes it: C's
     * {@code pthread_cond_t c[n]} with every element {@code PTHREAD_COND_INITIALIZER}.
     *
     * @param n the length of the array
     * @return the array, every element a new handle
     */
    public static pthread_cond_t[] array(int n) {
        pthread_cond_t[] a = new pthread_cond_t[n];
        Arrays.setAll(a, i -> new pthread_cond_t());
        return a;
    }
}
