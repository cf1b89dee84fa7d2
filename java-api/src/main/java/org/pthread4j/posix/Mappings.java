package org.pthread4j.posix;

import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_fsize;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_mmap;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_munmap;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentHashMap;
import org.pthread4j.Pthreads;
import org.pthread4j.nativ.NativeLibrary;
import org.pthread4j.spi.Errno;
import org.pthread4j.spi.Unmapping;

/**
 * The mappings {@link Posix#mmap} made, each a segment of its own shared arena, so that Java
 * code can never touch a mapping after {@link Posix#munmap}: the arena's close unmaps it, and
 * later accesses through any of its segments throw {@link IllegalStateException} where C would
 * fault. For the same reason a segment covers only what can be accessed without a signal: it
 * is read-only without PROT_WRITE, empty without PROT_READ, and a file mapping ends at the
 * end of the file as it was when mapped (C would raise SIGBUS past it).
 */
final class Mappings {

    static final MemorySegment FAILED = MemorySegment.ofAddress(-1L);

    private record Mapping(Arena arena, long length) {}

    /** Live mappings by address. */
    private static final ConcurrentHashMap<Long, Mapping> LIVE = new ConcurrentHashMap<>();

    private Mappings() {}

    private static MemorySegment failed(long r) {
        Pthreads.errno((int) -r);
        return FAILED;
    }

    static MemorySegment map(MemorySegment addr, long length, int prot, int flags, int fd, long offset) {
        NativeLibrary.ensureLoaded();
        if ((flags & (Posix.MAP_FIXED | Posix.MAP_FIXED_NOREPLACE)) != 0 || length <= 0 || offset < 0) {
            return failed(-Errno.EINVAL); // a fixed address could replace memory the JVM uses
        }
        long reach = (prot & Posix.PROT_READ) == 0 ? 0 : length;
        if ((flags & Posix.MAP_ANONYMOUS) == 0) {
            long size = p4j_fsize(fd);
            if (size < 0) {
                return failed(size);
            }
            reach = Math.min(reach, Math.max(0, size - offset));
        }
        long a = p4j_mmap(addr == null ? 0 : addr.address(), length, prot, flags, fd, offset);
        if (a < 0) {
            return failed(a);
        }
        Arena arena = Arena.ofShared();
        MemorySegment segment = MemorySegment.ofAddress(a).reinterpret(reach, arena, s -> p4j_munmap(a, length));
        LIVE.put(a, new Mapping(arena, length));
        return (prot & Posix.PROT_WRITE) == 0 ? segment.asReadOnly() : segment;
    }

    static int unmap(MemorySegment addr, long length) {
        Mapping m = addr == null ? null : LIVE.get(addr.address());
        if (m == null || m.length != length) {
            Pthreads.errno(Errno.EINVAL);
            return -1;
        }
        if (Unmapping.refused(addr.address(), length)) {
            Pthreads.errno(Errno.EBUSY);
            return -1;
        }
        if (!LIVE.remove(addr.address(), m)) {
            Pthreads.errno(Errno.EINVAL);
            return -1;
        }
        try {
            m.arena.close();
        } catch (IllegalStateException inUse) {
            LIVE.put(addr.address(), m);
            Pthreads.errno(Errno.EBUSY);
            return -1;
        }
        return 0;
    }
}
