package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.tests.TestSupport.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pthread4j.*;

/** Owner-tracking mutexes whose owner ended while holding them. */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DeadOwnerTest {

    /**
     * A thread locks an ERRORCHECK and a RECURSIVE mutex and ends; none of the 16,384 threads
     * created after it owns them: unlock is EPERM, trylock EBUSY, a short timedlock ETIMEDOUT
     * (as in glibc). More threads than the suite ever has alive at once, so that a recycled
     * thread id would reach one of them.
     */
    @Test
    void aDeadOwnersMutexesBelongToNoNewThread() {
        pthread_mutex_t errorcheck = MutexTest.mutex(PTHREAD_MUTEX_ERRORCHECK);
        pthread_mutex_t recursive = MutexTest.mutex(PTHREAD_MUTEX_RECURSIVE);
        Object locked = join(start(arg -> pthread_mutex_lock(errorcheck) * 1000 + pthread_mutex_lock(recursive)));
        assertEquals(0, locked, "the owner's two locks");

        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        int batch = 64;
        for (int round = 0; round < 16_384 / batch; round++) {
            timespec deadline = realtimeIn(2);
            List<pthread_t> threads = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
                threads.add(start(arg -> {
                    for (pthread_mutex_t m : List.of(errorcheck, recursive)) {
                        String type = m == errorcheck ? "ERRORCHECK" : "RECURSIVE";
                        expect(wrong, type + " unlock", EPERM, pthread_mutex_unlock(m));
                        expect(wrong, type + " trylock", EBUSY, pthread_mutex_trylock(m));
                        expect(wrong, type + " timedlock", ETIMEDOUT, pthread_mutex_timedlock(m, deadline));
                    }
                    return null;
                }));
            }
            threads.forEach(TestSupport::join);
            assertEquals(List.of(), List.copyOf(wrong).subList(0, Math.min(wrong.size(), 6)),
                    "calls by threads of round " + round + " that found the dead owner's mutex theirs");
        }
    }

    private static void expect(ConcurrentLinkedQueue<String> wrong, String call, int expected, int got) {
        if (got != expected) {
            wrong.add(call + ": " + strerror(got) + " instead of " + strerror(expected));
        }
    }
}
