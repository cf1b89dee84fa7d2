package org.pthread4j.posix;

import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_ftruncate;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_link;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_shm_open;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_shm_unlink;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import org.pthread4j.Pthreads;
import org.pthread4j.nativ.NativeLibrary;

/**
 * Entry to the system calls for labs. The static methods use the FFM binding; {@link #jnr()}
 * gives the same calls through jnr-posix.
 *
 * <p>Shared memory ({@link #shm_open}, {@link #ftruncate}, {@link #mmap}, {@link #munmap},
 * {@link #shm_unlink}) is where objects that processes share live: a {@code pthread_mutex_t},
 * {@code pthread_cond_t}, {@code pthread_rwlock_t}, {@code pthread_barrier_t} or {@code sem_t}
 * placed in a mapping with its {@code at(mapping, offset)} and initialized with
 * PTHREAD_PROCESS_SHARED. Like the other calls here they return {@code -1} (mmap:
 * {@link #MAP_FAILED}) and set {@link Pthreads#errno()}.
 *
 * <p>Sockets ({@link #socket}, {@link #bind}, {@link #listen}, {@link #accept}, {@link #connect},
 * {@link #read}, {@link #write}, {@link #recv}, {@link #send}, {@link #shutdown}, {@link #close};
 * IPv4 streams, {@link sockaddr_in}), {@link #fcntl} O_NONBLOCK, {@link #getrlimit} and epoll
 * block as each thread model really blocks: in the pthread's kernel thread on {@code native};
 * every pthread on {@code green}; one pinned carrier on {@code virtual}. On {@code gmp} a
 * socket is taken by its network poller: a pthread waiting on it parks, holding no kernel
 * thread, while the caller still sees a blocking socket ({@link #fcntl} answers its own view of
 * O_NONBLOCK). A write to a socket whose peer is gone returns -1 with EPIPE and never raises
 * SIGPIPE.
 */
public final class Posix {

    /** open(2) flag, Linux's value: open for reading only. */
    public static final int O_RDONLY = 0;
    /** open(2) flag, Linux's value: open for writing only. */
    public static final int O_WRONLY = 1;
    /** open(2) flag, Linux's value: open for reading and writing. */
    public static final int O_RDWR = 2;
    /** open(2) flag, Linux's value: create the file if it does not exist. */
    public static final int O_CREAT = 0100;
    /** open(2) flag, Linux's value: with O_CREAT, fail with EEXIST if the file exists. */
    public static final int O_EXCL = 0200;
    /** open(2) flag, Linux's value: truncate the file to length 0. */
    public static final int O_TRUNC = 01000;
    /** mmap(2) protection, Linux's value: no access. */
    public static final int PROT_NONE = 0;
    /** mmap(2) protection, Linux's value: the pages may be read. */
    public static final int PROT_READ = 1;
    /** mmap(2) protection, Linux's value: the pages may be written. */
    public static final int PROT_WRITE = 2;
    /** mmap(2) flag, Linux's value: writes are seen by every process mapping the object. */
    public static final int MAP_SHARED = 0x01;
    /** mmap(2) flag, Linux's value: a private copy-on-write mapping. */
    public static final int MAP_PRIVATE = 0x02;
    /** mmap(2) flag, Linux's value: the exact address; {@link #mmap} refuses it with EINVAL. */
    public static final int MAP_FIXED = 0x10;
    /** mmap(2) flag, Linux's value: memory not backed by a file ({@code fd} -1). */
    public static final int MAP_ANONYMOUS = 0x20;
    /** mmap(2) flag, Linux's value: the exact address if free; {@link #mmap} refuses it with EINVAL. */
    public static final int MAP_FIXED_NOREPLACE = 0x100000;
    /** What {@link #mmap} returns when it fails, as C's {@code MAP_FAILED}. */
    public static final MemorySegment MAP_FAILED = Mappings.FAILED;

    // ---- sockets (Linux's values, x86-64 and aarch64 alike) ----

