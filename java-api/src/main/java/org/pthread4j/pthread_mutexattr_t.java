package org.pthread4j;

import java.util.Arrays;

/** Mutex attributes; usable after {@code pthread_mutexattr_init}. */
public final class pthread_mutexattr_t extends SyncAttr {
    int type;
    int robust;
    int protocol;
    /** The priority ceiling; 0 until set (reported as the lowest real-time priority, as glibc). */
    int prioceiling;

    /**
     * An uninitialized object, as C's {@code pthread_mutexattr_t x;}: {@code
     * pthread_mutexattr_init} makes it usable.
     */
    public pthread_mutexattr_t() {}

    /**
     * {@code n} new handles, each as {@code new pthread_mutexattr_t()} makes it: C's
     * {@code pthread_mutexattr_t a[n];}, each ready for {@code pthread_mutexattr_init}.
     *
     * @param n the length of the array
     * @return the array, every element a new handle
     */
    public static pthread_mutexattr_t[] array(int n) {
        pthread_mutexattr_t[] a = new pthread_mutexattr_t[n];
        Arrays.setAll(a, i -> new pthread_mutexattr_t());
        return a;
    }
}
