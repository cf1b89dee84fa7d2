package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.posix.Posix.*;
import static org.pthread4j.tests.TestSupport.*;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pthread4j.posix.Posix;
import org.pthread4j.posix.SystemCalls;
import org.pthread4j.posix.epoll_event;
import org.pthread4j.posix.rlimit;
import org.pthread4j.posix.sockaddr_in;
import org.pthread4j.pthread_t;

/**
 * The socket calls of org.pthread4j.posix (issue #17) on loopback: IPv4 streams, fcntl
 * O_NONBLOCK, RLIMIT_NOFILE and epoll, as C returns them. Ports are always the kernel's pick
 * (bind to port 0, then getsockname). jnr-posix has read, write, recv/send, close, fcntl and
 * the rlimits; those run through both bindings on sockets the FFM binding made.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocketTest {

    private final Sockets sockets = new Sockets();

    @AfterEach
    void closeAll() {
        sockets.closeAll();
    }

    static Stream<SystemCalls> bindings() {
        return Stream.of(Posix.ffm(), Posix.jnr());
    }

    /** Reads exactly {@code n} bytes (a stream may deliver them in pieces), or fails. */
    private static byte[] readFully(SystemCalls sys, int fd, int n) {
        byte[] out = new byte[n];
        byte[] buf = new byte[n];
        int got = 0;
        while (got < n) {
            long r = sys.read(fd, buf, n - got);
            assertTrue(r > 0, "read " + r + " errno " + errno() + " after " + got + " of " + n);
            System.arraycopy(buf, 0, out, got, (int) r);
            got += (int) r;
        }
        return out;
    }

    private static void writeFully(SystemCalls sys, int fd, byte[] b) {
        assertEquals(b.length, sys.write(fd, b, b.length), "errno " + errno());
    }

    // ---- echo ------------------------------------------------------------------------------

    /** The server's side of the echo: accepts one connection and echoes it until end of file. */
    private static Object serveOne(int listener) {
        sockaddr_in peer = new sockaddr_in();
        int c = accept(listener, peer);
        if (c < 0) {
            return "accept: errno " + errno();
        }
        if (peer.sin_family != AF_INET || peer.sin_addr != htonl(INADDR_LOOPBACK)) {
            return "accept's peer " + peer;
        }
        byte[] buf = new byte[4096];
        long total = 0;
        for (;;) {
            long n = read(c, buf, buf.length);
            if (n < 0) {
                return "read: errno " + errno();
            }
            if (n == 0) {
                break;
            }
            for (int off = 0; off < n; ) {
                long w = send(c, Arrays.copyOfRange(buf, off, (int) n), (int) n - off, 0);
                if (w <= 0) {
                    return "send: errno " + errno();
                }
                off += (int) w;
            }
            total += n;
        }
        return close(c) == 0 ? total : "close: errno " + errno();
    }

    /** The client's side: two messages echoed (read/write, then recv/send), shutdown, end of file. */
    private static Object clientOf(int port) {
        int c = socket(AF_INET, SOCK_STREAM, 0);
        if (c < 0 || connect(c, loopback(port)) != 0) {
            return "socket/connect: errno " + errno();
        }
        byte[] hello = "hello, echo".getBytes();
        byte[] big = new byte[100_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        writeFully(Posix.ffm(), c, hello);
        assertArrayEquals(hello, readFully(Posix.ffm(), c, hello.length));
        int sent = 0;
        byte[] back = new byte[big.length];
        int got = 0;
        while (got < big.length) { // interleaved, so that neither side's buffers fill up
            if (sent < big.length) {
                long w = send(c, Arrays.copyOfRange(big, sent, Math.min(big.length, sent + 8192)),
                        Math.min(8192, big.length - sent), 0);
                assertTrue(w > 0, "send errno " + errno());
                sent += (int) w;
            }
            byte[] buf = new byte[8192];
            long r = recv(c, buf, buf.length, 0);
            assertTrue(r > 0, "recv " + r + " errno " + errno());
            System.arraycopy(buf, 0, back, got, (int) r);
            got += (int) r;
        }
        assertArrayEquals(big, back);
        assertEquals(0, shutdown(c, SHUT_WR));
        assertEquals(0, read(c, new byte[1], 1), "end of file once the server closed");
        assertEquals(0, close(c));
        return (long) (hello.length + big.length);
    }

    /** Two pthreads echo over loopback: accept/connect, read/write, recv/send, shutdown, end of file. */
    @Test
    void echoBetweenTwoPthreads() {
        // M:1: a pthread blocked in accept or read holds green's only carrier, so its peer
        // pthread never runs (the lesson of that model); echoServedByAPthread covers green
        assumeFalse("green".equals(BACKEND), "green: a blocking call freezes every pthread");
        int l = sockets.listener();
        int port = Sockets.portOf(l);
        pthread_t server = start(arg -> serveOne(l));
        pthread_t client = start(arg -> {
            try {
                return clientOf(port);
            } catch (AssertionError e) {
                return e.getMessage();
            }
        });
        assertEquals(100_011L, join(client));
        assertEquals(100_011L, join(server));
    }

    /** A pthread serves the echo to a plain Java thread as client: on every backend, green too. */
    @Test
    void echoServedByAPthread() {
        int l = sockets.listener();
        pthread_t server = start(arg -> serveOne(l));
        assertEquals(100_011L, clientOf(Sockets.portOf(l)));
        assertEquals(100_011L, join(server));
    }

    /** read, write, recv and send move bytes through both bindings, on sockets the FFM binding made. */
    @ParameterizedTest
    @MethodSource("bindings")
    void transfersThroughEitherBinding(SystemCalls sys) {
        int[] p = sockets.connectedPair();
        writeFully(sys, p[0], "ping".getBytes());
        assertArrayEquals("ping".getBytes(), readFully(sys, p[1], 4));
        assertEquals(4, sys.send(p[1], "pong".getBytes(), 4, 0));
        byte[] in = new byte[8];
        assertEquals(4, sys.recv(p[0], in, 8, MSG_PEEK), "a peek leaves the bytes");
        assertEquals(4, sys.recv(p[0], in, 8, 0));
        assertArrayEquals("pong".getBytes(), Arrays.copyOf(in, 4));
        assertEquals(0, sys.write(p[0], new byte[0], 0), "a write of nothing");
    }

    /** After the peer's shutdown(SHUT_WR), read returns 0 (end of file) and the other direction still works. */
    @Test
    void readReturnsZeroAfterPeerShutdown() {
        int[] p = sockets.connectedPair();
        assertEquals(0, shutdown(p[0], SHUT_WR));
        assertEquals(0, read(p[1], new byte[4], 4));
        assertEquals(0, recv(p[1], new byte[4], 4, 0));
        assertEquals(2, write(p[1], "ok".getBytes(), 2));
        assertArrayEquals("ok".getBytes(), readFully(Posix.ffm(), p[0], 2));
    }

    /** getsockname gives the port the kernel picked for port 0, getpeername the connected peer's. */
    @Test
    void getsocknameAndGetpeername() {
        int l = sockets.listener();
        sockaddr_in a = new sockaddr_in();
        assertEquals(0, getsockname(l, a));
        assertEquals(AF_INET, a.sin_family);
        assertNotEquals(0, ntohs(a.sin_port));
        assertEquals("127.0.0.1", inet_ntop(a));
        int c = sockets.track(socket(AF_INET, SOCK_STREAM, 0));
        assertEquals(0, connect(c, a));
        sockaddr_in peer = new sockaddr_in();
        assertEquals(0, getpeername(c, peer));
        assertEquals(ntohs(a.sin_port), ntohs(peer.sin_port));
        errno(0);
        assertEquals(-1, getpeername(l, peer));
        assertEquals(ENOTCONN, errno(), "a listener has no peer");
    }

    // ---- errno cases -----------------------------------------------------------------------

    private static void assertFails(int expectedErrno, long result, String call) {
        assertEquals(-1, result, call);
        assertEquals(expectedErrno, errno(), call + ": errno " + errno() + " " + strerror(errno()));
    }

    /** Every call on a closed socket returns -1 with EBADF. */
    @Test
    void closedSocketGivesEbadf() {
        int s = socket(AF_INET, SOCK_STREAM, 0);
        assertEquals(0, close(s));
        byte[] b = new byte[1];
        assertFails(EBADF, read(s, b, 1), "read");
        assertFails(EBADF, write(s, b, 1), "write");
        assertFails(EBADF, recv(s, b, 1, 0), "recv");
        assertFails(EBADF, send(s, b, 1, 0), "send");
        assertFails(EBADF, accept(s, null), "accept");
        assertFails(EBADF, connect(s, loopback(1)), "connect");
        assertFails(EBADF, bind(s, loopback(0)), "bind");
        assertFails(EBADF, listen(s, 1), "listen");
        assertFails(EBADF, shutdown(s, SHUT_RDWR), "shutdown");
        assertFails(EBADF, fcntl(s, F_GETFL, 0), "fcntl");
        assertFails(EBADF, setsockopt(s, SOL_SOCKET, SO_REUSEADDR, 1), "setsockopt");
        assertFails(EBADF, getsockopt(s, SOL_SOCKET, SO_REUSEADDR, new int[1]), "getsockopt");
        assertFails(EBADF, getsockname(s, new sockaddr_in()), "getsockname");
        assertFails(EBADF, close(s), "close");
        assertFails(EBADF, Posix.jnr().close(s), "jnr close");
        assertFails(EBADF, Posix.jnr().fcntl(s, F_GETFL, 0), "jnr fcntl");
        assertFails(EBADF, Posix.jnr().recv(s, b, 1, 0), "jnr recv");
        assertFails(EBADF, Posix.jnr().send(s, b, 1, 0), "jnr send");
    }

    /** connect to a bound port where nobody listens: ECONNREFUSED. */
    @Test
    void connectToAPortNobodyListensOnIsRefused() {
        int bound = sockets.track(socket(AF_INET, SOCK_STREAM, 0));
        assertEquals(0, bind(bound, loopback(0))); // bound, not listening: the port stays ours
        int c = sockets.track(socket(AF_INET, SOCK_STREAM, 0));
        assertFails(ECONNREFUSED, connect(c, loopback(Sockets.portOf(bound))), "connect");
    }

    /** A second bind to a listening port without SO_REUSEADDR: EADDRINUSE (with it too, while one listens). */
    @Test
    void secondBindIsInUse() {
        int l = sockets.listener();
        int port = Sockets.portOf(l);
        int s = sockets.track(socket(AF_INET, SOCK_STREAM, 0));
        assertFails(EADDRINUSE, bind(s, loopback(port)), "bind");
        int r = sockets.track(socket(AF_INET, SOCK_STREAM, 0));
        assertEquals(0, setsockopt(r, SOL_SOCKET, SO_REUSEADDR, 1));
        int[] v = {0};
        assertEquals(0, getsockopt(r, SOL_SOCKET, SO_REUSEADDR, v));
        assertEquals(1, v[0]);
        assertFails(EADDRINUSE, bind(r, loopback(port)), "bind with SO_REUSEADDR beside a listener");
    }

    /** Bad arguments give C's errno, never an exception: EINVAL, EFAULT, ENOTSOCK, EAFNOSUPPORT. */
    @Test
    void badArgumentsGiveErrno() {
        assertFails(EINVAL, socket(AF_INET, 999, 0), "socket of an unknown type");
        assertFails(EAFNOSUPPORT, socket(12345, SOCK_STREAM, 0), "socket of an unknown family");
        int s = sockets.track(socket(AF_INET, SOCK_STREAM, 0));
        assertFails(EFAULT, bind(s, null), "bind to null");
        assertFails(EFAULT, connect(s, null), "connect to null");
        assertFails(EFAULT, getsockname(s, null), "getsockname into null");
        assertFails(EFAULT, getsockopt(s, SOL_SOCKET, SO_REUSEADDR, null), "getsockopt into null");
        assertFails(EFAULT, getsockopt(s, SOL_SOCKET, SO_REUSEADDR, new int[0]), "getsockopt into int[0]");
        assertFails(ENOPROTOOPT, setsockopt(s, SOL_SOCKET, 9999, 1), "an unknown option");
        assertFails(EINVAL, accept(s, null), "accept on a socket that does not listen");
        assertFails(EINVAL, shutdown(s, 7), "shutdown with a bad how");
        assertFails(EINVAL, fcntl(s, 1 /* F_GETFD */, 0), "fcntl beyond F_GETFL/F_SETFL");
        for (SystemCalls sys : bindings().toList()) {
            assertFails(EFAULT, sys.recv(s, null, 1, 0), sys.binding() + " recv into null");
            assertFails(EFAULT, sys.send(s, new byte[1], 2, 0), sys.binding() + " send past the buffer");
            assertFails(EFAULT, sys.read(s, new byte[1], -1), sys.binding() + " read of -1 bytes");
            assertFails(EINVAL, sys.fcntl(s, 1, 0), sys.binding() + " fcntl F_GETFD");
            assertFails(EFAULT, sys.getrlimit(RLIMIT_NOFILE, null), sys.binding() + " getrlimit into null");
            assertFails(EFAULT, sys.setrlimit(RLIMIT_NOFILE, null), sys.binding() + " setrlimit of null");
            assertFails(EINVAL, sys.getrlimit(-1, new rlimit()), sys.binding() + " getrlimit of resource -1");
        }
        int[] fds = new int[2];
        assertEquals(0, pipe(fds));
        sockets.track(fds[0]);
        sockets.track(fds[1]);
        assertFails(ENOTSOCK, setsockopt(fds[0], SOL_SOCKET, SO_REUSEADDR, 1), "setsockopt on a pipe");
        assertFails(ENOTSOCK, send(fds[1], new byte[1], 1, 0), "send on a pipe");
        assertFails(EAFNOSUPPORT, inet_pton(10 /* AF_INET6 */, "::1", new sockaddr_in()), "inet_pton AF_INET6");
        assertFails(EFAULT, inet_pton(AF_INET, null, new sockaddr_in()), "inet_pton of null");
        errno(0);
        assertNull(inet_ntop(null));
        assertEquals(EFAULT, errno());
    }

    /** jnr-posix lacks the socket calls and epoll: they answer ENOSYS. */
    @Test
    void jnrLacksSocketCallsAndSaysEnosys() {
        SystemCalls jnr = Posix.jnr();
        assertFails(ENOSYS, jnr.socket(AF_INET, SOCK_STREAM, 0), "socket");
        assertFails(ENOSYS, jnr.setsockopt(0, SOL_SOCKET, SO_REUSEADDR, 1), "setsockopt");
        assertFails(ENOSYS, jnr.getsockopt(0, SOL_SOCKET, SO_REUSEADDR, new int[1]), "getsockopt");
        assertFails(ENOSYS, jnr.bind(0, loopback(0)), "bind");
        assertFails(ENOSYS, jnr.listen(0, 1), "listen");
        assertFails(ENOSYS, jnr.accept(0, null), "accept");
        assertFails(ENOSYS, jnr.accept4(0, null, 0), "accept4");
        assertFails(ENOSYS, jnr.connect(0, loopback(1)), "connect");
        assertFails(ENOSYS, jnr.getsockname(0, new sockaddr_in()), "getsockname");
        assertFails(ENOSYS, jnr.getpeername(0, new sockaddr_in()), "getpeername");
        assertFails(ENOSYS, jnr.shutdown(0, SHUT_RDWR), "shutdown");
        assertFails(ENOSYS, jnr.epoll_create1(0), "epoll_create1");
        assertFails(ENOSYS, jnr.epoll_ctl(0, EPOLL_CTL_ADD, 0, new epoll_event()), "epoll_ctl");
        assertFails(ENOSYS, jnr.epoll_wait(0, new epoll_event[1], 1, 0), "epoll_wait");
    }

    // ---- O_NONBLOCK ------------------------------------------------------------------------

    /** fcntl F_SETFL O_NONBLOCK shows in F_GETFL and clears again, through either binding. */
    @ParameterizedTest
    @MethodSource("bindings")
    void fcntlNonblockRoundTrip(SystemCalls sys) {
        int s = sockets.track(socket(AF_INET, SOCK_STREAM, 0));
        int flags = sys.fcntl(s, F_GETFL, 0);
        assertEquals(O_RDWR, flags & 3, "a socket is open for reading and writing");
        assertEquals(0, flags & O_NONBLOCK);
        assertEquals(0, sys.fcntl(s, F_SETFL, flags | O_NONBLOCK));
        assertEquals(flags | O_NONBLOCK, sys.fcntl(s, F_GETFL, 0));
        assertEquals(0, sys.fcntl(s, F_SETFL, flags));
        assertEquals(flags, sys.fcntl(s, F_GETFL, 0));
        int n = sockets.track(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
        assertEquals(O_NONBLOCK, sys.fcntl(n, F_GETFL, 0) & O_NONBLOCK, "SOCK_NONBLOCK at creation");
    }

    /** A socket the user made non-blocking answers EAGAIN where a blocking one would wait; so does MSG_DONTWAIT. */
    @ParameterizedTest
    @MethodSource("bindings")
    void nonBlockingCallsGiveEagain(SystemCalls sys) {
        int[] p = sockets.connectedPair();
        byte[] b = new byte[16];
        assertFails(EAGAIN, sys.recv(p[1], b, 16, MSG_DONTWAIT), "recv MSG_DONTWAIT on an empty socket");
        assertEquals(0, sys.fcntl(p[1], F_SETFL, sys.fcntl(p[1], F_GETFL, 0) | O_NONBLOCK));
        assertFails(EAGAIN, sys.read(p[1], b, 16), "read of an empty non-blocking socket");
        assertFails(EAGAIN, sys.recv(p[1], b, 16, 0), "recv of an empty non-blocking socket");
        writeFully(sys, p[0], "x".getBytes());
        assertEquals(1, readFully(sys, p[1], 1).length, "the byte arrives once written");
        int l = sockets.track(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
        assertEquals(0, bind(l, loopback(0)));
        assertEquals(0, listen(l, 1));
        assertFails(EAGAIN, accept(l, null), "accept with no connection pending on a non-blocking listener");
        int c = sockets.track(socket(AF_INET, SOCK_STREAM, 0));
        assertEquals(0, connect(c, loopback(Sockets.portOf(l))));
        int a = sockets.track(accept4(l, null, SOCK_NONBLOCK | SOCK_CLOEXEC));
        assertEquals(O_NONBLOCK, sys.fcntl(a, F_GETFL, 0) & O_NONBLOCK, "accept4 with SOCK_NONBLOCK");
        assertFails(EAGAIN, sys.read(a, b, 16), "read of it");
    }

    /** A write to a socket whose peer closed returns -1 with EPIPE, and the JVM lives on (no SIGPIPE death). */
    @ParameterizedTest
    @MethodSource("bindings")
    void writeAfterPeerCloseGivesEpipe(SystemCalls sys) {
        int[] p = sockets.connectedPair();
        assertEquals(0, close(p[1]));
        byte[] b = new byte[1024];
        long r = 0;
        // the first write may still succeed: the peer's RST answers it
        for (int i = 0; i < 1000 && r >= 0; i++) {
            r = sys.write(p[0], b, b.length);
            if (r >= 0) {
                pause(1);
            }
        }
        assertFails(EPIPE, r, sys.binding() + " write");
        assertFails(EPIPE, sys.write(p[0], b, b.length), sys.binding() + " write again");
        assertFails(EPIPE, sys.send(p[0], b, b.length, 0), sys.binding() + " send");
        assertEquals(4, sys.write(pipeOut(), "live".getBytes(), 4), "the JVM lives on");
    }

    private int pipeOut() {
        int[] fds = new int[2];
        assertEquals(0, pipe(fds));
        sockets.track(fds[0]);
        return sockets.track(fds[1]);
    }

    // ---- rlimit ------------------------------------------------------------------------------

    /** RLIMIT_NOFILE: the soft limit rises to the hard one and is restored; a soft limit above the hard is EINVAL. */
    @ParameterizedTest
    @MethodSource("bindings")
    void rlimitNofileRaiseAndRestore(SystemCalls sys) {
        rlimit before = new rlimit();
        assertEquals(0, sys.getrlimit(RLIMIT_NOFILE, before));
        assertTrue(before.rlim_cur > 0 && (before.rlim_max == RLIM_INFINITY || before.rlim_cur <= before.rlim_max), before.toString());
        try {
            rlimit raised = new rlimit();
            raised.rlim_cur = before.rlim_max;
            raised.rlim_max = before.rlim_max;
            assertEquals(0, sys.setrlimit(RLIMIT_NOFILE, raised));
            rlimit now = new rlimit();
            assertEquals(0, sys.getrlimit(RLIMIT_NOFILE, now));
            assertEquals(before.rlim_max, now.rlim_cur);
            assertEquals(before.rlim_max, now.rlim_max);
            if (before.rlim_max != RLIM_INFINITY) {
                rlimit above = new rlimit();
                above.rlim_cur = before.rlim_max + 1;
                above.rlim_max = before.rlim_max;
                assertFails(EINVAL, sys.setrlimit(RLIMIT_NOFILE, above), "soft above hard");
            }
        } finally {
            assertEquals(0, sys.setrlimit(RLIMIT_NOFILE, before));
        }
        rlimit restored = new rlimit();
        assertEquals(0, sys.getrlimit(RLIMIT_NOFILE, restored));
        assertEquals(before.rlim_cur, restored.rlim_cur);
    }

    // ---- epoll -------------------------------------------------------------------------------

    /** epoll: timeout 0 with nothing ready returns 0; readable sockets come back with their data; DEL forgets one. */
    @Test
    void epollReportsReadableSocketsWithTheirData() {
        int ep = sockets.track(epoll_create1(EPOLL_CLOEXEC));
        int[][] pairs = {sockets.connectedPair(), sockets.connectedPair(), sockets.connectedPair()};
        for (int i = 0; i < pairs.length; i++) {
            epoll_event ev = new epoll_event();
            ev.events = EPOLLIN | EPOLLRDHUP;
            ev.data = (long) pairs[i][1] << 32 | i;
            assertEquals(0, epoll_ctl(ep, EPOLL_CTL_ADD, pairs[i][1], ev));
        }
        epoll_event[] events = new epoll_event[8];
        assertEquals(0, epoll_wait(ep, events, 8, 0), "nothing readable yet");
        for (int[] p : pairs) {
            writeFully(Posix.ffm(), p[0], "e".getBytes());
        }
        long seen = 0;
        for (int n = 0; Long.bitCount(seen) < 3 && n < 100; n++) { // the bytes may arrive one by one
            int r = epoll_wait(ep, events, 8, 1000);
            assertTrue(r >= 0, "epoll_wait errno " + errno());
            for (int i = 0; i < r; i++) {
                int which = (int) events[i].data;
                assertEquals(EPOLLIN, events[i].events);
                assertEquals(pairs[which][1], (int) (events[i].data >>> 32), events[i].toString());
                seen |= 1L << which;
            }
        }
        assertEquals(7, seen);
        assertEquals(0, epoll_ctl(ep, EPOLL_CTL_DEL, pairs[0][1], null));
        assertEquals(0, shutdown(pairs[1][0], SHUT_WR));
        for (int[] p : pairs) {
            assertEquals(1, read(p[1], new byte[1], 1));
        }
        int r = epoll_wait(ep, events, 8, 1000);
        assertEquals(1, r, "only the shut-down peer's socket: readable (end of file)");
        assertEquals(EPOLLIN | EPOLLRDHUP, events[0].events);
        assertEquals(1, (int) events[0].data);
        assertFails(ENOENT, epoll_ctl(ep, EPOLL_CTL_DEL, pairs[0][1], null), "DEL of one not there");
        assertFails(EFAULT, epoll_ctl(ep, EPOLL_CTL_ADD, pairs[0][1], null), "ADD without an event");
        assertFails(EINVAL, epoll_wait(ep, events, 0, 0), "maxevents 0");
        assertFails(EFAULT, epoll_wait(ep, events, 9, 0), "maxevents beyond the array");
        assertFails(EFAULT, epoll_wait(ep, null, 1, 0), "events null");
    }

    // ---- byte order and addresses ------------------------------------------------------------

    /** htons/htonl give network byte order; inet_pton takes only dotted-decimal IPv4, as glibc; inet_ntop prints it. */
    @Test
    void byteOrderAndAddresses() {
        assertEquals(8080, ntohs(htons(8080)));
        assertEquals(65535, ntohs(htons(65535)));
        assertEquals(0x7f000001, ntohl(htonl(0x7f000001)));
        byte[] port = java.nio.ByteBuffer.allocate(2).order(java.nio.ByteOrder.nativeOrder()).putShort(htons(0x1234)).array();
        assertArrayEquals(new byte[] {0x12, 0x34}, port, "network order is big-endian in memory");
        sockaddr_in a = new sockaddr_in();
        assertEquals(1, inet_pton(AF_INET, "127.0.0.1", a));
        assertEquals(htonl(INADDR_LOOPBACK), a.sin_addr);
        assertEquals(1, inet_pton(AF_INET, "10.20.30.255", a));
        assertEquals("10.20.30.255", inet_ntop(a));
        for (String bad : new String[] {"256.0.0.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1..3.4", "a.b.c.d", "", " 1.2.3.4", "1.2.3.-4"}) {
            assertEquals(0, inet_pton(AF_INET, bad, a), bad);
        }
    }
}
