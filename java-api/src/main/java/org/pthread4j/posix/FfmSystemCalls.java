package org.pthread4j.posix;

import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_close;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_getpid;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_gettid;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_pipe;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_read;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_sched_getcpu;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_thread_rusage;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_write;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.pthread4j.Pthreads;
import org.pthread4j.nativ.NativeLibrary;
import org.pthread4j.nativ.ffi.p4j_rusage;
import org.pthread4j.spi.Errno;
import org.pthread4j.spi.Syscalls;

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
        if (buf == null || count < 0 || count > buf.length) {
            return result(-Errno.EFAULT);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment native_ = arena.allocate(Math.max(count, 1));
            long r;
            Syscalls.enter();
            try {
                r = p4j_read(fd, native_, count);
            } finally {
                Syscalls.exit();
            }
            if (r > 0) {
                MemorySegment.copy(native_, ValueLayout.JAVA_BYTE, 0, buf, 0, (int) r);
            }
            return result(r);
        }
    }

    @Override
    public long write(int fd, byte[] buf, int count) {
        if (buf == null || count < 0 || count > buf.length) {
            return result(-Errno.EFAULT);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment native_ = arena.allocate(Math.max(count, 1));
            MemorySegment.copy(buf, 0, native_, ValueLayout.JAVA_BYTE, 0, count);
            Syscalls.enter();
            try {
                return result(p4j_write(fd, native_, count));
            } finally {
                Syscalls.exit();
            }
        }
    }

    @Override
    public int close(int fd) {
        return (int) result(p4j_close(fd));
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
}
