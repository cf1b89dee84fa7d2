package org.pthread4j;

import org.pthread4j.spi.Futex;
import org.pthread4j.sync.Cond;

/** A condition variable. {@code new pthread_cond_t()} is {@code PTHREAD_COND_INITIALIZER}. */
public final class pthread_cond_t {
    Cond impl;

    public pthread_cond_t() {
        impl = new Cond(Backends.futex(), Futex.CLOCK_REALTIME);
    }
}
