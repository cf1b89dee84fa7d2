/*
 * p4j_netpoll.c - the epoll instance and eventfd of the gmp backend's network
 * poller (Go's netpoll_epoll.go). Each function is the system calls and -errno.
 */
#include "p4j_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

P4J_API int32_t p4j_netpoll_init(int32_t *fds)
{
    struct epoll_event ev = { .events = EPOLLIN };
    int epfd, evfd, err;

    if (fds == NULL)
        return -EINVAL;
    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0)
        return -errno;
    evfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (evfd < 0) {
        err = -errno;
        close(epfd);
        return err;
    }
    ev.data.u64 = (uint64_t) evfd;
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, evfd, &ev) != 0) {
        err = -errno;
        close(evfd);
        close(epfd);
        return err;
    }
    fds[0] = epfd;
    fds[1] = evfd;
    return 0;
}

P4J_API int32_t p4j_netpoll_open(int32_t epfd, int32_t fd)
{
    struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET };
    int flags, err;

    ev.data.u64 = (uint64_t) (uint32_t) fd;
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) != 0)
        return -errno;
    flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) {
        err = -errno;
        epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
        return err;
    }
    return 0;
}

P4J_API int32_t p4j_netpoll_close(int32_t epfd, int32_t fd)
{
    return epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL) == 0 ? 0 : -errno;
}

P4J_API int32_t p4j_netpoll_wait(int32_t epfd, int32_t evfd, int32_t *out, int32_t max, int32_t timeout_ms)
{
    struct epoll_event evs[128];
    uint64_t drained;
    int i, n;

    if (out == NULL || max < 1)
        return -EINVAL;
    n = epoll_wait(epfd, evs, max < 128 ? max : 128, timeout_ms);
    if (n < 0)
        return -errno;
    for (i = 0; i < n; i++) {
        out[2 * i] = (int32_t) evs[i].data.u64;
        out[2 * i + 1] = (int32_t) evs[i].events;
        if (out[2 * i] == evfd && timeout_ms != 0 && read(evfd, &drained, sizeof drained) < 0 && errno != EAGAIN)
            return -errno;
    }
    return n;
}

P4J_API int32_t p4j_netpoll_break(int32_t evfd)
{
    uint64_t one = 1;

    if (write(evfd, &one, sizeof one) == (ssize_t) sizeof one || errno == EAGAIN)
        return 0;
    return -errno;
}
