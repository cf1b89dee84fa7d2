package org.pthread4j;

import java.util.Arrays;
import org.pthread4j.sync.RwLock;

/** A readers-writer lock. {@code new pthread_rwlock_t()} is {@code PTHREAD_RWLOCK_INITIALIZER}. */
public final class pthread_rwlock_t {
    RwLock impl;

    /** {@code PTHREAD_RWLOCK_INITIALIZER}: a readers-writer lock, unlocked. */
    public pthread_rwlock_t() {
        impl = new RwLock(Backends.futex());
    }

    /**
     * {@code n} new handles, each as {@code new pthread_rwlock_t()} makes it: C's
     * {@code pthread_rwlock_t l[n]} with every element {@code PTHREAD_RWLOCK_INITIALIZER}.
     *
     * @param n the length of the array
     * @return the array, every element a new handle
     */
    public static pthread_rwlock_t[] array(int n) {
        pthread_rwlock_t[] a = new pthread_rwlock_t[n];
        Arrays.setAll(a, i -> new pthread_rwlock_t());
        return a;
    }
}
