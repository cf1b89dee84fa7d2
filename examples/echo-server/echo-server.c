/*
 * echo-server: a TCP echo server with one thread per connection, the way a
 * textbook (and Apache's worker model) writes one. Main accepts; each accepted
 * connection gets a detached pthread with a 64 KiB stack, which reads and
 * sends back what it read until the peer closes. To hold many connections
 * the server raises its open-file limit (RLIMIT_NOFILE) from the soft to the
 * hard limit at start. When pthread_create fails, as it does when a real
 * server reaches its limit, it says why once and closes that connection.
 *
 * Main waits with epoll_wait on two descriptors, the listening socket and
 * stdin, so that it can stop without a second thread: a line on stdin, or
 * the end of stdin (the program that started the server closes the pipe),
 * stops the server, and so does the time limit when one is given. It then
 * prints what it served and exits, which ends the connections still open.
 *
 * Lesson: a thread per connection holds a thread for each connection, even
 * an idle one, blocked in recv(). In C (and on pthread4j's native backend,
 * 1:1) that thread is a kernel thread with its stack: cheap enough for a
 * thousand, but the kernel's limits come first near tens of thousands. On an
 * M:1 model (green) the first blocked recv() blocks the only kernel thread:
 * one connection at a time is served, the others wait until it closes. An
 * M:N model is as good as what happens to a thread blocked on a socket: on
 * virtual it pins a carrier (as many connections as carriers are served at
 * once); on gmp Go's netpoller parks it and its kernel thread runs others.
 *
 *     gcc -O2 -pthread -o echo-server echo-server.c
 *     ./echo-server [port [seconds]]      # port 0 (the default): any free port
 *
 * Its first line says where it listens: "listening on 127.0.0.1:PORT".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define STACK_SIZE (64 * 1024)
#define BUF_SIZE 4096
#define BACKLOG 4096

static atomic_long accepted, refused, open_connections, echoed_bytes;

static void die(const char *what)
{
    perror(what);
    exit(1);
}

static void check(int rc, const char *what)
{
    if (rc != 0) {
        fprintf(stderr, "%s: %s\n", what, strerror(rc));
        exit(1);
    }
}

/* The errors a server meets at its limits, by name; others by their message. */
static const char *errname(int e)
{
    switch (e) {
    case EAGAIN: return "EAGAIN";
    case ENOMEM: return "ENOMEM";
    case EMFILE: return "EMFILE";
    case ENFILE: return "ENFILE";
    case ENOBUFS: return "ENOBUFS";
    default: return strerror(e);
    }
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void print_limit(const char *label, rlim_t limit)
{
    if (limit == RLIM_INFINITY)
        printf("%sunlimited", label);
    else
        printf("%s%ld", label, (long) limit);
}

/* One connection: echo until the peer closes (or the connection fails). */
static void *serve(void *arg)
{
    int c = (int) (long) arg;
    char buf[BUF_SIZE];
    ssize_t n;

    /* A blocking send queues all n bytes or fails; MSG_NOSIGNAL: no SIGPIPE. */
    while ((n = recv(c, buf, sizeof buf, 0)) > 0 && send(c, buf, n, MSG_NOSIGNAL) == n)
        atomic_fetch_add(&echoed_bytes, n);
    atomic_fetch_sub(&open_connections, 1);    /* before close: a peer that sees it closed sees it counted */
    close(c);
    return NULL;
}

int main(int argc, char *argv[])
{
    int port = argc > 1 ? atoi(argv[1]) : 0;
    int seconds = argc > 2 ? atoi(argv[2]) : 0;
    if (port < 0 || port > 65535 || seconds < 0) {
        fprintf(stderr, "usage: echo-server [port [seconds]]\n");
        exit(2);
    }

    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        die("getrlimit");
    rlim_t soft = rl.rlim_cur;
    rl.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
        die("setrlimit");

    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0)
        die("socket");
    int one = 1;
    if (setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0)
        die("setsockopt");
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(s, (struct sockaddr *) &addr, sizeof addr) != 0)
        die("bind");
    if (listen(s, BACKLOG) != 0)
        die("listen");
    socklen_t len = sizeof addr;
    if (getsockname(s, (struct sockaddr *) &addr, &len) != 0)
        die("getsockname");
    char ip[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &addr.sin_addr, ip, sizeof ip);
    printf("listening on %s:%d\n", ip, ntohs(addr.sin_port));
    print_limit("RLIMIT_NOFILE: soft ", soft);
    print_limit(" -> ", rl.rlim_cur);
    print_limit(", hard ", rl.rlim_max);
    printf("\n");
    fflush(stdout);

    pthread_attr_t attr;
    check(pthread_attr_init(&attr), "pthread_attr_init");
    check(pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED), "pthread_attr_setdetachstate");
    check(pthread_attr_setstacksize(&attr, STACK_SIZE), "pthread_attr_setstacksize");

    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0)
        die("epoll_create1");
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = s};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev) != 0)
        die("epoll_ctl");
    ev.data.fd = STDIN_FILENO;
    if (epoll_ctl(ep, EPOLL_CTL_ADD, STDIN_FILENO, &ev) != 0 && errno != EPERM)
        die("epoll_ctl");       /* EPERM: stdin is a file, which cannot stop the server */

    long deadline = seconds > 0 ? now_ms() + seconds * 1000L : 0;
    int failed = 0;             /* pthread_create or accept has failed: said once */
    for (;;) {
        int timeout = deadline ? (int) (deadline - now_ms()) : -1;
        if (deadline && timeout <= 0)
            break;
        struct epoll_event ready;
        int n = epoll_wait(ep, &ready, 1, timeout);
        if (n < 0 && errno != EINTR)
            die("epoll_wait");
        if (n <= 0)
            continue;
        if (ready.data.fd == STDIN_FILENO) {
            char line[256];
            read(STDIN_FILENO, line, sizeof line);  /* a line, or the end of stdin */
            break;
        }
        int c = accept(s, NULL, NULL);
        if (c < 0) {    /* EMFILE at the open-file limit: the connection stays queued */
            if (!failed++) {
                printf("accept: %s at %ld connections\n", errname(errno), atomic_load(&open_connections));
                fflush(stdout);
            }
            usleep(10000);      /* until a connection closes; epoll would report it at once */
            continue;
        }
        atomic_fetch_add(&accepted, 1);
        atomic_fetch_add(&open_connections, 1);
        pthread_t t;
        int rc = pthread_create(&t, &attr, serve, (void *) (long) c);
        if (rc != 0) {
            if (!failed++) {
                printf("pthread_create: %s at %ld connections\n", errname(rc), atomic_load(&open_connections) - 1);
                fflush(stdout);
            }
            close(c);
            atomic_fetch_sub(&open_connections, 1);
            atomic_fetch_add(&refused, 1);
        }
    }

    close(s);
    printf("stopped: %ld connections accepted, %ld refused, %ld still open, %ld bytes echoed\n",
           atomic_load(&accepted), atomic_load(&refused), atomic_load(&open_connections),
           atomic_load(&echoed_bytes));
    return 0;                   /* ends the process and every connection still open */
}
