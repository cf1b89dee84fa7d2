package org.pthread4j.posix;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.pthread4j.spi.Errno;
import org.pthread4j.spi.Netpoll;
import org.pthread4j.spi.Syscalls;

/**
 * The calls that can block, and the sockets a scheduler's network poller took: Go's
 * {@code internal/poll.FD} over {@link Netpoll}. Both bindings route their blocking calls
 * through here; each call is given as a {@link Call} that makes one attempt and returns
 * {@code >= 0} or {@code -errno}.
 *
 * <h2>The states of a descriptor</h2>
 * A socket made by {@code socket}, {@code accept} or {@code accept4} is offered to the
 * installed poller ({@link Syscalls#netpoll()}, gmp's only); one it takes gets an entry here,
 * whose word holds two flags and the number of calls inside ({@code refs}):
 * <pre>
 *   entry  CLOSING  NONBLOCK  state
 *   none      -        -      not taken: a call that can block runs once, in the kernel,
 *                             between Syscalls.enter() and exit() (gmp hands its P off)
 *   yes       0        0      taken, blocking as the user sees it: calls loop (below)
 *   yes       0        1      taken, non-blocking as the user sees it (SOCK_NONBLOCK at
 *                             creation, or fcntl F_SETFL O_NONBLOCK): a call runs once,
 *                             and its EAGAIN is the user's
 *   yes       1        x      closing: new calls fail with EBADF; close waits until the
 *                             calls inside have left, then closes the descriptor
 *   bits 2..31: refs, the calls inside
 * </pre>
 * Transitions: the poller takes it → taken (NONBLOCK = SOCK_NONBLOCK); fcntl F_SETFL sets or
 * clears NONBLOCK, and the kernel's O_NONBLOCK stays set; close sets CLOSING once (a second
 * close says EBADF) and removes the entry before the kernel's close, so that a socket that
 * gets the number next starts without one.
 *
 * <h2>The loop: a call the user sees as blocking, on a taken descriptor</h2>
 * <ol>
 *   <li>Enter: refs + 1, unless CLOSING (EBADF).</li>
 *   <li>Try the call: the descriptor is O_NONBLOCK in the kernel, so it never blocks.</li>
 *   <li>Any result but EAGAIN, or EAGAIN for a user who asked not to wait (NONBLOCK, or
 *       MSG_DONTWAIT on this call), is the call's; but a write goes on from step 2 with the
 *       rest of its bytes until all are written, as a blocking socket's does.</li>
 *   <li>{@link Netpoll#await} the readiness the call needs (READ, or WRITE), without a
 *       deadline: 0 → step 2 (the wake-up may be spurious); -EBADF (closed meanwhile) or
 *       -EINTR (a signal, a cancel) is the call's errno.</li>
 *   <li>Leave: refs - 1; the last one out of a CLOSING descriptor unparks the closer.</li>
 * </ol>
 * {@code connect} gets EINPROGRESS at step 2 instead; it awaits WRITE, then SO_ERROR says how
 * the connection went: an error is the call's, none and a peer ({@code getpeername}) mean
 * connected, none and no peer mean a spurious wake-up: await again.
 *
 * <p>Why {@code close} waits for refs (Go's {@code fdMutex}): {@link Netpoll#close} wakes
 * every parked call with EBADF, but a call between its EAGAIN and its await could otherwise
 * find the number already given to a new socket, and wait on it or read from it.
 */
final class PollFds {

    /** One attempt of a system call: {@code >= 0} or {@code -errno}. */
    @FunctionalInterface
    interface Call {
        long call();
    }

    /** One attempt at writing bytes {@code [offset, count)} of the caller's buffer: the number written or {@code -errno}. */
    @FunctionalInterface
    interface Output {
        long call(int offset);
    }

    /** One attempt of {@code fcntl(fd, cmd, arg)}, the descriptor bound: {@code >= 0} or {@code -errno}. */
    @FunctionalInterface
    interface FcntlCall {
        long call(int cmd, int arg);
    }

