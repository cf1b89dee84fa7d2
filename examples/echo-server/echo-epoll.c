/*
 * echo-epoll: the event-loop echo server, nginx-style: one thread, one epoll
 * instance, every socket non-blocking. The reference beside echo-server.c (one
 * pthread per connection) in ./pthread4j lab c10k.
 *
 * The loop waits in epoll_wait for any socket to be ready and then does what
 * that socket allows without blocking: accept every pending connection on the
 * listening socket, read what a connection has and write it back. A
 * connection costs a descriptor and a small struct, never a thread or a stack:
 * what it waits for is a bit in the kernel's ready list, not a sleeping
 * thread. When a write does not fit in the socket's buffer, the rest waits in
 * the struct and the connection stops being read until EPOLLOUT says it
 * drained (the client's back-pressure, as nginx does it).
 *
 * Lesson: the event loop holds a connection for the price of its descriptor,
 * its socket buffers and this struct; its limits are the open-file limit and
 * memory, never the kernel's thread limits, and one thread on one core
 * answers every connection in turn.
 *
 * Used as echo-server.c is: it raises RLIMIT_NOFILE from the soft to the hard
 * limit, listens on 127.0.0.1:PORT (port 0, the default: any free port),
 * prints "listening on 127.0.0.1:PORT" as its first line and the limits as
 * its second, and stops at a line on stdin, at the end of stdin, or after
 * SECONDS; then it prints what it served. When accept fails (EMFILE at the
 * open-file limit) it says so once ("accept: EMFILE at N connections") and
 * stops accepting until a connection closes.
 *
 *     gcc -O2 -o echo-epoll echo-epoll.c
 *     ./echo-epoll [port [seconds]]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BUF 4096
#define LISTENER UINT64_MAX
#define STDIN (UINT64_MAX - 1)

struct conn {
    int fd;
    unsigned len, off;  /* bytes read and not yet written back: buf[off..len) */
    char buf[BUF];
};

static int ep, lfd;
static long open_conns, accepted, echoed_bytes;
static int accepting = 1, told;

static void die(const char *what)
{
    fprintf(stderr, "%s: %s\n", what, strerror(errno));
    exit(1);
}

static void accept_all(void)
{
    for (;;) {
        int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EMFILE || errno == ENFILE) {
                if (!told++) {
                    printf("accept: %s at %ld connections\n", strerrorname_np(errno), open_conns);
                    fflush(stdout);
                }
                /* the pending connections stay in the kernel's queue until a descriptor frees */
                epoll_ctl(ep, EPOLL_CTL_DEL, lfd, NULL);
                accepting = 0;
            } else if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED && !told++) {
                printf("accept: %s at %ld connections\n", strerrorname_np(errno), open_conns);
                fflush(stdout);
            }
            return;
        }
        struct conn *c = malloc(sizeof *c);
        if (c == NULL) {
            if (!told++) {
                printf("malloc: ENOMEM at %ld connections\n", open_conns);
                fflush(stdout);
            }
            close(fd);
            return;
        }
        c->fd = fd;
        c->len = c->off = 0;
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        struct epoll_event e = {.events = EPOLLIN, .data.ptr = c};
        if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e) != 0) {
            if (!told++) {
                printf("epoll_ctl: %s at %ld connections\n", strerrorname_np(errno), open_conns);
                fflush(stdout);
            }
            close(fd);
            free(c);
            return;
        }
        open_conns++;
        accepted++;
    }
}

static void finish(struct conn *c)
{
    close(c->fd); /* also takes it out of the epoll set */
    free(c);
    open_conns--;
    if (!accepting) {
        struct epoll_event e = {.events = EPOLLIN, .data.u64 = LISTENER};
        epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &e);
        accepting = 1;
    }
}

/* Reads what the connection has and echoes it; on a full socket buffer, waits for EPOLLOUT. */
static void serve(struct conn *c, uint32_t events)
{
    for (;;) {
        if (c->off < c->len) {
            ssize_t n = write(c->fd, c->buf + c->off, c->len - c->off);
            if (n < 0 && errno == EAGAIN) {
                if (!(events & EPOLLOUT)) {
                    struct epoll_event e = {.events = EPOLLOUT, .data.ptr = c};
                    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &e);
                }
                return;
            }
            if (n < 0) {
                finish(c);
                return;
            }
            c->off += (unsigned)n;
            if (c->off < c->len)
                continue;
            if (events & EPOLLOUT) { /* drained: read again */
                struct epoll_event e = {.events = EPOLLIN, .data.ptr = c};
                epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &e);
                events = EPOLLIN;
            }
        }
        ssize_t n = read(c->fd, c->buf, BUF);
        if (n < 0 && errno == EAGAIN)
            return;
        if (n <= 0) { /* the client closed, or reset */
            finish(c);
            return;
        }
        c->len = (unsigned)n;
        c->off = 0;
        echoed_bytes += n;
    }
}

static void limit(const char *label, rlim_t v)
{
    if (v == RLIM_INFINITY)
        printf("%sunlimited", label);
    else
        printf("%s%ld", label, (long)v);
}

int main(int argc, char **argv)
{
    int port = argc > 1 ? atoi(argv[1]) : 0;
    long seconds = argc > 2 ? atol(argv[2]) : 0;
    if (port < 0 || port > 65535 || seconds < 0) {
        fprintf(stderr, "usage: echo-epoll [port [seconds]]\n");
        exit(2);
    }
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        die("getrlimit");
    rlim_t soft = rl.rlim_cur;
    rl.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
        die("setrlimit");

    lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (lfd < 0)
        die("socket");
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (bind(lfd, (struct sockaddr *)&a, sizeof a) != 0)
        die("bind");
    if (listen(lfd, 4096) != 0)
        die("listen");
    if (getsockname(lfd, (struct sockaddr *)&a, &len) != 0)
        die("getsockname");
    printf("listening on 127.0.0.1:%d\n", ntohs(a.sin_port));
    limit("RLIMIT_NOFILE: soft ", soft);
    limit(" -> ", rl.rlim_cur);
    limit(", hard ", rl.rlim_max);
    printf("\n");
    fflush(stdout);

    ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0)
        die("epoll_create1");
    struct epoll_event e = {.events = EPOLLIN, .data.u64 = LISTENER};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &e) != 0)
        die("epoll_ctl");
    e.data.u64 = STDIN;
    if (epoll_ctl(ep, EPOLL_CTL_ADD, STDIN_FILENO, &e) != 0 && errno != EPERM)
        die("epoll_ctl"); /* EPERM: stdin is a file, which cannot stop the server */

    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    struct epoll_event evs[256];
    for (;;) {
        int n = epoll_wait(ep, evs, 256, seconds > 0 ? 1000 : -1);
        if (n < 0 && errno != EINTR)
            die("epoll_wait");
        int stop = 0;
        for (int i = 0; i < n; i++) {
            if (evs[i].data.u64 == LISTENER)
                accept_all();
            else if (evs[i].data.u64 == STDIN)
                stop = 1; /* a line, or the end of stdin */
            else
                serve(evs[i].data.ptr, evs[i].events);
        }
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        if (stop || (seconds > 0 && t.tv_sec - start.tv_sec >= seconds))
            break;
    }
    close(lfd);
    printf("stopped: %ld connections accepted, %ld still open, %ld bytes echoed\n", accepted, open_conns,
           echoed_bytes);
    return 0; /* ends the process and every connection still open */
}
