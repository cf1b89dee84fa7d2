package org.pthread4j.examples;

import static org.pthread4j.Libc.*;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.Stdatomic.*;
import static org.pthread4j.posix.Posix.*;

import org.pthread4j.atomic_long;
import org.pthread4j.posix.epoll_event;
import org.pthread4j.posix.rlimit;
import org.pthread4j.posix.sockaddr_in;
import org.pthread4j.pthread_attr_t;
import org.pthread4j.pthread_t;
import org.pthread4j.timespec;

/**
 * echo-server: a TCP echo server with one thread per connection, the way a textbook (and
 * Apache's worker model) writes one. Port of {@code examples/echo-server/echo-server.c}.
 *
 * <p>Main accepts; each accepted connection gets a detached pthread with a 64 KiB stack, which
 * reads and sends back what it read until the peer closes. To hold many connections the server
 * raises its open-file limit (RLIMIT_NOFILE) from the soft to the hard limit at start. When
 * pthread_create fails, as it does when a real server reaches its limit, it says why once and
 * closes that connection.
 *
 * <p>Main waits with epoll_wait on two descriptors, the listening socket and stdin, so that it
 * can stop without a second thread: a line on stdin, or the end of stdin (the program that
 * started the server closes the pipe), stops the server, and so does the time limit when one is
 * given. It then prints what it served and exits, which ends the connections still open.
 *
 * <p>Lesson: a thread per connection holds a thread for each connection, even an idle one,
 * blocked in recv(). On {@code native} (1:1) that thread is a kernel thread with its stack:
 * cheap enough for a thousand, but the kernel's limits come first near tens of thousands. On
 * {@code green} (M:1) the first blocked recv() blocks the only carrier: one connection at a time
 * is served, the others wait until it closes (main, a platform thread outside the model, goes on
 * accepting). An M:N model is as good as what happens to a thread blocked on a socket: on
 * {@code virtual} it pins a carrier (as many connections as carriers are served at once); on
 * {@code gmp} Go's netpoller parks it and its kernel thread runs others.
 *
 * <p>Usage: {@code echo-server [port [seconds]]}; port 0 (the default): any free port. Its first
 * line says where it listens: {@code listening on 127.0.0.1:PORT}.
 */
public final class EchoServer {

    static final int STACK_SIZE = 64 * 1024;
    static final int BUF_SIZE = 4096;
    static final int BACKLOG = 4096;
    static final int STDIN_FILENO = 0;
    // Linux's errno values of the limits a server meets, which C takes from errno.h.
    static final int ENFILE = 23, EMFILE = 24, ENOBUFS = 105;

    static final atomic_long accepted = new atomic_long(), refused = new atomic_long(),
            open_connections = new atomic_long(), echoed_bytes = new atomic_long();

    static void die(String what) {
        perror(what);
        exit(1);
    }

    static void check(int rc, String what) {
        if (rc != 0) {
            fprintf(stderr, "%s: %s\n", what, strerror(rc));
            exit(1);
        }
    }

    /** The errors a server meets at its limits, by name; others by their message. */
    static String errname(int e) {
        return switch (e) {
            case EAGAIN -> "EAGAIN";
            case ENOMEM -> "ENOMEM";
            case EMFILE -> "EMFILE";
            case ENFILE -> "ENFILE";
            case ENOBUFS -> "ENOBUFS";
            default -> strerror(e);
        };
    }

    static long now_ms() {
        timespec ts = new timespec();
        clock_gettime(CLOCK_MONOTONIC, ts);
        return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    }

    static void print_limit(String label, long limit) {
        if (limit == RLIM_INFINITY) {
            printf("%sunlimited", label);
        } else {
            printf("%s%ld", label, limit);
        }
    }