    /** The user sees the descriptor non-blocking. */
    private static final int NONBLOCK = 1;
    /** close has begun: new calls fail with EBADF. */
    private static final int CLOSING = 2;
    /** One call inside: refs are counted in the bits above the flags. */
    private static final int REF = 4;

    /** A taken descriptor: its word (see the table) and who waits to close it. */
    private static final class Fd extends AtomicInteger {
        /**
         * The pthread in close, written after it set CLOSING and before it reads refs; the
         * last call out decrements refs before it reads this (both volatile: one of them
         * sees the other).
         */
        volatile Thread closer;

        Fd(int word) {
            super(word);
        }

        boolean enter() {
            for (int w = get();; w = get()) {
                if ((w & CLOSING) != 0) {
                    return false;
                }
                if (compareAndSet(w, w + REF)) {
                    return true;
                }
            }
        }

        void leave() {
            int w = addAndGet(-REF);
            if ((w & CLOSING) != 0 && w < REF) {
                LockSupport.unpark(closer);
            }
        }

        boolean waits(int flags) {
            return (flags & Posix.MSG_DONTWAIT) == 0 && (get() & NONBLOCK) == 0;
        }
    }

    /** The taken descriptors; empty unless a poller is installed. */
    private static final ConcurrentHashMap<Integer, Fd> TAKEN = new ConcurrentHashMap<>();

    private PollFds() {}

    private static Fd taken(Netpoll poller, int fd) {
        return poller == null ? null : TAKEN.get(fd);
    }

    /** A call that can block in the kernel, bracketed for the gmp backend's hand-off. */
    static long blocking(Call call) {
        Syscalls.enter();
        try {
            return call.call();
        } finally {
            Syscalls.exit();
        }
    }

    /**
     * Offers a socket that {@code socket}, {@code accept} or {@code accept4} just made to the
     * poller, if one is installed.
     *
     * @param fd the new socket
     * @param nonblocking whether the user made it non-blocking (SOCK_NONBLOCK)
     * @return {@code fd}
     */
    static int opened(int fd, boolean nonblocking) {
        Netpoll poller = Syscalls.netpoll();
        if (poller != null && poller.open(fd)) {
            TAKEN.put(fd, new Fd(nonblocking ? NONBLOCK : 0));
        }
        return fd;
    }

    /**
     * A call that waits until the descriptor is readable ({@code read}, {@code recv},
     * {@code accept}): the loop on a taken descriptor, else one bracketed attempt.
     *
     * @param fd the descriptor
     * @param flags the call's MSG_ flags (MSG_DONTWAIT: it does not wait), 0 for the others
     * @param call one attempt
     * @return the call's result or {@code -errno}
     */
    static long input(int fd, int flags, Call call) {
        Netpoll poller = Syscalls.netpoll();
        Fd f = taken(poller, fd);
        if (f == null) {
            return blocking(call);
        }
        if (!f.enter()) {
            return -Errno.EBADF;
        }
        try {
            for (;;) {
                long r = call.call();
                if (r != -Errno.EAGAIN || !f.waits(flags)) {
                    return r;
                }
                int a = poller.await(fd, Netpoll.READ, Long.MAX_VALUE);
                if (a < 0) {
                    return a;
                }
            }
        } finally {
            f.leave();
        }
    }

    /**
     * {@code write} or {@code send} of {@code count} bytes: on a taken descriptor the user
     * sees blocking, the loop goes on until every byte is written, as a blocking socket's
     * write does in the kernel (the non-blocking one writes what fits); an error after some
     * bytes returns their number. Elsewhere, one bracketed attempt.
     *
     * @param fd the descriptor
     * @param count the number of bytes
     * @param flags the call's MSG_ flags (MSG_DONTWAIT: it does not wait)
     * @param call one attempt at writing bytes {@code [offset, count)}
     * @return the number of bytes written, or {@code -errno}
     */
    static long output(int fd, int count, int flags, Output call) {
        Netpoll poller = Syscalls.netpoll();
        Fd f = taken(poller, fd);
        if (f == null) {
            return blocking(() -> call.call(0));
        }
        if (!f.enter()) {
            return -Errno.EBADF;
        }
        try {
            int done = 0;
            for (;;) {
                long r = call.call(done);
                if (r >= 0) {
                    done += (int) r;
                    if (done == count || !f.waits(flags)) {
                        return done;
                    }
                    continue;
                }
                if (r != -Errno.EAGAIN || !f.waits(flags)) {
                    return done > 0 ? done : r;
                }
                int a = poller.await(fd, Netpoll.WRITE, Long.MAX_VALUE);
                if (a < 0) {
                    return done > 0 ? done : a;
                }
            }
        } finally {
            f.leave();
        }
    }

