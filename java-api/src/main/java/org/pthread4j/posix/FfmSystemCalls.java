package org.pthread4j.posix;

import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_accept4;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_bind;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_close;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_connect;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_epoll_create1;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_epoll_ctl;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_epoll_wait;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_fcntl;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_getpeername;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_getpid;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_getrlimit;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_getsockname;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_getsockopt;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_gettid;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_listen;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_pipe;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_read;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_recv;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_sched_getcpu;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_send;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_setrlimit;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_setsockopt;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_shutdown;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_socket;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_thread_rusage;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_write;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.pthread4j.Pthreads;
import org.pthread4j.nativ.NativeLibrary;
import org.pthread4j.nativ.ffi.p4j_epoll_event;
import org.pthread4j.nativ.ffi.p4j_rlimit;
import org.pthread4j.nativ.ffi.p4j_rusage;
import org.pthread4j.nativ.ffi.p4j_sockaddr_in;
import org.pthread4j.spi.Errno;

/** The system calls through the C layer: results are {@code >= 0} or {@code -errno}. */
final class FfmSystemCalls implements SystemCalls {

    static final FfmSystemCalls INSTANCE = new FfmSystemCalls();

    private FfmSystemCalls() {
        NativeLibrary.ensureLoaded();
    }

    /** The one place where a C result becomes C's {@code -1} and errno. */
    private static long result(long r) {
        if (r < 0) {
            Pthreads.errno((int) -r);
            return -1;
        }
        return r;
    }

    @Override
    public String binding() {
        return "ffm";
    }

