package org.pthread4j;

/**
 * C's {@code struct sigaction}: what {@code sigaction(sig, act, oact)} installs and reports.
 * {@code sa_handler} is {@code SIG_DFL}, {@code SIG_IGN} or a handler; with
 * {@code SA_SIGINFO} in {@code sa_flags}, {@code sa_sigaction} is the handler instead.
 * {@code sa_mask} holds the signals blocked while the handler runs (besides the signal
 * itself, unless {@code SA_NODEFER}). A new one is all zero, as after C's
 * {@code memset(&sa, 0, sizeof sa)}, except that {@code sa_handler} is {@code SIG_DFL}.
 */
public final class sigaction {
    /** {@code SIG_DFL}, {@code SIG_IGN} or the handler, used without {@code SA_SIGINFO}. */
    public SignalHandler sa_handler = Pthreads.SIG_DFL;
    /** The handler, used with {@code SA_SIGINFO}. */
    public SigactionHandler sa_sigaction;
    /** The signals blocked while the handler runs, besides the signal itself. */
    public sigset_t sa_mask = new sigset_t();
    /** {@code SA_SIGINFO}, {@code SA_RESTART}, {@code SA_NODEFER}, {@code SA_RESETHAND}… or-ed. */
    public int sa_flags;

    /** An all-zero action whose {@code sa_handler} is {@code SIG_DFL}. */
    public sigaction() {}
}
