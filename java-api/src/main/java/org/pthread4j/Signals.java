package org.pthread4j;

import static org.pthread4j.spi.Errno.EAGAIN;
import static org.pthread4j.spi.Errno.EINTR;
import static org.pthread4j.spi.Errno.EINVAL;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Iterator;
import org.pthread4j.spi.Futex;
import org.pthread4j.spi.Tcb;
import org.pthread4j.sync.Cancellation;

/**
 * POSIX signals, emulated inside the process: per-thread masks and pending sets, a
 * process-wide pending set, a handler table, and delivery to a pthread at its next
 * cancellation point or signal call, or in the interruptible wait it is blocked in. Real OS
 * signals belong to the JVM (it uses SIGSEGV, SIGQUIT, SIGTERM… itself, and a Java thread
 * cannot be stopped at an arbitrary instruction to run a handler), so a signal here is sent
 * by {@code pthread_kill}, {@code raise} and {@code kill(getpid(), sig)}; real SIGUSR1 and
 * SIGUSR2 sent from outside are forwarded into the emulation as {@code kill} would send them
 * ({@link #forwardRealSignals}).
 *
 * <h2>State, all guarded by {@link #LOCK} (the kernel's per-process siglock)</h2>
 * <pre>
 *   ACTIONS[sig]       the disposition: null (SIG_DFL), SIG_IGN, or a handler with its
 *                      sa_mask and sa_flags
 *   PROCESS            signals sent to the process (kill), not yet taken
 *   per thread ({@link ThreadState}, in {@code Tcb#signals()}; null while all three are empty):
 *     mask             the thread's blocked signals
 *     pending          signals sent to the thread (pthread_kill, raise), not yet taken
 *     waitSet          the signals the thread waits for in sigwait, else 0
 *   tcb SIGNAL bit     in the thread's interrupt word: a signal is pending that it takes
 * </pre>
 * A pending set ({@link Pending}) holds one instance of a standard signal (1..31: a second
 * one sent while one is pending is lost, as in Linux) and any number of a real-time one
 * (34..64, queued in order, at most {@link #SIGQUEUE_MAX} in all). Signals are taken lowest
 * number first, the thread's own before the process's, as Linux's {@code dequeue_signal}.
 *
 * <h2>Protocol</h2>
 * <ol>
 *   <li>send (under the lock): a signal whose action is to ignore it is discarded when the
 *       thread that would take it does not block it (kept while blocked, for sigwait).
 *       Otherwise it joins the target's pending set (the process's for kill) and a thread
 *       that <em>takes</em> it is chosen: one that does not block it or waits for it in
 *       sigwait ({@code (mask & ~waitSet)} lacks it) and is not exiting: for
 *       pthread_kill the target itself, if it takes it; for kill a sigwaiter first, then the
 *       caller, then any thread. If the chosen thread does not wait for it and its action is
 *       the default one that ends the process, the process ends now, as Linux's
 *       {@code complete_signal}. Else the chosen thread gets the SIGNAL bit, and after the
 *       lock {@link Futex#interrupt} ends its interruptible wait.</li>
 *   <li>deliver ({@link #deliver}, by the thread itself: at a cancellation point whose SIGNAL
 *       bit is set, after a wait returned INTERRUPTED, after a signal call of its own): under
 *       the lock, clear the SIGNAL bit and take one pending signal it does not block; run its
 *       action outside the lock with {@code sa_mask} and the signal itself added to the mask,
 *       restore the mask; repeat until nothing is left.</li>
 *   <li>an interrupted wait: the futex ends the wait with INTERRUPTED, having passed on any
 *       wake it may have absorbed ({@link Futex}'s rule: an interrupted waiter never absorbs
 *       a wake-up, as for cancellation: this is the cancellation machinery's single
 *       interruption point, extended with the SIGNAL bit). The primitive undoes its
 *       bookkeeping, runs the handlers, and resumes (pthread functions never return EINTR:
 *       a condition wait returns 0, a spurious wake-up; a lock, join or barrier waits
 *       again) or returns EINTR where Linux does: sem_wait and sem_timedwait when a handler
 *       without SA_RESTART ran, nanosleep, usleep, sleep (its unslept seconds),
 *       sigwaitinfo and sigtimedwait whenever a handler ran. sigwait never does.</li>
 *   <li>mask change (by the thread itself): newly unblocked pending signals are delivered
 *       before the call returns (POSIX); process signals chosen for the thread that it now
 *       blocks are given to another thread that takes them (Linux's
 *       {@code retarget_shared_pending}).</li>
 *   <li>sigwait: under the lock, take a pending signal of the set; if none, publish the set in
 *       {@code waitSet} (senders now choose this thread) and sleep on the thread's own
 *       sleep word, which only the interrupt word ends; then clear the set and take again.</li>
 *   <li>a thread that ends after a sender chose it gives the process signals to another
 *       ({@link #passOn}).</li>
 * </ol>
 * Default actions: terminate (and core) end the process at once with status 128 + sig, the
 * status a shell shows for a C program killed by the signal ({@link Runtime#halt}: no
 * shutdown hooks, as a killed C program runs no {@code atexit} handlers; no core file).
 * Ignore (SIGCHLD, SIGURG, SIGWINCH) and continue (SIGCONT) do nothing; stop (SIGSTOP,
 * SIGTSTP, SIGTTIN, SIGTTOU) cannot stop a JVM honestly, and does nothing either.
 * SIGKILL and SIGSTOP cannot be caught, blocked or ignored; 32 and 33 are glibc's own
 * (EINVAL, as glibc answers).
 *
 * <p>What an emulation cannot do: a thread that runs without calling in (no cancellation
 * point, no signal call, no interruptible wait) gets its signals only when it next calls
 * in; a blocking system call ({@code read}) is not interrupted; a lock wait is interrupted
 * only with asynchronous cancellation, and otherwise delivers at its next point.
 */
