package org.pthread4j;

import org.pthread4j.spi.Tcb;

/** A thread handle, filled by {@code pthread_create} or returned by {@code pthread_self}. */
public final class pthread_t {
    volatile Tcb tcb;

    public pthread_t() {}

    pthread_t(Tcb tcb) {
        this.tcb = tcb;
    }

    @Override
    public String toString() {
        Tcb t = tcb;
        return t == null ? "pthread_t[unset]" : "pthread_t[" + t.id + "]";
    }
}
