package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pthread4j.Pthreads.errno;
import static org.pthread4j.posix.Posix.*;
import static org.pthread4j.tests.TestSupport.loopback;

import java.util.ArrayList;
import java.util.List;
import org.pthread4j.posix.Posix;
import org.pthread4j.posix.sockaddr_in;

/** The loopback sockets of a socket test: each one it opens is closed by {@link #closeAll}. */
final class Sockets {

    /** Descriptors the test opened (a second close of one says EBADF, ignored). */
    private final List<Integer> opened = new ArrayList<>();

    /** {@code fd}, checked to be a descriptor and kept for {@link #closeAll}. */
    int track(int fd) {
        assertTrue(fd >= 0, "a descriptor, errno " + errno());
        opened.add(fd);
        return fd;
    }

    /** A socket bound to 127.0.0.1 on a port the kernel picked, listening. */
    int listener() {
        int s = track(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
        assertEquals(0, bind(s, loopback(0)));
        assertEquals(0, listen(s, 16));
        return s;
    }

    static int portOf(int s) {
        sockaddr_in a = new sockaddr_in();
        assertEquals(0, getsockname(s, a));
        return ntohs(a.sin_port);
    }

    /** A connected pair on loopback: {client, server}. connect completes into the backlog, so nothing waits. */
    int[] connectedPair() {
        int l = listener();
        int c = track(socket(AF_INET, SOCK_STREAM, 0));
        assertEquals(0, connect(c, loopback(portOf(l))), "connect: errno " + errno());
        return new int[] {c, track(accept(l, null))};
    }

    void closeAll() {
        for (int fd : opened) {
            Posix.close(fd);
        }
    }
}