final class Signals {

    static final int NSIG = 65;
    static final int SIGKILL = 9;
    static final int SIGSTOP = 19;
    static final int SIGRTMIN = 34;

    static final int SI_USER = 0;
    static final int SI_TKILL = -6;

    private static final int SA_NODEFER = 0x4000_0000;
    private static final int SA_RESETHAND = 0x8000_0000;
    private static final int SA_RESTART = 0x1000_0000;
    private static final int SA_SIGINFO = 4;

    /** Signals nobody may catch, block or ignore. */
    private static final long UNCATCHABLE = bit(SIGKILL) | bit(SIGSTOP);
    /** glibc's own signals (SIGCANCEL, SIGSETXID): no program may use them. */
    private static final long INTERNAL = bit(32) | bit(33);
    /** Every signal a program may name. */
    static final long VALID = ~INTERNAL;

    /** Signals whose default action is to ignore, continue or stop: nothing the emulation does. */
    private static final long DEFAULT_NOTHING = bit(17) | bit(18) | bit(19) | bit(20) | bit(21)
            | bit(22) | bit(23) | bit(28);

    /** The most real-time instances queued at once, process-wide (Linux: RLIMIT_SIGPENDING). */
    static final int SIGQUEUE_MAX = sigpendingLimit();

    private static final Object LOCK = new Object();
    /** Dispositions; null is SIG_DFL. Guarded by LOCK. */
    private static final Action[] ACTIONS = new Action[NSIG];
    private static final Pending PROCESS = new Pending();
    /** Real-time instances queued in all pending sets; guarded by LOCK. */
    private static int queued;

    static {
        forwardRealSignals();
    }

    /** One disposition: SIG_IGN or a handler, with the handler's mask and flags. */
    private record Action(SignalHandler handler, SigactionHandler sigaction, long mask, int flags) {}

    private Signals() {}

    static long bit(int sig) {
        return 1L << (sig - 1);
    }

    static boolean valid(int sig) {
        return sig >= 1 && sig < NSIG && (VALID & bit(sig)) != 0;
    }

    // ---- sending ------------------------------------------------------------------------

    /**
     * Sends {@code sig} (valid, not 0) to {@code target}, or to the process when it is null.
     *
     * @param caller the sending thread, preferred for a process signal (kill); null when the
     *        JVM forwards a real signal
     * @return 0, or EAGAIN (pthread_kill of a real-time signal while SIGQUEUE_MAX wait)
     */
    static int send(Tcb target, int sig, int code, long pid, Tcb caller) {
        Tcb chosen;
        synchronized (LOCK) {
            Action action = ACTIONS[sig];
            chosen = target != null ? (takes(target, sig) ? target : null) : choose(sig, caller);
            boolean waited = chosen != null && (waitSet(chosen) & bit(sig)) != 0;
            if (chosen != null && !waited && ignored(sig, action)) {
                return 0; // discarded: the thread that would take it ignores it
            }
            Pending pending = target == null ? PROCESS : state(target).pending();
            boolean already = (pending.bits & bit(sig)) != 0;
            if (already && sig < SIGRTMIN) {
                return 0; // a standard signal does not queue: the pending one stands for both
            }
            if (sig >= SIGRTMIN && queued >= SIGQUEUE_MAX) {
                if (code != SI_USER) {
                    return EAGAIN;
                }
                if (already) {
                    return 0; // kill's instance merges with the pending one, as Linux's
                }
            }
            pending.add(new siginfo_t(sig, code, pid));
            if (chosen == null) {
                return 0; // blocked everywhere: pending until a thread unblocks or sigwaits
            }
            if (!waited && action == null && (DEFAULT_NOTHING & bit(sig)) == 0) {
                terminate(sig);
            }
            chosen.signalBit(true);
        }
        Backends.futex().interrupt(chosen);
        return 0;
    }

