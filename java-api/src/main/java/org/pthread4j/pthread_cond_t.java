package org.pthread4j;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.pthread4j.spi.Futex;
import org.pthread4j.sync.Cond;

/** A condition variable. {@code new pthread_cond_t()} is {@code PTHREAD_COND_INITIALIZER}. */
public final class pthread_cond_t {
    Cond impl;

    /** {@code PTHREAD_COND_INITIALIZER}: a condition variable on CLOCK_REALTIME. */
    public pthread_cond_t() {
        impl = new Cond(Backends.futex(), Futex.CLOCK_REALTIME);
        place = null;
    }

    /** {@code sizeof(pthread_cond_t)}: the bytes it takes in memory (glibc's size on x86-64). */
    public static final long BYTES = Shared.COND_SIZE;

    /** The memory the object is placed in ({@link #at}), or null for one on the heap. */
    final MemorySegment place;

    private pthread_cond_t(MemorySegment place) {
        this.place = place;
        impl = Shared.cond(place);
    }

    /**
     * The condition variable at {@code offset} of {@code memory}: C's
     * {@code (pthread_cond_t *) (memory + offset)}. Placed in a mapping that processes share
     * ({@code Posix.mmap} with {@code MAP_SHARED}) and initialized with PTHREAD_PROCESS_SHARED, it
     * works between processes, on the {@code native} backend. The handle reads what the memory
     * holds now: an object initialized process-shared (by any process) works at once; anything
     * else answers EINVAL until {@code pthread_cond_init} on this handle. All the handles of one
     * address in a process are one object.
     *
     * @param memory the memory, e.g. a mapping
     * @param offset the object's offset in it; its address must be a multiple of 8
     * @return a handle to the object there
     * @throws IndexOutOfBoundsException when the {@link #BYTES} bytes from offset are not all
     *         inside memory
     * @throws IllegalArgumentException when the address is not a multiple of 8
     */
    public static pthread_cond_t at(MemorySegment memory, long offset) {
        return new pthread_cond_t(Shared.place(memory, offset, BYTES));
    }

    /**
     * {@code n} new handles, each as {@code new pthread_cond_t()} makes it: C's
     * {@code pthread_cond_t c[n]} with every element {@code PTHREAD_COND_INITIALIZER}.
     *
     * @param n the length of the array
     * @return the array, every element a new handle
     */
    public static pthread_cond_t[] array(int n) {
        pthread_cond_t[] a = new pthread_cond_t[n];
        Arrays.setAll(a, i -> new pthread_cond_t());
        return a;
    }
}
