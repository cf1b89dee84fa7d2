package org.pthread4j;

import java.util.Arrays;

/** Condition variable attributes; usable after {@code pthread_condattr_init}. */
public final class pthread_condattr_t extends SyncAttr {
    int clock;

    /**
     * An uninitialized object, as C's {@code pthread_condattr_t x;}: {@code pthread_condattr_init}
     * makes it usable.
     */
    public pthread_condattr_t() {}

    /**
     * {@code n} new handles, each as {@code new pthread_condattr_t()} makes it: C's
     * {@code pthread_condattr_t a[n];}, each ready for {@code pthread_condattr_init}.
     *
     * @param n the length of the array
     * @return the array, every element a new handle
     */
    public static pthread_condattr_t[] array(int n) {
        pthread_condattr_t[] a = new pthread_condattr_t[n];
        Arrays.setAll(a, i -> new pthread_condattr_t());
        return a;
    }
}
