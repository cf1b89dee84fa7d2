package org.pthread4j;

/** C's {@code struct sched_param}: the priority within a scheduling policy, public and mutable as in C. */
public final class sched_param {
    public int sched_priority;

    public sched_param() {}

    public sched_param(int sched_priority) {
        this.sched_priority = sched_priority;
    }

    @Override
    public String toString() {
        return "sched_param[" + sched_priority + "]";
    }
}
