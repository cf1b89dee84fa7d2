package org.pthread4j.tests;

import static org.pthread4j.posix.Posix.*;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.pthread4j.Pthreads;
import org.pthread4j.posix.epoll_event;
import org.pthread4j.spi.Netpoll;

/**
 * A network poller for testing the POSIX layer's poll.FD loop on every backend, without a
 * scheduler's own: it parks the caller in a real epoll_wait of its own, in slices of 10 ms so
 * that {@link #close} ends a wait within one slice (a wake-up without readiness is within the
 * contract: the caller tries again). It counts its calls, so that a test sees the loop used it.
 */
final class EpollTestNetpoll implements Netpoll {

    final Set<Integer> taken = ConcurrentHashMap.newKeySet();
    final AtomicInteger opens = new AtomicInteger();
    final AtomicInteger awaits = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();

    @Override
    public boolean open(int fd) {
        int flags = fcntl(fd, F_GETFL, 0);
        if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) {
            return false;
        }
        opens.incrementAndGet();
        return taken.add(fd);
    }

    @Override
    public int await(int fd, int mode, long deadlineNanos) {
        awaits.incrementAndGet();
        int ep = epoll_create1(EPOLL_CLOEXEC);
        if (ep < 0) {
            return -Pthreads.errno();
        }
        try {
            epoll_event ev = new epoll_event();
            ev.events = mode == READ ? EPOLLIN : EPOLLOUT;
            if (!taken.contains(fd) || epoll_ctl(ep, EPOLL_CTL_ADD, fd, ev) != 0) {
                return -Pthreads.EBADF;
            }
            epoll_event[] events = new epoll_event[1];
            while (taken.contains(fd)) {
                if (deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos > 0) {
                    return -Pthreads.EAGAIN;
                }
                if (epoll_wait(ep, events, 1, 10) != 0) {
                    return 0; // ready, or EINTR: the caller tries again
                }
            }
            return -Pthreads.EBADF;
        } finally {
            close(ep);
        }
    }

    @Override
    public boolean close(int fd) {
        closes.incrementAndGet();
        return taken.remove(fd);
    }
}
