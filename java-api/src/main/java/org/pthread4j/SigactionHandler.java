package org.pthread4j;

/**
 * C's {@code void (*sa_sigaction)(int, siginfo_t *, void *)}: a handler installed with
 * {@code SA_SIGINFO}; {@code ucontext} is always null (there is no machine context to show).
 */
@FunctionalInterface
public interface SigactionHandler {
    void handle(int sig, siginfo_t info, Object ucontext);
}
