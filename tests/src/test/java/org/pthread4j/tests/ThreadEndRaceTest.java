package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pthread4j.tests.TestSupport.*;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Calls on a pthread's handle that race the pthread's end, join or detached exit. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ThreadEndRaceTest {

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
}
