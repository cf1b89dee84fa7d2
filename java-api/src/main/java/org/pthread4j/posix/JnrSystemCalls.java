package org.pthread4j.posix;

import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import org.pthread4j.Pthreads;
import org.pthread4j.spi.Errno;
import org.pthread4j.spi.Syscalls;

/** The system calls through jnr-posix (JNI into libc); jnr-posix reports errors by errno. */
final class JnrSystemCalls implements SystemCalls {

    static final class Holder {
        static final JnrSystemCalls INSTANCE = new JnrSystemCalls(POSIXFactory.getNativePOSIX());
    }

    private final POSIX posix;

    private JnrSystemCalls(POSIX posix) {
        this.posix = posix;
    }

    private long result(long r) {
        if (r < 0) {
            Pthreads.errno(posix.errno());
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
            Pthreads.errno(Errno.EFAULT);
            return -1;
        }
        return (int) result(posix.pipe(fds));
    }

    /** A jnr-posix transfer call: {@code (fd, buf, count) -> bytes or -1}. */
    private interface Transfer {
        long call(int fd, byte[] buf, long count);
    }

    /**
     * A call that can block in the kernel, bracketed for the gmp backend's hand-off; errno is
     * read before {@link Syscalls#exit()}, since the carrier (and its errno) may change there.
     */
    private long blocking(Transfer call, int fd, byte[] buf, int count) {
        if (buf == null || count < 0 || count > buf.length) {
            Pthreads.errno(Errno.EFAULT);
            return -1;
        }
        long r;
        int err;
        Syscalls.enter();
        try {
            r = call.call(fd, buf, count);
            err = r < 0 ? posix.errno() : 0;
        } finally {
            Syscalls.exit();
        }
        if (r < 0) {
            Pthreads.errno(err);
            return -1;
        }
        return r;
    }

    @Override
    public long read(int fd, byte[] buf, int count) {
        return blocking(posix::read, fd, buf, count);
    }

    @Override
    public long write(int fd, byte[] buf, int count) {
        return blocking(posix::write, fd, buf, count);
    }

    @Override
    public int close(int fd) {
        return (int) result(posix.close(fd));
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
