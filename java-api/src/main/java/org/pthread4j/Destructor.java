package org.pthread4j;

/**
 * C's {@code void (*destructor)(void *)}: a thread-specific data key's destructor, and a
 * cleanup handler of {@code pthread_cleanup_push}.
 */
@FunctionalInterface
public interface Destructor {
    void destroy(Object value);
}