    /** Whether {@code t} takes {@code sig} now: it does not block it, or waits for it. */
    private static boolean takes(Tcb t, int sig) {
        return !t.exiting() && (mask(t) & ~waitSet(t) & bit(sig)) == 0;
    }

    /** The thread a process signal goes to: a sigwaiter, else {@code preferred}, else any that takes it. */
    private static Tcb choose(int sig, Tcb preferred) {
        Tcb[] found = {null};
        Tcb.forEachLive(t -> {
            if ((waitSet(t) & bit(sig)) != 0 && takes(t, sig)) {
                found[0] = t;
            }
        });
        if (found[0] != null) {
            return found[0];
        }
        if (preferred != null && takes(preferred, sig)) {
            return preferred;
        }
        Tcb.forEachLive(t -> {
            if (found[0] == null && takes(t, sig)) {
                found[0] = t;
            }
        });
        return found[0];
    }

    private static boolean ignored(int sig, Action action) {
        return action == null ? (DEFAULT_NOTHING & bit(sig)) != 0 : action.handler == Pthreads.SIG_IGN;
    }

    /** A thread's state, made on first use; under the lock. */
    private static ThreadState state(Tcb t) {
        if (t.signals() == null) {
            t.signals(new ThreadState());
        }
        return (ThreadState) t.signals();
    }

    /** A thread's mask; under the lock. */
    private static long mask(Tcb t) {
        return t.signals() instanceof ThreadState state ? state.mask : 0;
    }

    /** The signals a thread waits for in sigwait; under the lock. */
    private static long waitSet(Tcb t) {
        return t.signals() instanceof ThreadState state ? state.waitSet : 0;
    }

    /** Gives a thread about to be created its creator's mask. */
    static void inherit(Tcb child, Tcb creator) {
        synchronized (LOCK) {
            long mask = mask(creator);
            if (mask != 0) {
                state(child).mask = mask;
            }
        }
    }

    /** The default action that ends the process: the status a shell shows for a C program killed by sig. */
    private static void terminate(int sig) {
        System.out.flush();
        Runtime.getRuntime().halt(128 + sig);
    }

    // ---- delivering ---------------------------------------------------------------------

    /**
     * Runs the actions of every signal pending for {@code self} that it does not block
     * (step 2 of the protocol).
     *
     * @return {@link Cancellation#NO_HANDLER}, {@link Cancellation#RESTART} or
     *         {@link Cancellation#NO_RESTART}
     */
    static int deliver(Tcb self) {
        int ran = Cancellation.NO_HANDLER;
        for (;;) {
            siginfo_t info;
            Action action;
            long saved;
            synchronized (LOCK) {
                self.signalBit(false);
                info = take(self, ~mask(self));
                if (info == null) {
                    return ran;
                }
                action = ACTIONS[info.si_signo];
                if (action == null) {
                    if ((DEFAULT_NOTHING & bit(info.si_signo)) == 0) {
                        terminate(info.si_signo);
                    }
                    continue;
                }
                if (action.handler == Pthreads.SIG_IGN) {
                    continue;
                }
                saved = mask(self);
                long during = saved | action.mask | ((action.flags & SA_NODEFER) != 0 ? 0 : bit(info.si_signo));
                state(self).mask = during & ~UNCATCHABLE;
                if ((action.flags & SA_RESETHAND) != 0) {
                    ACTIONS[info.si_signo] = null;
                }
            }
            try {
                if (action.sigaction != null) {
                    action.sigaction.handle(info.si_signo, info, null);
                } else {
                    action.handler.handle(info.si_signo);
                }
            } finally {
                setMask(self, saved);
            }
            ran = Math.max(ran, (action.flags & SA_RESTART) != 0 ? Cancellation.RESTART : Cancellation.NO_RESTART);
        }
    }

    /** Takes the lowest pending signal of {@code set}, the thread's own first; under the lock. */
    private static siginfo_t take(Tcb self, long set) {
        ThreadState state = (ThreadState) self.signals();
        siginfo_t info = state == null || state.pending == null ? null : state.pending.take(set);
        return info != null ? info : PROCESS.take(set);
    }

