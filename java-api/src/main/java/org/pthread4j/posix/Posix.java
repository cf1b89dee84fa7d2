package org.pthread4j.posix;

import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_ftruncate;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_link;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_shm_open;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_shm_unlink;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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

    private Posix() {}

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
     * Through jnr-posix (JNI); gettid and sched_getcpu answer ENOSYS, as jnr-posix lacks them.
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
}
