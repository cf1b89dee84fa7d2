package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.tests.TestSupport.*;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pthread4j.*;

/** Calls on a pthread's handle that race its creation, its end, its join or its detached exit. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HandleRaceTest {

    /**
     * pthread_setname_np on pthreads while they end, are joined or exit detached answers 0 or
     * ESRCH and never crashes the JVM (on native it once reached glibc with a freed thread).
     */
    @Test
    void setnameRacingTheEndOfItsTarget() throws Exception {
        Child child = runChild(SetnameRace.class, 60, "3000");
        assertEquals(0, child.status(), child.output());
        assertTrue(child.output().contains(SetnameRace.DONE), child.output());
    }

    /**
     * A join that starts as soon as the handle names a thread, while pthread_create has not
     * returned yet, joins it: 0 (on native it once passed glibc a handle not stored yet and got
     * ESRCH, leaving the thread unjoined).
     */
    @Test
    void joinRacingTheCreate() {
        for (int i = 0; i < 500; i++) {
            pthread_t t = new pthread_t();
            pthread_t joiner = start(arg -> {
                while (!pthread_equal(t, t)) {
                    Thread.onSpinWait();
                }
                return pthread_join(t, null);
            });
            assertEquals(0, pthread_create(t, null, arg -> null, null));
            assertEquals(0, join(joiner), "round " + i + ": pthread_join of the thread being created");
        }
    }
}
