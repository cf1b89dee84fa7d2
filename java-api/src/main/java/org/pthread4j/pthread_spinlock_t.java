package org.pthread4j;

import java.util.Arrays;
import org.pthread4j.sync.SpinLock;

/** A spin lock; usable after {@code pthread_spin_init}. */
public final class pthread_spinlock_t {
    SpinLock impl;

    /**
     * An uninitialized object, as C's {@code pthread_spinlock_t x;}: {@code pthread_spin_init}
     * makes it usable.
     */
    public pthread_spinlock_t() {}

    /**
     * {@code n} new handles, each as {@code new pthread_spinlock_t()} makes it: C's
     * {@code pthread_spinlock_t s[n];}, each ready for {@code pthread_spin_init}.
     *
     * @param n the length of the array
     * @return the array, every element a new handle
     */
    public static pthread_spinlock_t[] array(int n) {
        pthread_spinlock_t[] a = new pthread_spinlock_t[n];
        Arrays.setAll(a, i -> new pthread_spinlock_t());
        return a;
    }
}
