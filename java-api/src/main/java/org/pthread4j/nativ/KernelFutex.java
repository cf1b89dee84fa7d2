package org.pthread4j.nativ;

import java.lang.foreign.MemorySegment;
import org.pthread4j.spi.Errno;
import org.pthread4j.spi.Futex;
import org.pthread4j.spi.PiFutex;
import org.pthread4j.spi.Tcb;
import org.pthread4j.spi.Words;

/**
 * The kernel's {@code futex(2)} on off-heap words, through the C layer and the chosen
 * {@link NativeBinding}: private futexes, or, for the words of objects that processes share,
 * shared ones ({@link #shared}: no {@code FUTEX_PRIVATE_FLAG}; such a futex never requeues,
 * see {@link org.pthread4j.spi.ProcessShared#futex}).
 *
 * <p>An interruptible wait is one {@code futex_waitv} on two words, the word and the waiting
 * thread's interrupt word ({@link Tcb#interruptWord}, 0 while nothing is to be acted on):
 * {@code pthread_cancel} and a signal's sender set it before they wake it, so the kernel's
 * compare-and-sleep covers both and an interruption can never slip in unseen.
 *
 * <p>It keeps {@link Futex}'s rule for interrupted waiters this way. An interruption wakes
 * the waiter through its interrupt word, but the waiter stays queued on the word until it
 * runs and dequeues itself, so a {@code FUTEX_WAKE} of the word in between counts it as
 * woken and wakes nobody else; {@code futex_waitv} then reports the highest index woken, the
 * interrupt word, and that wake would be lost. So whenever the call slept (it returned an
 * index) and the wait ends interrupted, the waiter wakes one waiter of the word in its place
 * if the word no longer holds {@code expected} (a wake always follows a change of the word;
 * while it still holds {@code expected}, whoever changes it next wakes). The cost is a
 * spurious wake-up at worst, and only for a waiter that is interrupted.
 *
 * <p>A wait whose word already differs from {@code expected}, with nothing to act on in the
 * interrupt word, returns EAGAIN without the system call: a condition waiter often finds the
 * signal came while it released the mutex (in a native ping-pong, 28% of the waits), and
 * {@code futex_waitv} costs more than a plain futex call even when it returns at once.
 */
final class KernelFutex implements Futex, PiFutex {

    /**
     * No spinning before a kernel futex wait, as glibc's default mutex: measured on two
     * vCPUs, spinning made two contending threads hand the lock's cache line back and forth on
     * every operation (2.1× glibc's time per op) where sleeping lets one run alone for long
     * stretches (parity with glibc).
     */
    private static final int SPIN = 0;

    private final NativeBinding c;
    /** Whether the words are in memory that other processes map (non-private futex ops). */
    private final boolean shared;

    KernelFutex(NativeBinding binding, boolean shared) {
        this.c = binding;
        this.shared = shared;
    }

    @Override
    public int wait(MemorySegment word, int expected, int clock, long sec, long nsec, Tcb cancelable) {
        if (Words.get(word) != expected && (cancelable == null || Words.get(cancelable.interruptWord()) == 0)) {
            return EAGAIN; // the kernel's answer, without the system call; an interruption goes the long way
        }
        int r;
        if (cancelable == null) {
            r = shared ? c.futexWaitShared(word, expected, clock, sec, nsec)
                    : c.futexWait(word, expected, clock, sec, nsec);
        } else {
            r = shared ? c.futexWait2Shared(word, expected, cancelable.interruptWord(), clock, sec, nsec)
                    : c.futexWait2(word, expected, cancelable.interruptWord(), clock, sec, nsec);
            int interruption = cancelable.interruption();
            if (interruption != 0) {
                if (r >= 0 && Words.get(word) != expected) {
                    wake(word, 1); // pass on a wake that may have counted this waiter
                }
                return interruption;
            }
        }
        return switch (r) {
            case -Errno.EAGAIN -> EAGAIN; // also when the interrupt word held a cancel just taken aside
            // -EINVAL: a deadline the kernel refuses (callers check them first); never a
            // spurious wake-up, which would turn a timed wait into a busy loop.
            case -Errno.ETIMEDOUT, -Errno.EINVAL -> ETIMEDOUT;
            default -> WOKEN; // 0, or -EINTR: a spurious wake-up
        };
    }

