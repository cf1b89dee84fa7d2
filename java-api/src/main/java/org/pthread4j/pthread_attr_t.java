package org.pthread4j;

import java.util.Arrays;

/** Thread creation attributes; usable after {@code pthread_attr_init}. */
public final class pthread_attr_t {
    boolean initialized;
    int detachstate;
    long stacksize;
    long guardsize;

    /**
     * An uninitialized object, as C's {@code pthread_attr_t x;}: {@code pthread_attr_init} makes it
     * usable.
     */
    public pthread_attr_t() {}

    /**
     * {@code n} new handles, each as {@code new pthread_attr_t()} makes it: C's
     * {@code pthread_attr_t a[n];}, each ready for {@code pthread_attr_init}.
     *
     * @param n the length of the array
     * @return the array, every element a new handle
     */
    public static pthread_attr_t[] array(int n) {
        pthread_attr_t[] a = new pthread_attr_t[n];
        Arrays.setAll(a, i -> new pthread_attr_t());
        return a;
    }
}
