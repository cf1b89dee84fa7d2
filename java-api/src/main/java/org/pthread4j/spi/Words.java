package org.pthread4j.spi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Off-heap futex words and the one {@link VarHandle} that accesses them.
 *
 * <p>Lifetime: words are carved from slabs of {@link #SLAB_BYTES} bytes, each slab an
 * automatic arena, so a slab's memory is released by the garbage collector once no word of
 * it is reachable. A primitive drops its words on {@code destroy}; a thread still inside a
 * wait keeps them reachable through its stack, so a destroy that races a waiter can never
 * leave the waiter on freed memory. (One arena per word would cost a cleaner registration
 * and a malloc per primitive and per pthread; a slab costs a bump of an offset.)
 */
public final class Words {

    /**
     * A 32-bit word at offset 0 of a segment: coordinates {@code (MemorySegment, long)}.
     * Access modes are named at each use: acquire on lock, release on unlock, volatile
     * (sequentially consistent) where a Dekker-style handshake between a waiter count and
     * the word needs it.
     */
    public static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    static final long SLAB_BYTES = 16 * 1024;

    /** The slab being carved and the offset of its first free byte; guarded by the class lock. */
    private static MemorySegment slab = MemorySegment.NULL;
    private static long next;

    private Words() {}

    /** {@code count} zeroed words, each its own 4-byte segment, contiguous in one slab. */
    public static MemorySegment[] allocate(int count) {
        MemorySegment block = carve(4L * count);
        MemorySegment[] words = new MemorySegment[count];
        for (int i = 0; i < count; i++) {
            words[i] = block.asSlice(4L * i, 4);
        }
        return words;
    }

    /**
     * {@code count} zeroed, contiguous words as one segment: the first is at offset 0 (the
     * word a futex call sees), the others are reached by offset.
     */
    public static MemorySegment allocateBlock(int count) {
        return carve(4L * count);
    }

    /** One zeroed word. */
    public static MemorySegment allocate() {
        return carve(4);
    }

    private static synchronized MemorySegment carve(long bytes) {
        if (next + bytes > slab.byteSize()) {
            slab = Arena.ofAuto().allocate(Math.max(SLAB_BYTES, bytes), 64);
            next = 0;
        }
        MemorySegment block = slab.asSlice(next, bytes);
        next += (bytes + 7) & ~7L;
        return block;
    }

    public static int get(MemorySegment word) {
        return (int) INT.getVolatile(word, 0L);
    }

    public static void set(MemorySegment word, int value) {
        INT.setVolatile(word, 0L, value);
    }

    public static boolean cas(MemorySegment word, int expected, int value) {
        return INT.compareAndSet(word, 0L, expected, value);
    }

    public static int getAndAdd(MemorySegment word, int delta) {
        return (int) INT.getAndAdd(word, 0L, delta);
    }

    public static int getAndSet(MemorySegment word, int value) {
        return (int) INT.getAndSet(word, 0L, value);
    }
}
