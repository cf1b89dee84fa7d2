package org.pthread4j;

import java.util.Arrays;

/** C's {@code struct timespec}: seconds and nanoseconds, public and mutable as in C. */
public final class timespec {
    public long tv_sec;
    public long tv_nsec;

    public timespec() {}

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
