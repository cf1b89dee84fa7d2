package org.pthread4j;

/** C's {@code struct sched_param}: the priority within a scheduling policy, public and mutable as in C. */
public final class sched_param {
    /** The priority, within the range {@code sched_get_priority_min/max} give for the policy. */
    public int sched_priority;

    /** A parameter of priority 0. */
    public sched_param() {}

    /**
     * A parameter of the given priority.
     *
     * @param sched_priority the priority
     */
    public sched_param(int sched_priority) {
        this.sched_priority = sched_priority;
    }

    @Override
    public String toString() {
        return "sched_param[" + sched_priority + "]";
    }
}
