package org.pthread4j;

/**
 * C's {@code siginfo_t}, the fields the emulation fills: the signal, how it was sent
 * ({@code SI_USER} by {@code kill}, {@code SI_TKILL} by {@code pthread_kill} and
 * {@code raise}) and the sender's process id (this process; 0 for a real signal forwarded
 * from outside, whose sender the JVM does not tell).
 */
public final class siginfo_t {
    /** The signal number. */
    public int si_signo;
    /** How it was sent: {@code SI_USER} or {@code SI_TKILL}. */
    public int si_code;
    /** The sender's process id; 0 for a signal from outside the process. */
    public long si_pid;

    /** An all-zero object, which a call fills. */
    public siginfo_t() {}

    siginfo_t(int si_signo, int si_code, long si_pid) {
        this.si_signo = si_signo;
        this.si_code = si_code;
        this.si_pid = si_pid;
    }

    void copyTo(siginfo_t to) {
        to.si_signo = si_signo;
        to.si_code = si_code;
        to.si_pid = si_pid;
    }

    @Override
    public String toString() {
        return "{si_signo=" + si_signo + ", si_code=" + si_code + ", si_pid=" + si_pid + "}";
    }
}
