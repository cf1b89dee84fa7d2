/*
 * p4j_net.c - IPv4 stream sockets, fcntl's O_NONBLOCK, resource limits and
 * epoll. Each function is the libc call and -errno.
 *
 * Each makes one attempt, as libc does: the kernel restarts an interrupted
 * accept, connect, recv or send itself when the signal's handler has
 * SA_RESTART (the JVM's have), and otherwise EINTR goes to the caller as in
 * C; epoll_wait is never restarted on Linux. A retry here would be wrong for
 * connect (the connection goes on in the background: a second connect says
 * EALREADY) and for close (the descriptor is gone even when close says EINTR).
 *
 * Writes to a socket never raise SIGPIPE: send adds MSG_NOSIGNAL, and
 * p4j_write (p4j_sys.c) writes to a socket through send, so a closed peer
 * gives EPIPE as the call's result.
 */
#include "p4j_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>

static void p4j_sockaddr_to(const struct p4j_sockaddr_in *from, struct sockaddr_in *to)
{
    memset(to, 0, sizeof(*to));
    to->sin_family = from->sin_family;
    to->sin_port = from->sin_port;
    to->sin_addr.s_addr = from->sin_addr;
}

static void p4j_sockaddr_from(const struct sockaddr_in *from, struct p4j_sockaddr_in *to)
{
    to->sin_family = from->sin_family;
    to->sin_port = from->sin_port;
    to->sin_addr = from->sin_addr.s_addr;
}

P4J_API int32_t p4j_socket(int32_t domain, int32_t type, int32_t protocol)
{
    int fd = socket(domain, type, protocol);

    return fd < 0 ? -errno : fd;
}

P4J_API int32_t p4j_setsockopt(int32_t fd, int32_t level, int32_t name, int32_t value)
{
    int v = value;

    return setsockopt(fd, level, name, &v, sizeof(v)) == 0 ? 0 : -errno;
}

P4J_API int32_t p4j_getsockopt(int32_t fd, int32_t level, int32_t name, int32_t *value)
{
    int v = 0;
    socklen_t len = sizeof(v);

    if (value == NULL)
        return -EFAULT;
    if (getsockopt(fd, level, name, &v, &len) != 0)
        return -errno;
    *value = v;
    return 0;
}

P4J_API int32_t p4j_bind(int32_t fd, const struct p4j_sockaddr_in *addr)
{
    struct sockaddr_in sa;

    if (addr == NULL)
        return -EFAULT;
    p4j_sockaddr_to(addr, &sa);
    return bind(fd, (struct sockaddr *) &sa, sizeof(sa)) == 0 ? 0 : -errno;
}

P4J_API int32_t p4j_listen(int32_t fd, int32_t backlog)
{
    return listen(fd, backlog) == 0 ? 0 : -errno;
}

P4J_API int32_t p4j_accept4(int32_t fd, struct p4j_sockaddr_in *addr, int32_t flags)
{
    struct sockaddr_in sa;
    socklen_t len = sizeof(sa);
    int c;

    memset(&sa, 0, sizeof(sa));
    c = accept4(fd, (struct sockaddr *) &sa, &len, flags);
    if (c < 0)
        return -errno;
    if (addr != NULL)
        p4j_sockaddr_from(&sa, addr);
    return c;
}

P4J_API int32_t p4j_connect(int32_t fd, const struct p4j_sockaddr_in *addr)
{
    struct sockaddr_in sa;

    if (addr == NULL)
        return -EFAULT;
    p4j_sockaddr_to(addr, &sa);
    return connect(fd, (struct sockaddr *) &sa, sizeof(sa)) == 0 ? 0 : -errno;
}

static int32_t p4j_sockname(int (*get)(int, struct sockaddr *, socklen_t *), int32_t fd,
                            struct p4j_sockaddr_in *addr)
{
    struct sockaddr_in sa;
    socklen_t len = sizeof(sa);

    if (addr == NULL)
        return -EFAULT;
    memset(&sa, 0, sizeof(sa));
    if (get(fd, (struct sockaddr *) &sa, &len) != 0)
        return -errno;
    p4j_sockaddr_from(&sa, addr);
    return 0;
}

