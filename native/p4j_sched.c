/*
 * p4j_sched.c - scheduling of a kernel thread named by its tid: policy and
 * priority, CPU affinity, and its CPU-time clock. Each function is the system
 * call and -errno; the Java side validates nothing the kernel checks, so that
 * the answers are the kernel's (what glibc's pthread_setschedparam,
 * pthread_setaffinity_np... return for the same thread).
 */
#include "p4j_internal.h"

#include <errno.h>
#include <sched.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

P4J_API int32_t p4j_sched_set(int32_t tid, int32_t policy, int32_t priority)
{
    struct sched_param p = { .sched_priority = priority };

    return sched_setscheduler(tid, policy, &p) == 0 ? 0 : -errno;
}

P4J_API int32_t p4j_sched_setprio(int32_t tid, int32_t priority)
{
    struct sched_param p = { .sched_priority = priority };

    return sched_setparam(tid, &p) == 0 ? 0 : -errno;
}

P4J_API int32_t p4j_sched_get(int32_t tid, int32_t *policy, int32_t *priority)
{
    struct sched_param p;
    int pol;

    if (policy == NULL || priority == NULL)
        return -EINVAL;
    pol = sched_getscheduler(tid);
    if (pol < 0 || sched_getparam(tid, &p) != 0)
        return -errno;
    *policy = pol & ~SCHED_RESET_ON_FORK;
    *priority = p.sched_priority;
    return 0;
}

P4J_API int32_t p4j_sched_setaffinity(int32_t tid, int64_t size, const uint64_t *mask)
{
    if (size < 0 || (size > 0 && mask == NULL))
        return -EINVAL;
    return syscall(SYS_sched_setaffinity, tid, (size_t) size, mask) == 0 ? 0 : -errno;
}

/* Fills mask[0, size) as glibc does: the kernel's bytes, the rest zeroed. */
P4J_API int32_t p4j_sched_getaffinity(int32_t tid, int64_t size, uint64_t *mask)
{
    long n;

    if (size < 0 || (size > 0 && mask == NULL))
        return -EINVAL;
    n = syscall(SYS_sched_getaffinity, tid, (size_t) size, mask);
    if (n < 0)
        return -errno;
    for (unsigned char *b = (unsigned char *) mask + n; b < (unsigned char *) mask + size; b++)
        *b = 0;
    return 0;
}

P4J_API int32_t p4j_cpuclock_gettime(int32_t clock, struct p4j_timespec *out)
{
    struct timespec ts;

    if (out == NULL)
        return -EINVAL;
    if (clock >= 0)
        return -EINVAL; /* not a CPU-time clock */
    if (clock_gettime((clockid_t) clock, &ts) != 0)
        return -errno;
    out->tv_sec = ts.tv_sec;
    out->tv_nsec = ts.tv_nsec;
    return 0;
}
