package org.pthread4j;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import org.pthread4j.spi.Futex;
import org.pthread4j.spi.ProcessShared;
import org.pthread4j.spi.Unmapping;
import org.pthread4j.spi.Words;
import org.pthread4j.sync.Barrier;
import org.pthread4j.sync.Cond;
import org.pthread4j.sync.Mutex;
import org.pthread4j.sync.RwLock;
import org.pthread4j.sync.Semaphore;

/**
 * Objects placed in memory ({@code pthread_mutex_t.at(mapping, offset)} and the like): C's
 * {@code (pthread_mutex_t *) (map + offset)}, and with PTHREAD_PROCESS_SHARED the objects
 * that processes share.
 *
 * <h2>What lives in the memory</h2>
 * Everything another process needs: the lock algorithms' words, and a <em>kind</em> word that
 * says which object the bytes hold and with which attributes. Sizes are glibc's
 * {@code sizeof} on x86-64, so a layout ported from C keeps its offsets; offsets are multiples
 * of 8.
 * <pre>
 *   object              size  words (byte offset)
 *   pthread_mutex_t      40   0 lock word, 16 kind, 24 robust-list node {prev, next}
 *                             (glibc's __lock, __kind and __list: see native/p4j_shm.c;
 *                             the node's offset is ProcessShared.robustNode())
 *   pthread_cond_t       48   0 seq, 4 waiters (process-shared only), 8 kind
 *   pthread_rwlock_t     56   0 state, 4 waiters, 8 kind
 *   pthread_barrier_t    32   0 generation, 4 arrived, 8 lock word, 12 count, 16 kind
 *   sem_t                32   0 value, 4 waiters, 8 kind
 *
 *   kind = MAGIC | object tag | PSHARED if process-shared | attributes
 * </pre>
 * Init zeroes the object, writes its words, and publishes the kind last with a release
 * store; destroy clears the kind. A handle taken with {@code at} reads the kind (acquire): an
 * object initialized PTHREAD_PROCESS_SHARED, by any process, gives a working handle;
 * anything else gives a handle that answers EINVAL until {@code *_init} on it, as POSIX
 * recommends for an uninitialized object. So, as in C, the process that initializes the
 * objects does so before the others use them (e.g. before it starts them).
 *
 * <h2>What stays in the process</h2>
 * The Java object of each placed object ({@link Mutex} and the others) is one per address in
 * a process ({@link #IMPLS}), whatever handles point there: what it keeps on the heap
 * (a mutex's recursion depth and inconsistent flag, a rwlock's writer, a condition's bound
 * mutex) concerns only the threads of that process. A placed object initialized
 * PTHREAD_PROCESS_PRIVATE exists only in that table: other processes see no PSHARED in its
 * kind, and their handles answer EINVAL.
 */
final class Shared {

    static final int MAGIC = 0x7034_0000;
    static final int TAG_MASK = 0xFFFF_0F00;
    static final int PSHARED = 0x0000_8000;
    static final int MUTEX = MAGIC | 0x100;
    static final int COND = MAGIC | 0x200;
    static final int RWLOCK = MAGIC | 0x300;
    static final int BARRIER = MAGIC | 0x400;
    static final int SEM = MAGIC | 0x500;
    /** A mutex kind's attributes: the type in the low bits, and robust. */
    static final int TYPE_MASK = 0x3;
    static final int ROBUST = 0x10;

    static final long MUTEX_SIZE = 40;
    static final long COND_SIZE = 48;
    static final long RWLOCK_SIZE = 56;
    static final long BARRIER_SIZE = 32;
    static final long SEM_SIZE = 32;
    static final long MUTEX_KIND = 16;
    static final long BARRIER_LOCK = 8;
    static final long BARRIER_COUNT = 12;
    static final long BARRIER_KIND = 16;
    /** The kind's offset in the other objects. */
    static final long KIND = 8;

    private record Entry(MemorySegment place, int kind, Object impl) {}

    /** The Java object of each placed object of this process, by address. */
    private static final ConcurrentHashMap<Long, Entry> IMPLS = new ConcurrentHashMap<>();

    private Shared() {}

    /**
     * The {@code size} bytes at {@code offset} of {@code memory}, where an object is placed.
     *
     * @throws NullPointerException when memory is null
     * @throws IndexOutOfBoundsException when they are not all inside memory
     * @throws IllegalArgumentException when their address is not a multiple of 8
     */
    static MemorySegment place(MemorySegment memory, long offset, long size) {
        Objects.requireNonNull(memory, "memory");
        MemorySegment place = memory.asSlice(offset, size);
        if (place.address() % 8 != 0) {
            throw new IllegalArgumentException("an object's address must be a multiple of 8: " + place.address());
        }
        return place;
    }

