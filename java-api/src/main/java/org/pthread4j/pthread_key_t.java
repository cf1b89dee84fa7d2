package org.pthread4j;

/** A thread-specific data key, filled by {@code pthread_key_create}. */
public final class pthread_key_t {
    int slot = -1;
    int generation;

    public pthread_key_t() {}
}
