package org.pthread4j;

/** Barrier attributes; usable after {@code pthread_barrierattr_init}. */
public final class pthread_barrierattr_t {
    boolean initialized;

    public pthread_barrierattr_t() {}
}
