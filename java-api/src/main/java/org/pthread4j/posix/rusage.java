package org.pthread4j.posix;

/** The part of {@code struct rusage} that thread labs read, for one kernel thread. */
public final class rusage {
    /** User CPU time, in nanoseconds. */
    public long utime_ns;
    /** System CPU time, in nanoseconds. */
    public long stime_ns;
    /** Voluntary context switches (the thread blocked). */
    public long nvcsw;
    /** Involuntary context switches (the thread was preempted). */
    public long nivcsw;

    /** All zero, as C's {@code struct rusage ru = {0};}: {@code getrusage_thread} fills it. */
    public rusage() {}

    @Override
    public String toString() {
        return "rusage{utime_ns=" + utime_ns + ", stime_ns=" + stime_ns + ", nvcsw=" + nvcsw + ", nivcsw=" + nivcsw + "}";
    }
}
