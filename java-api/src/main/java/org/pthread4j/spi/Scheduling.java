package org.pthread4j.spi;

/**
 * Linux's scheduling policies and their priority ranges, as {@code sched_setscheduler(2)}
 * checks them, and the CPU masks of {@code sched_setaffinity(2)}: what every backend validates
 * the same way.
 */
public final class Scheduling {

    public static final int SCHED_OTHER = 0;
    public static final int SCHED_FIFO = 1;
    public static final int SCHED_RR = 2;
    public static final int SCHED_BATCH = 3;
    public static final int SCHED_IDLE = 5;

    /** The bits of a {@code cpu_set_t} (glibc's {@code CPU_SETSIZE}). */
    public static final int CPU_SETSIZE = 1024;

    private Scheduling() {}

    /** Whether the kernel knows {@code policy} (SCHED_DEADLINE, 6, needs sched_setattr: not here). */
    public static boolean known(int policy) {
        return policy == SCHED_OTHER || policy == SCHED_FIFO || policy == SCHED_RR
                || policy == SCHED_BATCH || policy == SCHED_IDLE;
    }

    /** Whether {@code policy} is a real-time one, with priorities 1 to 99. */
    public static boolean realtime(int policy) {
        return policy == SCHED_FIFO || policy == SCHED_RR;
    }

    /** {@code sched_get_priority_min}: the lowest priority of {@code policy}, -1 if unknown. */
    public static int minPriority(int policy) {
        return !known(policy) ? -1 : realtime(policy) ? 1 : 0;
    }

    /** {@code sched_get_priority_max}: the highest priority of {@code policy}, -1 if unknown. */
    public static int maxPriority(int policy) {
        return !known(policy) ? -1 : realtime(policy) ? 99 : 0;
    }

    /** Whether {@code priority} is in the range of the known {@code policy}. */
    public static boolean valid(int policy, int priority) {
        return known(policy) && priority >= minPriority(policy) && priority <= maxPriority(policy);
    }

    /** A policy and priority in one word, for a field that is read and written atomically. */
    public static long pack(int policy, int priority) {
        return (long) policy << 32 | (priority & 0xFFFF_FFFFL);
    }

    public static int policy(long packed) {
        return (int) (packed >>> 32);
    }

    public static int priority(long packed) {
        return (int) packed;
    }
}