    @Override
    public int wake(MemorySegment word, int count) {
        return Math.max(0, shared ? c.futexWakeShared(word, count) : c.futexWake(word, count));
    }

    @Override
    public int requeue(MemorySegment from, int expected, int wakeCount, MemorySegment to, int requeueCount) {
        if (shared) {
            return -EAGAIN;
        }
        int r = c.futexRequeue(from, expected, wakeCount, to, requeueCount);
        return r == -Errno.EAGAIN ? -EAGAIN : r;
    }

    @Override
    public void interrupt(Tcb target) {
        c.futexWake(target.interruptWord(), Integer.MAX_VALUE);
    }

    @Override
    public int spinLimit() {
        return SPIN;
    }

    /**
     * The bound of a default mutex's adaptive spin before its glibc-style sleep, in reads of
     * the word ({@link #POLL_NS} apart): 20, so a spin lasts at most 20 µs, the window of a
     * condition waiter's spin ({@code -Dpthread4j.mutexspin=<n>}; 0 turns it off), where the
     * process may run on more than one CPU; none on one CPU, where the owner cannot run while
     * a locker spins.
     */
    private static final int ADAPTIVE_SPIN = Runtime.getRuntime().availableProcessors() > 1
            ? Integer.getInteger("pthread4j.mutexspin", 20) : 0;

    @Override
    public int adaptiveSpinLimit() {
        return ADAPTIVE_SPIN;
    }

    /**
     * The adaptive spin reads the word once a microsecond ({@code -Dpthread4j.mutexpoll=<ns>};
     * 0 reads it after every pause), not after every pause: each read of a spinner pulls the
     * word's cache line away from the owner, whose next lock or unlock then waits for it, and
     * a spinner that reads often finds the word in the few nanoseconds between an unlock and
     * the owner's next lock, so that the lock changes CPU every few operations. Measured on
     * this VM ({@code Versus --only contended}, 21 rounds interleaved with
     * {@code ReentrantLock} on the same pinned pthreads, which also counts hand-overs), four
     * pthreads two per CPU: reading after each pause (and up to 100 reads), one hand-over per
     * 6 operations and 1.85-2.2× ReentrantLock's time per operation; reading every 0.5, 1 and
     * 2 µs, one per 80-150, 160 and 330 operations and 0.53-0.60×, 0.45-0.52× and 0.41-0.44×. A
     * pause takes 6.6 ns on this VM's CPU and over 40 ns on others, so the clock keeps the
     * interval.
     */
    private static final long POLL_NS = Long.getLong("pthread4j.mutexpoll", 1000);

    @Override
    public long adaptiveSpinPollNanos() {
        return POLL_NS;
    }

    /**
     * A condition waiter spins up to 20 µs on the sequence word before it sleeps, where the
     * process may run on more than one CPU ({@code -Dpthread4j.condspin=<ns>}; 0 turns it
     * off). A signal that comes within the window costs the waiter no sleep and the signaller
     * no cross-CPU wake-up of a halted vCPU, which on this VM takes 3–40 µs: measured (JMH and
     * throwaway development loops), a
     * ping-pong round trip fell from 25 µs to 1.2 µs, and 8 producers and 8 consumers on two
     * CPUs moved a million items in 2.0–3.4 s instead of 5.0–5.3 s. Windows of 5 and 10 µs
     * were too short to cover a round trip here. Pinned to one CPU there is nobody to signal
     * while the waiter spins, so it never does.
     */
    private static final long COND_SPIN = Runtime.getRuntime().availableProcessors() > 1
            ? Long.getLong("pthread4j.condspin", 20_000) : 0;

    @Override
    public long condSpinNanos() {
        return COND_SPIN;
    }

    // ---- priority inheritance (PTHREAD_PRIO_INHERIT mutexes) ---------------------------------

    @Override
    public int lockPi(MemorySegment word, int clock, long sec, long nsec) {
        for (;;) {
            int r = c.futexLockPi(word, clock, sec, nsec);
            if (r != -Errno.EINTR && r != -Errno.EAGAIN) { // EAGAIN: the owner was exiting; retry
                return -r;
            }
        }
    }

    @Override
    public int unlockPi(MemorySegment word) {
        return -c.futexUnlockPi(word);
    }

    @Override
    public int ownerTid(Tcb self) {
        int tid = self.kernelTid();
        if (tid == 0) {
            self.kernelTid(tid = c.gettid());
        }
        return tid;
    }
}