    /** What the backend provides for process-shared objects, or null (ENOTSUP). */
    static ProcessShared backend() {
        return Backends.model().processShared();
    }

    /** The futex for an object placed with {@code kind}. */
    static Futex futex(int kind) {
        return (kind & PSHARED) != 0 ? backend().futex() : Backends.futex();
    }

    /**
     * The Java object of the object at {@code place} whose kind word is at {@code at}: this
     * process's one, or a new one made by {@code make} from a process-shared kind of
     * {@code tag}; null when the memory holds no such object (or one initialized private by
     * another process, or this backend cannot share).
     */
    static Object lookup(MemorySegment place, long at, int tag, IntFunction<Object> make) {
        int kind = (int) Words.INT.getAcquire(place, at);
        if ((kind & TAG_MASK) != tag) {
            return null;
        }
        Entry e = IMPLS.get(place.address());
        if (e != null && e.kind == kind && e.place.scope().isAlive() && e.place.byteSize() == place.byteSize()) {
            return e.impl;
        }
        if ((kind & PSHARED) == 0 || backend() == null) {
            return null;
        }
        Object impl = make.apply(kind);
        IMPLS.put(place.address(), new Entry(place, kind, impl));
        return impl;
    }

    /** Zeroes the object at {@code place} before init writes its words. */
    static void clear(MemorySegment place) {
        place.fill((byte) 0);
    }

    /**
     * Publishes an initialized object: its kind word last (release), and its Java object;
     * forgets the objects of memory unmapped since.
     */
    static <T> T publish(MemorySegment place, long at, int kind, T impl) {
        IMPLS.values().removeIf(e -> !e.place.scope().isAlive());
        IMPLS.put(place.address(), new Entry(place, kind, impl));
        Words.INT.setRelease(place, at, kind);
        return impl;
    }

    /** Forgets this process's Java object of the object at {@code place} (its memory is going away). */
    static void forget(MemorySegment place) {
        IMPLS.remove(place.address());
    }

    /** Forgets a destroyed object: its kind word and its Java object. */
    static void retire(MemorySegment place, long at) {
        Words.INT.setRelease(place, at, 0);
        IMPLS.remove(place.address());
    }

    /** {@link Unmapping}'s guard: a robust process-shared mutex in the range is held here. */
    private static boolean holdsLinkedMutex(long address, long length) {
        for (Entry e : IMPLS.values()) {
            long a = e.place.address();
            if (a >= address && a < address + length && e.place.scope().isAlive()
                    && e.impl instanceof Mutex m && m.linkedHere()) {
                return true;
            }
        }
        return false;
    }

    // ---- the objects, as a handle made by at() finds them --------------------------------

    static Mutex mutex(MemorySegment place) {
        return (Mutex) lookup(place, MUTEX_KIND, MUTEX, kind -> newMutex(place, kind));
    }

    static Mutex newMutex(MemorySegment place, int kind) {
        if ((kind & (ROBUST | PSHARED)) == (ROBUST | PSHARED)) {
            Unmapping.install(Shared::holdsLinkedMutex);
        }
        ProcessShared shared = (kind & PSHARED) != 0 ? backend() : null;
        return new Mutex(futex(kind), shared, kind & TYPE_MASK, (kind & ROBUST) != 0, place,
                shared == null ? 0 : shared.robustNode());
    }

    static Cond cond(MemorySegment place) {
        return (Cond) lookup(place, KIND, COND, kind -> newCond(place, kind));
    }

    static Cond newCond(MemorySegment place, int kind) {
        return new Cond(futex(kind), kind & TYPE_MASK, place, (kind & PSHARED) != 0);
    }

    static RwLock rwlock(MemorySegment place) {
        return (RwLock) lookup(place, KIND, RWLOCK, kind -> newRwLock(place, kind));
    }

    static RwLock newRwLock(MemorySegment place, int kind) {
        return new RwLock(futex(kind), place);
    }

    static Barrier barrier(MemorySegment place) {
        return (Barrier) lookup(place, BARRIER_KIND, BARRIER, kind -> newBarrier(place, kind));
    }

    static Barrier newBarrier(MemorySegment place, int kind) {
        Futex futex = futex(kind);
        ProcessShared shared = (kind & PSHARED) != 0 ? backend() : null;
        Mutex lock = new Mutex(futex, shared, Mutex.NORMAL, false, place.asSlice(BARRIER_LOCK, 4), 0);
        return new Barrier(futex, (int) Words.INT.get(place, BARRIER_COUNT), place, lock);
    }

    static Semaphore sem(MemorySegment place) {
        return (Semaphore) lookup(place, KIND, SEM, kind -> newSem(place, kind));
    }

    static Semaphore newSem(MemorySegment place, int kind) {
        return new Semaphore(futex(kind), place);
    }
}
