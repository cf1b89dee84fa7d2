package org.pthread4j;

import java.util.Arrays;

/** Barrier attributes; usable after {@code pthread_barrierattr_init}. */
public final class pthread_barrierattr_t extends SyncAttr {

    /**
     * An uninitialized object, as C's {@code pthread_barrierattr_t x;}: {@code
     * pthread_barrierattr_init} makes it usable.
     */
    public pthread_barrierattr_t() {}

    /**
     * {@code n} new handles, each as {@code new pthread_barrierattr_t()} makes it: C's
     * {@code pthread_barrierattr_t a[n];}, each ready for {@code pthread_barrierattr_init}.
     *
     * @param n the length of the array
     * @return the array, every element a new handle
     */
    public static pthread_barrierattr_t[] array(int n) {
        pthread_barrierattr_t[] a = new pthread_barrierattr_t[n];
        Arrays.setAll(a, i -> new pthread_barrierattr_t());
        return a;
    }
}
