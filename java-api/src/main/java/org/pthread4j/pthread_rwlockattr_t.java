package org.pthread4j;

/** Readers-writer lock attributes; usable after {@code pthread_rwlockattr_init}. */
public final class pthread_rwlockattr_t {
    boolean initialized;

    public pthread_rwlockattr_t() {}
}
