package org.pthread4j.sync;

import java.lang.foreign.MemorySegment;
import org.pthread4j.spi.Futex;
import org.pthread4j.spi.Words;

/**
 * {@code pthread_once}: one word.
 *
 * <pre>
 *   value              meaning                                  next
 *   NEVER              the routine has not run                  -> RUNNING (the caller that wins the CAS)
 *   RUNNING            one thread runs the routine              -> DONE, -> NEVER (routine unwound)
 *   RUNNING | WAITERS  ... and others sleep on the word         same, and wake them all
 *   DONE               the routine returned                     final
 * </pre>
 * If the routine unwinds (cancellation, pthread_exit or an exception), the word returns to
 * NEVER and sleepers are woken, so that one of them runs it, as POSIX requires for a
 * cancelled routine.
 */
public final class Once {

    static final int NEVER = 0;
    static final int RUNNING = 1;
    static final int WAITERS = 2;
    static final int DONE = 4;

    private final MemorySegment word = Words.allocate();

    public int run(Futex futex, Runnable routine) {
        if ((int) Words.INT.getAcquire(word, 0L) == DONE) {
            return 0;
        }
        for (;;) {
            int v = Words.get(word);
            if (v == DONE) {
                return 0;
            }
            if (v == NEVER) {
                if (!Words.cas(word, NEVER, RUNNING)) {
                    continue;
                }
                boolean finished = false;
                try {
                    routine.run();
                    finished = true;
                } finally {
                    int old = Words.getAndSet(word, finished ? DONE : NEVER);
                    if ((old & WAITERS) != 0) {
                        futex.wake(word, Integer.MAX_VALUE);
                    }
                }
                return 0;
            }
            if ((v & WAITERS) == 0 && !Words.cas(word, v, v | WAITERS)) {
                continue;
            }
            futex.wait(word, v | WAITERS, Futex.CLOCK_NONE, 0, 0, null);
        }
    }
}