P4J_API int32_t p4j_getsockname(int32_t fd, struct p4j_sockaddr_in *addr)
{
    return p4j_sockname(getsockname, fd, addr);
}

P4J_API int32_t p4j_getpeername(int32_t fd, struct p4j_sockaddr_in *addr)
{
    return p4j_sockname(getpeername, fd, addr);
}

P4J_API int64_t p4j_recv(int32_t fd, void *buf, int64_t count, int32_t flags)
{
    ssize_t n;

    if (count < 0)
        return -EINVAL;
    n = recv(fd, buf, (size_t) count, flags);
    return n < 0 ? -errno : n;
}

P4J_API int64_t p4j_send(int32_t fd, const void *buf, int64_t count, int32_t flags)
{
    ssize_t n;

    if (count < 0)
        return -EINVAL;
    n = send(fd, buf, (size_t) count, flags | MSG_NOSIGNAL);
    return n < 0 ? -errno : n;
}

P4J_API int32_t p4j_shutdown(int32_t fd, int32_t how)
{
    return shutdown(fd, how) == 0 ? 0 : -errno;
}

P4J_API int32_t p4j_fcntl(int32_t fd, int32_t cmd, int32_t arg)
{
    int r;

    if (cmd != F_GETFL && cmd != F_SETFL)
        return -EINVAL;
    r = cmd == F_GETFL ? fcntl(fd, F_GETFL) : fcntl(fd, F_SETFL, arg);
    return r < 0 ? -errno : r;
}

P4J_API int32_t p4j_getrlimit(int32_t resource, struct p4j_rlimit *rl)
{
    struct rlimit r;

    if (rl == NULL)
        return -EFAULT;
    if (getrlimit(resource, &r) != 0)
        return -errno;
    rl->rlim_cur = (int64_t) r.rlim_cur;
    rl->rlim_max = (int64_t) r.rlim_max;
    return 0;
}

P4J_API int32_t p4j_setrlimit(int32_t resource, const struct p4j_rlimit *rl)
{
    struct rlimit r;

    if (rl == NULL)
        return -EFAULT;
    r.rlim_cur = (rlim_t) rl->rlim_cur;
    r.rlim_max = (rlim_t) rl->rlim_max;
    return setrlimit(resource, &r) == 0 ? 0 : -errno;
}

P4J_API int32_t p4j_epoll_create1(int32_t flags)
{
    int fd = epoll_create1(flags);

    return fd < 0 ? -errno : fd;
}

P4J_API int32_t p4j_epoll_ctl(int32_t epfd, int32_t op, int32_t fd, const struct p4j_epoll_event *event)
{
    struct epoll_event ev;

    memset(&ev, 0, sizeof(ev));
    if (event != NULL) {
        ev.events = event->events;
        ev.data.u64 = event->data;
    }
    return epoll_ctl(epfd, op, fd, event == NULL ? NULL : &ev) == 0 ? 0 : -errno;
}

/*
 * The kernel's struct epoll_event is packed on x86-64 (12 bytes) and padded
 * on aarch64 (16), never larger than ours (16): the kernel fills the front of
 * the caller's array, which is then widened in place from the last event
 * down, so that no event is overwritten before it is read.
 */
P4J_API int32_t p4j_epoll_wait(int32_t epfd, struct p4j_epoll_event *events, int32_t maxevents,
                               int32_t timeout)
{
    struct epoll_event ev;
    int n, i;

    _Static_assert(sizeof(struct epoll_event) <= sizeof(struct p4j_epoll_event),
                   "the kernel's events fit in the caller's array");
    if (events == NULL && maxevents > 0)
        return -EFAULT;
    n = epoll_wait(epfd, (struct epoll_event *) (void *) events, maxevents, timeout);
    if (n < 0)
        return -errno;
    for (i = n - 1; i >= 0; i--) {
        memcpy(&ev, (char *) events + (size_t) i * sizeof(ev), sizeof(ev));
        events[i].events = ev.events;
        events[i].pad = 0;
        events[i].data = ev.data.u64;
    }
    return n;
}
