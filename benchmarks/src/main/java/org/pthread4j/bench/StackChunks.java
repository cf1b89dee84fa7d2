package org.pthread4j.bench;

import java.lang.reflect.Field;

/**
 * The frames a blocked virtual thread keeps: the used part of its continuation's stack chunk,
 * which is what the thread's stack costs while it is parked (the chunk object adds its header,
 * and may have room left from a deeper park before).
 *
 * <p>Read from the JDK's own fields ({@code VirtualThread.cont}, {@code Continuation.tail},
 * and {@code StackChunk.sp}, {@code bottom} and {@code parent}: the words in use in each chunk
 * of the chain): a measurement only, which needs {@code --add-opens} of
 * {@code java.base/java.lang} and {@code java.base/jdk.internal.vm} ({@link #OPEN_VM}); where
 * either is missing, or a JDK names those fields otherwise, the figure is unknown
 * ({@link #UNKNOWN}) and nothing fails.
 */
final class StackChunks {

    /** The option that opens the continuation's package to this class. */
    static final String OPEN_VM = "--add-opens=java.base/jdk.internal.vm=ALL-UNNAMED";

    /** What {@link #medianUsed} returns when the chunks cannot be read. */
    static final double UNKNOWN = -1;

    private static final Field CONT;
    private static final Field TAIL;
    private static final Field SP;
    private static final Field BOTTOM;
    private static final Field PARENT;

    static {
        Field[] f = new Field[5];
        try {
            f[0] = open(Class.forName("java.lang.VirtualThread"), "cont");
            f[1] = open(Class.forName("jdk.internal.vm.Continuation"), "tail");
            Class<?> chunk = Class.forName("jdk.internal.vm.StackChunk");
            f[2] = open(chunk, "sp");
            f[3] = open(chunk, "bottom");
            f[4] = open(chunk, "parent");
        } catch (ReflectiveOperationException | RuntimeException e) {
            f = new Field[5]; // not opened, or another JDK: the figure is unknown
        }
        CONT = f[0];
        TAIL = f[1];
        SP = f[2];
        BOTTOM = f[3];
        PARENT = f[4];
    }

    private StackChunks() {}

    private static Field open(Class<?> c, String name) throws NoSuchFieldException {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }

    /**
     * The median over {@code threads}, each a virtual thread parked since it was counted, of
     * the bytes of frames in its stack chunk; {@link #UNKNOWN} where they cannot be read.
     */
    static double medianUsed(Thread[] threads) {
        if (PARENT == null || threads.length == 0) {
            return UNKNOWN;
        }
        double[] used = new double[threads.length];
        try {
            for (int i = 0; i < threads.length; i++) {
                Object chunk = TAIL.get(CONT.get(threads[i]));
                if (chunk == null) {
                    return UNKNOWN; // not parked: nothing frozen
                }
                for (; chunk != null; chunk = PARENT.get(chunk)) {
                    used[i] += 8L * (BOTTOM.getInt(chunk) - SP.getInt(chunk));
                }
            }
        } catch (IllegalAccessException e) {
            return UNKNOWN;
        }
        return Interleaved.spread(used).median();
    }
}
