package org.pthread4j;

import org.pthread4j.sync.RwLock;

/** A readers-writer lock. {@code new pthread_rwlock_t()} is {@code PTHREAD_RWLOCK_INITIALIZER}. */
public final class pthread_rwlock_t {
    RwLock impl;

    public pthread_rwlock_t() {
        impl = new RwLock(Backends.futex());
    }
}
