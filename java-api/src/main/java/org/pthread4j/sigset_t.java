package org.pthread4j;

/**
 * C's {@code sigset_t}: a set of signals 1..64, filled by {@code sigemptyset},
 * {@code sigaddset}… A new set is empty (C leaves an uninitialized one undefined).
 */
public final class sigset_t {
    /** Bit {@code sig - 1} for signal {@code sig}. */
    long bits;

    /** An empty set, as after C's {@code sigemptyset}. */
    public sigset_t() {}

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("{");
        for (int sig = 1; sig < Signals.NSIG; sig++) {
            if ((bits & Signals.bit(sig)) != 0) {
                b.append(b.length() > 1 ? ", " : "").append(sig);
            }
        }
        return b.append('}').toString();
    }
}
