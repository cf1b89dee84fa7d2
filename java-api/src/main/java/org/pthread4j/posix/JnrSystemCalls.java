package org.pthread4j.posix;

import java.nio.ByteBuffer;
import java.util.Arrays;
import jnr.posix.MsgHdr;
import jnr.posix.RLimit;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import org.pthread4j.Pthreads;
import org.pthread4j.spi.Errno;

/** The system calls through jnr-posix (JNI into libc); jnr-posix reports errors by errno. */
final class JnrSystemCalls implements SystemCalls {

    static final class Holder {
        static final JnrSystemCalls INSTANCE = new JnrSystemCalls(POSIXFactory.getNativePOSIX());
    }

    /** Linux's number of resources: getrlimit's EINVAL beyond. */
    private static final int RLIM_NLIMITS = 16;

    private final POSIX posix;

    private JnrSystemCalls(POSIX posix) {
        this.posix = posix;
    }

    /** The one place where a result ({@code >= 0} or {@code -errno}) becomes C's {@code -1} and errno. */
    private static long result(long r) {
        if (r < 0) {
            Pthreads.errno((int) -r);
            return -1;
        }
        return r;
    }

    private static int unsupported() {
        Pthreads.errno(Errno.ENOSYS);
        return -1;
    }

    @Override
    public String binding() {
        return "jnr";
    }

    @Override
    public int pipe(int[] fds) {
        if (fds == null || fds.length < 2) {
            return (int) result(-Errno.EFAULT);
        }
        return (int) result(negated(posix.pipe(fds)));
    }

    /** A jnr-posix result as the C layer's: {@code >= 0}, or {@code -errno} read at once. */
    private long negated(long r) {
        return r < 0 ? -posix.errno() : r;
    }

    /*
     * read, write, recv and send run through PollFds, which brackets them for the gmp
     * backend's hand-off (or loops on a socket its poller took); each attempt reads errno
     * before it returns, since the carrier (and its errno) may change at Syscalls.exit().
     */

    @Override
    public long read(int fd, byte[] buf, int count) {
        if (!Posix.fits(buf, count)) {
            return result(-Errno.EFAULT);
        }
        return result(PollFds.input(fd, 0, () -> negated(posix.read(fd, buf, (long) count))));
    }

    /** jnr-posix's write(2): on a socket whose peer is gone the JVM ignores the SIGPIPE, and it returns EPIPE. */
    @Override
    public long write(int fd, byte[] buf, int count) {
        if (!Posix.fits(buf, count)) {
            return result(-Errno.EFAULT);
        }
        return result(PollFds.output(fd, count, 0, off -> negated(off == 0
                ? posix.write(fd, buf, (long) count)
                : posix.write(fd, Arrays.copyOfRange(buf, off, count), (long) (count - off)))));
    }

    /** recv(2) as jnr-posix's recvmsg(2) of one buffer. */
    @Override
    public long recv(int fd, byte[] buf, int count, int flags) {
        if (!Posix.fits(buf, count)) {
            return result(-Errno.EFAULT);
        }
        ByteBuffer native_ = ByteBuffer.allocateDirect(Math.max(count, 1)).limit(count);
        MsgHdr msg = posix.allocateMsgHdr();
        msg.setIov(new ByteBuffer[] {native_});
        long r = PollFds.input(fd, flags, () -> negated(posix.recvmsg(fd, msg, flags)));
        if (r > 0) {
            native_.get(0, buf, 0, (int) r);
        }
        return result(r);
    }

    /** send(2) as jnr-posix's sendmsg(2) of one buffer, with MSG_NOSIGNAL. */
    @Override
    public long send(int fd, byte[] buf, int count, int flags) {
        if (!Posix.fits(buf, count)) {
            return result(-Errno.EFAULT);
        }
        ByteBuffer native_ = ByteBuffer.allocateDirect(Math.max(count, 1)).put(0, buf, 0, count).limit(count);
        int f = flags | Posix.MSG_NOSIGNAL;
        return result(PollFds.output(fd, count, flags, off -> {
            MsgHdr msg = posix.allocateMsgHdr();
            msg.setIov(new ByteBuffer[] {native_.slice(off, count - off)});
            return negated(posix.sendmsg(fd, msg, f));
        }));
    }

    @Override
    public int close(int fd) {
        return (int) result(PollFds.close(fd, () -> negated(posix.close(fd))));
    }

    @Override
    public int fcntl(int fd, int cmd, int arg) {
        if (cmd != Posix.F_GETFL && cmd != Posix.F_SETFL) {
            return (int) result(-Errno.EINVAL);
        }
        return (int) result(PollFds.fcntl(fd, cmd, arg, (c, a) -> negated(posix.libc().fcntl(fd, c, a))));
    }

    @Override
    public int getrlimit(int resource, rlimit rl) {
        if (rl == null) {
            return (int) result(-Errno.EFAULT);
        }
        if (resource < 0 || resource >= RLIM_NLIMITS) {
            return (int) result(-Errno.EINVAL); // the only failure; jnr-posix would throw for it
        }
        RLimit out = posix.getrlimit(resource);
        rl.rlim_cur = out.rlimCur();
        rl.rlim_max = out.rlimMax();
        return 0;
    }

    @Override
    public int setrlimit(int resource, rlimit rl) {
        if (rl == null) {
            return (int) result(-Errno.EFAULT);
        }
        return (int) result(negated(posix.setrlimit(resource, rl.rlim_cur, rl.rlim_max)));
    }

    // jnr-posix has no socket, setsockopt, getsockopt, bind, listen, accept, connect,
    // getsockname, getpeername, shutdown or epoll: they answer ENOSYS.

    @Override
    public int socket(int domain, int type, int protocol) {
        return unsupported();
    }

    @Override
    public int setsockopt(int fd, int level, int optname, int value) {
        return unsupported();
    }

    @Override
    public int getsockopt(int fd, int level, int optname, int[] value) {
        return unsupported();
    }

    @Override
    public int bind(int fd, sockaddr_in addr) {
        return unsupported();
    }

    @Override
    public int listen(int fd, int backlog) {
        return unsupported();
    }

    @Override
    public int accept(int fd, sockaddr_in addr) {
        return unsupported();
    }

    @Override
    public int accept4(int fd, sockaddr_in addr, int flags) {
        return unsupported();
    }

    @Override
    public int connect(int fd, sockaddr_in addr) {
        return unsupported();
    }

    @Override
    public int getsockname(int fd, sockaddr_in addr) {
        return unsupported();
    }

    @Override
    public int getpeername(int fd, sockaddr_in addr) {
        return unsupported();
    }

    @Override
    public int shutdown(int fd, int how) {
        return unsupported();
    }

    @Override
    public int epoll_create1(int flags) {
        return unsupported();
    }

    @Override
    public int epoll_ctl(int epfd, int op, int fd, epoll_event event) {
        return unsupported();
    }

    @Override
    public int epoll_wait(int epfd, epoll_event[] events, int maxevents, int timeout) {
        return unsupported();
    }

    @Override
    public int getpid() {
        return posix.getpid();
    }

    @Override
    public int gettid() {
        return unsupported();
    }

    @Override
    public int sched_getcpu() {
        return unsupported();
    }

    @Override
    public int getrusage_thread(rusage usage) {
        return unsupported();
    }
}
