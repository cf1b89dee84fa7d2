package org.pthread4j.posix;

/** C's {@code struct rlimit}: a resource's soft and hard limits ({@link Posix#RLIM_INFINITY}: none). */
public final class rlimit {
    /** The soft limit, which the kernel enforces. */
    public long rlim_cur;
    /** The hard limit: the ceiling for the soft limit. */
    public long rlim_max;

    /** All zero, as C's {@code struct rlimit rl = {0};}: {@code getrlimit} fills it. */
    public rlimit() {}

    @Override
    public String toString() {
        return "rlimit{rlim_cur=" + rlim_cur + ", rlim_max=" + rlim_max + "}";
    }
}
