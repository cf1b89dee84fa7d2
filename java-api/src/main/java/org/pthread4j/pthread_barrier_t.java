package org.pthread4j;

import org.pthread4j.sync.Barrier;

/** A barrier; usable after {@code pthread_barrier_init}. */
public final class pthread_barrier_t {
    Barrier impl;

    public pthread_barrier_t() {}
}
