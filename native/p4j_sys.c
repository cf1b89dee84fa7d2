/*
 * p4j_sys.c - identity, accounting, thread-local storage, clocks, and the
 * system calls the labs use. Each function is the libc call and -errno.
 */
#include "p4j_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static __thread int64_t p4j_tls_counter;

P4J_API int32_t p4j_gettid(void)
{
    return (int32_t) syscall(SYS_gettid);
}

P4J_API int32_t p4j_getpid(void)
{
    return (int32_t) getpid();
}

P4J_API int32_t p4j_sched_getcpu(void)
{
    int cpu = sched_getcpu();

    return cpu < 0 ? -errno : cpu;
}

static int64_t p4j_timeval_ns(struct timeval tv)
{
    return (int64_t) tv.tv_sec * P4J_NSEC_PER_SEC + (int64_t) tv.tv_usec * 1000;
}

P4J_API int32_t p4j_thread_rusage(struct p4j_rusage *out)
{
    struct rusage ru;

    if (out == NULL)
        return -EINVAL;
    if (getrusage(RUSAGE_THREAD, &ru) != 0)
        return -errno;
    out->utime_ns = p4j_timeval_ns(ru.ru_utime);
    out->stime_ns = p4j_timeval_ns(ru.ru_stime);
    out->nvcsw = ru.ru_nvcsw;
    out->nivcsw = ru.ru_nivcsw;
    return 0;
}

P4J_API int64_t p4j_tls_counter_inc(void)
{
    return ++p4j_tls_counter;
}

P4J_API int64_t p4j_tls_counter_get(void)
{
    return p4j_tls_counter;
}

void p4j_tls_reset(void)
{
    p4j_tls_counter = 0;
}

P4J_API int32_t p4j_clock_gettime(int32_t clock, struct p4j_timespec *out)
{
    struct timespec ts;
    clockid_t id;

    if (clock == P4J_CLOCK_REALTIME)
        id = CLOCK_REALTIME;
    else if (clock == P4J_CLOCK_MONOTONIC)
        id = CLOCK_MONOTONIC;
    else
        return -EINVAL;
    if (out == NULL)
        return -EINVAL;
    if (clock_gettime(id, &ts) != 0)
        return -errno;
    out->tv_sec = ts.tv_sec;
    out->tv_nsec = ts.tv_nsec;
    return 0;
}

int64_t p4j_monotonic_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * P4J_NSEC_PER_SEC + ts.tv_nsec;
}

P4J_API int32_t p4j_nanosleep(const struct p4j_timespec *req, struct p4j_timespec *rem)
{
    struct timespec r, left;

    if (req == NULL || req->tv_sec < 0 || req->tv_nsec < 0 || req->tv_nsec >= P4J_NSEC_PER_SEC)
        return -EINVAL;
    r.tv_sec = req->tv_sec;
    r.tv_nsec = req->tv_nsec;
    if (nanosleep(&r, &left) == 0)
        return 0;
    if (errno == EINTR && rem != NULL) {
        rem->tv_sec = left.tv_sec;
        rem->tv_nsec = left.tv_nsec;
    }
    return -errno;
}

/* read and write make one attempt: on EINTR the caller decides. A write to a
 * socket never raises SIGPIPE (see p4j_net.c). */
P4J_API int64_t p4j_read(int32_t fd, void *buf, int64_t count)
{
    ssize_t n;

    if (count < 0)
        return -EINVAL;
    n = read(fd, buf, (size_t) count);
    return n < 0 ? -errno : n;
}

P4J_API int64_t p4j_write(int32_t fd, const void *buf, int64_t count)
{
    ssize_t n;

    if (count < 0)
        return -EINVAL;
    /* write(2) and send(2) without flags do the same on a socket; send with
     * MSG_NOSIGNAL answers EPIPE instead of raising SIGPIPE */
    n = send(fd, buf, (size_t) count, MSG_NOSIGNAL);
    if (n < 0 && errno == ENOTSOCK)
        n = write(fd, buf, (size_t) count);
    return n < 0 ? -errno : n;
}

P4J_API int32_t p4j_pipe(int32_t *fds)
{
    if (fds == NULL)
        return -EINVAL;
    return pipe2(fds, O_CLOEXEC) == 0 ? 0 : -errno;
}

P4J_API int32_t p4j_close(int32_t fd)
{
    return close(fd) == 0 ? 0 : -errno;
}

P4J_API int64_t p4j_sizeof(int32_t which)
{
    switch (which) {
    case P4J_SIZEOF_RUSAGE:
        return sizeof(struct p4j_rusage);
    case P4J_SIZEOF_TIMESPEC:
        return sizeof(struct p4j_timespec);
    case P4J_SIZEOF_SOCKADDR_IN:
        return sizeof(struct p4j_sockaddr_in);
    case P4J_SIZEOF_RLIMIT:
        return sizeof(struct p4j_rlimit);
    case P4J_SIZEOF_EPOLL_EVENT:
        return sizeof(struct p4j_epoll_event);
    default:
        return -EINVAL;
    }
}