    /** socket(2) domain: IPv4. */
    public static final int AF_INET = 2;
    /** socket(2) type: a byte stream (TCP). */
    public static final int SOCK_STREAM = 1;
    /** socket(2)/accept4(2) type flag: the new socket is non-blocking. */
    public static final int SOCK_NONBLOCK = 04000;
    /** socket(2)/accept4(2) type flag: close the socket on exec. */
    public static final int SOCK_CLOEXEC = 02000000;
    /** setsockopt(2) level: the socket itself. */
    public static final int SOL_SOCKET = 1;
    /** SOL_SOCKET option: bind to a port still in TIME_WAIT. */
    public static final int SO_REUSEADDR = 2;
    /** SOL_SOCKET option (getsockopt only): the pending error, cleared by reading it. */
    public static final int SO_ERROR = 4;
    /** SOL_SOCKET option: the send buffer's size. */
    public static final int SO_SNDBUF = 7;
    /** SOL_SOCKET option: the receive buffer's size. */
    public static final int SO_RCVBUF = 8;
    /** setsockopt(2) level: TCP. */
    public static final int IPPROTO_TCP = 6;
    /** IPPROTO_TCP option: send small segments at once (no Nagle). */
    public static final int TCP_NODELAY = 1;
    /** shutdown(2): no more receptions. */
    public static final int SHUT_RD = 0;
    /** shutdown(2): no more transmissions (the peer reads end of file). */
    public static final int SHUT_WR = 1;
    /** shutdown(2): neither. */
    public static final int SHUT_RDWR = 2;
    /** recv(2) flag: look at the data without taking it. */
    public static final int MSG_PEEK = 0x2;
    /** recv(2)/send(2) flag: this call does not wait (EAGAIN instead). */
    public static final int MSG_DONTWAIT = 0x40;
    /** send(2) flag: no SIGPIPE when the peer is gone, EPIPE only; {@link #send} always adds it. */
    public static final int MSG_NOSIGNAL = 0x4000;
    /** An IPv4 address, host order: any local address. */
    public static final int INADDR_ANY = 0;
    /** An IPv4 address, host order: 127.0.0.1. */
    public static final int INADDR_LOOPBACK = 0x7f000001;
    /** fcntl(2) command: get the file status flags. */
    public static final int F_GETFL = 3;
    /** fcntl(2) command: set the file status flags. */
    public static final int F_SETFL = 4;
    /** open(2)/fcntl(2) flag: calls on the descriptor do not wait (EAGAIN instead). */
    public static final int O_NONBLOCK = 04000;
    /** getrlimit(2) resource: one more than the highest descriptor number the process may open. */
    public static final int RLIMIT_NOFILE = 7;
    /** A limit that is no limit. */
    public static final long RLIM_INFINITY = -1L;
    /** epoll_create1(2) flag: close the epoll descriptor on exec. */
    public static final int EPOLL_CLOEXEC = 02000000;
    /** epoll_ctl(2) op: add a descriptor to the interest list. */
    public static final int EPOLL_CTL_ADD = 1;
    /** epoll_ctl(2) op: remove a descriptor from the interest list. */
    public static final int EPOLL_CTL_DEL = 2;
    /** epoll_ctl(2) op: change a descriptor's events and data. */
    public static final int EPOLL_CTL_MOD = 3;
    /** epoll event: readable (or a connection to accept). */
    public static final int EPOLLIN = 0x001;
    /** epoll event: writable (or a connect finished). */
    public static final int EPOLLOUT = 0x004;
    /** epoll event: an error (always reported). */
    public static final int EPOLLERR = 0x008;
    /** epoll event: hang-up (always reported). */
    public static final int EPOLLHUP = 0x010;
    /** epoll event: the peer shut down its writing side. */
    public static final int EPOLLRDHUP = 0x2000;
    /** epoll flag: edge-triggered. */
    public static final int EPOLLET = 1 << 31;

    // ---- errno values of the socket calls (Linux's; the others are on Pthreads) ----

