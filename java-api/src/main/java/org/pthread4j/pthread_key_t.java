package org.pthread4j;

import java.util.Arrays;

/** A thread-specific data key, filled by {@code pthread_key_create}. */
public final class pthread_key_t {
    int slot = -1;
    int generation;

    /** An empty key, as C's {@code pthread_key_t k;}: {@code pthread_key_create} fills it. */
    public pthread_key_t() {}

    /**
     * {@code n} new handles, each as {@code new pthread_key_t()} makes it: C's
     * {@code pthread_key_t k[n];}, each ready for {@code pthread_key_create}.
     *
     * @param n the length of the array
     * @return the array, every element a new handle
     */
    public static pthread_key_t[] array(int n) {
        pthread_key_t[] a = new pthread_key_t[n];
        Arrays.setAll(a, i -> new pthread_key_t());
        return a;
    }
}
