package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.tests.TestSupport.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pthread4j.*;

/** Deferred cancellation: pthread_cancel(3), cancellation points, cleanup handlers, cancel state and type. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CancelTest {

    /** The cancellation points a thread can be blocked in, each blocking (practically) forever. */
    enum Point {
        COND_WAIT, COND_TIMEDWAIT, SEM_WAIT, SEM_TIMEDWAIT, JOIN, SLEEP, USLEEP, NANOSLEEP
    }

    /**
     * A thread blocked in a cancellation point is woken by pthread_cancel, runs its cleanup
     * handler, and its join yields PTHREAD_CANCELED (pthread_cancel(3)).
     */
    @ParameterizedTest
    @EnumSource(Point.class)
    void cancelEndsABlockedWait(Point point) {
        pthread_mutex_t m = MutexTest.mutex(PTHREAD_MUTEX_ERRORCHECK);
        pthread_cond_t c = new pthread_cond_t();
        sem_t never = semaphore(0);
        sem_t targetRelease = semaphore(0);
        pthread_t target = point == Point.JOIN ? start(arg -> {
            sem_wait(targetRelease);
            return "target";
        }) : null;
        AtomicInteger tid = new AtomicInteger();
        AtomicInteger cleanups = new AtomicInteger();
        AtomicBoolean returned = new AtomicBoolean();
        AtomicInteger unlockInCleanup = new AtomicInteger(-1);
        pthread_t t = start(arg -> {
            pthread_cleanup_push(v -> cleanups.incrementAndGet(), null);
            tid.set(gettid());
            switch (point) {
                case COND_WAIT, COND_TIMEDWAIT -> {
                    pthread_mutex_lock(m);
                    pthread_cleanup_push(v -> unlockInCleanup.set(pthread_mutex_unlock(m)), null);
                    for (;;) {
                        if (point == Point.COND_WAIT) {
                            pthread_cond_wait(c, m);
                        } else {
                            pthread_cond_timedwait(c, m, realtimeIn(3_600_000));
                        }
                    }
                }
                case SEM_WAIT -> sem_wait(never);
                case SEM_TIMEDWAIT -> sem_timedwait(never, realtimeIn(3_600_000));
                case JOIN -> pthread_join(target, null);
                case SLEEP -> sleep(3600);
                case USLEEP -> usleep(3_600_000_000L);
                case NANOSLEEP -> nanosleep(new timespec(3600, 0), null);
            }
            returned.set(true);
            return "returned";
        });
        awaitBlocked(tid);
        assertEquals(0, pthread_cancel(t));
        assertEquals(PTHREAD_CANCELED, join(t));
        assertFalse(returned.get(), "the blocking call returned instead of acting on the cancel");
        assertEquals(1, cleanups.get(), "cleanup handler runs");
        if (point == Point.COND_WAIT || point == Point.COND_TIMEDWAIT) {
            assertEquals(0, unlockInCleanup.get(), "the cleanup handler held the (ERRORCHECK) mutex");
            assertEquals(0, pthread_mutex_trylock(m), "and released it");
            assertEquals(0, pthread_mutex_unlock(m));
        }
        if (target != null) {
            assertEquals(0, sem_post(targetRelease));
            assertEquals("target", join(target), "the cancelled joiner left the target joinable");
        }
    }

    /** The cleanup handler of a cancelled cond_wait runs with the mutex held again by the cancelled thread. */
    @Test
    void condWaitMutexIsHeldInCleanup() {
        pthread_mutex_t m = MutexTest.mutex(PTHREAD_MUTEX_ERRORCHECK);
        pthread_cond_t c = new pthread_cond_t();
        AtomicInteger tid = new AtomicInteger();
        AtomicInteger relock = new AtomicInteger(-1);
        AtomicInteger unlock = new AtomicInteger(-1);
        pthread_t t = start(arg -> {
            pthread_mutex_lock(m);
            pthread_cleanup_push(v -> {
                relock.set(pthread_mutex_lock(m)); // EDEADLK: this thread owns it
                unlock.set(pthread_mutex_unlock(m));
            }, null);
            tid.set(gettid());
            for (;;) {
                pthread_cond_wait(c, m);
            }
        });
        awaitBlocked(tid);
        pthread_cancel(t);
        assertEquals(PTHREAD_CANCELED, join(t));
        assertEquals(EDEADLK, relock.get());
        assertEquals(0, unlock.get());
    }

    /** Cleanup handlers run in LIFO order on cancellation and on pthread_exit(3) (pthread_cleanup_push(3)). */
    @Test
    void cleanupHandlersRunInLifoOrder() {
        for (boolean cancel : new boolean[] {true, false}) {
            ConcurrentLinkedQueue<Object> order = new ConcurrentLinkedQueue<>();
            AtomicInteger tid = new AtomicInteger();
            pthread_t t = start(arg -> {
                pthread_cleanup_push(order::add, 1);
                pthread_cleanup_push(order::add, 2);
                pthread_cleanup_push(order::add, 3);
                if (!cancel) {
                    pthread_exit("exit");
                }
                tid.set(gettid());
                for (;;) {
                    sleep(100);
                }
            });
            if (cancel) {
                awaitBlocked(tid);
                pthread_cancel(t);
            }
            assertEquals(cancel ? PTHREAD_CANCELED : "exit", join(t));
            assertEquals(List.of(3, 2, 1), new ArrayList<>(order), cancel ? "on cancel" : "on exit");
        }
    }

    /** pthread_cleanup_pop(1) runs the innermost handler, pop(0) drops it, and popped handlers do not run at exit. */
    @Test
    void cleanupPopRunsOrDrops() {
        ConcurrentLinkedQueue<Object> order = new ConcurrentLinkedQueue<>();
        pthread_t t = start(arg -> {
            pthread_cleanup_push(order::add, "outer");
            pthread_cleanup_push(order::add, "dropped");
            pthread_cleanup_push(order::add, "popped");
            pthread_cleanup_pop(1);
            pthread_cleanup_pop(0);
            order.add("body");
            pthread_exit(null);
            return null;
        });
        join(t);
        assertEquals(List.of("popped", "body", "outer"), new ArrayList<>(order));
    }

    /** With cancellation disabled a cancel waits, cancellation points included; enabling and testcancel then act on it. */
    @Test
    void disabledCancelIsDeferredUntilEnabled() {
        sem_t disabled = semaphore(0);
        sem_t cancelled = semaphore(0);
        List<String> steps = new ArrayList<>();
        pthread_t t = start(arg -> {
            int[] old = {-1};
            pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, old);
            steps.add("old state " + old[0]);
            sem_post(disabled);
            sem_wait(cancelled);
            long t0 = System.nanoTime();
            usleep(100_000); // a cancellation point, but disabled: sleeps the whole time
            steps.add("slept " + (millisSince(t0) >= 90));
            pthread_testcancel();
            steps.add("testcancel while disabled");
            pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, old);
            steps.add("enabled, old state " + old[0]);
            pthread_testcancel();
            steps.add("after testcancel");
            return "not cancelled";
        });
        awaitPost(disabled, "the thread disabled cancellation");
        assertEquals(0, pthread_cancel(t));
        sem_post(cancelled);
        assertEquals(PTHREAD_CANCELED, join(t));
        assertEquals(List.of("old state " + PTHREAD_CANCEL_ENABLE, "slept true", "testcancel while disabled",
                "enabled, old state " + PTHREAD_CANCEL_DISABLE), steps);
    }

    /** A cancel requested before the thread reaches any cancellation point acts at its first one, pthread_testcancel(3). */
    @Test
    void pendingCancelActsAtTestcancel() {
        sem_t go = semaphore(0);
        AtomicBoolean passed = new AtomicBoolean();
        pthread_t t = start(arg -> {
            int[] old = new int[1];
            pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, old);
            sem_wait(go);
            pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, old);
            long spin = 0;
            for (int i = 0; i < 1000; i++) {
                spin += i; // no cancellation point here
            }
            pthread_testcancel();
            passed.set(true);
            return spin;
        });
        pthread_cancel(t);
        sem_post(go);
        assertEquals(PTHREAD_CANCELED, join(t));
        assertFalse(passed.get());
    }

    /** pthread_testcancel(3) without a pending cancel returns normally. */
    @Test
    void testcancelWithoutCancelReturns() {
        assertEquals("done", join(start(arg -> {
            pthread_testcancel();
            return "done";
        })));
    }

    /** A mutex lock is not a cancellation point: the thread blocked in it takes the lock, then acts at testcancel. */
    @Test
    void mutexLockIsNotACancellationPoint() {
        pthread_mutex_t m = new pthread_mutex_t();
        assertEquals(0, pthread_mutex_lock(m));
        AtomicInteger tid = new AtomicInteger();
        AtomicInteger locked = new AtomicInteger(-1);
        pthread_t t = start(arg -> {
            tid.set(gettid());
            locked.set(pthread_mutex_lock(m));
            pthread_mutex_unlock(m);
            pthread_testcancel();
            return "not cancelled";
        });
        awaitBlocked(tid);
        assertEquals(0, pthread_cancel(t));
        pause(50);
        assertEquals(-1, locked.get(), "the cancel ended the lock call");
        assertEquals(0, pthread_mutex_unlock(m));
        assertEquals(PTHREAD_CANCELED, join(t));
        assertEquals(0, locked.get());
    }

    /** Setting the type to ASYNCHRONOUS with a cancel pending acts on it at once. */
    @Test
    void asynchronousTypeActsOnPendingCancel() {
        sem_t go = semaphore(0);
        AtomicBoolean passed = new AtomicBoolean();
        pthread_t t = start(arg -> {
            int[] old = {-1};
            pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, old);
            sem_wait(go);
            pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, old);
            pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, old);
            passed.set(true);
            return null;
        });
        pthread_cancel(t);
        sem_post(go);
        assertEquals(PTHREAD_CANCELED, join(t));
        assertFalse(passed.get());
    }

    /** setcancelstate and setcanceltype reject unknown values with EINVAL and report the old value. */
    @Test
    void stateAndTypeAreChecked() {
        Object r = join(start(arg -> {
            int[] old = {-1};
            List<Integer> out = new ArrayList<>();
            out.add(pthread_setcancelstate(7, old));
            out.add(pthread_setcanceltype(-1, old));
            out.add(pthread_setcanceltype(PTHREAD_CANCEL_DEFERRED, old));
            out.add(old[0]);
            out.add(pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, null));
            return out;
        }));
        assertEquals(List.of(EINVAL, EINVAL, 0, PTHREAD_CANCEL_DEFERRED, 0), r);
    }

    /**
     * A thread's cancel state and type stay as it set them while other threads change its
     * join state beside them: a join that times out (the thread taken for joining, then given
     * back) and a detach. The cancel that follows waits, as cancellation is still disabled.
     */
    @Test
    void cancelStateAndTypeOutliveJoinStateChanges() {
        sem_t set = semaphore(0);
        sem_t go = semaphore(0);
        sem_t done = semaphore(0);
        int[] seen = {-1, -1};
        pthread_t t = start(arg -> {
            pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, null);
            pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, null);
            sem_post(set);
            sem_wait(go); // a cancellation point, with cancellation disabled
            int[] type = {-1};
            int[] state = {-1};
            pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, type);
            pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, state);
            seen[0] = state[0];
            seen[1] = type[0];
            sem_post(done);
            return null;
        });
        awaitPost(set, "the thread set its cancel type and state");
        assertEquals(ETIMEDOUT, pthread_timedjoin_np(t, null, realtimeIn(20)));
        assertEquals(0, pthread_detach(t));
        assertEquals(0, pthread_cancel(t));
        sem_post(go);
        awaitPost(done, "the thread, cancelled with cancellation disabled, went on");
        assertEquals(PTHREAD_CANCEL_DISABLE, seen[0], "the cancel state");
        assertEquals(PTHREAD_CANCEL_ASYNCHRONOUS, seen[1], "the cancel type");
    }

    /**
     * A thread that unwinds for a cancel may wait on a condition in a cleanup handler: the
     * wait is no cancellation point any more, so a second cancel does not end it (acting on
     * it there would end the handler early), and it returns at the signal.
     */
    @Test
    void condWaitInACleanupHandlerOutlastsCancels() {
        pthread_mutex_t m = new pthread_mutex_t();
        pthread_cond_t c = new pthread_cond_t();
        boolean[] go = {false};
        AtomicInteger waited = new AtomicInteger(-1);
        sem_t inHandler = semaphore(0);
        pthread_t t = start(arg -> {
            pthread_cleanup_push(v -> {
                pthread_mutex_lock(m);
                sem_post(inHandler);
                int r = 0;
                while (!go[0] && r == 0) {
                    r = pthread_cond_wait(c, m);
                }
                waited.set(r);
                pthread_mutex_unlock(m);
            }, null);
            for (;;) {
                pthread_testcancel();
                usleep(1_000);
            }
        });
        assertEquals(0, pthread_cancel(t));
        awaitPost(inHandler, "the cleanup handler");
        pause(20);
        assertEquals(0, pthread_cancel(t), "a second cancel of the unwinding thread");
        pause(20);
        assertEquals(-1, waited.get(), "the handler's wait ended before the signal");
        assertEquals(0, pthread_mutex_lock(m));
        go[0] = true;
        assertEquals(0, pthread_cond_signal(c));
        assertEquals(0, pthread_mutex_unlock(m));
        assertEquals(PTHREAD_CANCELED, join(t));
        assertEquals(0, waited.get(), "the handler's wait returned 0 at the signal");
    }

    /** Cancelling a joined thread gives ESRCH; cancelling one that ended but is not joined is harmless. */
    @Test
    void cancelOfEndedThreads() {
        sem_t ending = semaphore(0);
        pthread_t t = start(arg -> {
            sem_post(ending);
            return "finished";
        });
        awaitPost(ending, "the thread's last statement");
        pause(20);
        assertEquals(0, pthread_cancel(t));
        assertEquals("finished", join(t), "a cancel after the end changes no exit value");
        assertEquals(ESRCH, pthread_cancel(t));
    }

    /** Cancelling one of three threads blocked on a condition ends only that one; the others return at the broadcast. */
    @Test
    void cancellingOneWaiterLeavesTheOthers() {
        CondTest.Waiters w = new CondTest.Waiters(3, new pthread_mutex_t(), false);
        assertEquals(0, pthread_cancel(w.threads[1]));
        assertEquals(PTHREAD_CANCELED, join(w.threads[1]));
        // It pushed no cleanup handler, so it ended holding the mutex it reacquired; a NORMAL
        // mutex records no owner, and the test may release it.
        assertEquals(EBUSY, pthread_mutex_trylock(w.m));
        assertEquals(0, pthread_mutex_unlock(w.m));
        pthread_mutex_lock(w.m);
        w.go = true;
        pthread_cond_broadcast(w.c);
        pthread_mutex_unlock(w.m);
        join(w.threads[0]);
        join(w.threads[2]);
    }
}