    /** errno: a write to a socket whose peer is gone (or that was shut down for writing). */
    public static final int EPIPE = 32;
    /** errno: not a socket. */
    public static final int ENOTSOCK = 88;
    /** errno: the option is unknown at this level. */
    public static final int ENOPROTOOPT = 92;
    /** errno: the address family is not supported. */
    public static final int EAFNOSUPPORT = 97;
    /** errno: the address is in use. */
    public static final int EADDRINUSE = 98;
    /** errno: the address is not a local one. */
    public static final int EADDRNOTAVAIL = 99;
    /** errno: the connection was aborted. */
    public static final int ECONNABORTED = 103;
    /** errno: the peer reset the connection. */
    public static final int ECONNRESET = 104;
    /** errno: the socket is already connected. */
    public static final int EISCONN = 106;
    /** errno: the socket is not connected. */
    public static final int ENOTCONN = 107;
    /** errno: nothing listens at the address. */
    public static final int ECONNREFUSED = 111;
    /** errno: a connect on this non-blocking socket is already under way. */
    public static final int EALREADY = 114;
    /** errno: a non-blocking connect began; epoll reports EPOLLOUT when it ends (see {@link #SO_ERROR}). */
    public static final int EINPROGRESS = 115;

    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private Posix() {}

    /** Whether {@code count} bytes of {@code buf} exist, for both bindings: C would fault (EFAULT) where not. */
    static boolean fits(byte[] buf, int count) {
        return buf != null && count >= 0 && count <= buf.length;
    }

    /** The one place where a C result becomes C's {@code -1} and errno. */
    private static int result(int r) {
        if (r < 0) {
            Pthreads.errno(-r);
            return -1;
        }
        return r;
    }

    /**
     * {@code shm_open(3)}: opens (with {@link #O_CREAT}, creates with {@code mode}) the
     * shared-memory object {@code name} ({@code "/name"}, a file of {@code /dev/shm}).
     *
     * @param name the object's name, {@code "/name"}
     * @param oflag {@link #O_RDONLY} or {@link #O_RDWR}, with {@link #O_CREAT}, {@link #O_EXCL},
     *        {@link #O_TRUNC}
     * @param mode the permission bits of an object it creates
     * @return a file descriptor (close-on-exec); -1 with errno EEXIST (O_CREAT|O_EXCL and it
     *         exists), ENOENT, EACCES, EINVAL (a bad name), ENAMETOOLONG, EMFILE
     */
    public static int shm_open(String name, int oflag, int mode) {
        NativeLibrary.ensureLoaded();
        try (Arena arena = Arena.ofConfined()) {
            return result(p4j_shm_open(arena.allocateFrom(name), oflag, mode));
        }
    }

    /**
     * {@code shm_unlink(3)}: removes the name of a shared-memory object; its memory lives on
     * while a process has it open or mapped.
     *
     * @param name the object's name, {@code "/name"}
     * @return 0; -1 with errno ENOENT, EACCES, EINVAL, ENAMETOOLONG
     */
    public static int shm_unlink(String name) {
        NativeLibrary.ensureLoaded();
        try (Arena arena = Arena.ofConfined()) {
            return result(p4j_shm_unlink(arena.allocateFrom(name)));
        }
    }

    /**
     * {@code ftruncate(2)}: sets the size of the file (or shared-memory object) {@code fd}
     * to {@code length} bytes; bytes it adds read as zeros.
     *
     * @param fd the file descriptor, open for writing
     * @param length the new size in bytes
     * @return 0; -1 with errno EBADF, EINVAL, EFBIG
     */
    public static int ftruncate(int fd, long length) {
        NativeLibrary.ensureLoaded();
        return result(p4j_ftruncate(fd, length));
    }

    /**
     * {@code link(2)}: makes {@code to} a new name of the file {@code from}.
     *
     * @param from the existing path
     * @param to the new path, which must not exist
     * @return 0; -1 with errno EEXIST, ENOENT, EACCES, EXDEV, ENAMETOOLONG…
     */
    public static int link(String from, String to) {
        NativeLibrary.ensureLoaded();
        try (Arena arena = Arena.ofConfined()) {
            return result(p4j_link(arena.allocateFrom(from), arena.allocateFrom(to)));
        }
    }

