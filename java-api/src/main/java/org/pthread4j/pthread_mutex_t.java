package org.pthread4j;

import org.pthread4j.sync.Mutex;

/**
 * A mutex. {@code new pthread_mutex_t()} is {@code PTHREAD_MUTEX_INITIALIZER}: a default
 * mutex, usable at once; {@code pthread_mutex_init} gives it other attributes.
 */
public final class pthread_mutex_t {
    Mutex impl;

    public pthread_mutex_t() {
        impl = new Mutex(Backends.futex(), Mutex.NORMAL, false);
    }
}
