package org.pthread4j.posix;

/**
 * Real system calls for labs, as C calls them: each returns its result, or {@code -1} with
 * the calling thread's {@link org.pthread4j.Pthreads#errno()} set. Two bindings implement it
 * — {@link Posix#ffm()} (pthread4j's C layer through FFM) and {@link Posix#jnr()} (jnr-posix,
 * through JNI) — so a benchmark can compare them on the same call.
 *
 * <p>These calls really block in the kernel: on the M:1 model a {@code read} on an empty
 * pipe stops every pthread, on the M:N model it pins its carrier, on the 1:1 model it blocks
 * only its own thread, and on gmp its processor goes to another kernel thread meanwhile. A
 * socket that a scheduler's network poller took (gmp's) is the exception: a call on it that
 * would block parks the pthread in the poller instead, through either binding (see
 * {@link Posix}).
 */
public interface SystemCalls {

    /**
     * The binding's name: {@code ffm} or {@code jnr}.
     *
     * @return {@code ffm} or {@code jnr}
     */
    String binding();

    /**
     * {@code pipe2(fds, O_CLOEXEC)}: fds[0] is the read end, fds[1] the write end.
     *
     * @param fds receives the read end in {@code fds[0]} and the write end in {@code fds[1]}
     * @return 0, or -1 with errno set
     */
    int pipe(int[] fds);

    /**
     * Reads up to {@code count} bytes into {@code buf}; returns the number read, 0 at end of file.
     *
     * @param fd the file descriptor
     * @param buf receives the bytes
     * @param count the most bytes to read
     * @return the number of bytes read, 0 at end of file, or -1 with errno set
     */
    long read(int fd, byte[] buf, int count);

    /**
     * Writes {@code count} bytes of {@code buf}; returns the number written.
     *
     * @param fd the file descriptor
     * @param buf the bytes to write
     * @param count the number of bytes to write
     * @return the number of bytes written, or -1 with errno set
     */
    long write(int fd, byte[] buf, int count);

    /**
     * {@code close(fd)}: 0, or -1 with errno set.
     *
     * @param fd the file descriptor
     * @return 0, or -1 with errno set
     */
    int close(int fd);

    /**
     * {@code getpid()}: the process id.
     *
     * @return the process id
     */
    int getpid();

    /**
     * The kernel tid of the calling (carrier) thread; ENOSYS where the binding lacks it.
     *
     * @return the tid, or -1 with errno ENOSYS
     */
    int gettid();

    /**
     * The CPU the caller runs on; ENOSYS where the binding lacks it.
     *
     * @return the CPU number, or -1 with errno ENOSYS
     */
    int sched_getcpu();

    /**
     * {@code getrusage(RUSAGE_THREAD)} of the calling kernel thread into {@code usage}: user
     * and system CPU time in nanoseconds, voluntary and involuntary context switches.
     *
     * @param usage receives the figures
     * @return 0, or -1 with errno set
     */
    int getrusage_thread(rusage usage);

    // ---- sockets (issue #17): IPv4 stream sockets, O_NONBLOCK, resource limits, epoll ----

    /**
     * {@code socket(2)}. Under a scheduler with a network poller (gmp) the poller takes the
     * new socket (see {@link Posix}); the caller still sees it blocking unless
     * {@link Posix#SOCK_NONBLOCK} was given.
     *
     * @param domain {@link Posix#AF_INET}
     * @param type {@link Posix#SOCK_STREAM}, with {@link Posix#SOCK_NONBLOCK} and {@link Posix#SOCK_CLOEXEC}
     * @param protocol 0
     * @return a descriptor; -1 with errno EAFNOSUPPORT, EINVAL, EPROTONOSUPPORT, EMFILE, ENFILE,
     *         ENOBUFS, ENOMEM, EACCES; ENOSYS where the binding lacks it
     */
    int socket(int domain, int type, int protocol);

    /**
     * {@code setsockopt(2)} of an int-valued option ({@link Posix#SO_REUSEADDR},
     * {@link Posix#TCP_NODELAY}, {@link Posix#SO_RCVBUF}…).
     *
     * @param fd the socket
     * @param level {@link Posix#SOL_SOCKET} or {@link Posix#IPPROTO_TCP}
     * @param optname the option
     * @param value its value
     * @return 0; -1 with errno EBADF, ENOTSOCK, ENOPROTOOPT, EINVAL; ENOSYS where the binding lacks it
     */
    int setsockopt(int fd, int level, int optname, int value);

