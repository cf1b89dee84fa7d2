/*
 * p4j_futex_pi.c - priority-inheriting futexes (FUTEX_LOCK_PI2, FUTEX_UNLOCK_PI),
 * private, for PTHREAD_PRIO_INHERIT mutexes.
 *
 * The word is the kernel's: 0 when free, else the owner's tid, with
 * FUTEX_WAITERS (bit 31) once a locker sleeps and FUTEX_OWNER_DIED (bit 30).
 * User space takes a free word with one CAS 0 -> tid and frees an uncontended
 * one with one CAS tid -> 0; everything else goes through these calls, in
 * which the kernel boosts the owner to the priority of its highest waiter.
 */
#include "p4j_internal.h"

#include <errno.h>
#include <linux/futex.h>
#include <linux/time_types.h>
#include <stddef.h>
#include <sys/syscall.h>

#ifndef FUTEX_LOCK_PI2
#define FUTEX_LOCK_PI2 13 /* Linux 5.14: FUTEX_LOCK_PI on either clock */
#endif

P4J_API int32_t p4j_futex_lock_pi(uint32_t *word, int32_t clock, int64_t sec, int64_t nsec)
{
    struct __kernel_timespec ts = { .tv_sec = sec, .tv_nsec = nsec };
    long op = FUTEX_LOCK_PI2 | FUTEX_PRIVATE_FLAG;
    long rc;

    if (clock != P4J_CLOCK_NONE && clock != P4J_CLOCK_REALTIME && clock != P4J_CLOCK_MONOTONIC)
        return -EINVAL;
    if (clock == P4J_CLOCK_REALTIME)
        op |= FUTEX_CLOCK_REALTIME;
    rc = p4j_futex_call(SYS_futex, word, op, 0, clock == P4J_CLOCK_NONE ? NULL : &ts, NULL, 0);
    if (rc == -ENOSYS && clock != P4J_CLOCK_MONOTONIC) /* before 5.14: realtime only */
        rc = p4j_futex_call(SYS_futex, word, FUTEX_LOCK_PI | FUTEX_PRIVATE_FLAG, 0,
                            clock == P4J_CLOCK_NONE ? NULL : &ts, NULL, 0);
    return (int32_t) rc;
}

P4J_API int32_t p4j_futex_unlock_pi(uint32_t *word)
{
    return (int32_t) p4j_futex_call(SYS_futex, word, FUTEX_UNLOCK_PI | FUTEX_PRIVATE_FLAG, 0,
                                    NULL, NULL, 0);
}
