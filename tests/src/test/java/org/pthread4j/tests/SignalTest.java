package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.tests.TestSupport.*;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pthread4j.*;

/**
 * Signals, the in-process emulation: sets, masks, pending sets, handlers (sigaction(2),
 * pthread_sigmask(3), pthread_kill(3), raise(3), kill(2), sigwait(3), sigtimedwait(2)), and
 * what a signal does to a thread blocked in an interruptible wait. Each test runs its
 * signals inside pthreads of its own, and its handlers go back to SIG_DFL after it; a
 * process-directed signal (kill) is sent only where the test knows which thread takes it
 * (a sigwaiter asleep in sigwait, or the caller), since the test JVM has threads that block
 * nothing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SignalTest {

    /** Signals whose handlers the tests install; reset after each test. */
    private static final int[] USED = {SIGUSR1, SIGUSR2, SIGRTMIN, SIGRTMIN + 1, SIGINT, SIGHUP};

    @AfterEach
    void defaults() {
        for (int sig : USED) {
            assertEquals(0, sigaction(sig, new sigaction(), null));
        }
    }

    /** Installs {@code handler} for {@code sig} with {@code flags}. */
    private static void handle(int sig, SignalHandler handler, int flags) {
        sigaction act = new sigaction();
        act.sa_handler = handler;
        act.sa_flags = flags;
        assertEquals(0, sigaction(sig, act, null));
    }

    private static sigset_t setOf(int... sigs) {
        sigset_t set = new sigset_t();
        assertEquals(0, sigemptyset(set));
        for (int sig : sigs) {
            assertEquals(0, sigaddset(set, sig));
        }
        return set;
    }

    /** Runs {@code body} in a new pthread and returns what it returned (or rethrows its failure). */
    private static Object inPthread(StartRoutine body) {
        Object r = join(start(body));
        if (r instanceof Error e) {
            throw e;
        }
        if (r instanceof RuntimeException e) {
            throw e;
        }
        return r;
    }

    /** Signal sets: empty, fill, add, delete, member, and the numbers glibc refuses (sigsetops(3)). */
    @Test
    void setOperations() {
        sigset_t set = new sigset_t();
        assertEquals(0, sigemptyset(set));
        assertEquals(0, sigismember(set, SIGINT));
        assertEquals(0, sigaddset(set, SIGINT));
        assertEquals(0, sigaddset(set, SIGRTMAX));
        assertEquals(1, sigismember(set, SIGINT));
        assertEquals(1, sigismember(set, SIGRTMAX));
        assertEquals(0, sigdelset(set, SIGINT));
        assertEquals(0, sigismember(set, SIGINT));
        assertEquals(0, sigfillset(set));
        assertEquals(1, sigismember(set, SIGKILL));
        assertEquals(0, sigismember(set, 32), "glibc's own signals are not in a filled set");
        assertEquals(0, sigismember(set, 33));
        for (int bad : new int[] {0, -1, 65, 32, 33}) {
            errno(0);
            assertEquals(-1, sigaddset(set, bad), "sigaddset " + bad);
            assertEquals(EINVAL, errno());
            assertEquals(-1, sigdelset(set, bad), "sigdelset " + bad);
        }
        assertEquals(-1, sigismember(set, 65));
        assertEquals(-1, sigemptyset(null));
        assertEquals(EINVAL, errno());
        assertEquals(34, SIGRTMIN);
        assertEquals(64, SIGRTMAX);
        assertEquals(10, SIGUSR1);
        assertEquals(12, SIGUSR2);
    }

    /** Invalid signals and arguments: EINVAL from every call that takes them, as glibc answers. */
    @Test
    void invalidArgumentsAreEinval() {
        assertEquals(EINVAL, pthread_kill(pthread_self(), 65));
        assertEquals(EINVAL, pthread_kill(pthread_self(), -1));
        assertEquals(EINVAL, pthread_kill(pthread_self(), 32));
        assertEquals(EINVAL, pthread_kill(null, SIGUSR1));
        errno(0);
        assertEquals(-1, raise(65));
        assertEquals(EINVAL, errno());
        assertEquals(-1, kill((int) ProcessHandle.current().pid(), 33));
        assertEquals(EINVAL, errno());
        sigaction ign = new sigaction();
        ign.sa_handler = SIG_IGN;
        assertEquals(-1, sigaction(SIGKILL, ign, null));
        assertEquals(-1, sigaction(SIGSTOP, ign, null));
        assertEquals(-1, sigaction(0, ign, null));
        assertEquals(-1, sigaction(32, ign, null));
        assertEquals(EINVAL, errno());
        assertSame(SIG_ERR, signal(SIGKILL, SIG_IGN));
        assertEquals(EINVAL, pthread_sigmask(7, setOf(SIGUSR1), null));
        assertEquals(0, pthread_sigmask(7, null, new sigset_t()), "how is looked at only with a set");
        assertEquals(-1, sigprocmask(-1, setOf(SIGUSR1), null));
        assertEquals(EINVAL, errno());
        assertEquals(-1, sigtimedwait(setOf(SIGUSR1), null, new timespec(0, 1_000_000_000L)));
        assertEquals(EINVAL, errno());
        assertEquals(-1, sigtimedwait(setOf(SIGUSR1), null, new timespec(-1, 0)));
        assertEquals(EINVAL, sigwait(null, new int[1]));
    }

    /**
     * pthread_kill with signal 0 checks existence: 0 for a living thread and (as glibc 2.34+)
     * for one that ended but is not joined; ESRCH once joined or never created.
     */
    @Test
    void pthreadKillZeroChecksExistence() {
        sem_t go = semaphore(0);
        pthread_t t = start(arg -> {
            sem_wait(go);
            return null;
        });
        assertEquals(0, pthread_kill(t, 0));
        assertEquals(0, sem_post(go));
        assertEquals(0, joinWithin(t, null, WAIT_SECONDS));
        assertEquals(ESRCH, pthread_kill(t, 0));
        assertEquals(ESRCH, pthread_kill(t, SIGUSR1));
        assertEquals(ESRCH, pthread_kill(new pthread_t(), 0));
    }

    /** A thread that has ended but is not joined takes no signal, and pthread_kill answers 0 (glibc 2.36). */
    @Test
    void endedThreadTakesNothing() {
        AtomicInteger ran = new AtomicInteger();
        handle(SIGUSR1, sig -> ran.incrementAndGet(), 0);
        AtomicBoolean done = new AtomicBoolean();
        pthread_t t = start(arg -> {
            done.set(true);
            return null;
        });
        await(done::get, "the thread ran");
        pause(20);
        assertEquals(0, pthread_kill(t, SIGUSR1));
        join(t);
        assertEquals(0, ran.get());
    }

    /**
     * raise runs the handler in the caller before it returns (raise(3)); SA_SIGINFO passes
     * si_signo and si_code SI_TKILL; the signal is blocked while its handler runs.
     */
    @Test
    void raiseRunsTheHandlerBeforeReturning() {
        inPthread(arg -> {
            AtomicReference<Thread> ranOn = new AtomicReference<>();
            AtomicReference<siginfo_t> info = new AtomicReference<>();
            AtomicInteger blockedInside = new AtomicInteger(-1);
            sigaction act = new sigaction();
            act.sa_flags = SA_SIGINFO;
            act.sa_sigaction = (sig, si, uc) -> {
                ranOn.set(Thread.currentThread());
                info.set(si);
                sigset_t now = new sigset_t();
                pthread_sigmask(SIG_BLOCK, null, now);
                blockedInside.set(sigismember(now, sig));
            };
            assertEquals(0, sigaction(SIGUSR1, act, null));
            assertEquals(0, raise(SIGUSR1));
            assertSame(Thread.currentThread(), ranOn.get());
            assertEquals(SIGUSR1, info.get().si_signo);
            assertEquals(SI_TKILL, info.get().si_code);
            assertEquals(1, blockedInside.get(), "the signal is blocked inside its handler");
            sigset_t after = new sigset_t();
            pthread_sigmask(SIG_BLOCK, null, after);
            assertEquals(0, sigismember(after, SIGUSR1), "and unblocked after it");
            return null;
        });
    }

    /**
     * A blocked signal stays pending (sigpending) and its handler runs when the mask
     * unblocks it, before pthread_sigmask returns; a standard signal sent twice while blocked
     * runs once, a real-time one queues every instance.
     */
    @Test
    void pendingWhileBlockedDeliveredOnUnblock() {
        inPthread(arg -> {
            AtomicInteger usr2 = new AtomicInteger();
            AtomicInteger rt = new AtomicInteger();
            handle(SIGUSR2, sig -> usr2.incrementAndGet(), 0);
            handle(SIGRTMIN, sig -> rt.incrementAndGet(), 0);
            sigset_t both = setOf(SIGUSR2, SIGRTMIN);
            assertEquals(0, pthread_sigmask(SIG_BLOCK, both, null));
            assertEquals(0, raise(SIGUSR2));
            assertEquals(0, raise(SIGUSR2));
            for (int i = 0; i < 3; i++) {
                assertEquals(0, pthread_kill(pthread_self(), SIGRTMIN));
            }
            pthread_testcancel();
            assertEquals(0, usr2.get(), "blocked: not delivered");
            assertEquals(0, rt.get());
            sigset_t pending = new sigset_t();
            assertEquals(0, sigpending(pending));
            assertEquals(1, sigismember(pending, SIGUSR2));
            assertEquals(1, sigismember(pending, SIGRTMIN));
            assertEquals(0, pthread_sigmask(SIG_UNBLOCK, both, null));
            assertEquals(1, usr2.get(), "a standard signal does not queue");
            assertEquals(3, rt.get(), "a real-time signal queues");
            assertEquals(0, sigpending(pending));
            assertEquals(0, sigismember(pending, SIGUSR2));
            return null;
        });
    }

    /** SIG_IGN discards a signal sent while not blocked, and one pending when SIG_IGN is set. */
    @Test
    void ignoredSignalsAreDiscarded() {
        inPthread(arg -> {
            handle(SIGUSR1, SIG_IGN, 0);
            assertEquals(0, raise(SIGUSR1));
            AtomicInteger ran = new AtomicInteger();
            handle(SIGUSR1, sig -> ran.incrementAndGet(), 0);
            assertEquals(0, pthread_sigmask(SIG_BLOCK, setOf(SIGUSR1), null));
            assertEquals(0, raise(SIGUSR1));
            handle(SIGUSR1, SIG_IGN, 0);
            sigset_t pending = new sigset_t();
            sigpending(pending);
            assertEquals(0, sigismember(pending, SIGUSR1), "setting SIG_IGN discards the pending one");
            handle(SIGUSR1, sig -> ran.incrementAndGet(), 0);
            assertEquals(0, pthread_sigmask(SIG_UNBLOCK, setOf(SIGUSR1), null));
            assertEquals(0, ran.get());
            return null;
        });
    }

    /** pthread_create gives the new thread its creator's mask (pthread_create(3p)). */
    @Test
    void maskIsInherited() {
        inPthread(arg -> {
            assertEquals(0, pthread_sigmask(SIG_BLOCK, setOf(SIGUSR1, SIGRTMIN + 1), null));
            sigset_t seen = new sigset_t();
            join(start(a -> pthread_sigmask(SIG_BLOCK, null, seen)));
            assertEquals(1, sigismember(seen, SIGUSR1));
            assertEquals(1, sigismember(seen, SIGRTMIN + 1));
            assertEquals(0, sigismember(seen, SIGUSR2));
            sigset_t kill = setOf(SIGKILL, SIGSTOP);
            assertEquals(0, pthread_sigmask(SIG_BLOCK, kill, null));
            sigset_t now = new sigset_t();
            pthread_sigmask(SIG_BLOCK, null, now);
            assertEquals(0, sigismember(now, SIGKILL), "SIGKILL is never blocked");
            assertEquals(0, sigismember(now, SIGSTOP));
            return null;
        });
    }

    /**
     * A thread blocked in pthread_cond_wait runs the handler inside the wait and waits on
     * (its predicate still false), and the signal that finally comes still wakes it.
     */
    @Test
    void condWaitRunsHandlerAndResumes() {
        Queue<Thread> ranOn = new ConcurrentLinkedQueue<>();
        handle(SIGUSR1, sig -> ranOn.add(Thread.currentThread()), SA_RESTART);
        pthread_mutex_t m = new pthread_mutex_t();
        pthread_cond_t c = new pthread_cond_t();
        boolean[] ready = {false};
        AtomicReference<Thread> waiterThread = new AtomicReference<>();
        AtomicInteger tid = new AtomicInteger();
        AtomicInteger returns = new AtomicInteger();
        pthread_t waiter = start(arg -> {
            tid.set(gettid());
            waiterThread.set(Thread.currentThread());
            pthread_mutex_lock(m);
            while (!ready[0]) {
                assertEquals(0, pthread_cond_wait(c, m));
                returns.incrementAndGet();
            }
            pthread_mutex_unlock(m);
            return null;
        });
        await(() -> waiterThread.get() != null, "the waiter started");
        awaitAsleep(waiterThread.get(), tid.get());
        assertEquals(0, pthread_kill(waiter, SIGUSR1));
        await(() -> !ranOn.isEmpty(), "the handler ran");
        assertSame(waiterThread.get(), ranOn.peek(), "in the waiting thread");
        awaitAsleep(waiterThread.get(), tid.get());
        pthread_mutex_lock(m);
        ready[0] = true;
        pthread_cond_signal(c);
        pthread_mutex_unlock(m);
        join(waiter);
        assertTrue(returns.get() >= 1);
    }

    /**
     * A waiter that a signal interrupts never absorbs a wake-up (the Futex rule, as for
     * cancellation): two threads in sem_wait, one post, and the first thread's handler ends it
     * with pthread_exit at the same time; the unit reaches the other thread whenever the
     * exiting one did not take it.
     */
    @Test
    void interruptedWaiterNeverAbsorbsAWakeUp() {
        AtomicReference<Thread> victim = new AtomicReference<>();
        handle(SIGUSR1, sig -> {
            if (Thread.currentThread() == victim.get()) {
                pthread_exit("interrupted");
            }
        }, SA_RESTART);
        for (int round = 0; round < 40; round++) {
            sem_t s = semaphore(0);
            AtomicBoolean firstTook = new AtomicBoolean();
            AtomicInteger tid1 = new AtomicInteger();
            AtomicInteger tid2 = new AtomicInteger();
            AtomicReference<Thread> other = new AtomicReference<>();
            pthread_t t1 = start(arg -> {
                tid1.set(gettid());
                victim.set(Thread.currentThread());
                firstTook.set(sem_wait(s) == 0);
                return null;
            });
            pthread_t t2 = start(arg -> {
                tid2.set(gettid());
                other.set(Thread.currentThread());
                return sem_wait(s);
            });
            await(() -> victim.get() != null && other.get() != null, "both started");
            awaitAsleep(victim.get(), tid1.get());
            awaitAsleep(other.get(), tid2.get());
            if (round % 2 == 0) {
                sem_post(s);
                pthread_kill(t1, SIGUSR1);
            } else {
                pthread_kill(t1, SIGUSR1);
                sem_post(s);
            }
            Object[] ret = new Object[1];
            assertEquals(0, joinWithin(t1, ret, WAIT_SECONDS));
            if (firstTook.get()) {
                sem_post(s); // t1 took the unit before its handler ran: one more for t2
            } else {
                assertEquals("interrupted", ret[0]);
            }
            // t2 takes the unit left for it: a wake-up absorbed by t1 would leave it asleep
            assertEquals(0, joinWithin(t2, ret, WAIT_SECONDS), "round " + round + ": the wake-up was lost");
            assertEquals(0, ret[0]);
            int[] value = new int[1];
            sem_getvalue(s, value);
            assertEquals(0, value[0], "round " + round + ": every unit taken once");
            victim.set(null);
        }
    }

    /**
     * sem_wait fails with EINTR when a handler without SA_RESTART ran, and waits on after one
     * with SA_RESTART (sem_wait(3), signal(7)); nanosleep fails with EINTR and stores the time
     * left either way.
     */
    @Test
    void eintrRules() {
        AtomicInteger ran = new AtomicInteger();
        for (int flags : new int[] {0, SA_RESTART}) {
            handle(SIGUSR2, sig -> ran.incrementAndGet(), flags);
            sem_t s = semaphore(0);
            AtomicInteger result = new AtomicInteger(1);
            AtomicInteger err = new AtomicInteger();
            AtomicReference<Thread> thread = new AtomicReference<>();
            AtomicInteger tid = new AtomicInteger();
            pthread_t t = start(arg -> {
                tid.set(gettid());
                thread.set(Thread.currentThread());
                int r = sem_wait(s);
                err.set(errno());
                result.set(r);
                return null;
            });
            await(() -> thread.get() != null, "started");
            awaitAsleep(thread.get(), tid.get());
            int before = ran.get();
            assertEquals(0, pthread_kill(t, SIGUSR2));
            await(() -> ran.get() == before + 1, "the handler ran");
            if (flags == 0) {
                join(t);
                assertEquals(-1, result.get());
                assertEquals(EINTR, err.get());
            } else {
                awaitAsleep(thread.get(), tid.get());
                assertEquals(1, result.get(), "SA_RESTART: still waiting");
                sem_post(s);
                join(t);
                assertEquals(0, result.get());
            }
        }
        handle(SIGUSR2, sig -> ran.incrementAndGet(), SA_RESTART);
        AtomicReference<Thread> thread = new AtomicReference<>();
        AtomicInteger tid = new AtomicInteger();
        timespec rem = new timespec();
        AtomicInteger result = new AtomicInteger(1);
        AtomicInteger err = new AtomicInteger();
        pthread_t t = start(arg -> {
            tid.set(gettid());
            thread.set(Thread.currentThread());
            result.set(nanosleep(new timespec(WAIT_SECONDS * 3, 0), rem));
            err.set(errno());
            return null;
        });
        await(() -> thread.get() != null, "started");
        awaitAsleep(thread.get(), tid.get());
        assertEquals(0, pthread_kill(t, SIGUSR2));
        assertEquals(0, joinWithin(t, null, WAIT_SECONDS));
        assertEquals(-1, result.get());
        assertEquals(EINTR, err.get());
        assertTrue(rem.tv_sec > 0 && rem.tv_sec <= WAIT_SECONDS * 3, "time left " + rem);
    }

    /**
     * A cancel that arrives while cancellation is disabled is held: the thread's wait goes on
     * sleeping (no busy loop on the non-zero interrupt word), a signal still interrupts it,
     * and the cancel acts once cancellation is enabled again.
     */
    @Test
    void heldCancelLeavesWaitsToSignals() {
        AtomicInteger ran = new AtomicInteger();
        handle(SIGUSR1, sig -> ran.incrementAndGet(), 0);
        sem_t s = semaphore(0);
        AtomicReference<Thread> thread = new AtomicReference<>();
        AtomicInteger tid = new AtomicInteger();
        AtomicInteger first = new AtomicInteger(1);
        AtomicInteger firstErrno = new AtomicInteger();
        AtomicInteger second = new AtomicInteger(1);
        AtomicBoolean inSecond = new AtomicBoolean();
        pthread_t t = start(arg -> {
            pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, null);
            tid.set(gettid());
            thread.set(Thread.currentThread());
            first.set(sem_wait(s));
            firstErrno.set(errno());
            inSecond.set(true);
            second.set(sem_wait(s));
            pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, null);
            pthread_testcancel();
            return "not cancelled";
        });
        await(() -> thread.get() != null, "started");
        awaitAsleep(thread.get(), tid.get());
        assertEquals(0, pthread_cancel(t));
        pause(20);
        awaitAsleep(thread.get(), tid.get());
        assertEquals(1, first.get(), "the held cancel does not end the wait");
        assertEquals(0, pthread_kill(t, SIGUSR1));
        await(inSecond::get, "the signal ended the first wait");
        assertEquals(-1, first.get());
        assertEquals(EINTR, firstErrno.get());
        assertEquals(1, ran.get());
        awaitAsleep(thread.get(), tid.get());
        assertEquals(0, sem_post(s));
        Object[] ret = new Object[1];
        assertEquals(0, joinWithin(t, ret, WAIT_SECONDS));
        assertEquals(0, second.get());
        assertSame(PTHREAD_CANCELED, ret[0]);
    }

    /** A join interrupted by a signal runs the handler and goes on waiting; it returns 0 (no pthread function returns EINTR). */
    @Test
    void joinRunsHandlerAndResumes() {
        AtomicInteger ran = new AtomicInteger();
        handle(SIGUSR1, sig -> ran.incrementAndGet(), 0);
        sem_t release = semaphore(0);
        pthread_t target = start(arg -> {
            sem_wait(release);
            return "done";
        });
        AtomicReference<Thread> joiner = new AtomicReference<>();
        AtomicInteger tid = new AtomicInteger();
        AtomicInteger result = new AtomicInteger(-1);
        AtomicReference<Object> value = new AtomicReference<>();
        pthread_t j = start(arg -> {
            tid.set(gettid());
            joiner.set(Thread.currentThread());
            Object[] ret = new Object[1];
            result.set(pthread_join(target, ret));
            value.set(ret[0]);
            return null;
        });
        await(() -> joiner.get() != null, "started");
        awaitAsleep(joiner.get(), tid.get());
        assertEquals(0, pthread_kill(j, SIGUSR1));
        await(() -> ran.get() == 1, "the handler ran");
        assertEquals(-1, result.get(), "the join waits on");
        sem_post(release);
        join(j);
        assertEquals(0, result.get());
        assertEquals("done", value.get());
    }

    /**
     * sigtimedwait takes a pending blocked signal at once, returns -1 with EAGAIN when none
     * comes in time, and -1 with EINTR when a handler of another signal runs.
     */
    @Test
    void sigtimedwaitTakesTimesOutAndIsInterrupted() {
        inPthread(arg -> {
            sigset_t usr1 = setOf(SIGUSR1);
            assertEquals(0, pthread_sigmask(SIG_BLOCK, usr1, null));
            assertEquals(0, raise(SIGUSR1));
            siginfo_t info = new siginfo_t();
            assertEquals(SIGUSR1, sigtimedwait(usr1, info, new timespec(0, 0)));
            assertEquals(SI_TKILL, info.si_code);
            assertEquals(ProcessHandle.current().pid(), info.si_pid);
            errno(0);
            assertEquals(-1, sigtimedwait(usr1, null, new timespec(0, 20_000_000)));
            assertEquals(EAGAIN, errno());
            sigset_t pending = new sigset_t();
            sigpending(pending);
            assertEquals(0, sigismember(pending, SIGUSR1), "consumed");
            return null;
        });
        AtomicInteger ran = new AtomicInteger();
        handle(SIGUSR2, sig -> ran.incrementAndGet(), SA_RESTART);
        AtomicReference<Thread> thread = new AtomicReference<>();
        AtomicInteger tid = new AtomicInteger();
        AtomicInteger result = new AtomicInteger(1);
        AtomicInteger err = new AtomicInteger();
        pthread_t t = start(arg -> {
            pthread_sigmask(SIG_BLOCK, setOf(SIGUSR1), null);
            tid.set(gettid());
            thread.set(Thread.currentThread());
            result.set(sigwaitinfo(setOf(SIGUSR1), null));
            err.set(errno());
            return null;
        });
        await(() -> thread.get() != null, "started");
        awaitAsleep(thread.get(), tid.get());
        assertEquals(0, pthread_kill(t, SIGUSR2));
        join(t);
        assertEquals(1, ran.get());
        assertEquals(-1, result.get());
        assertEquals(EINTR, err.get());
    }

    /**
     * Butenhof's pattern: every pthread blocks SIGINT and SIGUSR1 (inherited from the thread
     * that created them), one sigwaits for them; signals sent by other threads with
     * pthread_kill and kill reach it, in order, and no handler runs anywhere.
     */
    @Test
    void sigwaitThreadTakesSignalsBlockedEverywhere() {
        AtomicInteger handlers = new AtomicInteger();
        handle(SIGINT, sig -> handlers.incrementAndGet(), 0);
        handle(SIGUSR1, sig -> handlers.incrementAndGet(), 0);
        List<Integer> got = new java.util.concurrent.CopyOnWriteArrayList<>();
        inPthread(arg -> {
            sigset_t set = setOf(SIGINT, SIGUSR1);
            assertEquals(0, pthread_sigmask(SIG_BLOCK, set, null));
            AtomicReference<Thread> thread = new AtomicReference<>();
            AtomicInteger tid = new AtomicInteger();
            pthread_t waiter = start(a -> {
                tid.set(gettid());
                thread.set(Thread.currentThread());
                for (;;) {
                    int[] sig = new int[1];
                    assertEquals(0, sigwait(set, sig));
                    got.add(sig[0]);
                    if (sig[0] == SIGINT) {
                        return null;
                    }
                }
            });
            await(() -> thread.get() != null, "the sigwaiter started");
            for (int i = 0; i < 3; i++) {
                int before = got.size();
                awaitAsleep(thread.get(), tid.get());
                pthread_t sender = start(a -> pthread_kill(waiter, SIGUSR1));
                assertEquals(0, join(sender));
                await(() -> got.size() == before + 1, "the sigwaiter took SIGUSR1");
            }
            awaitAsleep(thread.get(), tid.get());
            int self = (int) ProcessHandle.current().pid();
            pthread_t sender = start(a -> kill(self, SIGINT));
            assertEquals(0, join(sender));
            join(waiter);
            return null;
        });
        assertEquals(List.of(SIGUSR1, SIGUSR1, SIGUSR1, SIGINT), got);
        assertEquals(0, handlers.get(), "no handler ran: the signals were blocked everywhere");
    }

    /** kill to this process with the caller not blocking the signal runs the handler in the caller before kill returns (kill(2)). */
    @Test
    void killDeliversToTheCallerFirst() {
        inPthread(arg -> {
            AtomicReference<Thread> ranOn = new AtomicReference<>();
            handle(SIGHUP, sig -> ranOn.set(Thread.currentThread()), 0);
            assertEquals(0, kill(0, SIGHUP));
            assertSame(Thread.currentThread(), ranOn.get());
            errno(0);
            assertEquals(-1, kill(1, SIGHUP), "no other process");
            assertEquals(EPERM, errno());
            assertEquals(0, kill((int) ProcessHandle.current().pid(), 0));
            return null;
        });
    }

    /** signal(3) installs a handler and returns the previous one. */
    @Test
    void signalReturnsThePreviousHandler() {
        SignalHandler h = sig -> { };
        assertSame(SIG_DFL, signal(SIGUSR2, h));
        assertSame(h, signal(SIGUSR2, SIG_DFL));
        sigaction old = new sigaction();
        assertEquals(0, sigaction(SIGUSR2, null, old));
        assertSame(SIG_DFL, old.sa_handler);
    }

    // ---- real signals and default actions, in a child JVM ----------------------------------

    /**
     * A real SIGUSR1 sent by kill(1) from outside reaches a sigwaiter of the emulation
     * (forwarded through sun.misc.Signal), with si_code SI_USER.
     */
    @Test
    void realSigusr1IsForwarded() throws Exception {
        Process p = new ProcessBuilder(childJvm(SignalChild.class, "sigwait")).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String ready = out.readLine();
            assertEquals("ready", ready);
            Process k = new ProcessBuilder("kill", "-USR1", Long.toString(p.pid())).start();
            assertTrue(k.waitFor(CHILD_SECONDS, TimeUnit.SECONDS));
            assertEquals(0, k.exitValue());
            assertTrue(p.waitFor(CHILD_SECONDS, TimeUnit.SECONDS), "the child ended");
            String rest = out.readLine();
            assertEquals("got 10 code 0", rest);
            assertEquals(0, p.exitValue());
        } finally {
            p.destroyForcibly();
        }
    }

    /** The default action of SIGTERM, sent with kill to the process itself, ends it with status 128 + 15, as a shell shows for C. */
    @Test
    void defaultActionEndsTheProcess() throws Exception {
        Child child = runChild(SignalChild.class, CHILD_SECONDS, "term");
        assertEquals(128 + SIGTERM, child.status(), child.output());
        assertFalse(child.output().contains("returned"), child.output());
        assertNotEquals(0, child.status());
    }
}
