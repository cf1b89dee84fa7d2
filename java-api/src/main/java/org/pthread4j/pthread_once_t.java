package org.pthread4j;

import java.util.Arrays;
import org.pthread4j.sync.Once;

/** A once control. {@code new pthread_once_t()} is {@code PTHREAD_ONCE_INIT}. */
public final class pthread_once_t {
    final Once impl = new Once();

    /** {@code PTHREAD_ONCE_INIT}: the routine has not run. */
    public pthread_once_t() {}

    /**
     * {@code n} new handles, each as {@code new pthread_once_t()} makes it: C's
     * {@code pthread_once_t o[n]} with every element {@code PTHREAD_ONCE_INIT}.
     *
     * @param n the length of the array
     * @return the array, every element a new handle
     */
    public static pthread_once_t[] array(int n) {
        pthread_once_t[] a = new pthread_once_t[n];
        Arrays.setAll(a, i -> new pthread_once_t());
        return a;
    }
}