    /** A thread that ends gives the process signals chosen for it to another (step 6). */
    static void passOn(Tcb gone) {
        synchronized (LOCK) {
            gone.signalBit(false);
            retarget(PROCESS.bits);
        }
    }

    /** Chooses a thread for each process signal in {@code sigs} and wakes it; under the lock. */
    private static void retarget(long sigs) {
        for (int sig = 1; sig < NSIG; sig++) {
            if ((sigs & bit(sig)) != 0) {
                Tcb t = choose(sig, null);
                if (t != null) {
                    t.signalBit(true);
                    Backends.futex().interrupt(t);
                }
            }
        }
    }

    // ---- masks --------------------------------------------------------------------------

    /** Sets the caller's mask ({@code how}: 0 block, 1 unblock, 2 set); stores the old one. */
    static int sigmask(int how, sigset_t set, sigset_t oldset) {
        if (set != null && (how < 0 || how > 2)) {
            return EINVAL;
        }
        Tcb self = Tcb.current();
        long old;
        synchronized (LOCK) {
            old = mask(self);
        }
        if (set != null) {
            long mask = switch (how) {
                case 0 -> old | set.bits;
                case 1 -> old & ~set.bits;
                default -> set.bits;
            };
            setMask(self, mask);
            deliver(self);
        }
        if (oldset != null) {
            oldset.bits = old;
        }
        return 0;
    }

    /** Sets the mask (less what nobody may block) and retargets newly blocked process signals. */
    private static void setMask(Tcb self, long mask) {
        mask &= ~UNCATCHABLE & VALID;
        if (mask != 0) {
            Tcb.masksInUse = true;
        }
        synchronized (LOCK) {
            long blocked = mask & ~mask(self);
            if (mask != 0 || self.signals() != null) {
                state(self).mask = mask;
            }
            if ((blocked & PROCESS.bits) != 0) {
                retarget(blocked & PROCESS.bits);
            }
        }
    }

    /** The signals pending for the caller: its own and the process's. */
    static long pending() {
        Tcb self = Tcb.current();
        synchronized (LOCK) {
            ThreadState state = (ThreadState) self.signals();
            return PROCESS.bits | (state == null || state.pending == null ? 0 : state.pending.bits);
        }
    }

    // ---- dispositions -------------------------------------------------------------------

    /** {@code sigaction}: 0 or EINVAL. */
    static int action(int sig, sigaction act, sigaction oact) {
        if (!valid(sig) || (act != null && (UNCATCHABLE & bit(sig)) != 0)) {
            return EINVAL;
        }
        if (act != null && (act.sa_mask == null
                || ((act.sa_flags & SA_SIGINFO) != 0 ? act.sa_sigaction == null : act.sa_handler == null))) {
            return EINVAL;
        }
        synchronized (LOCK) {
            Action old = ACTIONS[sig];
            if (oact != null) {
                oact.sa_handler = old == null ? Pthreads.SIG_DFL : old.handler;
                oact.sa_sigaction = old == null ? null : old.sigaction;
                oact.sa_mask = new sigset_t();
                oact.sa_mask.bits = old == null ? 0 : old.mask;
                oact.sa_flags = old == null ? 0 : old.flags;
            }
            if (act != null) {
                boolean info = (act.sa_flags & SA_SIGINFO) != 0;
                ACTIONS[sig] = !info && act.sa_handler == Pthreads.SIG_DFL ? null
                        : new Action(info ? null : act.sa_handler, info ? act.sa_sigaction : null,
                                act.sa_mask.bits & VALID, act.sa_flags);
                if (ignored(sig, ACTIONS[sig])) {
                    discard(sig); // POSIX: setting SIG_IGN discards a pending signal
                }
            }
        }
        return 0;
    }

    /** Drops pending instances of {@code sig} everywhere; under the lock. */
    private static void discard(int sig) {
        PROCESS.drop(sig);
        Tcb.forEachLive(t -> {
            if (t.signals() instanceof ThreadState state && state.pending != null) {
                state.pending.drop(sig);
            }
        });
    }

    // ---- waiting ------------------------------------------------------------------------

