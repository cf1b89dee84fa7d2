package org.pthread4j;

import java.lang.foreign.MemorySegment;
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
        place = null;
    }

    /** {@code sizeof(pthread_mutex_t)}: the bytes it takes in memory (glibc's size on x86-64). */
    public static final long BYTES = Shared.MUTEX_SIZE;

    /** The memory the object is placed in ({@link #at}), or null for one on the heap. */
    final MemorySegment place;

    private pthread_mutex_t(MemorySegment place) {
        this.place = place;
        impl = Shared.mutex(place);
    }

    /**
     * The mutex at {@code offset} of {@code memory}: C's
     * {@code (pthread_mutex_t *) (memory + offset)}. Placed in a mapping that processes share
     * ({@code Posix.mmap} with {@code MAP_SHARED}) and initialized with PTHREAD_PROCESS_SHARED, it
     * works between processes, on the {@code native} backend. The handle reads what the memory
     * holds now: an object initialized process-shared (by any process) works at once; anything
     * else answers EINVAL until {@code pthread_mutex_init} on this handle. All the handles of one
     * address in a process are one object.
     *
     * @param memory the memory, e.g. a mapping
     * @param offset the object's offset in it; its address must be a multiple of 8
     * @return a handle to the object there
     * @throws IndexOutOfBoundsException when the {@link #BYTES} bytes from offset are not all
     *         inside memory
     * @throws IllegalArgumentException when the address is not a multiple of 8
     */
    public static pthread_mutex_t at(MemorySegment memory, long offset) {
        return new pthread_mutex_t(Shared.place(memory, offset, BYTES));
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
