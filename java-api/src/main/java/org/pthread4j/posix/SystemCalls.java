package org.pthread4j.posix;

/**
 * Real system calls for labs, as C calls them: each returns its result, or {@code -1} with
 * the calling thread's {@link org.pthread4j.Pthreads#errno()} set. Two bindings implement it
 * — {@link Posix#ffm()} (pthread4j's C layer through FFM) and {@link Posix#jnr()} (jnr-posix,
 * through JNI) — so a benchmark can compare them on the same call.
 *
 * <p>These calls really block in the kernel: on the M:1 model a {@code read} on an empty
 * pipe stops every pthread, on the M:N model it pins its carrier, on the 1:1 model it blocks
 * only its own thread.
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
}
