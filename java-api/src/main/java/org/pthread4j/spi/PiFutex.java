package org.pthread4j.spi;

import java.lang.foreign.MemorySegment;

/**
 * The kernel's priority-inheriting futex ({@code FUTEX_LOCK_PI}): what a
 * {@code PTHREAD_PRIO_INHERIT} mutex needs besides a {@link Futex}, on a backend whose
 * threads are kernel threads ({@code native}). The word holds 0 or the owner's kernel tid
 * ({@link #ownerTid}), with {@link #WAITERS} and {@link #OWNER_DIED} as the kernel sets them;
 * while a thread sleeps in {@link #lockPi}, the kernel runs the owner at the sleeper's
 * priority if that is higher.
 */
public interface PiFutex {

    /** The kernel's FUTEX_WAITERS: a locker sleeps in the kernel; unlock must go through it. */
    int WAITERS = 0x8000_0000;
    /** The kernel's FUTEX_OWNER_DIED. */
    int OWNER_DIED = 0x4000_0000;
    /** The kernel's FUTEX_TID_MASK: the owner's tid. */
    int TID_MASK = 0x3FFF_FFFF;

    /**
     * Takes the word for the caller, sleeping while another thread owns it, until the
     * absolute deadline {@code (sec, nsec)} on {@code clock} ({@link Futex#CLOCK_NONE}: none;
     * the caller has checked it).
     *
     * @return 0 (the word holds the caller's tid), {@link Futex#ETIMEDOUT}, or EDEADLK (the
     *         caller owns it)
     */
    int lockPi(MemorySegment word, int clock, long sec, long nsec);

    /** Hands the word to its highest-priority sleeper and ends the caller's boost: 0, or EPERM (not the owner). */
    int unlockPi(MemorySegment word);

    /** The calling thread's kernel tid: the owner value of a word it locks. */
    int ownerTid(Tcb self);
}
