package org.pthread4j.spi;

/**
 * Brackets for system calls that can block in the kernel ({@code read}, {@code write}…), so
 * that a scheduler of pthread4j's own can give the processor away while one blocks (the
 * {@code gmp} backend's hand-off). On the other backends the brackets do nothing.
 *
 * <pre>
 *   Syscalls.enter();
 *   try { r = blockingCall(); } finally { Syscalls.exit(); }
 * </pre>
 */
public final class Syscalls {

    /** What a backend does around a blocking call. */
    public interface Hook {
        void enter();

        void exit();
    }

    private static volatile Hook hook;
    private static volatile Netpoll netpoll;

    private Syscalls() {}

    /** Installed once by a backend that schedules its own threads. */
    public static void install(Hook h) {
        hook = h;
    }

    /** Installed once by a backend that parks pthreads blocked on sockets (gmp). */
    public static void installNetpoll(Netpoll n) {
        netpoll = n;
    }

    /** The installed network poller, or {@code null}: sockets then block in the kernel. */
    public static Netpoll netpoll() {
        return netpoll;
    }

    public static void enter() {
        Hook h = hook;
        if (h != null) {
            h.enter();
        }
    }

    public static void exit() {
        Hook h = hook;
        if (h != null) {
            h.exit();
        }
    }
}