    /**
     * {@code connect}: the loop on a taken descriptor, else one bracketed attempt.
     *
     * @param fd the socket
     * @param connect one attempt of connect
     * @param soError getsockopt SO_ERROR: the pending error ({@code >= 0}) or {@code -errno}
     * @param peer getpeername: 0 when connected, else {@code -errno}
     * @return 0 or {@code -errno}
     */
    static long connect(int fd, Call connect, Call soError, Call peer) {
        Netpoll poller = Syscalls.netpoll();
        Fd f = taken(poller, fd);
        if (f == null) {
            return blocking(connect);
        }
        if (!f.enter()) {
            return -Errno.EBADF;
        }
        try {
            long r = connect.call();
            if (r != -Posix.EINPROGRESS || !f.waits(0)) {
                return r;
            }
            for (;;) {
                int a = poller.await(fd, Netpoll.WRITE, Long.MAX_VALUE);
                if (a < 0) {
                    return a;
                }
                long e = soError.call();
                if (e != 0) {
                    return e < 0 ? e : -e;
                }
                if (peer.call() == 0) {
                    return 0;
                }
            }
        } finally {
            f.leave();
        }
    }

    /**
     * {@code fcntl} F_GETFL/F_SETFL: on a taken descriptor, O_NONBLOCK is the user's view and
     * the kernel's stays set.
     *
     * @param fd the descriptor
     * @param cmd F_GETFL or F_SETFL (the caller refused the others)
     * @param arg F_SETFL's flags
     * @param fcntl one attempt of fcntl(fd, cmd, arg): {@code >= 0} or {@code -errno}
     * @return the flags (F_GETFL), 0 (F_SETFL), or {@code -errno}
     */
    static long fcntl(int fd, int cmd, int arg, FcntlCall fcntl) {
        Fd f = taken(Syscalls.netpoll(), fd);
        if (f == null) {
            return fcntl.call(cmd, arg);
        }
        if (cmd == Posix.F_GETFL) {
            long r = fcntl.call(cmd, 0);
            return r < 0 ? r : (r & ~Posix.O_NONBLOCK) | ((f.get() & NONBLOCK) == 0 ? 0 : Posix.O_NONBLOCK);
        }
        long r = fcntl.call(cmd, arg | Posix.O_NONBLOCK);
        if (r == 0) {
            int nonblock = (arg & Posix.O_NONBLOCK) == 0 ? 0 : NONBLOCK;
            int w;
            do {
                w = f.get();
            } while (!f.compareAndSet(w, (w & ~NONBLOCK) | nonblock));
        }
        return r;
    }

    /**
     * {@code close}: on a taken descriptor, wakes its parked calls through
     * {@link Netpoll#close}, waits until every call has left, forgets it, then closes it.
     *
     * @param fd the descriptor
     * @param close one attempt of close(fd)
     * @return 0 or {@code -errno}
     */
    static long close(int fd, Call close) {
        Netpoll poller = Syscalls.netpoll();
        Fd f = taken(poller, fd);
        if (f == null) {
            return close.call();
        }
        for (int w = f.get();; w = f.get()) {
            if ((w & CLOSING) != 0) {
                return -Errno.EBADF;
            }
            if (f.compareAndSet(w, w | CLOSING)) {
                break;
            }
        }
        f.closer = Thread.currentThread();
        poller.close(fd);
        while (f.get() >= REF) {
            LockSupport.park(f);
        }
        TAKEN.remove(fd, f);
        return close.call();
    }
}