    /**
     * {@code mmap(2)}: maps {@code length} bytes of {@code fd} from {@code offset} (or anonymous
     * memory, with {@link #MAP_ANONYMOUS} and fd -1); {@link #MAP_SHARED} makes them memory that
     * every process mapping the same object shares. {@code addr} is only a hint (null or
     * {@code MemorySegment.NULL} for none).
     *
     * <p>The segment is the mapping as Java may touch it without a fault: read-only without
     * {@link #PROT_WRITE}, empty without {@link #PROT_READ}, and no longer than the file was
     * when mapped (past its end C would raise SIGBUS; grow it with {@link #ftruncate} first).
     * After {@link #munmap}, any access through it throws {@link IllegalStateException}.
     *
     * @param addr a hint for the address, or null
     * @param length the bytes to map
     * @param prot {@link #PROT_NONE}, or {@link #PROT_READ} and {@link #PROT_WRITE} or-ed
     * @param flags {@link #MAP_SHARED} or {@link #MAP_PRIVATE}, with {@link #MAP_ANONYMOUS}
     * @param fd the file descriptor, or -1 with {@link #MAP_ANONYMOUS}
     * @param offset where in the file the mapping starts, a multiple of the page size
     * @return the mapping; {@link #MAP_FAILED} with errno EINVAL (length 0 or less, a negative
     *         offset, or MAP_FIXED/MAP_FIXED_NOREPLACE, refused: a fixed address could replace
     *         memory the JVM uses), EBADF, EACCES, ENODEV, ENOMEM
     */
    public static MemorySegment mmap(MemorySegment addr, long length, int prot, int flags, int fd, long offset) {
        return Mappings.map(addr, length, prot, flags, fd, offset);
    }

    /**
     * {@code munmap(2)} of a whole mapping that {@link #mmap} returned.
     *
     * @param addr the mapping
     * @param length its length
     * @return 0; -1 with errno EINVAL (not a mapping from mmap, or not its whole length: parts
     *         of a mapping are not unmapped) or EBUSY (a thread is inside a call that uses the
     *         mapping, such as a futex wait on a lock in it, or a thread of this process holds
     *         a robust process-shared mutex in it, which the kernel's robust list of that
     *         thread points to; C would unmap them under it)
     */
    public static int munmap(MemorySegment addr, long length) {
        return Mappings.unmap(addr, length);
    }

    /**
     * Through pthread4j's C layer and the FFM bindings generated by jextract.
     *
     * @return the FFM binding
     */
    public static SystemCalls ffm() {
        return FfmSystemCalls.INSTANCE;
    }

    /**
     * Through jnr-posix (JNI); gettid, sched_getcpu, getrusage_thread, socket, setsockopt,
     * getsockopt, bind, listen, accept, accept4, connect, getsockname, getpeername, shutdown
     * and the epoll calls answer ENOSYS, as jnr-posix lacks them (recv and send are its
     * recvmsg and sendmsg of one buffer).
     * jnr-posix is an optional dependency of pthread4j: a program that calls this declares
     * {@code com.github.jnr:jnr-posix} itself.
     *
     * @return the jnr-posix binding
     * @throws IllegalStateException naming the missing dependency when jnr-posix is not on the
     *         class path
     */
    public static SystemCalls jnr() {
        try {
            Class.forName("jnr.posix.POSIXFactory", false, Posix.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Posix.jnr() needs jnr-posix, an optional dependency of pthread4j: "
                    + "add com.github.jnr:jnr-posix (3.1.20) to the class path (on the module path, and "
                    + "--add-modules ALL-MODULE-PATH)", e);
        }
        return JnrSystemCalls.Holder.INSTANCE;
    }

    /**
     * {@link SystemCalls#pipe} through the FFM binding.
     *
     * @param fds receives the read end in {@code fds[0]} and the write end in {@code fds[1]}
     * @return 0, or -1 with errno set
     */
    public static int pipe(int[] fds) {
        return ffm().pipe(fds);
    }

