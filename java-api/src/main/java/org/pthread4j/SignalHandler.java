package org.pthread4j;

/** C's {@code void (*sa_handler)(int)}: a signal handler, run by the thread the signal is delivered to. */
@FunctionalInterface
public interface SignalHandler {
    /**
     * Runs on the thread the signal is delivered to.
     *
     * @param sig the signal number
     */
    void handle(int sig);
}
