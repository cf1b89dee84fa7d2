package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.posix.Posix.*;
import static org.pthread4j.tests.TestSupport.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pthread4j.posix.Posix;
import org.pthread4j.posix.sockaddr_in;
import org.pthread4j.pthread_t;
import org.pthread4j.spi.Netpoll;
import org.pthread4j.spi.Syscalls;

/**
 * The POSIX layer's side of a network poller (Go's internal/poll.FD, issue #17): sockets
 * offered to the installed {@link Netpoll}, the user's view of O_NONBLOCK, calls that wait in
 * {@link Netpoll#await} instead of the kernel, close waking a parked call. Every backend runs
 * it against {@link EpollTestNetpoll}, a poller that parks in a real epoll_wait of its own,
 * installed for each test in place of the backend's. The pthread makes the call that waits;
 * its peer acts from the test's own thread, so green's one carrier is never needed by both.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NetpollLoopTest {

    private final Sockets sockets = new Sockets();

    private final EpollTestNetpoll poller = new EpollTestNetpoll();
    private Netpoll backends;

    @BeforeEach
    void installTestPoller() {
        pthread_self(); // loads the backend now: gmp installs its poller when it loads
        backends = Syscalls.netpoll();
        Syscalls.installNetpoll(poller);
    }

    @AfterEach
    void closeAllAndRestore() {
        sockets.closeAll();
        Syscalls.installNetpoll(backends);
    }

    /** The kernel's file status flags of fd, from /proc/self/fdinfo (fcntl answers the user's view). */
    private static int kernelFlags(int fd) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
                if (line.startsWith("flags:")) {
                    return Integer.parseInt(line.substring(6).trim(), 8);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("no flags in /proc/self/fdinfo/" + fd);
    }

    /** Waits until a pthread has entered the poller's await more often than {@code before}. */
    private void awaitParked(int before) {
        await(() -> poller.awaits.get() > before, "the pthread waits in the poller");
    }

    /** socket offers the new socket; the user sees it blocking while the kernel's is O_NONBLOCK, and fcntl records the user's choice. */
    @Test
    void takenSocketKeepsTheUsersViewOfNonblock() {
        int s = sockets.track(socket(AF_INET, SOCK_STREAM, 0));
        assertTrue(poller.taken.contains(s));
        assertEquals(O_NONBLOCK, kernelFlags(s) & O_NONBLOCK, "the kernel's descriptor is non-blocking");
        for (var sys : List.of(Posix.ffm(), Posix.jnr())) {
            assertEquals(0, sys.fcntl(s, F_GETFL, 0) & O_NONBLOCK, sys.binding() + ": the user's is not");
            assertEquals(0, sys.fcntl(s, F_SETFL, O_NONBLOCK));
            assertEquals(O_NONBLOCK, sys.fcntl(s, F_GETFL, 0) & O_NONBLOCK);
            assertEquals(0, sys.fcntl(s, F_SETFL, 0));
            assertEquals(0, sys.fcntl(s, F_GETFL, 0) & O_NONBLOCK);
            assertEquals(O_NONBLOCK, kernelFlags(s) & O_NONBLOCK, "the kernel's stays non-blocking");
        }
        int n = sockets.track(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
        assertTrue(poller.taken.contains(n));
        assertEquals(O_NONBLOCK, fcntl(n, F_GETFL, 0) & O_NONBLOCK, "SOCK_NONBLOCK: the user chose non-blocking");
    }

    /** A blocking read on a taken socket parks in the poller's await and returns the bytes written later. */
    @Test
    void readWaitsInThePoller() {
        int[] p = sockets.connectedPair();
        int before = poller.awaits.get();
        pthread_t reader = start(arg -> {
            byte[] b = new byte[16];
            long n = read(p[1], b, 16);
            return n < 0 ? "errno " + errno() : new String(b, 0, (int) n);
        });
        awaitParked(before);
        assertEquals(2, write(p[0], "hi".getBytes(), 2));
        assertEquals("hi", join(reader));
    }

    /** A socket the user made non-blocking (fcntl, or MSG_DONTWAIT on the call) answers EAGAIN at once, without the poller. */
    @Test
    void userNonblockingGetsEagainWithoutWaiting() {
        int[] p = sockets.connectedPair();
        int before = poller.awaits.get();
        byte[] b = new byte[4];
        errno(0);
        assertEquals(-1, recv(p[1], b, 4, MSG_DONTWAIT));
        assertEquals(EAGAIN, errno());
        assertEquals(0, fcntl(p[1], F_SETFL, O_NONBLOCK));
        errno(0);
        assertEquals(-1, read(p[1], b, 4));
        assertEquals(EAGAIN, errno());
        assertEquals(before, poller.awaits.get(), "nobody waited");
    }

    /** close of a taken socket wakes the pthread parked on it, whose read returns -1 with EBADF. */
    @Test
    void closeWakesAParkedReader() {
        int[] p = sockets.connectedPair();
        int before = poller.awaits.get();
        pthread_t reader = start(arg -> {
            long n = read(p[1], new byte[4], 4);
            return n + " " + errno();
        });
        awaitParked(before);
        assertEquals(0, close(p[1]));
        assertEquals("-1 " + EBADF, join(reader));
        assertTrue(poller.closes.get() >= 1 && !poller.taken.contains(p[1]), "the poller was told first");
        errno(0);
        assertEquals(-1, close(p[1]));
        assertEquals(EBADF, errno());
    }

    /** accept on a taken listener parks until a connection comes; the new socket is taken, blocking to the user unless SOCK_NONBLOCK. */
    @Test
    void acceptWaitsInThePoller() {
        int l = sockets.listener();
        int port = Sockets.portOf(l);
        int before = poller.awaits.get();
        sockaddr_in peer = new sockaddr_in();
        pthread_t acceptor = start(arg -> accept4(l, peer, 0));
        awaitParked(before);
        int c = sockets.track(socket(AF_INET, SOCK_STREAM, 0));
        assertEquals(0, connect(c, loopback(port)));
        int a = sockets.track((Integer) join(acceptor));
        assertEquals(htonl(INADDR_LOOPBACK), peer.sin_addr);
        assertTrue(poller.taken.contains(a));
        assertEquals(0, fcntl(a, F_GETFL, 0) & O_NONBLOCK);
        assertEquals(O_NONBLOCK, kernelFlags(a) & O_NONBLOCK);
        int c2 = sockets.track(socket(AF_INET, SOCK_STREAM, 0));
        assertEquals(0, connect(c2, loopback(port)));
        int a2 = sockets.track(accept4(l, null, SOCK_NONBLOCK));
        assertEquals(O_NONBLOCK, fcntl(a2, F_GETFL, 0) & O_NONBLOCK, "accept4 with SOCK_NONBLOCK");
    }

    /** connect on a taken socket: connected (getpeername agrees) to a listener, ECONNREFUSED where nobody listens. */
    @Test
    void connectThroughThePoller() {
        int l = sockets.listener();
        int c = sockets.track(socket(AF_INET, SOCK_STREAM, 0));
        assertEquals(0, connect(c, loopback(Sockets.portOf(l))));
        sockaddr_in peer = new sockaddr_in();
        assertEquals(0, getpeername(c, peer));
        assertEquals(Sockets.portOf(l), ntohs(peer.sin_port));
        int bound = sockets.track(socket(AF_INET, SOCK_STREAM, 0));
        assertEquals(0, bind(bound, loopback(0)));
        int r = sockets.track(socket(AF_INET, SOCK_STREAM, 0));
        errno(0);
        assertEquals(-1, connect(r, loopback(Sockets.portOf(bound))));
        assertEquals(ECONNREFUSED, errno());
        int n = sockets.track(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
        errno(0);
        assertEquals(-1, connect(n, loopback(Sockets.portOf(l))));
        assertEquals(EINPROGRESS, errno(), "the user's non-blocking connect");
    }

    /** A blocking write larger than the socket buffers writes every byte, waiting in the poller while the peer is slow. */
    @Test
    void blockingWriteWritesEveryByte() {
        int[] p = sockets.connectedPair();
        assertEquals(0, setsockopt(p[0], SOL_SOCKET, SO_SNDBUF, 65536));
        assertEquals(0, setsockopt(p[1], SOL_SOCKET, SO_RCVBUF, 65536));
        byte[] big = new byte[2 << 20];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i % 251);
        }
        int before = poller.awaits.get();
        pthread_t writer = start(arg -> {
            long n = write(p[0], big, big.length);
            return n < 0 ? -errno() : n;
        });
        awaitParked(before);
        byte[] got = new byte[big.length];
        byte[] buf = new byte[65536];
        for (int off = 0; off < got.length; ) {
            long n = read(p[1], buf, Math.min(buf.length, got.length - off));
            assertTrue(n > 0, "read " + n + " errno " + errno());
            System.arraycopy(buf, 0, got, off, (int) n);
            off += (int) n;
        }
        assertEquals((long) big.length, join(writer), "one write of every byte");
        assertArrayEquals(big, got);
    }

    /** The bytes of a taken socket move through jnr-posix's read and write too, which loop the same way. */
    @Test
    void jnrBindingLoopsToo() {
        int[] p = sockets.connectedPair();
        int before = poller.awaits.get();
        pthread_t reader = start(arg -> {
            byte[] b = new byte[8];
            long n = Posix.jnr().read(p[1], b, 8);
            return n < 0 ? "errno " + errno() : new String(b, 0, (int) n);
        });
        awaitParked(before);
        assertEquals(3, Posix.jnr().send(p[0], "jnr".getBytes(), 3, 0));
        assertEquals("jnr", join(reader));
    }
}
