package org.pthread4j;

import org.pthread4j.sync.SpinLock;

/** A spin lock; usable after {@code pthread_spin_init}. */
public final class pthread_spinlock_t {
    SpinLock impl;

    public pthread_spinlock_t() {}
}
