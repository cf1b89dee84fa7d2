package org.pthread4j;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.pthread4j.sync.Barrier;

/** A barrier; usable after {@code pthread_barrier_init}. */
public final class pthread_barrier_t {
    Barrier impl;

    /**
     * An uninitialized object, as C's {@code pthread_barrier_t x;}: {@code pthread_barrier_init}
     * makes it usable.
     */
    public pthread_barrier_t() {
        place = null;
    }

    /** {@code sizeof(pthread_barrier_t)}: the bytes it takes in memory (glibc's size on x86-64). */
    public static final long BYTES = Shared.BARRIER_SIZE;

    /** The memory the object is placed in ({@link #at}), or null for one on the heap. */
    final MemorySegment place;

    private pthread_barrier_t(MemorySegment place) {
        this.place = place;
        impl = Shared.barrier(place);
    }

    /**
     * The barrier at {@code offset} of {@code memory}: C's
     * {@code (pthread_barrier_t *) (memory + offset)}. Placed in a mapping that processes share
     * ({@code Posix.mmap} with {@code MAP_SHARED}) and initialized with PTHREAD_PROCESS_SHARED, it
     * works between processes, on the {@code native} backend. The handle reads what the memory
     * holds now: an object initialized process-shared (by any process) works at once; anything
     * else answers EINVAL until {@code pthread_barrier_init} on this handle. All the handles of
     * one address in a process are one object.
     *
     * @param memory the memory, e.g. a mapping
     * @param offset the object's offset in it; its address must be a multiple of 8
     * @return a handle to the object there
     * @throws IndexOutOfBoundsException when the {@link #BYTES} bytes from offset are not all
     *         inside memory
     * @throws IllegalArgumentException when the address is not a multiple of 8
     */
    public static pthread_barrier_t at(MemorySegment memory, long offset) {
        return new pthread_barrier_t(Shared.place(memory, offset, BYTES));
    }

    /**
     * {@code n} new handles, each as {@code new pthread_barrier_t()} makes it: C's
     * {@code pthread_barrier_t b[n];}, each ready for {@code pthread_barrier_init}.
     *
     * @param n the length of the array
     * @return the array, every element a new handle
     */
    public static pthread_barrier_t[] array(int n) {
        pthread_barrier_t[] a = new pthread_barrier_t[n];
        Arrays.setAll(a, i -> new pthread_barrier_t());
        return a;
    }
}