    /**
     * {@code getsockopt(2)} of an int-valued option ({@link Posix#SO_ERROR} too).
     *
     * @param fd the socket
     * @param level {@link Posix#SOL_SOCKET} or {@link Posix#IPPROTO_TCP}
     * @param optname the option
     * @param value receives it in {@code value[0]}
     * @return 0; -1 with errno EBADF, ENOTSOCK, ENOPROTOOPT, EFAULT (value null or empty);
     *         ENOSYS where the binding lacks it
     */
    int getsockopt(int fd, int level, int optname, int[] value);

    /**
     * {@code bind(2)} to an IPv4 address (port 0: the kernel picks one, see {@link #getsockname}).
     *
     * @param fd the socket
     * @param addr the address
     * @return 0; -1 with errno EADDRINUSE, EACCES, EBADF, EINVAL (already bound), ENOTSOCK,
     *         EADDRNOTAVAIL, EAFNOSUPPORT, EFAULT (addr null); ENOSYS where the binding lacks it
     */
    int bind(int fd, sockaddr_in addr);

    /**
     * {@code listen(2)}.
     *
     * @param fd the socket
     * @param backlog the length of the queue of pending connections (capped by somaxconn)
     * @return 0; -1 with errno EADDRINUSE, EBADF, ENOTSOCK, EOPNOTSUPP; ENOSYS where the binding lacks it
     */
    int listen(int fd, int backlog);

    /**
     * {@code accept(2)}: {@link #accept4} with no flags.
     *
     * @param fd the listening socket
     * @param addr receives the peer's address, or null
     * @return the new connection's descriptor; -1 with errno as {@link #accept4}
     */
    int accept(int fd, sockaddr_in addr);

    /**
     * {@code accept4(2)}: waits for a connection unless the socket is non-blocking. The new
     * socket is offered to the network poller as {@link #socket}'s is.
     *
     * @param fd the listening socket
     * @param addr receives the peer's address, or null
     * @param flags {@link Posix#SOCK_NONBLOCK} and {@link Posix#SOCK_CLOEXEC}, or 0
     * @return the new connection's descriptor; -1 with errno EAGAIN (non-blocking, none
     *         pending), EBADF, EINTR, EINVAL (not listening, bad flags), EMFILE, ENFILE,
     *         ENOTSOCK, EOPNOTSUPP, ECONNABORTED; ENOSYS where the binding lacks it
     */
    int accept4(int fd, sockaddr_in addr, int flags);

    /**
     * {@code connect(2)}: waits until the connection is made unless the socket is non-blocking.
     *
     * @param fd the socket
     * @param addr the peer's address
     * @return 0; -1 with errno ECONNREFUSED, EINPROGRESS (non-blocking: see {@link Posix#SO_ERROR}),
     *         EALREADY, EISCONN, ETIMEDOUT, ENETUNREACH, EADDRNOTAVAIL, EAFNOSUPPORT, EBADF,
     *         EINTR, ENOTSOCK, EFAULT (addr null); ENOSYS where the binding lacks it
     */
    int connect(int fd, sockaddr_in addr);

    /**
     * {@code getsockname(2)}: the address a socket is bound to (after binding port 0: the port
     * the kernel picked).
     *
     * @param fd the socket
     * @param addr receives the address
     * @return 0; -1 with errno EBADF, ENOTSOCK, EFAULT (addr null); ENOSYS where the binding lacks it
     */
    int getsockname(int fd, sockaddr_in addr);

    /**
     * {@code getpeername(2)}: the address of a connected socket's peer.
     *
     * @param fd the socket
     * @param addr receives the address
     * @return 0; -1 with errno ENOTCONN, EBADF, ENOTSOCK, EFAULT (addr null); ENOSYS where the
     *         binding lacks it
     */
    int getpeername(int fd, sockaddr_in addr);

    /**
     * {@code recv(2)}: {@link #read} with flags ({@link Posix#MSG_DONTWAIT}: this call does not wait).
     *
     * @param fd the socket
     * @param buf receives the bytes
     * @param count the most bytes to read
     * @param flags 0 or {@link Posix#MSG_DONTWAIT}, {@link Posix#MSG_PEEK}
     * @return the number of bytes read, 0 when the peer shut down its side; -1 with errno
     *         EAGAIN, EBADF, ECONNRESET, EINTR, ENOTCONN, ENOTSOCK, EFAULT (buf null, count out
     *         of range); ENOSYS where the binding lacks it
     */
    long recv(int fd, byte[] buf, int count, int flags);

