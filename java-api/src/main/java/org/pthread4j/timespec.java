package org.pthread4j;

import java.util.Arrays;

/** C's {@code struct timespec}: seconds and nanoseconds, public and mutable as in C. */
public final class timespec {
    /** Seconds. */
    public long tv_sec;
    /** Nanoseconds, 0 to 999,999,999 in a valid time. */
    public long tv_nsec;

    /** A zero time, as C's {@code struct timespec ts = {0};}. */
    public timespec() {}

    /**
     * A time of {@code tv_sec} seconds and {@code tv_nsec} nanoseconds.
     *
     * @param tv_sec the seconds
     * @param tv_nsec the nanoseconds
     */
    public timespec(long tv_sec, long tv_nsec) {
        this.tv_sec = tv_sec;
        this.tv_nsec = tv_nsec;
    }

    /**
     * {@code n} new timespecs, each as {@code new timespec()} makes it: C's
     * {@code struct timespec ts[n]} with every field 0.
     *
     * @param n the length of the array
     * @return the array, every element a new timespec
     */
    public static timespec[] array(int n) {
        timespec[] a = new timespec[n];
        Arrays.setAll(a, i -> new timespec());
        return a;
    }

    @Override
    public String toString() {
        return "{" + tv_sec + ", " + tv_nsec + "}";
    }
}
