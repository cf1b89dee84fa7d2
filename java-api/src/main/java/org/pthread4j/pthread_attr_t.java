package org.pthread4j;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/** Thread creation attributes; usable after {@code pthread_attr_init}. */
public final class pthread_attr_t {
    boolean initialized;
    int detachstate;
    long stacksize;
    long guardsize;
    int inheritsched;
    int schedpolicy;
    int schedpriority;
    /** A user-supplied stack ({@code pthread_attr_setstack}), or null. */
    MemorySegment stack;

    /**
     * An uninitialized object, as C's {@code pthread_attr_t x;}: {@code pthread_attr_init} makes it
     * usable.
     */
    public pthread_attr_t() {}

    /** A copy of the values, as a pthread keeps them for {@code pthread_getattr_np}. */
    pthread_attr_t copy() {
        pthread_attr_t c = new pthread_attr_t();
        c.initialized = initialized;
        c.detachstate = detachstate;
        c.stacksize = stacksize;
        c.guardsize = guardsize;
        c.inheritsched = inheritsched;
        c.schedpolicy = schedpolicy;
        c.schedpriority = schedpriority;
        c.stack = stack;
        return c;
    }

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
