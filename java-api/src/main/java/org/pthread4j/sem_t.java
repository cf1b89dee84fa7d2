package org.pthread4j;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.pthread4j.sync.Semaphore;

/** An unnamed semaphore; usable after {@code sem_init}. */
public final class sem_t {
    Semaphore impl;

    /** The mapping of a named semaphore ({@code sem_open}), which {@code sem_close} unmaps; else null. */
    MemorySegment mapping;

    /** An uninitialized object, as C's {@code sem_t x;}: {@code sem_init} makes it usable. */
    public sem_t() {
        place = null;
    }

    /** {@code sizeof(sem_t)}: the bytes it takes in memory (glibc's size on x86-64). */
    public static final long BYTES = Shared.SEM_SIZE;

    /** The memory the object is placed in ({@link #at}), or null for one on the heap. */
    final MemorySegment place;

    private sem_t(MemorySegment place) {
        this.place = place;
        impl = Shared.sem(place);
    }

    /**
     * The unnamed semaphore at {@code offset} of {@code memory}: C's
     * {@code (sem_t *) (memory + offset)}. Placed in a mapping that processes share
     * ({@code Posix.mmap} with {@code MAP_SHARED}) and initialized with PTHREAD_PROCESS_SHARED, it
     * works between processes, on the {@code native} backend. The handle reads what the memory
     * holds now: an object initialized process-shared (by any process) works at once; anything
     * else answers EINVAL until {@code sem_init} with a non-zero {@code pshared} on this handle.
     * All the handles of one address in a process are one object.
     *
     * @param memory the memory, e.g. a mapping
     * @param offset the object's offset in it; its address must be a multiple of 8
     * @return a handle to the object there
     * @throws IndexOutOfBoundsException when the {@link #BYTES} bytes from offset are not all
     *         inside memory
     * @throws IllegalArgumentException when the address is not a multiple of 8
     */
    public static sem_t at(MemorySegment memory, long offset) {
        return new sem_t(Shared.place(memory, offset, BYTES));
    }

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
