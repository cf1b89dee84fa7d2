package org.pthread4j.gmp;

import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_netpoll_break;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_netpoll_close;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_netpoll_init;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_netpoll_open;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_netpoll_wait;
import static org.pthread4j.posix.Posix.EPOLLERR;
import static org.pthread4j.posix.Posix.EPOLLHUP;
import static org.pthread4j.posix.Posix.EPOLLIN;
import static org.pthread4j.posix.Posix.EPOLLOUT;
import static org.pthread4j.posix.Posix.EPOLLRDHUP;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.pthread4j.nativ.NativeLibrary;
import org.pthread4j.spi.Errno;
import org.pthread4j.spi.Netpoll;
import org.pthread4j.spi.Tcb;

/**
 * The gmp backend's network poller: Go's {@code netpoll} (runtime/netpoll.go and
 * netpoll_epoll.go) for Gs that are virtual threads. {@link Sched} decides who polls and when
 * (its step "Netpoll"); this class holds the pollDescs and the epoll instance.
 *
 * <h2>pollDesc</h2>
 * One per descriptor {@link #open} took, found by the descriptor's number. Each of its two modes
 * (read, write) is Go's semaphore-like word {@code rg}/{@code wg}:
 * <pre>
 *   state    Go's name  meaning                                  next
 *   nil      pdNil      no event since an await took the last    ready (netpoll), waiting (await)
 *   ready    pdReady    an event that no await has taken yet     nil (an await takes it)
 *   waiting  a G        Gs parked in await (a list)              ready (netpoll), nil (close, leave)
 * </pre>
 * Go's pollDesc holds one G per mode, because its fdMutex lets one reader and one writer in at
 * a time; C lets any number of pthreads read one socket, so a mode holds a list of waiters, all
 * woken by an event (each retries its call; the ones that get EAGAIN again come back). For the
 * same reason an event leaves the mode ready even when it woke waiters (in Go the woken G takes
 * pdReady): a pthread whose EAGAIN came before the event and whose await comes after it must not
 * sleep through data that another reader left. The price is at most one extra EAGAIN per
 * wake-up. Go needs pdWait for the window between committing to park and parking; here the
 * park permit closes it: an unpark that comes first makes the park return at once. The modes
 * and {@code closing} are guarded by the pollDesc's {@link SpinMutex}, held for a few field
 * writes; the waiters are unparked after it is released.
 *
 * <h2>The calls</h2>
 * <ul>
 *   <li>{@link #open} (Go's poll_runtime_pollOpen): a pollDesc is published, then the
 *       descriptor is registered once, edge-triggered, for EPOLLIN | EPOLLOUT | EPOLLRDHUP and
 *       made O_NONBLOCK. The epoll instance and the eventfd of netpollBreak are made on the first
 *       open, so a program without sockets has neither.</li>
 *   <li>{@link #await} (netpollblock): takes a ready mode (returns 0), or joins its waiters and
 *       parks: the G gives its M back (a parked virtual thread unmounts), and the M goes on with
 *       other Gs or, idle, polls. It ends when netpoll wakes it (0), when the descriptor is
 *       closed (-EBADF), when the deadline passes (-EAGAIN: a timed park, whose wake-up is the
 *       JDK's timer; the scheduler has no timers of its own), or when a signal or a cancel
 *       interrupts the pthread (-EINTR: the interrupt word is set and the thread unparked, as
 *       for a futex wait of the {@link org.pthread4j.park.ParkingLot}). A waiter that gives up
 *       leaves the list under the lock; if a waker took it off first, the wake-up counts
 *       (0 or -EBADF), as a futex wake that won against a timeout does.</li>
 *   <li>{@link #poll} (netpoll(delay)): epoll_wait, then for each event Go's netpollready:
 *       EPOLLIN, EPOLLRDHUP, EPOLLHUP or EPOLLERR make the read mode ready, EPOLLOUT, EPOLLHUP or
 *       EPOLLERR the write mode (netpollunblock), and their waiters are taken off the lists and
 *       returned to the scheduler, whose {@link Sched#injectglist} unparks them.</li>
 *   <li>{@link #close} (poll_runtime_pollClose after pollUnblock): the pollDesc is unpublished
 *       and marked closing, every waiter is woken with -EBADF, and the descriptor leaves the
 *       epoll instance before the POSIX layer closes it. An event of the old descriptor that an
 *       epoll_wait had already collected may reach a new pollDesc with the same number: a
 *       spurious wake-up, which the contract allows.</li>
 *   <li>{@link #wakeup} (netpollBreak): writes the eventfd, at most once until a blocking poll
 *       has read it ({@code wakeSig}, Go's netpollWakeSig).</li>
 * </ul>
 */
final class Netpoller implements Netpoll {

