package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.tests.TestSupport.*;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.pthread4j.*;
import org.pthread4j.gmp.GmpThreadModel;
import org.pthread4j.park.ParkingLot;
import org.pthread4j.spi.Futex;
import org.pthread4j.spi.Tcb;
import org.pthread4j.spi.Words;
import org.pthread4j.virtual.VirtualThreadModel;

/**
 * What a signalled or broadcast-woken condition waiter does while it waits for the mutex
 * (pthread_cond_wait(3p)): it has consumed the wake, so its deadline no longer makes it time
 * out, a cancel passes the signal on, and it returns holding the mutex whatever its kind.
 * A signal taken before the waiter has the mutex back runs its handler and loses no wake.
 * On the parking lot a signal moves the waiter onto the mutex instead of waking it (wait
 * morphing); these rules hold on every backend, and the last tests check the mechanism.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CondMorphTest {

    /** A waiter's deadline, and how long the signaller then keeps the mutex: well past it. */
    static final long DEADLINE_MS = 300;
    static final long HOLD_MS = 2 * DEADLINE_MS;

    /** One condition, its mutex, a predicate guarded by the mutex, and pthreads waiting. */
    static final class Waiters {
        final pthread_mutex_t m;
        final pthread_cond_t c = new pthread_cond_t();
        int tokens; // guarded by m
        int waiting; // guarded by m
        /** The Java thread of the waiter started last. */
        volatile Thread last;

        Waiters(pthread_mutex_t m) {
            this.m = m;
        }

        /**
         * Starts a waiter that takes one token (timed: waits until {@code deadlineMs} from
         * now) and returns once it is counted (it is then inside the wait as soon as the
         * caller gets the mutex) and, if untimed, sleeps in the wait. It ends with its last wait's result,
         * and its unlock's result added (so an unlock without the mutex shows).
         */
        pthread_t waiter(long deadlineMs) {
            AtomicReference<Thread> thread = new AtomicReference<>();
            AtomicInteger tid = new AtomicInteger();
            AtomicBoolean counted = new AtomicBoolean();
            pthread_t t = start(arg -> {
                thread.set(Thread.currentThread());
                tid.set(gettid());
                timespec deadline = realtimeIn(deadlineMs);
                int r = pthread_mutex_lock(m);
                if (r != 0) {
                    return r;
                }
                waiting++;
                counted.set(true);
                while (tokens == 0 && r == 0) {
                    r = deadlineMs > 0 ? pthread_cond_timedwait(c, m, deadline) : pthread_cond_wait(c, m);
                }
                waiting--;
                if (r == 0) {
                    tokens--;
                }
                return r + pthread_mutex_unlock(m);
            });
            await(() -> counted.get() && tid.get() != 0, "the waiter is counted");
            last = thread.get();
            if (deadlineMs == 0) {
                awaitAsleep(thread.get(), tid.get()); // a timed one may be gone already; see allWaiting
            }
            return t;
        }

        /** Whether all {@code n} waiters are still waiting (none has timed out yet); call holding {@link #m}. */
        boolean allWaiting(int n) {
            return waiting == n;
        }
    }

    /**
     * Runs {@code n} timed waiters, wakes them holding the mutex (a signal each, or one
     * broadcast) and keeps the mutex until well past their deadline: each must return 0.
     * Where the machine is so slow that a waiter timed out before all of them were waiting,
     * the round proves nothing and runs again with a deadline twice as long.
     */
    static void timedWaitersWokenThenHeld(int n, boolean broadcast) {
        for (long deadlineMs = DEADLINE_MS; ; deadlineMs *= 2) {
            Waiters w = new Waiters(new pthread_mutex_t());
            pthread_t[] t = new pthread_t[n];
            for (int i = 0; i < n; i++) {
                t[i] = w.waiter(deadlineMs);
            }
            assertEquals(0, pthread_mutex_lock(w.m));
            w.tokens = n;
            boolean valid = w.allWaiting(n);
            if (valid) {
                for (int i = 0; i < (broadcast ? 1 : n); i++) {
                    assertEquals(0, broadcast ? pthread_cond_broadcast(w.c) : pthread_cond_signal(w.c));
                }
                pause(2 * deadlineMs);
            } else {
                assertEquals(0, pthread_cond_broadcast(w.c)); // let the others go; try again
            }
            assertEquals(0, pthread_mutex_unlock(w.m));
            Object[] results = new Object[n];
            for (int i = 0; i < n; i++) {
                results[i] = join(t[i]);
            }
            if (valid) {
                for (int i = 0; i < n; i++) {
                    assertEquals(0, results[i], "waiter " + i + ": woken, then held off past its deadline by the mutex");
                }
                return;
            }
            assertTrue(deadlineMs < 5_000, "waiters kept timing out before they all waited");
        }
    }

    /**
     * A timed waiter signalled before its deadline returns 0, not ETIMEDOUT, even when the
     * signaller keeps the mutex until well past that deadline.
     */
    @Test
    void signalledTimedWaiterReturnsZeroPastItsDeadline() {
        timedWaitersWokenThenHeld(1, false);
    }

    /**
     * Timed waiters woken by one broadcast return 0, not ETIMEDOUT, when the broadcaster
     * keeps the mutex until well past their deadlines (the ones queued on the mutex too).
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 8})
    void broadcastTimedWaitersReturnZeroPastTheirDeadlines(int n) {
        timedWaitersWokenThenHeld(n, true);
    }

    /**
     * The oldest waiter is signalled and then cancelled before it gets the mutex back: it
     * unwinds holding the mutex (its cleanup handler's unlock of an ERRORCHECK mutex is 0),
     * and passes the signal on to the other waiter, which takes the token.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void signalledThenCancelledWaiterPassesTheSignalOn(boolean timed) {
        // Timed: where the machine is so slow that the first waiter timed out before the
        // signal, the round proves nothing and runs again with a deadline twice as long.
        for (long deadlineMs = DEADLINE_MS; !signalledThenCancelled(timed, deadlineMs); deadlineMs *= 2) {
            assertTrue(deadlineMs < 5_000, "the first waiter kept timing out before the signal");
        }
    }

    /** One round of the test above; false if the first waiter timed out before the signal. */
    private static boolean signalledThenCancelled(boolean timed, long deadlineMs) {
        Waiters w = new Waiters(MutexTest.mutex(PTHREAD_MUTEX_ERRORCHECK));
        AtomicInteger cleanupUnlock = new AtomicInteger(-1);
        AtomicReference<Thread> thread = new AtomicReference<>();
        AtomicInteger tid = new AtomicInteger();
        pthread_t first = start(arg -> {
            thread.set(Thread.currentThread());
            tid.set(gettid());
            timespec deadline = realtimeIn(deadlineMs);
            pthread_mutex_lock(w.m);
            pthread_cleanup_push(v -> cleanupUnlock.set(pthread_mutex_unlock(w.m)), null);
            w.waiting++;
            for (;;) {
                int r = timed ? pthread_cond_timedwait(w.c, w.m, deadline) : pthread_cond_wait(w.c, w.m);
                if (r != 0) {
                    w.waiting--;
                    pthread_cleanup_pop(1);
                    return r; // timed out before the signal: the round proves nothing
                }
            }
        });
        await(() -> {
            assertEquals(0, pthread_mutex_lock(w.m));
            int n = w.waiting;
            assertEquals(0, pthread_mutex_unlock(w.m));
            return thread.get() != null && (n > 0 || !thread.get().isAlive());
        }, "the first waiter waits (or, timed, has already timed out)");
        if (!timed) {
            awaitAsleep(thread.get(), tid.get()); // the oldest waiter
        }
        pthread_t second = w.waiter(0);
        assertEquals(0, pthread_mutex_lock(w.m));
        if (w.waiting < 2) {
            assertEquals(0, pthread_mutex_unlock(w.m));
            assertEquals(ETIMEDOUT, join(first));
            assertEquals(0, pthread_mutex_lock(w.m));
            w.tokens = 1;
            assertEquals(0, pthread_cond_signal(w.c));
            assertEquals(0, pthread_mutex_unlock(w.m));
            assertEquals(0, join(second));
            return false;
        }
        w.tokens = 1;
        assertEquals(0, pthread_cond_signal(w.c)); // the first waiter is the oldest
        assertEquals(0, pthread_cancel(first));
        if (timed) {
            pause(2 * deadlineMs); // past the first waiter's deadline
        }
        assertEquals(0, pthread_mutex_unlock(w.m));
        assertEquals(PTHREAD_CANCELED, join(first));
        assertEquals(0, cleanupUnlock.get(), "the cancelled waiter held the mutex in its cleanup handler");
        assertEquals(0, join(second), "the other waiter got the signal");
        assertEquals(0, w.tokens);
        return true;
    }

    /**
     * The oldest waiter is signalled, then sent a signal whose handler returns, before it gets
     * the mutex back: the handler runs in it, every wait returns 0 holding the mutex (an
     * unlock of the ERRORCHECK mutex is 0), and the token is taken, not lost. Where the
     * condition signal moved the waiter (the parking lot: every model but native, whose woken
     * waiter may already be waiting for the mutex, where no signal is taken), the move was its
     * wake: it takes the token, and the handler has run when its wait returns.
     */
    @Test
    void signalledThenInterruptedWaiterRunsTheHandlerAndKeepsTheWake() {
        AtomicReference<Thread> handledOn = new AtomicReference<>();
        handle(SIGUSR1, sig -> handledOn.compareAndSet(null, Thread.currentThread()));
        try {
            Waiters w = new Waiters(MutexTest.mutex(PTHREAD_MUTEX_ERRORCHECK));
            AtomicReference<Thread> thread = new AtomicReference<>();
            AtomicInteger tid = new AtomicInteger();
            AtomicBoolean handledBeforeReturn = new AtomicBoolean();
            AtomicBoolean tookTheFirstToken = new AtomicBoolean();
            int[] taken = {0}; // guarded by w.m
            pthread_t first = start(arg -> {
                thread.set(Thread.currentThread());
                tid.set(gettid());
                int bad = pthread_mutex_lock(w.m);
                w.waiting++;
                while (w.tokens == 0) {
                    bad |= pthread_cond_wait(w.c, w.m);
                    if (handledOn.get() == Thread.currentThread()) {
                        handledBeforeReturn.set(true);
                    }
                }
                w.waiting--;
                w.tokens--;
                tookTheFirstToken.set(taken[0]++ == 0);
                bad |= pthread_mutex_unlock(w.m);
                pthread_testcancel(); // a point: takes the signal if no wait did
                return bad;
            });
            await(() -> thread.get() != null && tid.get() != 0, "the first waiter started");
            awaitAsleep(thread.get(), tid.get());
            pthread_t second = w.waiter(0);
            assertEquals(0, pthread_mutex_lock(w.m));
            assertEquals(2, w.waiting);
            w.tokens = 1;
            assertEquals(0, pthread_cond_signal(w.c)); // the first waiter is the oldest
            assertEquals(0, pthread_kill(first, SIGUSR1));
            pause(50);
            assertEquals(0, pthread_mutex_unlock(w.m));
            await(() -> {
                assertEquals(0, pthread_mutex_lock(w.m));
                int left = w.tokens;
                assertEquals(0, pthread_mutex_unlock(w.m));
                return left == 0;
            }, "a waiter took the token");
            assertEquals(0, pthread_mutex_lock(w.m));
            w.tokens = 1;
            assertEquals(0, pthread_cond_broadcast(w.c)); // for the waiter that is left
            assertEquals(0, pthread_mutex_unlock(w.m));
            assertEquals(0, join(first));
            assertEquals(0, join(second));
            assertSame(thread.get(), handledOn.get(), "the handler ran in the interrupted waiter");
            if (!onNative()) {
                assertTrue(tookTheFirstToken.get(), "the moved waiter kept the wake of its move");
                assertTrue(handledBeforeReturn.get(), "the handler ran before pthread_cond_wait returned");
            }
        } finally {
            assertEquals(0, sigaction(SIGUSR1, new sigaction(), null));
        }
    }

    /**
     * The oldest waiter is signalled, then sent a signal whose handler ends it with
     * pthread_exit before it gets the mutex back: the condition signal it was given reaches
     * the other waiter, which takes the token (unless the first took it before its handler
     * ran, which native allows: its woken waiter takes no signal while it waits for the
     * mutex).
     */
    @Test
    void signalledWaiterEndedByItsHandlerPassesTheSignalOn() {
        AtomicReference<Thread> victim = new AtomicReference<>();
        handle(SIGUSR1, sig -> {
            if (Thread.currentThread() == victim.get()) {
                pthread_exit("interrupted");
            }
        });
        try {
            Waiters w = new Waiters(new pthread_mutex_t());
            AtomicInteger tid = new AtomicInteger();
            AtomicBoolean firstTook = new AtomicBoolean();
            pthread_t first = start(arg -> {
                tid.set(gettid());
                victim.set(Thread.currentThread());
                pthread_mutex_lock(w.m);
                w.waiting++;
                while (w.tokens == 0) {
                    pthread_cond_wait(w.c, w.m);
                }
                w.waiting--;
                w.tokens--;
                firstTook.set(true);
                pthread_mutex_unlock(w.m);
                pthread_testcancel(); // a point: takes the signal if no wait did
                return null;
            });
            await(() -> victim.get() != null && tid.get() != 0, "the first waiter started");
            awaitAsleep(victim.get(), tid.get());
            pthread_t second = w.waiter(0);
            assertEquals(0, pthread_mutex_lock(w.m));
            w.tokens = 1;
            assertEquals(0, pthread_cond_signal(w.c)); // the first waiter is the oldest
            assertEquals(0, pthread_kill(first, SIGUSR1));
            pause(50);
            assertEquals(0, pthread_mutex_unlock(w.m));
            assertEquals("interrupted", join(first));
            if (firstTook.get()) {
                assertTrue(onNative(), "the moved waiter took the token before its handler ran");
                assertEquals(0, pthread_mutex_lock(w.m));
                w.tokens = 1; // one more for the second waiter
                assertEquals(0, pthread_cond_signal(w.c));
                assertEquals(0, pthread_mutex_unlock(w.m));
            }
            assertEquals(0, join(second), "the second waiter got the signal the first was given");
            assertEquals(0, w.tokens);
        } finally {
            assertEquals(0, sigaction(SIGUSR1, new sigaction(), null));
        }
    }

    /** Installs {@code handler} for {@code sig}, with SA_RESTART. */
    private static void handle(int sig, SignalHandler handler) {
        sigaction act = new sigaction();
        act.sa_handler = handler;
        act.sa_flags = SA_RESTART;
        assertEquals(0, sigaction(sig, act, null));
    }

    /**
     * Two pthreads ping-pong through one condition with each kind of mutex: every signal
     * reaches the other side and each side holds the mutex when its wait returns.
     */
    @ParameterizedTest
    @CsvSource({"0, false", "1, false", "2, false", "0, true", "2, true"})
    void pingPongWithEveryMutexKind(int type, boolean robust) {
        pthread_mutex_t m = robust ? RobustMutexTest.robust(type) : MutexTest.mutex(type);
        pthread_cond_t c = new pthread_cond_t();
        int trips = 2_000;
        int[] turn = {0};
        pthread_t pong = start(arg -> {
            int bad = pthread_mutex_lock(m);
            for (int i = 0; i < trips; i++) {
                while (turn[0] != 1) {
                    bad |= pthread_cond_wait(c, m);
                }
                turn[0] = 0;
                bad |= pthread_cond_signal(c);
            }
            return bad | pthread_mutex_unlock(m);
        });
        int bad = pthread_mutex_lock(m);
        for (int i = 0; i < trips; i++) {
            turn[0] = 1;
            bad |= pthread_cond_signal(c);
            while (turn[0] != 0) {
                bad |= pthread_cond_wait(c, m);
            }
        }
        bad |= pthread_mutex_unlock(m);
        assertEquals(0, bad);
        assertEquals(0, join(pong));
    }

    /**
     * The signaller of a robust mutex ends holding it: the signalled waiter, waiting for the
     * mutex, gets it with EOWNERDEAD.
     */
    @Test
    void signallerEndsHoldingRobustMutex() {
        Waiters w = new Waiters(RobustMutexTest.robust(PTHREAD_MUTEX_NORMAL));
        pthread_t t = start(arg -> {
            assertEquals(0, pthread_mutex_lock(w.m));
            w.waiting++;
            int r = pthread_cond_wait(w.c, w.m);
            if (r == EOWNERDEAD) {
                pthread_mutex_consistent(w.m);
            }
            return r + pthread_mutex_unlock(w.m);
        });
        await(() -> {
            assertEquals(0, pthread_mutex_lock(w.m));
            int n = w.waiting;
            assertEquals(0, pthread_mutex_unlock(w.m));
            return n == 1;
        }, "the waiter waits");
        pthread_t signaller = start(arg -> {
            pthread_mutex_lock(w.m);
            pthread_cond_signal(w.c);
            return null; // ends holding the mutex
        });
        assertEquals(null, join(signaller));
        assertEquals(EOWNERDEAD, join(t));
    }

    /**
     * A waiter signalled while the robust mutex is held inconsistent gets ENOTRECOVERABLE
     * when the holder unlocks it without making it consistent.
     */
    @Test
    void signalledWaiterOfMutexMadeNotRecoverable() {
        Waiters w = new Waiters(RobustMutexTest.robust(PTHREAD_MUTEX_NORMAL));
        pthread_t t = start(arg -> {
            assertEquals(0, pthread_mutex_lock(w.m));
            w.waiting++;
            return pthread_cond_wait(w.c, w.m);
        });
        await(() -> {
            assertEquals(0, pthread_mutex_lock(w.m));
            int n = w.waiting;
            assertEquals(0, pthread_mutex_unlock(w.m));
            return n == 1;
        }, "the waiter waits");
        assertEquals(null, join(start(arg -> {
            pthread_mutex_lock(w.m);
            return null; // ends holding it: OWNER_DIED
        })));
        assertEquals(EOWNERDEAD, pthread_mutex_lock(w.m));
        assertEquals(0, pthread_cond_signal(w.c));
        assertEquals(0, pthread_mutex_unlock(w.m)); // inconsistent: not recoverable from now on
        assertEquals(ENOTRECOVERABLE, join(t));
    }

    /**
     * A mutex destroyed and initialised again (another kind) after the condition's waiters
     * left is the one the next waiter is handed back: its unlock of the new ERRORCHECK mutex
     * is 0.
     */
    @Test
    void mutexReinitialisedBetweenWaits() {
        Waiters w = new Waiters(new pthread_mutex_t());
        pthread_t t = w.waiter(0);
        assertEquals(0, pthread_mutex_lock(w.m));
        w.tokens = 1;
        assertEquals(0, pthread_cond_signal(w.c));
        assertEquals(0, pthread_mutex_unlock(w.m));
        assertEquals(0, join(t));
        assertEquals(0, pthread_mutex_destroy(w.m));
        pthread_mutexattr_t a = new pthread_mutexattr_t();
        assertEquals(0, pthread_mutexattr_init(a));
        assertEquals(0, pthread_mutexattr_settype(a, PTHREAD_MUTEX_ERRORCHECK));
        assertEquals(0, pthread_mutex_init(w.m, a));
        t = w.waiter(0);
        assertEquals(0, pthread_mutex_lock(w.m));
        w.tokens = 1;
        assertEquals(0, pthread_cond_signal(w.c));
        assertEquals(0, pthread_mutex_unlock(w.m));
        assertEquals(0, join(t), "the waiter held the reinitialised mutex when it unlocked it");
    }

    /**
     * Many waiters, woken by one broadcast while the broadcaster holds the mutex, each get
     * the mutex alone: every one of them takes a token and none is lost.
     */
    @Test
    void broadcastToManyHandsTheMutexToEachInTurn() {
        int n = 64;
        Waiters w = new Waiters(MutexTest.mutex(PTHREAD_MUTEX_ERRORCHECK));
        pthread_t[] t = new pthread_t[n];
        for (int i = 0; i < n; i++) {
            t[i] = w.waiter(0);
        }
        assertEquals(0, pthread_mutex_lock(w.m));
        w.tokens = n;
        assertEquals(0, pthread_cond_broadcast(w.c));
        assertEquals(0, pthread_mutex_unlock(w.m));
        for (int i = 0; i < n; i++) {
            assertEquals(0, join(t[i]), "waiter " + i);
        }
        assertEquals(0, w.tokens);
    }

    // ---- the mechanism: a signal moves the waiter onto the mutex word ----------------------

    /**
     * A signalled waiter stays asleep in the condition's wait until the signaller unlocks (on
     * the parking lot, and on native in the kernel's futex, requeued onto the mutex word): it
     * never wakes only to find the mutex held and sleep again on the mutex.
     */
    @Test
    void signalledWaiterSleepsUntilTheUnlock() {
        Waiters w = new Waiters(new pthread_mutex_t());
        pthread_t t = w.waiter(0);
        Thread thread = w.last;
        assertEquals(0, pthread_mutex_lock(w.m));
        w.tokens = 1;
        assertEquals(0, pthread_cond_signal(w.c));
        for (int i = 0; i < 20; i++) {
            pause(10);
            assertFalse(Arrays.stream(thread.getStackTrace())
                            .anyMatch(f -> f.getMethodName().equals("relock")),
                    "the signalled waiter woke and went to wait for the mutex: "
                            + Arrays.toString(thread.getStackTrace()));
        }
        assertEquals(0, pthread_mutex_unlock(w.m));
        assertEquals(0, join(t));
    }

    /**
     * A pthread blocked in an untimed condition wait on the parking lot holds, between its
     * start routine and the park, only the wait's own frames: {@code pthread_cond_wait},
     * {@code Cond.wait}, the queue's park loop and the lot's one park method (small enough
     * for the JIT to compile into the loop). The queueing and the release have returned
     * before the park (a parked virtual thread keeps every frame it parked in, in its heap
     * stack chunk). Specific to the parking lot: a native pthread sleeps in the kernel's
     * futex, on a stack of its own outside the heap.
     */
    @Test
    void blockedWaiterKeepsOnlyTheWaitsFramesAboveThePark() {
        assumeFalse(onNative(), "a native pthread's stack is not in the heap");
        Waiters w = new Waiters(new pthread_mutex_t());
        pthread_t t = w.waiter(0);
        StackTraceElement[] stack = w.last.getStackTrace();
        int park = 0;
        while (park < stack.length && !(stack[park].getClassName().equals("java.util.concurrent.locks.LockSupport")
                && stack[park].getMethodName().equals("park"))) {
            park++;
        }
        assertTrue(park + 4 < stack.length, "no park in " + Arrays.toString(stack));
        assertEquals(List.of(
                        ParkingLot.class.getName() + ".park",
                        ParkingLot.class.getName() + "$CondQueue.await",
                        "org.pthread4j.sync.Cond.wait",
                        Pthreads.class.getName() + ".pthread_cond_wait"),
                Arrays.stream(stack, park + 1, park + 5).map(f -> f.getClassName() + "." + f.getMethodName()).toList(),
                Arrays.toString(stack));
        assertEquals(0, pthread_mutex_lock(w.m));
        w.tokens = 1;
        assertEquals(0, pthread_cond_signal(w.c));
        assertEquals(0, pthread_mutex_unlock(w.m));
        assertEquals(0, join(t));
    }

    /**
     * The parking lot's requeue is a wake: a waiter it moved ends neither at its deadline nor
     * on a cancel or a signal, only when the word it was moved to is woken, and then returns
     * REQUEUED (a lot of its own, on platform threads: the same on every backend).
     */
    @ParameterizedTest
    @ValueSource(strings = {"none", "cancel", "signal"})
    void parkingLotMovedWaiterEndsOnlyByAWakeOfItsNewWord(String interruption) throws Exception {
        ParkingLot lot = new ParkingLot(0);
        MemorySegment from = Words.allocate();
        MemorySegment to = Words.allocate();
        Tcb tcb = Tcb.create(false);
        AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);
        Thread waiter = Thread.ofPlatform().start(() -> {
            Tcb.bind(tcb);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
            result.set(lot.wait(from, 0, Futex.CLOCK_MONOTONIC, deadline / 1_000_000_000L,
                    deadline % 1_000_000_000L, tcb));
            Tcb.unbind();
        });
        await(() -> waiter.getState() == Thread.State.TIMED_WAITING, "the waiter parks");
        assertEquals(1, lot.requeue(from, 0, 0, to, 1));
        endsOnlyByAWakeOf(to, lot, waiter, tcb, interruption, result);
    }

    /**
     * For a waiter that was moved onto {@code target}: after {@code interruption} (a cancel,
     * a signal, or none) it still waits, and it returns REQUEUED once {@code target} is woken.
     */
    private static void endsOnlyByAWakeOf(MemorySegment target, ParkingLot lot, Thread waiter, Tcb tcb,
            String interruption, AtomicInteger result) throws InterruptedException {
        switch (interruption) {
            case "cancel" -> tcb.requestCancel();
            case "signal" -> tcb.signalBit(true); // as Signals sets it for a deliverable signal
            default -> { }
        }
        lot.interrupt(tcb);
        waiter.join(HOLD_MS);
        assertTrue(waiter.isAlive(), "the moved waiter ended before its new word was woken: " + result.get());
        assertEquals(1, lot.wake(target, 1));
        waiter.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertEquals(Futex.REQUEUED, result.get());
    }

    /**
     * The parking lot's waitReleasing queues the waiter before it runs the release: a wake
     * that the release sends (as a mutex's unlock wakes its sleeper) finds the waiter, and
     * the wait returns WOKEN at once instead of sleeping until its deadline.
     */
    @Test
    void parkingLotQueuesTheWaiterBeforeTheRelease() {
        ParkingLot lot = new ParkingLot(0);
        MemorySegment word = Words.allocate();
        AtomicInteger wokenByRelease = new AtomicInteger(-1);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
        int r = lot.waitReleasing(word, 0, Futex.CLOCK_MONOTONIC, deadline / 1_000_000_000L,
                deadline % 1_000_000_000L, null, () -> wokenByRelease.set(lot.wake(word, 1)));
        assertEquals(1, wokenByRelease.get(), "the release's wake found no waiter");
        assertEquals(Futex.WOKEN, r);
    }

    /**
     * A woken waiter queues the same node (its control block) in its next wait, maybe while
     * its waker is still busy with the others it took: 8 threads each wait on a word, then on
     * a condition queue, 2,000 times, while this thread wakes every waiter of the word and
     * signals every waiter of the queue (no target: woken, not moved) as fast as it can, so
     * that waiters are woken while they are still on their way to park. Every wait ends: a
     * waker that read a node's links after its WAKE could find them rewritten by the node's
     * next wait and leave the rest of its waiters unparked for good.
     */
    @Test
    void parkingLotWakersLetGoOfEveryNodeBeforeItsNextWait() throws Exception {
        int threads = 8;
        int rounds = 2_000;
        ParkingLot lot = new ParkingLot(0);
        Futex.CondQueue<Object> q = lot.newCondQueue();
        Object owner = new Object();
        MemorySegment word = Words.allocate();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger wrong = new AtomicInteger();
        Thread[] t = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            Tcb tcb = Tcb.create(false);
            t[i] = Thread.ofPlatform().start(() -> {
                Tcb.bind(tcb);
                for (int r = 0; r < rounds; r++) {
                    lot.wait(word, Words.get(word), Futex.CLOCK_NONE, 0, 0, tcb);
                    if (!q.enqueue(owner, null, tcb) || q.await(tcb, Futex.CLOCK_NONE, 0, 0, tcb) != Futex.WOKEN) {
                        wrong.incrementAndGet();
                    }
                    done.incrementAndGet();
                }
                Tcb.unbind();
            });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (done.get() < threads * rounds && System.nanoTime() - deadline < 0) {
            Words.set(word, Words.get(word) + 1);
            lot.wake(word, Integer.MAX_VALUE);
            assertNull(q.signal(threads));
        }
        assertEquals(threads * rounds, done.get(), "waits that never ended");
        for (Thread x : t) {
            x.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        }
        assertEquals(0, wrong.get());
        assertFalse(q.waiting());
    }

    // ---- the mechanism: a private condition's queue on the parking lot -------------------

    /** {@link #queueWait}'s result when the queue refused the waiter (enqueue returned false). */
    private static final int REFUSED = Integer.MIN_VALUE + 1;

    /**
     * A wait on a condition queue as a condition makes it: enqueue, then {@code release}, then
     * await; {@link #REFUSED} (nothing released) if the queue refused the waiter.
     */
    private static int queueWait(Futex.CondQueue<Object> q, Object owner, MemorySegment target, int clock, long sec,
            long nsec, Tcb cancelable, Runnable release) {
        Tcb self = Tcb.current();
        if (!q.enqueue(owner, target, self)) {
            return REFUSED;
        }
        release.run();
        return q.await(self, clock, sec, nsec, cancelable);
    }

    /** Runs {@link #queueWait} on a platform thread bound to {@code tcb}; its result goes to {@code result}. */
    private static Thread queueWaiter(Futex.CondQueue<Object> q, Object owner, MemorySegment target, long deadlineMs,
            Tcb tcb, AtomicInteger result, AtomicInteger released) {
        return Thread.ofPlatform().start(() -> {
            Tcb.bind(tcb);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(deadlineMs);
            result.set(queueWait(q, owner, target, deadlineMs > 0 ? Futex.CLOCK_MONOTONIC : Futex.CLOCK_NONE,
                    deadline / 1_000_000_000L, deadline % 1_000_000_000L, tcb, released::incrementAndGet));
            Tcb.unbind();
        });
    }

    /**
     * A condition queue's waiter that a signal took off the queue ends neither at its
     * deadline nor on a cancel or a signal, only when its target word is woken, and then
     * returns REQUEUED; the signal returns the owner, and the queue holds no waiter any more.
     */
    @ParameterizedTest
    @ValueSource(strings = {"none", "cancel", "signal"})
    void condQueueSignalledWaiterEndsOnlyByAWakeOfItsTarget(String interruption) throws Exception {
        ParkingLot lot = new ParkingLot(0);
        Futex.CondQueue<Object> q = lot.newCondQueue();
        Object owner = new Object();
        MemorySegment target = Words.allocate();
        Tcb tcb = Tcb.create(false);
        AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);
        AtomicInteger released = new AtomicInteger();
        Thread waiter = queueWaiter(q, owner, target, DEADLINE_MS, tcb, result, released);
        await(() -> waiter.getState() == Thread.State.TIMED_WAITING, "the waiter parks");
        assertEquals(1, released.get(), "the release ran once");
        assertTrue(q.waiting());
        assertSame(owner, q.signal(1));
        assertFalse(q.waiting(), "the signalled waiter is off the queue");
        endsOnlyByAWakeOf(target, lot, waiter, tcb, interruption, result);
    }

    /**
     * A condition queue's waiter that left for its deadline, or for a cancel, took no signal:
     * the next signal moves the waiter queued after it, and a signal on the empty queue moves
     * nobody.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void condQueueWaiterThatLeftTakesNoSignal(boolean cancel) throws Exception {
        ParkingLot lot = new ParkingLot(0);
        Futex.CondQueue<Object> q = lot.newCondQueue();
        Object owner = new Object();
        MemorySegment target = Words.allocate();
        Tcb first = Tcb.create(false);
        Tcb second = Tcb.create(false);
        AtomicInteger firstResult = new AtomicInteger(Integer.MIN_VALUE);
        AtomicInteger secondResult = new AtomicInteger(Integer.MIN_VALUE);
        AtomicInteger released = new AtomicInteger();
        Thread a = queueWaiter(q, owner, target, cancel ? 0 : 50, first, firstResult, released);
        await(() -> released.get() == 1, "the first waiter is queued");
        Thread b = queueWaiter(q, owner, target, 0, second, secondResult, released);
        await(() -> b.getState() == Thread.State.WAITING, "the second waiter parks");
        if (cancel) {
            first.requestCancel();
            lot.interrupt(first);
        }
        a.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertEquals(cancel ? Futex.CANCELED : Futex.ETIMEDOUT, firstResult.get());
        assertSame(owner, q.signal(1), "the signal moved the second waiter");
        assertFalse(q.waiting());
        assertEquals(null, q.signal(1), "nobody is left to signal");
        assertEquals(1, lot.wake(target, Integer.MAX_VALUE), "only the second waiter is on the target");
        b.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertEquals(Futex.REQUEUED, secondResult.get());
    }

    /**
     * A condition queue whose waiters all left takes another owner with another target word
     * (its lock moves to that word's bucket): a waiter of the first owner is then refused,
     * and a signal moves the new owner's waiter onto the new target, where a wake of it
     * alone ends the wait.
     */
    @Test
    void condQueueRebindsToAnotherOwnersTarget() throws Exception {
        ParkingLot lot = new ParkingLot(0);
        Futex.CondQueue<Object> q = lot.newCondQueue();
        Object first = new Object();
        Object second = new Object();
        MemorySegment firstTarget = Words.allocate();
        MemorySegment secondTarget = Words.allocate();
        AtomicInteger released = new AtomicInteger();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
        assertEquals(Futex.ETIMEDOUT, queueWait(q, first, firstTarget, Futex.CLOCK_MONOTONIC,
                deadline / 1_000_000_000L, deadline % 1_000_000_000L, null, released::incrementAndGet),
                "the first owner's waiter leaves");
        AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);
        Thread waiter = queueWaiter(q, second, secondTarget, 0, Tcb.create(false), result, released);
        await(() -> waiter.getState() == Thread.State.WAITING, "the second owner's waiter parks");
        assertEquals(2, released.get(), "each waiter released once");
        assertEquals(REFUSED, queueWait(q, first, firstTarget, Futex.CLOCK_NONE, 0, 0, null, released::incrementAndGet));
        assertEquals(2, released.get(), "a refused waiter released nothing");
        assertSame(second, q.signal(1));
        assertEquals(0, lot.wake(firstTarget, Integer.MAX_VALUE), "nobody was moved onto the old target");
        assertEquals(1, lot.wake(secondTarget, Integer.MAX_VALUE), "the waiter was moved onto the new target");
        waiter.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertEquals(Futex.REQUEUED, result.get());
    }

    /**
     * A condition queue refuses a waiter of another owner while waiters of one are queued
     * (EINVAL, its release not run), takes it once the queue is empty, and wakes a waiter
     * without a target (a PI mutex's) instead of moving it: that signal returns no owner, and
     * the wait WOKEN.
     */
    @Test
    void condQueueBindsOneOwnerAndWakesWithoutTarget() throws Exception {
        ParkingLot lot = new ParkingLot(0);
        Futex.CondQueue<Object> q = lot.newCondQueue();
        Object owner = new Object();
        Object other = new Object();
        AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);
        AtomicInteger released = new AtomicInteger();
        Thread waiter = queueWaiter(q, owner, null, 0, Tcb.create(false), result, released);
        await(() -> waiter.getState() == Thread.State.WAITING, "the waiter parks");
        AtomicInteger otherReleased = new AtomicInteger();
        assertEquals(REFUSED, queueWait(q, other, null, Futex.CLOCK_NONE, 0, 0, null, otherReleased::incrementAndGet));
        assertEquals(0, otherReleased.get(), "a refused waiter released nothing");
        assertEquals(null, q.signal(1), "a waiter without a target is woken, not moved");
        waiter.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertEquals(Futex.WOKEN, result.get());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
        assertEquals(Futex.ETIMEDOUT, queueWait(q, other, null, Futex.CLOCK_MONOTONIC, deadline / 1_000_000_000L,
                deadline % 1_000_000_000L, null, otherReleased::incrementAndGet), "the empty queue takes another owner");
        assertEquals(1, otherReleased.get());
    }
    /**
     * A serial lot (one carrier runs every virtual thread that waits on it) wakes the waiters
     * of a signal that a virtual thread sends instead of moving them onto their target: the
     * signal returns no owner, nobody is on the target word, and the wait returns WOKEN. A
     * platform thread's signal, and any signal on a lot that is not serial, still moves them.
     */
    @ParameterizedTest
    @CsvSource({"true, true", "true, false", "false, true", "false, false"})
    void condQueueOfASerialLotWakesTheWaitersOfAVirtualSignaller(boolean serial, boolean virtualSignaller)
            throws Exception {
        ParkingLot lot = new ParkingLot(0, serial);
        Futex.CondQueue<Object> q = lot.newCondQueue();
        Object owner = new Object();
        MemorySegment target = Words.allocate();
        AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);
        AtomicInteger released = new AtomicInteger();
        Thread waiter = queueWaiter(q, owner, target, 0, Tcb.create(false), result, released);
        await(() -> waiter.getState() == Thread.State.WAITING, "the waiter parks");
        AtomicReference<Object> signalled = new AtomicReference<>(q);
        if (virtualSignaller) {
            Thread.ofVirtual().start(() -> signalled.set(q.signal(1))).join();
        } else {
            signalled.set(q.signal(1));
        }
        boolean woken = serial && virtualSignaller;
        assertSame(woken ? null : owner, signalled.get());
        assertFalse(q.waiting(), "the signalled waiter is off the queue");
        assertEquals(woken ? 0 : 1, lot.wake(target, Integer.MAX_VALUE), woken ? "nobody was moved" : "the waiter was moved");
        waiter.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertEquals(woken ? Futex.WOKEN : Futex.REQUEUED, result.get());
    }

    /**
     * Where one carrier runs every pthread ({@code green}; {@code virtual} when the JDK's
     * scheduler has one carrier; {@code gmp} with one P), a pthread's signal wakes its waiter,
     * which cannot run before the signaller blocks: it is runnable at once, while the
     * signaller still holds the mutex. Elsewhere the signal moves it onto the mutex, where it
     * stays parked until the unlock. Specific to the parking lot: {@code native} has the
     * kernel's futex.
     */
    @Test
    void aPthreadsSignalWakesTheWaiterOnlyWhereOneCarrierRunsEveryPthread() {
        assumeFalse(onNative(), "native pthreads sleep in the kernel's futex");
        boolean oneCarrier = switch (BACKEND) {
            case "green" -> true;
            case "gmp" -> GmpThreadModel.instance().gomaxprocs() == 1;
            default -> VirtualThreadModel.oneCarrier();
        };
        Waiters w = new Waiters(new pthread_mutex_t());
        pthread_t t = w.waiter(0);
        Thread thread = w.last;
        AtomicReference<Thread.State> signalled = new AtomicReference<>();
        pthread_t signaller = start(arg -> {
            pthread_mutex_lock(w.m);
            w.tokens = 1;
            pthread_cond_signal(w.c);
            signalled.set(thread.getState());
            return pthread_mutex_unlock(w.m);
        });
        assertEquals(0, join(signaller));
        assertEquals(0, join(t));
        assertEquals(oneCarrier ? Thread.State.RUNNABLE : Thread.State.WAITING, signalled.get(),
                (oneCarrier ? "one carrier" : "several carriers") + ": the waiter's state after the signal, the mutex still held");
    }

    /**
     * The virtual model's parking lot is serial exactly when the JDK's scheduler has one
     * carrier: its parallelism as the JDK reads it (read when the model is made). Specific to
     * {@code virtual}'s construction, which any backend's test JVM can run.
     */
    @Test
    void theVirtualModelsLotIsSerialOnOneCarrier() {
        String saved = System.getProperty("jdk.virtualThreadScheduler.parallelism");
        try {
            System.setProperty("jdk.virtualThreadScheduler.parallelism", "1");
            assertTrue(((ParkingLot) new VirtualThreadModel().futex()).serial(), "one carrier");
            System.setProperty("jdk.virtualThreadScheduler.parallelism", "2");
            assertFalse(((ParkingLot) new VirtualThreadModel().futex()).serial(), "two carriers");
        } finally {
            if (saved == null) {
                System.clearProperty("jdk.virtualThreadScheduler.parallelism");
            } else {
                System.setProperty("jdk.virtualThreadScheduler.parallelism", saved);
            }
        }
    }
}
