package org.pthread4j;

/** C's {@code struct timespec}: seconds and nanoseconds, public and mutable as in C. */
public final class timespec {
    public long tv_sec;
    public long tv_nsec;

    public timespec() {}

    public timespec(long tv_sec, long tv_nsec) {
        this.tv_sec = tv_sec;
        this.tv_nsec = tv_nsec;
    }

    @Override
    public String toString() {
        return "{" + tv_sec + ", " + tv_nsec + "}";
    }
}
