package org.pthread4j;

/** Thread creation attributes; usable after {@code pthread_attr_init}. */
public final class pthread_attr_t {
    boolean initialized;
    int detachstate;
    long stacksize;
    long guardsize;

    public pthread_attr_t() {}
}
