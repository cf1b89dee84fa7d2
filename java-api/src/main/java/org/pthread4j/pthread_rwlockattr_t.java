package org.pthread4j;

import java.util.Arrays;

/** Readers-writer lock attributes; usable after {@code pthread_rwlockattr_init}. */
public final class pthread_rwlockattr_t extends SyncAttr {

    /**
     * An uninitialized object, as C's {@code pthread_rwlockattr_t x;}: {@code
     * pthread_rwlockattr_init} makes it usable.
     */
    public pthread_rwlockattr_t() {}

    /**
     * {@code n} new handles, each as {@code new pthread_rwlockattr_t()} makes it: C's
     * {@code pthread_rwlockattr_t a[n];}, each ready for {@code pthread_rwlockattr_init}.
     *
     * @param n the length of the array
     * @return the array, every element a new handle
     */
    public static pthread_rwlockattr_t[] array(int n) {
        pthread_rwlockattr_t[] a = new pthread_rwlockattr_t[n];
        Arrays.setAll(a, i -> new pthread_rwlockattr_t());
        return a;
    }
}
