package org.pthread4j.spi;

import java.lang.foreign.MemorySegment;

/**
 * What a backend provides for objects that processes share ({@code PTHREAD_PROCESS_SHARED}):
 * a futex on words that other processes map too, an owner tid that names the same thread in
 * every process, and the kernel's robust-futex list. Only a model whose pthreads are kernel
 * threads can have it ({@link ThreadModel#processShared}): a thread of another process can
 * neither park in this JVM's parking lot nor be woken from it.
 *
 * <p>The words of such an object hold everything another process needs; whatever a backend or
 * a lock keeps on the Java heap about it is used only by the process that wrote it.
 */
public interface ProcessShared {

    /**
     * The futex for shared words: the kernel keys a word by its page, not by this process's
     * address, so a wake reaches waiters in every process that maps it. Its {@code requeue}
     * moves nobody and answers {@code -EAGAIN}: a condition variable cannot know which mutex
     * the waiters of other processes use, so its broadcast wakes them all instead.
     */
    Futex futex();

    /**
     * Where a robust mutex keeps the node of its robust-futex list, in bytes after its lock
     * word: the C layer's {@code P4J_ROBUST_NODE}, where the list's {@code futex_offset} expects
     * it. The node takes 16 bytes.
     */
    long robustNode();

    /** The calling thread's kernel tid: the owner written into shared lock words, as glibc does. */
    int tid();

    /**
     * Announces to the kernel that the calling thread is about to lock or unlock the robust
     * mutex whose list node is {@code node} ({@code list_op_pending}); {@link MemorySegment#NULL}
     * withdraws it. Returns 0, or {@link Errno#ENOTSUP} when the thread's robust list cannot
     * take pthread4j's nodes.
     */
    int robustPending(MemorySegment node);

    /** Links {@code node} on the calling thread's robust list and withdraws the announcement. */
    void robustEnqueue(MemorySegment node);

    /** Announces {@code node} and unlinks it from the calling thread's robust list. */
    void robustDequeue(MemorySegment node);
}