    /** Go's netpoll reads at most 128 events per epoll_wait. */
    private static final int MAX_EVENTS = 128;

    private static final int UNINITIALIZED = 0;
    private static final int INITIALIZING = 1;
    private static final int INITIALIZED = 2;
    private static final int UNAVAILABLE = 3;

    /** A G parked in {@link #await}, in its mode's list. */
    static final class Waiter {
        final Thread thread;
        Waiter prev;
        Waiter next;
        /** What {@link #await} returns once woken: 0 or -EBADF; written before {@link #woken}. */
        int result;
        /** Set under the pollDesc's lock by the waker that took the waiter off its list. */
        volatile boolean woken;

        Waiter(Thread thread) {
            this.thread = thread;
        }
    }

    /** One mode (read or write) of a pollDesc: pdReady, or the parked Gs. Guarded by its lock. */
    static final class Mode {
        boolean ready;
        Waiter head;

        void add(Waiter w) {
            w.next = head;
            if (head != null) {
                head.prev = w;
            }
            head = w;
        }

        void remove(Waiter w) {
            if (w.prev != null) {
                w.prev.next = w.next;
            } else {
                head = w.next;
            }
            if (w.next != null) {
                w.next.prev = w.prev;
            }
        }

        /** Takes every waiter off the list, marking them woken with {@code result}; returns them. */
        Waiter takeAll(int result) {
            Waiter all = head;
            head = null;
            for (Waiter w = all; w != null; w = w.next) {
                w.result = result;
                w.woken = true;
            }
            return all;
        }
    }

    static final class PollDesc {
        final SpinMutex lock = new SpinMutex();
        final Mode rg = new Mode();
        final Mode wg = new Mode();
        boolean closing;
    }

    private final ConcurrentHashMap<Integer, PollDesc> pds = new ConcurrentHashMap<>();
    private final AtomicInteger state = new AtomicInteger(UNINITIALIZED);
    private int epfd;
    private int evfd;
    /** Gs parked in {@link #await} (Go's netpollWaiters): the scheduler polls only while some are. */
    private final AtomicInteger waiters = new AtomicInteger();
    /** A netpollBreak is pending: set by {@link #wakeup}, cleared by the blocking poll that reads it. */
    private final AtomicBoolean wakeSig = new AtomicBoolean();

    final AtomicLong wakeups = new AtomicLong();
    final AtomicLong breaks = new AtomicLong();

    /** Makes the epoll instance and the eventfd once; false when the C layer cannot. */
    private boolean init() {
        for (;;) {
            switch (state.get()) {
                case INITIALIZED -> {
                    return true;
                }
                case UNAVAILABLE -> {
                    return false;
                }
                case UNINITIALIZED -> {
                    if (state.compareAndSet(UNINITIALIZED, INITIALIZING)) {
                        state.set(create() ? INITIALIZED : UNAVAILABLE);
                    }
                }
                default -> Thread.onSpinWait(); // another G makes it: three system calls
            }
        }
    }

    private boolean create() {
        if (!NativeLibrary.isAvailable()) {
            return false; // no C layer: sockets block in the kernel, with the P handed off
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
            if (p4j_netpoll_init(fds) != 0) {
                return false;
            }
            epfd = fds.getAtIndex(ValueLayout.JAVA_INT, 0);
            evfd = fds.getAtIndex(ValueLayout.JAVA_INT, 1);
            return true; // published by the state's volatile write
        }
    }

    @Override
    public boolean open(int fd) {
        if (fd < 0 || !init()) {
            return false;
        }
        PollDesc pd = new PollDesc();
        PollDesc stale = pds.put(fd, pd);
        if (stale != null) {
            evict(stale); // its descriptor was closed behind the poller's back: its waiters learn it
        }
        if (p4j_netpoll_open(epfd, fd) != 0) {
            pds.remove(fd, pd);
            return false;
        }
        return true;
    }

    @Override
    public int await(int fd, int mode, long deadlineNanos) {
        PollDesc pd = pds.get(fd);
        if (pd == null) {
            return -Errno.EBADF;
        }
        if (mode != READ && mode != WRITE) {
            return -Errno.EINVAL;
        }
        return netpollblock(pd, mode == READ ? pd.rg : pd.wg, deadlineNanos);
    }

