package org.pthread4j.posix;

/**
 * C's {@code struct epoll_event}: the events ({@link Posix#EPOLLIN}, {@link Posix#EPOLLOUT}…)
 * and the union's {@code u64}, which {@link Posix#epoll_wait} hands back as it was registered
 * (C code stores the descriptor there).
 */
public final class epoll_event {
    /** The events asked for (epoll_ctl) or that happened (epoll_wait). */
    public int events;
    /** The user's data, {@code data.u64} in C. */
    public long data;

    /** All zero, as C's {@code struct epoll_event ev = {0};}. */
    public epoll_event() {}

    @Override
    public String toString() {
        return "epoll_event{events=0x" + Integer.toHexString(events) + ", data=" + data + "}";
    }
}
