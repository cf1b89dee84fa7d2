package org.pthread4j.spi;

/**
 * Lets the facade refuse to unmap memory that the kernel's robust-futex list of a living
 * thread of this process still points into: a robust process-shared mutex held there. The
 * list would keep a node in memory that is gone, and the next change to that thread's list
 * (the next robust lock, glibc's included) would write into it and fault.
 */
public final class Unmapping {

    /** Answers whether {@code [address, address + length)} holds such a mutex. */
    public interface Guard {
        boolean holdsLinkedNode(long address, long length);
    }

    private static volatile Guard guard;

    private Unmapping() {}

    /** Installed by the facade when it makes its first robust process-shared mutex. */
    public static void install(Guard g) {
        guard = g;
    }

    public static boolean refused(long address, long length) {
        Guard g = guard;
        return g != null && g.holdsLinkedNode(address, length);
    }
}
