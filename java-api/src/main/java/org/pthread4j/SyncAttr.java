package org.pthread4j;

/**
 * What the attribute objects of the synchronization types have in common: whether
 * {@code *attr_init} has made them usable, and their process-shared attribute, which
 * {@link Pthreads}' {@code *attr_setpshared} and {@code *attr_getpshared} treat alike.
 */
abstract sealed class SyncAttr
        permits pthread_mutexattr_t, pthread_condattr_t, pthread_rwlockattr_t, pthread_barrierattr_t {
    boolean initialized;
    /** PTHREAD_PROCESS_PRIVATE or PTHREAD_PROCESS_SHARED. */
    int pshared;
}