    /**
     * {@link SystemCalls#read} through the FFM binding.
     *
     * @param fd the file descriptor
     * @param buf receives the bytes
     * @param count the most bytes to read
     * @return the number of bytes read, 0 at end of file, or -1 with errno set
     */
    public static long read(int fd, byte[] buf, int count) {
        return ffm().read(fd, buf, count);
    }

    /**
     * {@link SystemCalls#write} through the FFM binding.
     *
     * @param fd the file descriptor
     * @param buf the bytes to write
     * @param count the number of bytes to write
     * @return the number of bytes written, or -1 with errno set
     */
    public static long write(int fd, byte[] buf, int count) {
        return ffm().write(fd, buf, count);
    }

    /**
     * {@code close(fd)} through the FFM binding: 0, or -1 with errno set.
     *
     * @param fd the file descriptor
     * @return 0, or -1 with errno set
     */
    public static int close(int fd) {
        return ffm().close(fd);
    }

    /**
     * {@code getpid()} through the FFM binding: the process id.
     *
     * @return the process id
     */
    public static int getpid() {
        return ffm().getpid();
    }

    /**
     * {@code gettid()} through the FFM binding: the kernel tid of the calling (carrier) thread.
     *
     * @return the kernel tid
     */
    public static int gettid() {
        return ffm().gettid();
    }

    /**
     * {@code sched_getcpu()} through the FFM binding: the CPU the caller runs on.
     *
     * @return the CPU number
     */
    public static int sched_getcpu() {
        return ffm().sched_getcpu();
    }

    /**
     * {@link SystemCalls#getrusage_thread} through the FFM binding.
     *
     * @param usage receives the figures
     * @return 0, or -1 with errno set
     */
    public static int getrusage_thread(rusage usage) {
        return ffm().getrusage_thread(usage);
    }

    /**
     * {@link SystemCalls#socket} through the FFM binding.
     *
     * @param domain {@link #AF_INET}
     * @param type {@link #SOCK_STREAM}, with {@link #SOCK_NONBLOCK} and {@link #SOCK_CLOEXEC}
     * @param protocol 0
     * @return a descriptor, or -1 with errno set
     */
    public static int socket(int domain, int type, int protocol) {
        return ffm().socket(domain, type, protocol);
    }

    /**
     * {@link SystemCalls#setsockopt} through the FFM binding.
     *
     * @param fd the socket
     * @param level {@link #SOL_SOCKET} or {@link #IPPROTO_TCP}
     * @param optname the option
     * @param value its value
     * @return 0, or -1 with errno set
     */
    public static int setsockopt(int fd, int level, int optname, int value) {
        return ffm().setsockopt(fd, level, optname, value);
    }

    /**
     * {@link SystemCalls#getsockopt} through the FFM binding.
     *
     * @param fd the socket
     * @param level {@link #SOL_SOCKET} or {@link #IPPROTO_TCP}
     * @param optname the option
     * @param value receives it in {@code value[0]}
     * @return 0, or -1 with errno set
     */
    public static int getsockopt(int fd, int level, int optname, int[] value) {
        return ffm().getsockopt(fd, level, optname, value);
    }

    /**
     * {@link SystemCalls#bind} through the FFM binding.
     *
     * @param fd the socket
     * @param addr the address
     * @return 0, or -1 with errno set
     */
    public static int bind(int fd, sockaddr_in addr) {
        return ffm().bind(fd, addr);
    }

    /**
     * {@link SystemCalls#listen} through the FFM binding.
     *
     * @param fd the socket
     * @param backlog the length of the queue of pending connections
     * @return 0, or -1 with errno set
     */
    public static int listen(int fd, int backlog) {
        return ffm().listen(fd, backlog);
    }

    /**
     * {@link SystemCalls#accept} through the FFM binding.
     *
     * @param fd the listening socket
     * @param addr receives the peer's address, or null
     * @return the new connection's descriptor, or -1 with errno set
     */
    public static int accept(int fd, sockaddr_in addr) {
        return ffm().accept(fd, addr);
    }