    private int netpollblock(PollDesc pd, Mode mode, long deadline) {
        boolean timed = deadline != Long.MAX_VALUE;
        long now = timed ? System.nanoTime() : 0;
        Waiter w = new Waiter(Thread.currentThread());
        pd.lock.lock();
        try {
            if (pd.closing) {
                return -Errno.EBADF;
            }
            if (mode.ready) {
                mode.ready = false;
                return 0;
            }
            if (timed && deadline - now <= 0) {
                return -Errno.EAGAIN;
            }
            mode.add(w);
        } finally {
            pd.lock.unlock();
        }
        waiters.incrementAndGet();
        try {
            Tcb self = Tcb.current();
            for (;;) {
                if (w.woken) {
                    return w.result;
                }
                int giveUp = self.interruption() != 0 ? -Errno.EINTR
                        : timed && deadline - System.nanoTime() <= 0 ? -Errno.EAGAIN : 0;
                if (giveUp != 0) {
                    return leave(pd, mode, w) ? giveUp : w.result;
                }
                if (timed) {
                    LockSupport.parkNanos(this, deadline - System.nanoTime());
                } else {
                    LockSupport.park(this);
                }
            }
        } finally {
            waiters.decrementAndGet();
        }
    }

    /** Takes w off its list; false when a waker took it first (w.woken is then set). */
    private static boolean leave(PollDesc pd, Mode mode, Waiter w) {
        pd.lock.lock();
        try {
            if (w.woken) {
                return false;
            }
            mode.remove(w);
            return true;
        } finally {
            pd.lock.unlock();
        }
    }

    @Override
    public boolean close(int fd) {
        PollDesc pd = pds.remove(fd);
        if (pd == null) {
            return false;
        }
        evict(pd);
        p4j_netpoll_close(epfd, fd);
        return true;
    }

    /** pollUnblock: marks pd closing and wakes its waiters with -EBADF. */
    private static void evict(PollDesc pd) {
        Waiter r;
        Waiter w;
        pd.lock.lock();
        try {
            pd.closing = true;
            r = pd.rg.takeAll(-Errno.EBADF);
            w = pd.wg.takeAll(-Errno.EBADF);
        } finally {
            pd.lock.unlock();
        }
        unparkAll(r);
        unparkAll(w);
    }

    private static void unparkAll(Waiter list) {
        for (Waiter w = list; w != null; w = w.next) {
            LockSupport.unpark(w.thread);
        }
    }

    /** Whether some G is parked in {@link #await} (Go's netpollAnyWaiters). */
    boolean anyWaiters() {
        return waiters.get() > 0;
    }

    int waiters() {
        return waiters.get();
    }

    /**
     * Go's netpoll(delay): waits for events up to {@code delayNanos} (0: not at all, -1: until
     * an event or a {@link #wakeup}), makes the modes they name ready and takes their waiters
     * off the lists.
     *
     * @return the parked Gs to make runnable (Go's gList), for {@link Sched#injectglist}
     */
    List<Thread> poll(long delayNanos) {
        if (state.get() != INITIALIZED) {
            return List.of();
        }
        int timeoutMs = delayNanos < 0 ? -1
                : delayNanos == 0 ? 0 : (int) Math.max(1, Math.min(delayNanos / 1_000_000, Integer.MAX_VALUE));
        List<Thread> ready = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment events = arena.allocate(ValueLayout.JAVA_INT, 2 * MAX_EVENTS);
            int n = p4j_netpoll_wait(epfd, evfd, events, MAX_EVENTS, timeoutMs);
            for (int i = 0; i < n; i++) {
                int fd = events.getAtIndex(ValueLayout.JAVA_INT, 2 * i);
                int ev = events.getAtIndex(ValueLayout.JAVA_INT, 2 * i + 1);
                if (fd == evfd) {
                    if (timeoutMs != 0) {
                        wakeSig.set(false); // the C layer read the eventfd
                    }
                    continue;
                }
                PollDesc pd = pds.get(fd);
                if (pd != null) {
                    netpollready(pd, (ev & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0,
                            (ev & (EPOLLOUT | EPOLLHUP | EPOLLERR)) != 0, ready);
                }
            }
        }
        wakeups.addAndGet(ready.size());
        return ready;
    }

    /** netpollready: netpollunblock of the modes an event made ready; their Gs go to {@code ready}. */
    private static void netpollready(PollDesc pd, boolean read, boolean write, List<Thread> ready) {
        pd.lock.lock();
        try {
            if (pd.closing) {
                return;
            }
            if (read) {
                collect(pd.rg.takeAll(0), ready);
                pd.rg.ready = true;
            }
            if (write) {
                collect(pd.wg.takeAll(0), ready);
                pd.wg.ready = true;
            }
        } finally {
            pd.lock.unlock();
        }
    }

    private static void collect(Waiter list, List<Thread> ready) {
        for (Waiter w = list; w != null; w = w.next) {
            ready.add(w.thread);
        }
    }

    /** netpollBreak: ends a blocking {@link #poll}, or the next one if none blocks now. */
    void wakeup() {
        if (state.get() == INITIALIZED && wakeSig.compareAndSet(false, true)) {
            breaks.incrementAndGet();
            p4j_netpoll_break(evfd);
        }
    }
}
