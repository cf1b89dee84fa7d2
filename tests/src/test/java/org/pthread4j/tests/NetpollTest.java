package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.tests.TestSupport.await;
import static org.pthread4j.tests.TestSupport.join;
import static org.pthread4j.tests.TestSupport.loopback;
import static org.pthread4j.tests.TestSupport.start;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.pthread4j.SignalHandler;
import org.pthread4j.gmp.GmpThreadModel;
import org.pthread4j.gmp.Sched;
import org.pthread4j.posix.Posix;
import org.pthread4j.pthread_t;
import org.pthread4j.posix.sockaddr_in;
import org.pthread4j.sigaction;
import org.pthread4j.spi.Errno;
import org.pthread4j.spi.Netpoll;
import org.pthread4j.spi.Syscalls;

/**
 * gmp's network poller (Sched's step 9), driven through {@link Netpoll} on pipes, whose read
 * ends epoll can watch as it watches sockets, and through the POSIX socket calls: a pthread
 * parked on a descriptor holds no M, an event wakes its waiter, close, a deadline, a signal and
 * a cancel end the wait, and an M blocked in epoll_wait is woken for new work.
 */
@EnabledIfSystemProperty(named = "pthread4j.backend", matches = "gmp",
        disabledReason = "on gmp only: it is the one backend with a network poller (Syscalls.netpoll())")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NetpollTest {

    /** A pipe whose read end the poller took. */
    record Pipe(int read, int write) {
        static Pipe open() {
            int[] fds = new int[2];
            assertEquals(0, Posix.pipe(fds));
            assertTrue(netpoll().open(fds[0]), "the poller takes a pipe's read end");
            return new Pipe(fds[0], fds[1]);
        }

        void write(int b) {
            assertEquals(1L, Posix.write(write, new byte[] {(byte) b}, 1));
        }

        void close() {
            netpoll().close(read);
            Posix.close(read);
            Posix.close(write);
        }
    }

    static Netpoll netpoll() {
        pthread_self(); // a call that needs the model loads the backend, which installs its poller
        return Syscalls.netpoll();
    }

    static Sched sched() {
        netpoll();
        return GmpThreadModel.instance();
    }

    /**
     * Go's read loop (internal/poll.FD.Read): read the non-blocking descriptor, and on EAGAIN
     * await readiness and retry. Returns the byte read, or await's result when it failed.
     */
    static int readByte(int fd, long deadlineNanos) {
        byte[] buf = new byte[1];
        for (;;) {
            long n = Posix.read(fd, buf, 1);
            if (n == 1) {
                return buf[0];
            }
            assertEquals(-1L, n, "an empty pipe");
            assertEquals(Errno.EAGAIN, errno(), "the poller made the read end O_NONBLOCK");
            int r = netpoll().await(fd, Netpoll.READ, deadlineNanos);
            if (r != 0) {
                return r;
            }
        }
    }

    /** Starts a pthread that reads one byte of fd through the poller into result. */
    static pthread_t reader(int fd, long deadlineNanos, AtomicInteger result) {
        return start(arg -> {
            result.set(readByte(fd, deadlineNanos));
            return null;
        });
    }

    /** Waits until the poller holds {@code n} parked pthreads. */
    static void awaitParked(Sched s, int n) {
        await(() -> s.netpollWaiters() == n, n + " pthreads parked in the poller");
    }

    /**
     * 1,000 pthreads parked on empty pipes hold no M each: the poller holds all of them while
     * the number of Ms grows by far less than one per reader, and one byte per pipe wakes each.
     */
    @Test
    void parkedReadersHoldNoM() {
        Sched s = sched();
        int n = 1000;
        int msBefore = s.mcount();
        long wakeupsBefore = s.netpollWakeups();
        Pipe[] pipes = new Pipe[n];
        AtomicInteger[] got = new AtomicInteger[n];
        pthread_t[] readers = new pthread_t[n];
        try {
            for (int i = 0; i < n; i++) {
                pipes[i] = Pipe.open();
                got[i] = new AtomicInteger(-1000);
                readers[i] = reader(pipes[i].read(), Long.MAX_VALUE, got[i]);
            }
            awaitParked(s, n);
            assertTrue(s.mcount() < msBefore + 32, "Ms: " + msBefore + " before, " + s.mcount() + " with " + n + " parked");
            for (int i = 0; i < n; i++) {
                pipes[i].write(i & 0x7f);
            }
            for (int i = 0; i < n; i++) {
                join(readers[i]);
                assertEquals(i & 0x7f, got[i].get(), "reader " + i);
            }
            assertTrue(s.netpollWakeups() - wakeupsBefore >= n, "netpoll woke each reader");
        } finally {
            for (Pipe p : pipes) {
                if (p != null) {
                    p.close();
                }
            }
        }
    }

    /** A byte on one of two pipes wakes the reader parked on it, and only that one. */
    @Test
    void dataWakesExactlyTheParkedReader() {
        Sched s = sched();
        Pipe a = Pipe.open();
        Pipe b = Pipe.open();
        AtomicInteger gotA = new AtomicInteger(-1000);
        AtomicInteger gotB = new AtomicInteger(-1000);
        try {
            pthread_t ra = reader(a.read(), Long.MAX_VALUE, gotA);
            pthread_t rb = reader(b.read(), Long.MAX_VALUE, gotB);
            awaitParked(s, 2);
            long wakeupsBefore = s.netpollWakeups();
            a.write(7);
            join(ra);
            assertEquals(7, gotA.get());
            assertEquals(1L, s.netpollWakeups() - wakeupsBefore, "one event, one waiter");
            assertEquals(1, s.netpollWaiters(), "b's reader still parked");
            assertEquals(-1000, gotB.get());
            b.write(9);
            join(rb);
            assertEquals(9, gotB.get());
        } finally {
            a.close();
            b.close();
        }
    }

    /** Closing a descriptor through the poller wakes the pthread parked on it with -EBADF. */
    @Test
    void closeWhileParkedReturnsEbadf() {
        Sched s = sched();
        Pipe p = Pipe.open();
        AtomicInteger got = new AtomicInteger(-1000);
        try {
            pthread_t r = reader(p.read(), Long.MAX_VALUE, got);
            awaitParked(s, 1);
            assertTrue(netpoll().close(p.read()), "the poller had taken it");
            join(r);
            assertEquals(-Errno.EBADF, got.get());
            assertEquals(-Errno.EBADF, netpoll().await(p.read(), Netpoll.READ, Long.MAX_VALUE), "forgotten");
            assertFalse(netpoll().close(p.read()), "closed once");
        } finally {
            p.close();
        }
    }

    /**
     * An await whose deadline passes returns -EAGAIN, at once when it has passed already; an
     * event that came meanwhile is kept for the next await.
     */
    @Test
    void deadlineReturnsEagain() {
        Sched s = sched();
        Pipe p = Pipe.open();
        AtomicInteger got = new AtomicInteger(-1000);
        try {
            assertEquals(-Errno.EAGAIN, netpoll().await(p.read(), Netpoll.READ, System.nanoTime() - 1));
            join(reader(p.read(), System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50), got));
            assertEquals(-Errno.EAGAIN, got.get());
            assertEquals(0, s.netpollWaiters(), "the timed-out waiter left");
            p.write(3);
            join(reader(p.read(), System.nanoTime() + TimeUnit.SECONDS.toNanos(TestSupport.WAIT_SECONDS), got));
            assertEquals(3, got.get());
        } finally {
            p.close();
        }
    }

    /** A signal with a handler for the parked pthread ends its await with -EINTR. */
    @Test
    void signalInterruptsAwait() {
        Sched s = sched();
        Pipe p = Pipe.open();
        AtomicInteger handled = new AtomicInteger();
        sigaction act = new sigaction();
        act.sa_handler = (SignalHandler) sig -> handled.incrementAndGet();
        assertEquals(0, sigaction(SIGUSR1, act, null));
        AtomicInteger got = new AtomicInteger(-1000);
        try {
            pthread_t r = reader(p.read(), Long.MAX_VALUE, got);
            awaitParked(s, 1);
            assertEquals(0, pthread_kill(r, SIGUSR1));
            join(r);
            assertEquals(-Errno.EINTR, got.get());
        } finally {
            assertEquals(0, sigaction(SIGUSR1, new sigaction(), null));
            p.close();
        }
    }

    /** A cancel of the parked pthread ends its await with -EINTR; it then acts on the cancel. */
    @Test
    void cancelInterruptsAwait() {
        Sched s = sched();
        Pipe p = Pipe.open();
        AtomicInteger got = new AtomicInteger(-1000);
        try {
            pthread_t r = start(arg -> {
                got.set(readByte(p.read(), Long.MAX_VALUE));
                pthread_testcancel();
                return null;
            });
            awaitParked(s, 1);
            assertEquals(0, pthread_cancel(r));
            assertSame(PTHREAD_CANCELED, join(r));
            assertEquals(-Errno.EINTR, got.get());
        } finally {
            p.close();
        }
    }

    // ---- sockets, through the POSIX layer's loop (PollFds) --------------------------------

    /** A socket listening on 127.0.0.1 at a port the kernel picked; its port. */
    static int[] listener(int backlog) {
        int l = Posix.socket(Posix.AF_INET, Posix.SOCK_STREAM, 0);
        assertTrue(l >= 0, "socket: errno " + errno());
        assertEquals(0, Posix.bind(l, loopback(0)));
        assertEquals(0, Posix.listen(l, backlog));
        sockaddr_in a = new sockaddr_in();
        assertEquals(0, Posix.getsockname(l, a));
        return new int[] {l, Posix.ntohs(a.sin_port)};
    }

    static int connectTo(int port) {
        int c = Posix.socket(Posix.AF_INET, Posix.SOCK_STREAM, 0);
        assertTrue(c >= 0, "socket: errno " + errno());
        assertEquals(0, Posix.connect(c, loopback(port)), "connect: errno " + errno());
        return c;
    }

    /** Starts a pthread that reads up to 16 bytes of fd with Posix.read into result (bytes, or -errno). */
    static pthread_t socketReader(int fd, AtomicInteger result) {
        return start(arg -> {
            byte[] buf = new byte[16];
            long n = Posix.read(fd, buf, buf.length);
            result.set(n < 0 ? -errno() : n == 1 ? buf[0] : (int) -n - 1000);
            return null;
        });
    }

    /**
     * 1,000 pthreads blocked in read(2) on connected sockets park in the poller, holding no M
     * each, and a byte from each peer wakes its reader, as in a server with one pthread per
     * connection.
     */
    @Test
    void socketReadersHoldNoM() {
        Sched s = sched();
        int n = 1000;
        int[] l = listener(n);
        int[] clients = new int[n];
        int[] servers = new int[n];
        AtomicInteger[] got = new AtomicInteger[n];
        pthread_t[] readers = new pthread_t[n];
        int msBefore = s.mcount();
        try {
            for (int i = 0; i < n; i++) {
                clients[i] = connectTo(l[1]);
                servers[i] = Posix.accept(l[0], null);
                assertTrue(servers[i] >= 0, "accept: errno " + errno());
                got[i] = new AtomicInteger(-1000);
                readers[i] = socketReader(servers[i], got[i]);
            }
            awaitParked(s, n);
            assertTrue(s.mcount() < msBefore + 32, "Ms: " + msBefore + " before, " + s.mcount() + " with " + n + " parked");
            for (int i = 0; i < n; i++) {
                assertEquals(1L, Posix.write(clients[i], new byte[] {(byte) (i & 0x7f)}, 1));
            }
            for (int i = 0; i < n; i++) {
                join(readers[i]);
                assertEquals(i & 0x7f, got[i].get(), "reader " + i);
            }
        } finally {
            for (int i = 0; i < n; i++) {
                Posix.close(clients[i]);
                Posix.close(servers[i]);
            }
            Posix.close(l[0]);
        }
    }

    /** A pthread blocked in accept parks in the poller and returns the connection made later. */
    @Test
    void acceptParksUntilAConnectionComes() {
        Sched s = sched();
        int[] l = listener(16);
        AtomicInteger accepted = new AtomicInteger(-1000);
        int c = -1;
        try {
            pthread_t t = start(arg -> {
                int fd = Posix.accept(l[0], null);
                accepted.set(fd < 0 ? -errno() : fd);
                return null;
            });
            awaitParked(s, 1);
            c = connectTo(l[1]);
            join(t);
            assertTrue(accepted.get() >= 0, "accept: " + accepted.get());
            assertEquals(0, Posix.close(accepted.get()));
        } finally {
            Posix.close(c);
            Posix.close(l[0]);
        }
    }

    /** close(2) of a socket whose reader is parked in read(2) ends that read with EBADF. */
    @Test
    void closeOfAParkedSocketReadFailsWithEbadf() {
        Sched s = sched();
        int[] l = listener(16);
        int c = connectTo(l[1]);
        int server = Posix.accept(l[0], null);
        AtomicInteger got = new AtomicInteger(-1000);
        try {
            pthread_t r = socketReader(server, got);
            awaitParked(s, 1);
            assertEquals(0, Posix.close(server));
            join(r);
            assertEquals(-Errno.EBADF, got.get());
        } finally {
            Posix.close(c);
            Posix.close(l[0]);
        }
    }

    /** The {@code key value} lines of {@link NetpollProbe}'s output. */
    static Map<String, Long> probeOutput(String output) {
        Map<String, Long> r = new HashMap<>();
        for (String line : output.split("\n")) {
            String[] f = line.split(" ");
            if (f.length == 2 && f[1].matches("-?[0-9]+")) {
                r.put(f[0], Long.parseLong(f[1]));
            }
        }
        return r;
    }

    /**
     * With GOMAXPROCS=1, the one M blocks in epoll_wait while a reader is parked; a pthread
     * created then is run by that M, woken by netpollBreak, and no M is made for it. On a loaded
     * machine sysmon may retake the P of a slow first call and so start a second M before the
     * reader parks, which then runs the new pthread instead: such a child is run again, up to
     * three times.
     */
    @Test
    void newWorkBreaksTheBlockedPoller() throws Exception {
        Map<String, Long> r = null;
        String output = "";
        for (int attempt = 0; attempt < 3 && (r == null || r.get("msBefore") != 1L); attempt++) {
            TestSupport.Child c = TestSupport.runChild(NetpollProbe.class, TestSupport.CHILD_SECONDS);
            assertEquals(0, c.status(), c.output());
            output = c.output();
            r = probeOutput(output);
        }
        assertEquals(1L, r.get("gomaxprocs"), output);
        assertEquals(1L, r.get("msBefore"), "the poller is the one M: " + output);
        assertEquals(1L, r.get("ran"), output);
        assertTrue(r.get("breaks") >= 1, "netpollBreak woke the poller: " + output);
        assertEquals(1L, r.get("msWhenRan"), "no M was made for the new pthread: " + output);
        assertEquals(0L, r.get("awaited"), output);
    }

    /**
     * A thread parked in await while no M exists (a platform thread, before any pthread ran) is
     * woken by sysmon's netpoll(0), Go's poll when nobody has polled for 10 ms.
     */
    @Test
    void sysmonPollsWhenNoMDoes() throws Exception {
        TestSupport.Child c = TestSupport.runChild(NetpollProbe.class, TestSupport.CHILD_SECONDS);
        assertEquals(0, c.status(), c.output());
        Map<String, Long> r = probeOutput(c.output());
        assertEquals(0L, r.get("sysmonAwaited"), c.output());
        assertEquals(1L, r.get("sysmonWakeups"), c.output());
        assertEquals(0L, r.get("msWhileSysmonPolled"), "no M could have polled: " + c.output());
    }
}
