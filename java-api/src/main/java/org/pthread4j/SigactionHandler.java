package org.pthread4j;

/**
 * C's {@code void (*sa_sigaction)(int, siginfo_t *, void *)}: a handler installed with
 * {@code SA_SIGINFO}; {@code ucontext} is always null (there is no machine context to show).
 */
@FunctionalInterface
public interface SigactionHandler {
    /**
     * Runs on the thread the signal is delivered to.
     *
     * @param sig the signal number
     * @param info how the signal was sent
     * @param ucontext always null
     */
    void handle(int sig, siginfo_t info, Object ucontext);
}
