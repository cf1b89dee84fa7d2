package org.pthread4j;

/** Condition variable attributes; usable after {@code pthread_condattr_init}. */
public final class pthread_condattr_t {
    boolean initialized;
    int clock;

    public pthread_condattr_t() {}
}