    /**
     * sigwait, sigwaitinfo and sigtimedwait: waits for a signal of {@code set}, relative
     * timeout {@code nanos} (negative: none).
     *
     * @param eintr whether a handler that ran ends the wait with EINTR (sigwaitinfo,
     *        sigtimedwait); sigwait waits on
     * @return the signal taken, or minus EAGAIN (the timeout passed) or minus EINTR
     */
    static int await(long set, long nanos, siginfo_t info, boolean eintr) {
        set &= ~UNCATCHABLE & VALID;
        Cancellation cancellation = Threads.CANCELLATION;
        Tcb point = cancellation.point();
        Tcb self = point != null ? point : Tcb.current(); // a sigwait while unwinding still ends
        long deadline = nanos < 0 ? 0 : System.nanoTime() + Math.min(nanos, Long.MAX_VALUE / 4);
        for (;;) {
            siginfo_t taken;
            synchronized (LOCK) {
                taken = take(self, set);
                if (taken == null) {
                    state(self).waitSet = set;
                }
            }
            if (taken == null) {
                if (nanos >= 0 && deadline - System.nanoTime() <= 0) {
                    synchronized (LOCK) {
                        state(self).waitSet = 0;
                    }
                    return -EAGAIN;
                }
                int r = Backends.futex().wait(self.sleepWord(), 0,
                        nanos < 0 ? Futex.CLOCK_NONE : Futex.CLOCK_MONOTONIC,
                        Math.floorDiv(deadline, 1_000_000_000L), Math.floorMod(deadline, 1_000_000_000L), self);
                synchronized (LOCK) {
                    state(self).waitSet = 0;
                    taken = take(self, set);
                }
                if (taken == null) {
                    if (r == Futex.CANCELED) {
                        cancellation.act(self);
                    }
                    if (r == Futex.INTERRUPTED && deliver(self) != Cancellation.NO_HANDLER && eintr) {
                        return -EINTR;
                    }
                    continue;
                }
            }
            if (info != null) {
                taken.copyTo(info);
            }
            return taken.si_signo;
        }
    }

    // ---- per-thread state and pending sets ----------------------------------------------

    /** A thread's signal state; every field guarded by LOCK. */
    private static final class ThreadState {
        long mask;
        long waitSet;
        private Pending pending;

        Pending pending() {
            if (pending == null) {
                pending = new Pending();
            }
            return pending;
        }
    }

    /** Pending signals: a bit per signal with an instance, and the instances in order. */
    private static final class Pending {
        long bits;
        private final ArrayDeque<siginfo_t> queue = new ArrayDeque<>(2);

        /** Adds an instance; the sender has checked that it may (see {@link #send}). */
        void add(siginfo_t info) {
            if (info.si_signo >= SIGRTMIN) {
                queued++;
            }
            queue.addLast(info);
            bits |= bit(info.si_signo);
        }

        /** Removes and returns the oldest instance of the lowest signal of {@code set}, or null. */
        siginfo_t take(long set) {
            long ready = bits & set;
            if (ready == 0) {
                return null;
            }
            int sig = Long.numberOfTrailingZeros(ready) + 1;
            siginfo_t taken = null;
            boolean more = false;
            for (Iterator<siginfo_t> it = queue.iterator(); it.hasNext(); ) {
                siginfo_t i = it.next();
                if (i.si_signo == sig) {
                    if (taken == null) {
                        taken = i;
                        it.remove();
                    } else {
                        more = true;
                        break;
                    }
                }
            }
            if (!more) {
                bits &= ~bit(sig);
            }
            if (sig >= SIGRTMIN) {
                queued--;
            }
            return taken;
        }

        void drop(int sig) {
            while ((bits & bit(sig)) != 0) {
                take(bit(sig));
            }
        }
    }

    // ---- real signals -------------------------------------------------------------------

    /**
     * Forwards real SIGUSR1 and SIGUSR2 (sent by {@code kill} from outside) into the
     * emulation, as a {@code kill} to this process with si_pid 0, through the JDK's
     * {@code sun.misc.Signal}: the JVM runs the forwarder on a thread of its own, so no
     * pthread is interrupted at an arbitrary instruction. A JVM that keeps one of them for
     * itself refuses it (IllegalArgumentException); that one is not forwarded. Before the
     * first signal call a real SIGUSR1 ends the process, as it ends a C program.
     */
    private static void forwardRealSignals() {
        for (String name : new String[] {"USR1", "USR2"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> send(null, s.getNumber(), SI_USER, 0, null));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // the JVM keeps this signal
            }
        }
    }

    /** RLIMIT_SIGPENDING's soft limit from /proc/self/limits; 4096 where it cannot be read. */
    private static int sigpendingLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max pending signals")) {
                    String soft = line.substring("Max pending signals".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? Integer.MAX_VALUE : Integer.parseInt(soft);
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux's procfs
        }
        return 4096;
    }
}
