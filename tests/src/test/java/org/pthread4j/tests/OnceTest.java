package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.tests.TestSupport.*;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pthread4j.*;

/** pthread_once(3p): one run of the routine, however many callers race. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OnceTest {

    /** Racing callers run the routine exactly once, and none returns before it has finished. */
    @ParameterizedTest(name = "{0} threads x {1} rounds")
    @CsvSource({"16, 10", "4, 50"})
    void runsExactlyOnceUnderRacingThreads(int threads, int rounds) {
        for (int round = 0; round < rounds; round++) {
            pthread_once_t once = new pthread_once_t();
            AtomicInteger runs = new AtomicInteger();
            AtomicBoolean finished = new AtomicBoolean();
            AtomicInteger early = new AtomicInteger();
            pthread_barrier_t go = BarrierTest.barrier(threads);
            boolean slow = round == 0; // the first round keeps the routine busy so that callers must wait
            pthread_t[] t = new pthread_t[threads];
            for (int i = 0; i < threads; i++) {
                t[i] = start(arg -> {
                    pthread_barrier_wait(go);
                    int r = pthread_once(once, () -> {
                        runs.incrementAndGet();
                        if (slow) {
                            pause(30);
                        }
                        finished.set(true);
                    });
                    if (!finished.get()) {
                        early.incrementAndGet();
                    }
                    return r;
                });
            }
            for (pthread_t x : t) {
                assertEquals(0, join(x));
            }
            assertEquals(1, runs.get(), "runs in round " + round);
            assertEquals(0, early.get(), "callers that returned before the routine finished");
        }
    }

    /** Later calls on the same control do not run any routine; another control runs its own. */
    @Test
    void laterCallsDoNothing() {
        pthread_once_t a = new pthread_once_t();
        pthread_once_t b = new pthread_once_t();
        int[] runs = {0, 0};
        for (int i = 0; i < 5; i++) {
            assertEquals(0, pthread_once(a, () -> runs[0]++));
        }
        assertEquals(0, pthread_once(b, () -> runs[1]++));
        assertEquals(1, runs[0]);
        assertEquals(1, runs[1]);
    }

    /** A routine cancelled while it runs counts as never called: the next caller runs it (pthread_once(3p)). */
    @Test
    void cancelledRoutineRunsAgain() {
        pthread_once_t once = new pthread_once_t();
        AtomicInteger tid = new AtomicInteger();
        AtomicInteger completed = new AtomicInteger();
        pthread_t first = start(arg -> pthread_once(once, () -> {
            tid.set(gettid());
            for (;;) {
                sleep(100); // a cancellation point inside the routine
            }
        }));
        awaitBlocked(tid);
        assertEquals(0, pthread_cancel(first));
        assertEquals(PTHREAD_CANCELED, join(first));
        assertEquals(0, pthread_once(once, completed::incrementAndGet));
        assertEquals(1, completed.get());
        assertEquals(0, pthread_once(once, completed::incrementAndGet));
        assertEquals(1, completed.get());
    }
}