    /** One connection: echo until the peer closes (or the connection fails). */
    static Object serve(Object arg) {
        int c = (Integer) arg;
        byte[] buf = new byte[BUF_SIZE];
        long n;

        // A blocking send queues all n bytes or fails; MSG_NOSIGNAL: no SIGPIPE.
        while ((n = recv(c, buf, BUF_SIZE, 0)) > 0 && send(c, buf, (int) n, MSG_NOSIGNAL) == n) {
            atomic_fetch_add(echoed_bytes, n);
        }
        atomic_fetch_sub(open_connections, 1);     // before close: a peer that sees it closed sees it counted
        close(c);
        return null;
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? atoi(args[0]) : 0;
        int seconds = args.length > 1 ? atoi(args[1]) : 0;
        if (port < 0 || port > 65535 || seconds < 0) {
            fprintf(stderr, "usage: echo-server [port [seconds]]\n");
            exit(2);
        }

        rlimit rl = new rlimit();
        if (getrlimit(RLIMIT_NOFILE, rl) != 0) {
            die("getrlimit");
        }
        long soft = rl.rlim_cur;
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, rl) != 0) {
            die("setrlimit");
        }

        int s = socket(AF_INET, SOCK_STREAM, 0);
        if (s < 0) {
            die("socket");
        }
        if (setsockopt(s, SOL_SOCKET, SO_REUSEADDR, 1) != 0) {
            die("setsockopt");
        }
        sockaddr_in addr = new sockaddr_in();
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr = htonl(INADDR_LOOPBACK);
        if (bind(s, addr) != 0) {
            die("bind");
        }
        if (listen(s, BACKLOG) != 0) {
            die("listen");
        }
        if (getsockname(s, addr) != 0) {
            die("getsockname");
        }
        String ip = inet_ntop(addr);
        printf("listening on %s:%d\n", ip, ntohs(addr.sin_port));
        print_limit("RLIMIT_NOFILE: soft ", soft);
        print_limit(" -> ", rl.rlim_cur);
        print_limit(", hard ", rl.rlim_max);
        printf("\n");
        fflush(stdout);

        pthread_attr_t attr = new pthread_attr_t();
        check(pthread_attr_init(attr), "pthread_attr_init");
        check(pthread_attr_setdetachstate(attr, PTHREAD_CREATE_DETACHED), "pthread_attr_setdetachstate");
        check(pthread_attr_setstacksize(attr, STACK_SIZE), "pthread_attr_setstacksize");

        int ep = epoll_create1(EPOLL_CLOEXEC);
        if (ep < 0) {
            die("epoll_create1");
        }
        epoll_event ev = new epoll_event();
        ev.events = EPOLLIN;
        ev.data = s;
        if (epoll_ctl(ep, EPOLL_CTL_ADD, s, ev) != 0) {
            die("epoll_ctl");
        }
        ev.data = STDIN_FILENO;
        if (epoll_ctl(ep, EPOLL_CTL_ADD, STDIN_FILENO, ev) != 0 && errno() != EPERM) {
            die("epoll_ctl");       // EPERM: stdin is a file, which cannot stop the server
        }

        long deadline = seconds > 0 ? now_ms() + seconds * 1000L : 0;
        int failed = 0;             // pthread_create or accept has failed: said once
        epoll_event[] ready = {new epoll_event()};
        for (;;) {
            int timeout = deadline != 0 ? (int) (deadline - now_ms()) : -1;
            if (deadline != 0 && timeout <= 0) {
                break;
            }
            int n = epoll_wait(ep, ready, 1, timeout);
            if (n < 0 && errno() != EINTR) {
                die("epoll_wait");
            }
            if (n <= 0) {
                continue;
            }
            if (ready[0].data == STDIN_FILENO) {
                byte[] line = new byte[256];
                read(STDIN_FILENO, line, line.length);     // a line, or the end of stdin
                break;
            }
            int c = accept(s, null);
            if (c < 0) {    // EMFILE at the open-file limit: the connection stays queued
                if (failed++ == 0) {
                    printf("accept: %s at %ld connections\n", errname(errno()), atomic_load(open_connections));
                    fflush(stdout);
                }
                usleep(10000);      // until a connection closes; epoll would report it at once
                continue;
            }
            atomic_fetch_add(accepted, 1);
            atomic_fetch_add(open_connections, 1);
            pthread_t t = new pthread_t();
            int rc = pthread_create(t, attr, EchoServer::serve, c);
            if (rc != 0) {
                if (failed++ == 0) {
                    printf("pthread_create: %s at %ld connections\n", errname(rc), atomic_load(open_connections) - 1);
                    fflush(stdout);
                }
                close(c);
                atomic_fetch_sub(open_connections, 1);
                atomic_fetch_add(refused, 1);
            }
        }

        close(s);
        printf("stopped: %ld connections accepted, %ld refused, %ld still open, %ld bytes echoed\n",
                atomic_load(accepted), atomic_load(refused), atomic_load(open_connections),
                atomic_load(echoed_bytes));
        // Returning from main ends the process and every connection still open (Run exits).
    }
}
