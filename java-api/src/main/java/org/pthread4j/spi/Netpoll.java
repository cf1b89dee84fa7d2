package org.pthread4j.spi;

/**
 * A scheduler's network poller (Go's {@code netpoll}): a model that installs one parks a
 * pthread blocked on a socket instead of letting it block its kernel thread. Only the
 * {@code gmp} backend installs one; on the others sockets block in the kernel as C's do.
 *
 * <h2>Contract with the POSIX layer (Go's {@code internal/poll.FD})</h2>
 * <ol>
 *   <li>A socket the POSIX layer creates ({@code socket}, {@code accept}/{@code accept4}) is
 *       offered to {@link #open}. If the poller takes it, the descriptor is now
 *       {@code O_NONBLOCK} in the kernel and registered with the poller; the POSIX layer keeps
 *       the user's view of {@code O_NONBLOCK} ({@code fcntl F_GETFL} answers what the user set,
 *       and a user who set it gets EAGAIN as in C).</li>
 *   <li>A call on a taken descriptor that the user sees as blocking ({@code read},
 *       {@code write}, {@code recv}, {@code send}, {@code accept}, {@code connect}) is made
 *       non-blocking; on EAGAIN (EINPROGRESS for {@code connect}) the caller
 *       {@link #await}s readiness and tries again.</li>
 *   <li>{@code close} of a taken descriptor calls {@link #close} first, which wakes every
 *       pthread parked on it ({@link #await} returns {@code -EBADF}) and forgets it, then the
 *       POSIX layer closes the descriptor.</li>
 * </ol>
 */
public interface Netpoll {

    /** {@link #await} mode: readable (EPOLLIN, or a pending connection on a listener). */
    int READ = 1;
    /** {@link #await} mode: writable (EPOLLOUT, or a connect that completed). */
    int WRITE = 2;

    /**
     * Offers a new socket to the poller.
     *
     * @param fd the descriptor, open and blocking
     * @return whether the poller took it (it is then O_NONBLOCK in the kernel)
     */
    boolean open(int fd);

    /**
     * Parks the calling pthread until {@code fd} is ready for {@code mode} (or was ready since
     * the caller's last EAGAIN), its deadline passes or it is closed. Readiness may be spurious:
     * the caller retries its call and may come back.
     *
     * @param fd a descriptor {@link #open} took
     * @param mode {@link #READ} or {@link #WRITE}
     * @param deadlineNanos a {@link System#nanoTime()} deadline, or {@code Long.MAX_VALUE}
     * @return 0 when it may be ready, {@code -EBADF} when it was closed or is not taken,
     *         {@code -EAGAIN} when the deadline passed, {@code -EINTR} when a signal for the
     *         pthread or its cancellation arrived
     */
    int await(int fd, int mode, long deadlineNanos);

    /**
     * Forgets {@code fd} before the POSIX layer closes it, waking every pthread parked on it.
     *
     * @param fd a descriptor
     * @return whether the poller had taken it
     */
    boolean close(int fd);
}
