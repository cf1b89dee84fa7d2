/*
 * p4j_futex.c - futexes on 32-bit words, through the raw system calls: private
 * ones, and shared ones (the _shared calls) for words that other processes map.
 *
 * Deadlines are absolute: FUTEX_WAIT_BITSET measures them on CLOCK_MONOTONIC,
 * or on CLOCK_REALTIME with FUTEX_CLOCK_REALTIME; futex_waitv takes the clock
 * as an argument. Every futex system call made here is counted in
 * p4j_futex_calls, which the benchmarks read to tell spins from sleeps.
 */
#include "p4j_internal.h"

#include <errno.h>
#include <sched.h>
#include <linux/futex.h>
#include <linux/time_types.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449 /* Linux 5.16, the same number on every architecture */
#endif

/* The counter is striped by CPU, a cache line a stripe: one shared word would
 * add a cache-line transfer between the contending CPUs to every futex call. */
#define P4J_CALL_STRIPES 64

static struct {
    int64_t n;
    char pad[64 - sizeof(int64_t)];
} p4j_futex_calls[P4J_CALL_STRIPES] __attribute__((aligned(64)));

/* One counted futex-family system call: its result, or -errno. */
long p4j_futex_call(long nr, void *a1, long a2, long a3, void *a4, void *a5, long a6)
{
    long rc;

    int cpu = sched_getcpu(); /* rseq: a load, not a system call */

    __atomic_fetch_add(&p4j_futex_calls[(unsigned) cpu % P4J_CALL_STRIPES].n, 1, __ATOMIC_RELAXED);
    rc = syscall(nr, a1, a2, a3, a4, a5, a6);
    return rc == -1 ? -errno : rc;
}

/* Checks an absolute deadline (sec, nsec) on clock and converts it: 0 or -EINVAL.
 * P4J_CLOCK_NONE yields NULL. */
static int p4j_deadline(int32_t clock, int64_t sec, int64_t nsec,
                        struct __kernel_timespec *ts, struct __kernel_timespec **out)
{
    *out = NULL;
    if (clock == P4J_CLOCK_NONE)
        return 0;
    if (clock != P4J_CLOCK_REALTIME && clock != P4J_CLOCK_MONOTONIC)
        return -EINVAL;
    if (sec < 0 || nsec < 0 || nsec >= P4J_NSEC_PER_SEC)
        return -EINVAL;
    ts->tv_sec = sec;
    ts->tv_nsec = nsec;
    *out = ts;
    return 0;
}

/* FUTEX_WAIT_BITSET; private is FUTEX_PRIVATE_FLAG or 0 (a word other processes map too). */
static int32_t p4j_wait(uint32_t *word, uint32_t expected, int32_t clock, int64_t sec, int64_t nsec,
                        long private)
{
    struct __kernel_timespec ts, *deadline;
    long op = FUTEX_WAIT_BITSET | private;
    int rc;

    rc = p4j_deadline(clock, sec, nsec, &ts, &deadline);
    if (rc != 0)
        return rc;
    if (clock == P4J_CLOCK_REALTIME)
        op |= FUTEX_CLOCK_REALTIME;
    return (int32_t) p4j_futex_call(SYS_futex, word, op, (long) expected, deadline, NULL,
                                    FUTEX_BITSET_MATCH_ANY);
}

/* futex_waitv on the word (private as above) and the cancel word (always private). */
static int32_t p4j_wait2(uint32_t *word, uint32_t expected, uint32_t *cancel, int32_t clock,
                         int64_t sec, int64_t nsec, long private)
{
    struct __kernel_timespec ts, *deadline;
    struct futex_waitv waiters[2] = {
        { .val = expected, .uaddr = (uintptr_t) word, .flags = FUTEX_32 | private },
        { .val = 0, .uaddr = (uintptr_t) cancel, .flags = FUTEX_32 | FUTEX_PRIVATE_FLAG },
    };
    int rc;

    rc = p4j_deadline(clock, sec, nsec, &ts, &deadline);
    if (rc != 0)
        return rc;
    /* The index woken (0: word, 1: cancel) or -errno. */
    return (int32_t) p4j_futex_call(SYS_futex_waitv, waiters, 2, 0, deadline,
                                    (void *) (long) (clock == P4J_CLOCK_REALTIME
                                                         ? CLOCK_REALTIME
                                                         : CLOCK_MONOTONIC),
                                    0);
}

static int32_t p4j_wake(uint32_t *word, int32_t count, long private)
{
    if (count < 0)
        return -EINVAL;
    if (count == 0)
        return 0; /* the kernel would wake one */
    return (int32_t) p4j_futex_call(SYS_futex, word, FUTEX_WAKE | private, count, NULL, NULL, 0);
}

P4J_API int32_t p4j_futex_wait(uint32_t *word, uint32_t expected, int32_t clock,
                               int64_t sec, int64_t nsec)
{
    return p4j_wait(word, expected, clock, sec, nsec, FUTEX_PRIVATE_FLAG);
}

P4J_API int32_t p4j_futex_wait2(uint32_t *word, uint32_t expected, uint32_t *cancel,
                                int32_t clock, int64_t sec, int64_t nsec)
{
    return p4j_wait2(word, expected, cancel, clock, sec, nsec, FUTEX_PRIVATE_FLAG);
}

long p4j_futex_wait_tid(int32_t *tid_word, int32_t tid, uint32_t *cancel)
{
    struct futex_waitv waiters[2] = {
        { .val = (uint32_t) tid, .uaddr = (uintptr_t) tid_word, .flags = FUTEX_32 },
        { .val = 0, .uaddr = (uintptr_t) cancel, .flags = FUTEX_32 | FUTEX_PRIVATE_FLAG },
    };

    return p4j_futex_call(SYS_futex_waitv, waiters, 2, 0, NULL, (void *) (long) CLOCK_MONOTONIC, 0);
}

P4J_API int32_t p4j_futex_wake(uint32_t *word, int32_t count)
{
    return p4j_wake(word, count, FUTEX_PRIVATE_FLAG);
}

P4J_API int32_t p4j_futex_cmp_requeue(uint32_t *from, uint32_t expected, int32_t nwake,
                                      uint32_t *to, int32_t nrequeue)
{
    /* nrequeue travels in the timeout slot, as the kernel reads it. */
    return (int32_t) p4j_futex_call(SYS_futex, from, FUTEX_CMP_REQUEUE | FUTEX_PRIVATE_FLAG,
                                    nwake, (void *) (long) nrequeue, to, (long) expected);
}

P4J_API int32_t p4j_futex_wait_shared(uint32_t *word, uint32_t expected, int32_t clock,
                                      int64_t sec, int64_t nsec)
{
    return p4j_wait(word, expected, clock, sec, nsec, 0);
}

P4J_API int32_t p4j_futex_wait2_shared(uint32_t *word, uint32_t expected, uint32_t *cancel,
                                       int32_t clock, int64_t sec, int64_t nsec)
{
    return p4j_wait2(word, expected, cancel, clock, sec, nsec, 0);
}

P4J_API int32_t p4j_futex_wake_shared(uint32_t *word, int32_t count)
{
    return p4j_wake(word, count, 0);
}

P4J_API int64_t p4j_futex_syscalls(void)
{
    int64_t sum = 0;

    for (int i = 0; i < P4J_CALL_STRIPES; i++)
        sum += __atomic_load_n(&p4j_futex_calls[i].n, __ATOMIC_RELAXED);
    return sum;
}
