package org.pthread4j;

import static org.pthread4j.spi.Errno.EAGAIN;
import static org.pthread4j.spi.Errno.EINVAL;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.pthread4j.spi.Tcb;

/**
 * Thread-specific data: a process-wide table of {@code PTHREAD_KEYS_MAX} key slots and, per
 * thread, an array of values indexed by slot.
 *
 * <h2>Slot generations</h2>
 * Each slot has a generation: odd while a key holds the slot, even while it is free. Create
 * CASes a free slot's generation to the next odd number; delete CASes it on to even. A key
 * remembers the generation it was created with, and a thread's value counts only if it was
 * set under the slot's current generation, so the values of a deleted key are never seen
 * through a new key that reuses the slot (as POSIX requires after {@code key_delete}).
 */
final class Keys {

    static final int KEYS_MAX = 1024;
    static final int DESTRUCTOR_ITERATIONS = 4;

    private static final AtomicIntegerArray GENERATIONS = new AtomicIntegerArray(KEYS_MAX);
    private static final AtomicReferenceArray<Destructor> DESTRUCTORS = new AtomicReferenceArray<>(KEYS_MAX);

    private Keys() {}

    static int create(pthread_key_t key, Destructor destructor) {
        if (key == null) {
            return EINVAL;
        }
        for (int slot = 0; slot < KEYS_MAX; slot++) {
            int g = GENERATIONS.get(slot);
            if ((g & 1) == 0 && GENERATIONS.compareAndSet(slot, g, g + 1)) {
                DESTRUCTORS.set(slot, destructor);
                key.slot = slot;
                key.generation = g + 1;
                return 0;
            }
        }
        return EAGAIN;
    }

    private static boolean live(pthread_key_t key) {
        return key != null && key.slot >= 0 && GENERATIONS.get(key.slot) == key.generation;
    }

    static int delete(pthread_key_t key) {
        if (!live(key) || !GENERATIONS.compareAndSet(key.slot, key.generation, key.generation + 1)) {
            return EINVAL;
        }
        return 0;
    }

    static Object get(pthread_key_t key) {
        if (!live(key)) {
            return null;
        }
        Tcb self = Tcb.current();
        int[] gens = self.specificGen();
        return gens != null && gens[key.slot] == key.generation ? self.specific()[key.slot] : null;
    }

    static int set(pthread_key_t key, Object value) {
        if (!live(key)) {
            return EINVAL;
        }
        Tcb self = Tcb.current();
        Object[] values = self.specific();
        int[] gens = self.specificGen();
        if (values == null) {
            values = new Object[KEYS_MAX];
            gens = new int[KEYS_MAX];
            self.specific(values, gens);
        }
        values[key.slot] = value;
        gens[key.slot] = key.generation;
        return 0;
    }

    /**
     * At thread exit: for each live key with a destructor and a non-null value, clears the
     * value and calls the destructor with it; repeats while destructors set new values, at
     * most {@code PTHREAD_DESTRUCTOR_ITERATIONS} rounds.
     */
    static void runDestructors(Tcb self) {
        Object[] values = self.specific();
        int[] gens = self.specificGen();
        if (values == null) {
            return;
        }
        for (int round = 0; round < DESTRUCTOR_ITERATIONS; round++) {
            boolean called = false;
            for (int slot = 0; slot < KEYS_MAX; slot++) {
                Object value = values[slot];
                if (value == null) {
                    continue;
                }
                int g = gens[slot];
                Destructor d = DESTRUCTORS.get(slot);
                values[slot] = null;
                if (d == null || GENERATIONS.get(slot) != g) {
                    continue;
                }
                called = true;
                try {
                    d.destroy(value);
                } catch (Threads.Unwind u) {
                    // pthread_exit inside a destructor: the thread is ending anyway
                } catch (Throwable t) {
                    System.err.println("pthread4j: key destructor failed: " + t);
                }
            }
            if (!called) {
                return;
            }
        }
    }
}