    /**
     * {@link SystemCalls#accept4} through the FFM binding.
     *
     * @param fd the listening socket
     * @param addr receives the peer's address, or null
     * @param flags {@link #SOCK_NONBLOCK} and {@link #SOCK_CLOEXEC}, or 0
     * @return the new connection's descriptor, or -1 with errno set
     */
    public static int accept4(int fd, sockaddr_in addr, int flags) {
        return ffm().accept4(fd, addr, flags);
    }

    /**
     * {@link SystemCalls#connect} through the FFM binding.
     *
     * @param fd the socket
     * @param addr the peer's address
     * @return 0, or -1 with errno set
     */
    public static int connect(int fd, sockaddr_in addr) {
        return ffm().connect(fd, addr);
    }

    /**
     * {@link SystemCalls#getsockname} through the FFM binding.
     *
     * @param fd the socket
     * @param addr receives the address
     * @return 0, or -1 with errno set
     */
    public static int getsockname(int fd, sockaddr_in addr) {
        return ffm().getsockname(fd, addr);
    }

    /**
     * {@link SystemCalls#getpeername} through the FFM binding.
     *
     * @param fd the socket
     * @param addr receives the peer's address
     * @return 0, or -1 with errno set
     */
    public static int getpeername(int fd, sockaddr_in addr) {
        return ffm().getpeername(fd, addr);
    }

    /**
     * {@link SystemCalls#recv} through the FFM binding.
     *
     * @param fd the socket
     * @param buf receives the bytes
     * @param count the most bytes to read
     * @param flags 0, {@link #MSG_DONTWAIT}, {@link #MSG_PEEK}
     * @return the number of bytes read, 0 when the peer shut down, or -1 with errno set
     */
    public static long recv(int fd, byte[] buf, int count, int flags) {
        return ffm().recv(fd, buf, count, flags);
    }

    /**
     * {@link SystemCalls#send} through the FFM binding.
     *
     * @param fd the socket
     * @param buf the bytes to send
     * @param count the number of bytes to send
     * @param flags 0 or {@link #MSG_DONTWAIT}
     * @return the number of bytes sent, or -1 with errno set
     */
    public static long send(int fd, byte[] buf, int count, int flags) {
        return ffm().send(fd, buf, count, flags);
    }

    /**
     * {@link SystemCalls#shutdown} through the FFM binding.
     *
     * @param fd the socket
     * @param how {@link #SHUT_RD}, {@link #SHUT_WR} or {@link #SHUT_RDWR}
     * @return 0, or -1 with errno set
     */
    public static int shutdown(int fd, int how) {
        return ffm().shutdown(fd, how);
    }

    /**
     * {@link SystemCalls#fcntl} through the FFM binding.
     *
     * @param fd the descriptor
     * @param cmd {@link #F_GETFL} or {@link #F_SETFL}
     * @param arg the flags for F_SETFL
     * @return the flags (F_GETFL), 0 (F_SETFL), or -1 with errno set
     */
    public static int fcntl(int fd, int cmd, int arg) {
        return ffm().fcntl(fd, cmd, arg);
    }

    /**
     * {@link SystemCalls#getrlimit} through the FFM binding.
     *
     * @param resource {@link #RLIMIT_NOFILE}
     * @param rl receives the limits
     * @return 0, or -1 with errno set
     */
    public static int getrlimit(int resource, rlimit rl) {
        return ffm().getrlimit(resource, rl);
    }

    /**
     * {@link SystemCalls#setrlimit} through the FFM binding.
     *
     * @param resource {@link #RLIMIT_NOFILE}
     * @param rl the limits
     * @return 0, or -1 with errno set
     */
    public static int setrlimit(int resource, rlimit rl) {
        return ffm().setrlimit(resource, rl);
    }

    /**
     * {@link SystemCalls#epoll_create1} through the FFM binding.
     *
     * @param flags 0 or {@link #EPOLL_CLOEXEC}
     * @return an epoll descriptor, or -1 with errno set
     */
    public static int epoll_create1(int flags) {
        return ffm().epoll_create1(flags);
    }

