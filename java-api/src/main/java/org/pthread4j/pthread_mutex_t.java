package org.pthread4j;

import java.util.Arrays;
import org.pthread4j.sync.Mutex;

/**
 * A mutex. {@code new pthread_mutex_t()} is {@code PTHREAD_MUTEX_INITIALIZER}: a default
 * mutex, usable at once; {@code pthread_mutex_init} gives it other attributes.
 */
public final class pthread_mutex_t {
    Mutex impl;

    /** {@code PTHREAD_MUTEX_INITIALIZER}: a default mutex, unlocked. */
    public pthread_mutex_t() {
        impl = new Mutex(Backends.futex(), Mutex.NORMAL, false);
    }

    /**
     * {@code n} new handles, each as {@code new pthread_mutex_t()} makes it: C's
     * {@code pthread_mutex_t m[n]} with every element {@code PTHREAD_MUTEX_INITIALIZER}.
     *
     * @param n the length of the array
     * @return the array, every element a new handle
     */
    public static pthread_mutex_t[] array(int n) {
        pthread_mutex_t[] a = new pthread_mutex_t[n];
        Arrays.setAll(a, i -> new pthread_mutex_t());
        return a;
    }
}