    @Override
    public int pipe(int[] fds) {
        if (fds == null || fds.length < 2) {
            return (int) result(-Errno.EFAULT);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_INT, 2);
            int r = p4j_pipe(out);
            if (r == 0) {
                fds[0] = out.getAtIndex(ValueLayout.JAVA_INT, 0);
                fds[1] = out.getAtIndex(ValueLayout.JAVA_INT, 1);
            }
            return (int) result(r);
        }
    }

    @Override
    public long read(int fd, byte[] buf, int count) {
        return recv(fd, buf, count, 0, false);
    }

    @Override
    public long write(int fd, byte[] buf, int count) {
        return send(fd, buf, count, 0, false);
    }

    @Override
    public long recv(int fd, byte[] buf, int count, int flags) {
        return recv(fd, buf, count, flags, true);
    }

    @Override
    public long send(int fd, byte[] buf, int count, int flags) {
        return send(fd, buf, count, flags, true);
    }

    /** read (socket false) or recv: the bytes go through a native buffer. */
    private static long recv(int fd, byte[] buf, int count, int flags, boolean socket) {
        if (!Posix.fits(buf, count)) {
            return result(-Errno.EFAULT);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment native_ = arena.allocate(Math.max(count, 1));
            long r = PollFds.input(fd, flags,
                    () -> socket ? p4j_recv(fd, native_, count, flags) : p4j_read(fd, native_, count));
            if (r > 0) {
                MemorySegment.copy(native_, ValueLayout.JAVA_BYTE, 0, buf, 0, (int) r);
            }
            return result(r);
        }
    }

    /** write (socket false) or send: the bytes go through a native buffer. */
    private static long send(int fd, byte[] buf, int count, int flags, boolean socket) {
        if (!Posix.fits(buf, count)) {
            return result(-Errno.EFAULT);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment native_ = arena.allocate(Math.max(count, 1));
            MemorySegment.copy(buf, 0, native_, ValueLayout.JAVA_BYTE, 0, count);
            return result(PollFds.output(fd, count, flags, off -> socket
                    ? p4j_send(fd, native_.asSlice(off), count - off, flags)
                    : p4j_write(fd, native_.asSlice(off), count - off)));
        }
    }

    @Override
    public int close(int fd) {
        return (int) result(PollFds.close(fd, () -> p4j_close(fd)));
    }

    @Override
    public int getpid() {
        return p4j_getpid();
    }

    @Override
    public int gettid() {
        return p4j_gettid();
    }

    @Override
    public int sched_getcpu() {
        return (int) result(p4j_sched_getcpu());
    }

    @Override
    public int getrusage_thread(rusage usage) {
        if (usage == null) {
            return (int) result(-Errno.EFAULT);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = p4j_rusage.allocate(arena);
            int r = p4j_thread_rusage(out);
            if (r == 0) {
                usage.utime_ns = p4j_rusage.utime_ns(out);
                usage.stime_ns = p4j_rusage.stime_ns(out);
                usage.nvcsw = p4j_rusage.nvcsw(out);
                usage.nivcsw = p4j_rusage.nivcsw(out);
            }
            return (int) result(r);
        }
    }

    /** A sockaddr_in in native memory, or NULL for null. */
    private static MemorySegment toNative(Arena arena, sockaddr_in addr) {
        if (addr == null) {
            return MemorySegment.NULL;
        }
        MemorySegment sa = p4j_sockaddr_in.allocate(arena);
        p4j_sockaddr_in.sin_family(sa, addr.sin_family);
        p4j_sockaddr_in.sin_port(sa, addr.sin_port);
        p4j_sockaddr_in.sin_addr(sa, addr.sin_addr);
        return sa;
    }

    private static void fromNative(MemorySegment sa, sockaddr_in addr) {
        addr.sin_family = p4j_sockaddr_in.sin_family(sa);
        addr.sin_port = p4j_sockaddr_in.sin_port(sa);
        addr.sin_addr = p4j_sockaddr_in.sin_addr(sa);
    }

    @Override
    public int socket(int domain, int type, int protocol) {
        int fd = p4j_socket(domain, type, protocol);
        return (int) result(fd < 0 ? fd : PollFds.opened(fd, (type & Posix.SOCK_NONBLOCK) != 0));
    }

    @Override
    public int setsockopt(int fd, int level, int optname, int value) {
        return (int) result(p4j_setsockopt(fd, level, optname, value));
    }

    @Override
    public int getsockopt(int fd, int level, int optname, int[] value) {
        if (value == null || value.length < 1) {
            return (int) result(-Errno.EFAULT);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_INT);
            int r = p4j_getsockopt(fd, level, optname, out);
            if (r == 0) {
                value[0] = out.get(ValueLayout.JAVA_INT, 0);
            }
            return (int) result(r);
        }
    }

    @Override
    public int bind(int fd, sockaddr_in addr) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) result(p4j_bind(fd, toNative(arena, addr)));
        }
    }

    @Override
    public int listen(int fd, int backlog) {
        return (int) result(p4j_listen(fd, backlog));
    }

    @Override
    public int accept(int fd, sockaddr_in addr) {
        return accept4(fd, addr, 0);
    }

    @Override
    public int accept4(int fd, sockaddr_in addr, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = addr == null ? MemorySegment.NULL : p4j_sockaddr_in.allocate(arena);
            long c = PollFds.input(fd, 0, () -> p4j_accept4(fd, sa, flags));
            if (c < 0) {
                return (int) result(c);
            }
            if (addr != null) {
                fromNative(sa, addr);
            }
            return PollFds.opened((int) c, (flags & Posix.SOCK_NONBLOCK) != 0);
        }
    }

    @Override
    public int connect(int fd, sockaddr_in addr) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = toNative(arena, addr);
            return (int) result(PollFds.connect(fd, () -> p4j_connect(fd, sa), () -> {
                MemorySegment err = arena.allocate(ValueLayout.JAVA_INT);
                int r = p4j_getsockopt(fd, Posix.SOL_SOCKET, Posix.SO_ERROR, err);
                return r < 0 ? r : err.get(ValueLayout.JAVA_INT, 0);
            }, () -> p4j_getpeername(fd, p4j_sockaddr_in.allocate(arena))));
        }
    }

    @Override
    public int getsockname(int fd, sockaddr_in addr) {
        return sockname(fd, addr, false);
    }

    @Override
    public int getpeername(int fd, sockaddr_in addr) {
        return sockname(fd, addr, true);
    }

    private static int sockname(int fd, sockaddr_in addr, boolean peer) {
        if (addr == null) {
            return (int) result(-Errno.EFAULT);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = p4j_sockaddr_in.allocate(arena);
            int r = peer ? p4j_getpeername(fd, sa) : p4j_getsockname(fd, sa);
            if (r == 0) {
                fromNative(sa, addr);
            }
            return (int) result(r);
        }
    }

    @Override
    public int shutdown(int fd, int how) {
        return (int) result(p4j_shutdown(fd, how));
    }

    @Override
    public int fcntl(int fd, int cmd, int arg) {
        if (cmd != Posix.F_GETFL && cmd != Posix.F_SETFL) {
            return (int) result(-Errno.EINVAL);
        }
        return (int) result(PollFds.fcntl(fd, cmd, arg, (c, a) -> p4j_fcntl(fd, c, a)));
    }

    @Override
    public int getrlimit(int resource, rlimit rl) {
        if (rl == null) {
            return (int) result(-Errno.EFAULT);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = p4j_rlimit.allocate(arena);
            int r = p4j_getrlimit(resource, out);
            if (r == 0) {
                rl.rlim_cur = p4j_rlimit.rlim_cur(out);
                rl.rlim_max = p4j_rlimit.rlim_max(out);
            }
            return (int) result(r);
        }
    }

    @Override
    public int setrlimit(int resource, rlimit rl) {
        if (rl == null) {
            return (int) result(-Errno.EFAULT);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = p4j_rlimit.allocate(arena);
            p4j_rlimit.rlim_cur(in, rl.rlim_cur);
            p4j_rlimit.rlim_max(in, rl.rlim_max);
            return (int) result(p4j_setrlimit(resource, in));
        }
    }

    @Override
    public int epoll_create1(int flags) {
        return (int) result(p4j_epoll_create1(flags));
    }

    @Override
    public int epoll_ctl(int epfd, int op, int fd, epoll_event event) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ev = MemorySegment.NULL;
            if (event != null) {
                ev = p4j_epoll_event.allocate(arena);
                p4j_epoll_event.events(ev, event.events);
                p4j_epoll_event.data(ev, event.data);
            }
            return (int) result(p4j_epoll_ctl(epfd, op, fd, ev));
        }
    }

    @Override
    public int epoll_wait(int epfd, epoll_event[] events, int maxevents, int timeout) {
        if (events == null || maxevents > events.length) {
            return (int) result(-Errno.EFAULT);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = p4j_epoll_event.allocateArray(Math.max(maxevents, 1), arena);
            int n = (int) PollFds.blocking(() -> p4j_epoll_wait(epfd, out, maxevents, timeout));
            for (int i = 0; i < n; i++) {
                MemorySegment ev = p4j_epoll_event.asSlice(out, i);
                if (events[i] == null) {
                    events[i] = new epoll_event();
                }
                events[i].events = p4j_epoll_event.events(ev);
                events[i].data = p4j_epoll_event.data(ev);
            }
            return (int) result(n);
        }
    }
}