    /**
     * {@link SystemCalls#epoll_ctl} through the FFM binding.
     *
     * @param epfd the epoll descriptor
     * @param op {@link #EPOLL_CTL_ADD}, {@link #EPOLL_CTL_MOD} or {@link #EPOLL_CTL_DEL}
     * @param fd the descriptor watched
     * @param event the events and data; may be null for EPOLL_CTL_DEL
     * @return 0, or -1 with errno set
     */
    public static int epoll_ctl(int epfd, int op, int fd, epoll_event event) {
        return ffm().epoll_ctl(epfd, op, fd, event);
    }

    /**
     * {@link SystemCalls#epoll_wait} through the FFM binding.
     *
     * @param epfd the epoll descriptor
     * @param events receives the events
     * @param maxevents the most events to return
     * @param timeout the most milliseconds to wait, -1 for no limit
     * @return the number of events, 0 on timeout, or -1 with errno set
     */
    public static int epoll_wait(int epfd, epoll_event[] events, int maxevents, int timeout) {
        return ffm().epoll_wait(epfd, events, maxevents, timeout);
    }

    /**
     * {@code htons(3)}: a port in network byte order.
     *
     * @param hostshort the port, 0 to 65535
     * @return its low 16 bits in network byte order
     */
    public static short htons(int hostshort) {
        return LITTLE_ENDIAN ? Short.reverseBytes((short) hostshort) : (short) hostshort;
    }

    /**
     * {@code ntohs(3)}: a port in host byte order.
     *
     * @param netshort the port in network byte order
     * @return the port, 0 to 65535
     */
    public static int ntohs(short netshort) {
        return (LITTLE_ENDIAN ? Short.reverseBytes(netshort) : netshort) & 0xffff;
    }

    /**
     * {@code htonl(3)}: an IPv4 address in network byte order.
     *
     * @param hostlong the address, host order ({@link #INADDR_LOOPBACK})
     * @return it in network byte order
     */
    public static int htonl(int hostlong) {
        return LITTLE_ENDIAN ? Integer.reverseBytes(hostlong) : hostlong;
    }

    /**
     * {@code ntohl(3)}: an IPv4 address in host byte order.
     *
     * @param netlong the address in network byte order
     * @return it in host byte order
     */
    public static int ntohl(int netlong) {
        return htonl(netlong);
    }

    /**
     * {@code inet_pton(3)} for IPv4: parses dotted decimal {@code "a.b.c.d"} (four numbers 0 to
     * 255, no leading zeros, as glibc) into {@code dst.sin_addr}, network byte order.
     *
     * @param af {@link #AF_INET}
     * @param src the text
     * @param dst receives the address in {@code sin_addr}
     * @return 1; 0 when src is not an IPv4 address; -1 with errno EAFNOSUPPORT (af not
     *         AF_INET: IPv6 is not supported here) or EFAULT (src or dst null)
     */
    public static int inet_pton(int af, String src, sockaddr_in dst) {
        if (af != AF_INET) {
            return result(-EAFNOSUPPORT);
        }
        if (src == null || dst == null) {
            return result(-Pthreads.EFAULT);
        }
        String[] parts = src.split("\\.", -1);
        if (parts.length != 4) {
            return 0;
        }
        int host = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')
                    || !p.chars().allMatch(c -> c >= '0' && c <= '9') || Integer.parseInt(p) > 255) {
                return 0;
            }
            host = host << 8 | Integer.parseInt(p);
        }
        dst.sin_addr = htonl(host);
        return 1;
    }

    /**
     * {@code inet_ntop(3)} for IPv4: {@code src.sin_addr} in dotted decimal.
     *
     * @param src the address
     * @return {@code "a.b.c.d"}; null with errno EFAULT when src is null
     */
    public static String inet_ntop(sockaddr_in src) {
        if (src == null) {
            Pthreads.errno(Pthreads.EFAULT);
            return null;
        }
        int a = ntohl(src.sin_addr);
        return (a >>> 24) + "." + (a >>> 16 & 0xff) + "." + (a >>> 8 & 0xff) + "." + (a & 0xff);
    }
}
