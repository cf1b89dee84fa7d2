package org.pthread4j;

/**
 * C's {@code void (*destructor)(void *)}: a thread-specific data key's destructor, and a
 * cleanup handler of {@code pthread_cleanup_push}.
 */
@FunctionalInterface
public interface Destructor {
    /**
     * Runs the destructor or cleanup handler on {@code value}.
     *
     * @param value the key's value for the exiting thread, or the handler's argument
     */
    void destroy(Object value);
}
