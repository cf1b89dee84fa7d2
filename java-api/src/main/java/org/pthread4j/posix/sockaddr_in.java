package org.pthread4j.posix;

/**
 * C's {@code struct sockaddr_in}: an IPv4 address and port, both in network byte order as in C
 * ({@code a.sin_port = htons(8080); a.sin_addr = htonl(INADDR_LOOPBACK);}).
 */
public final class sockaddr_in {
    /** The address family, {@link Posix#AF_INET}. */
    public short sin_family;
    /** The port, in network byte order ({@link Posix#htons}). */
    public short sin_port;
    /** The IPv4 address, in network byte order ({@link Posix#htonl}, {@link Posix#inet_pton}). */
    public int sin_addr;

    /** All zero, as C's {@code struct sockaddr_in a = {0};}. */
    public sockaddr_in() {}

    @Override
    public String toString() {
        return "sockaddr_in{sin_family=" + sin_family + ", sin_port=" + Posix.ntohs(sin_port) + ", sin_addr="
                + Posix.inet_ntop(this) + "}";
    }
}
