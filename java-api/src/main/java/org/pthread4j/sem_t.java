package org.pthread4j;

import java.util.Arrays;
import org.pthread4j.sync.Semaphore;

/** An unnamed semaphore; usable after {@code sem_init}. */
public final class sem_t {
    Semaphore impl;

    /** An uninitialized object, as C's {@code sem_t x;}: {@code sem_init} makes it usable. */
    public sem_t() {}

    /**
     * {@code n} new handles, each as {@code new sem_t()} makes it: C's {@code sem_t s[n];}, each
     * ready for {@code sem_init}.
     *
     * @param n the length of the array
     * @return the array, every element a new handle
     */
    public static sem_t[] array(int n) {
        sem_t[] a = new sem_t[n];
        Arrays.setAll(a, i -> new sem_t());
        return a;
    }
}