    /**
     * {@code send(2)} with {@link Posix#MSG_NOSIGNAL} always added: a closed peer gives EPIPE,
     * never SIGPIPE.
     *
     * @param fd the socket
     * @param buf the bytes to send
     * @param count the number of bytes to send
     * @param flags 0 or {@link Posix#MSG_DONTWAIT}
     * @return the number of bytes sent; -1 with errno EPIPE, ECONNRESET, EAGAIN, EBADF, EINTR,
     *         ENOTCONN, ENOTSOCK, EFAULT (buf null, count out of range); ENOSYS where the binding lacks it
     */
    long send(int fd, byte[] buf, int count, int flags);

    /**
     * {@code shutdown(2)}: ends reception ({@link Posix#SHUT_RD}), transmission
     * ({@link Posix#SHUT_WR}: the peer reads end of file) or both.
     *
     * @param fd the socket
     * @param how {@link Posix#SHUT_RD}, {@link Posix#SHUT_WR} or {@link Posix#SHUT_RDWR}
     * @return 0; -1 with errno EBADF, EINVAL, ENOTCONN, ENOTSOCK; ENOSYS where the binding lacks it
     */
    int shutdown(int fd, int how);

    /**
     * {@code fcntl(2)} with {@link Posix#F_GETFL} (returns the file status flags) or
     * {@link Posix#F_SETFL} (sets them; only {@link Posix#O_NONBLOCK} and a few others can
     * change). On a socket the network poller took, the answer and the setting are the
     * caller's view of O_NONBLOCK; the kernel's stays set.
     *
     * @param fd the descriptor
     * @param cmd {@link Posix#F_GETFL} or {@link Posix#F_SETFL}
     * @param arg the flags for F_SETFL (ignored by F_GETFL)
     * @return the flags (F_GETFL) or 0 (F_SETFL); -1 with errno EBADF, EINVAL (any other cmd)
     */
    int fcntl(int fd, int cmd, int arg);

    /**
     * {@code getrlimit(2)}.
     *
     * @param resource {@link Posix#RLIMIT_NOFILE}
     * @param rl receives the limits
     * @return 0; -1 with errno EINVAL, EFAULT (rl null)
     */
    int getrlimit(int resource, rlimit rl);

    /**
     * {@code setrlimit(2)}: an unprivileged process may lower its hard limit and set its soft
     * limit up to its hard one.
     *
     * @param resource {@link Posix#RLIMIT_NOFILE}
     * @param rl the limits
     * @return 0; -1 with errno EINVAL (soft above hard), EPERM (hard raised), EFAULT (rl null)
     */
    int setrlimit(int resource, rlimit rl);

    /**
     * {@code epoll_create1(2)}.
     *
     * @param flags 0 or {@link Posix#EPOLL_CLOEXEC}
     * @return an epoll descriptor; -1 with errno EINVAL, EMFILE, ENFILE, ENOMEM; ENOSYS where
     *         the binding lacks it
     */
    int epoll_create1(int flags);

    /**
     * {@code epoll_ctl(2)}: adds, changes or removes {@code fd} in the interest list.
     *
     * @param epfd the epoll descriptor
     * @param op {@link Posix#EPOLL_CTL_ADD}, {@link Posix#EPOLL_CTL_MOD} or {@link Posix#EPOLL_CTL_DEL}
     * @param fd the descriptor watched
     * @param event the events and data; may be null for EPOLL_CTL_DEL
     * @return 0; -1 with errno EBADF, EEXIST, ENOENT, EINVAL, ELOOP, ENOMEM, ENOSPC, EPERM,
     *         EFAULT (event null for ADD or MOD); ENOSYS where the binding lacks it
     */
    int epoll_ctl(int epfd, int op, int fd, epoll_event event);

    /**
     * {@code epoll_wait(2)}: waits for events, at most {@code timeout} ms (-1: forever, 0:
     * not at all), and stores up to {@code maxevents} of them in {@code events[0..]}, each
     * with the data it was registered with.
     *
     * @param epfd the epoll descriptor
     * @param events receives the events (the array's null elements are filled with new ones)
     * @param maxevents the most events to return, at most {@code events.length}
     * @param timeout the most milliseconds to wait, -1 for no limit
     * @return the number of events stored, 0 on timeout; -1 with errno EBADF, EINTR, EINVAL
     *         (maxevents 0 or less, not an epoll descriptor), EFAULT (events null, maxevents
     *         above its length); ENOSYS where the binding lacks it
     */
    int epoll_wait(int epfd, epoll_event[] events, int maxevents, int timeout);
}
