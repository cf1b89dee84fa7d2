package org.pthread4j;

import org.pthread4j.sync.Semaphore;

/** An unnamed semaphore; usable after {@code sem_init}. */
public final class sem_t {
    Semaphore impl;

    public sem_t() {}
}
