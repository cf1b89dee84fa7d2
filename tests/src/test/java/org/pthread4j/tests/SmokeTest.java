package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.pthread4j.Pthreads.*;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pthread4j.*;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SmokeTest {

    /** Two threads increment a counter under a mutex; the sum is exact. */
    @Test
    void mutexCounter() {
        pthread_mutex_t lock = new pthread_mutex_t();
        long[] counter = {0};
        StartRoutine worker = arg -> {
            for (int i = 0; i < 100_000; i++) {
                pthread_mutex_lock(lock);
                counter[0]++;
                pthread_mutex_unlock(lock);
            }
            return arg;
        };
        pthread_t[] t = {new pthread_t(), new pthread_t()};
        for (pthread_t x : t) assertEquals(0, pthread_create(x, null, worker, "v"));
        Object[] ret = new Object[1];
        for (pthread_t x : t) {
            assertEquals(0, pthread_join(x, ret));
            assertEquals("v", ret[0]);
        }
        assertEquals(200_000, counter[0]);
    }
}
