package org.pthread4j;

/** Mutex attributes; usable after {@code pthread_mutexattr_init}. */
public final class pthread_mutexattr_t {
    boolean initialized;
    int type;
    int robust;

    public pthread_mutexattr_t() {}
}
