package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pthread4j.Pthreads.*;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The JVM's main thread as C's main thread, and other Java threads that call in. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class MainThreadTest {

    /**
     * pthread_exit in main lets the other threads run to their end and then ends the process
     * with status 0 (pthread_exit(3p): "the process shall exit with an exit status of 0 after
     * the last thread has been terminated").
     */
    @Test
    void pthreadExitInMainWaitsForTheLastThread() throws Exception {
        String out = runChild(MainPthreadExit.class);
        assertTrue(out.contains("main: pthread_exit") && out.contains("worker done"), out);
        assertTrue(!out.contains("not reached") && !out.contains("Exception"), out);
        assertTrue(out.indexOf("main: pthread_exit") < out.indexOf("worker done"), out);
    }

    /**
     * A main thread that acts on its own cancel ends as pthread_exit in main does
     * (pthread_cancel(3p): cleanup handlers, then key destructors, then the thread
     * terminates; pthread_exit(3p): the process exits with status 0 after the last thread
     * has terminated): the worker still prints, and the status is 0.
     */
    @Test
    void cancelledMainEndsLikePthreadExit() throws Exception {
        String out = runChild(MainCancelsItself.class);
        assertTrue(out.contains("main: cancelled") && out.contains("main: cleanup handler")
                && out.contains("main: destructor value") && out.contains("worker done"), out);
        assertTrue(!out.contains("not reached") && !out.contains("Exception"), out);
        assertTrue(out.indexOf("main: cleanup handler") < out.indexOf("main: destructor value"), out);
    }

    /**
     * A Java thread that pthread_create did not start (neither main nor a pthread) ends by
     * pthread_exit or by acting on its own cancel: its cleanup handler runs, an Error ends
     * that Java thread only (its uncaught-exception handler sees it), and the JVM goes on.
     */
    @Test
    void foreignThreadEndsAloneOnExitOrCancel() throws Exception {
        for (boolean cancel : new boolean[] {false, true}) {
            AtomicInteger cleanups = new AtomicInteger();
            AtomicBoolean reached = new AtomicBoolean();
            AtomicReference<Throwable> uncaught = new AtomicReference<>();
            Thread t = new Thread(() -> {
                pthread_cleanup_push(v -> cleanups.incrementAndGet(), null);
                if (cancel) {
                    pthread_cancel(pthread_self());
                    pthread_testcancel();
                } else {
                    pthread_exit("exit");
                }
                reached.set(true);
            }, "foreign");
            t.setUncaughtExceptionHandler((thread, e) -> uncaught.set(e));
            t.start();
            t.join(TimeUnit.SECONDS.toMillis(20));
            assertFalse(t.isAlive(), "the foreign thread ended");
            assertEquals(1, cleanups.get(), "cleanup handler runs");
            assertFalse(reached.get(), "the call returned");
            assertTrue(uncaught.get() instanceof Error, String.valueOf(uncaught.get()));
        }
    }

    /** Runs {@code main} in a child JVM on this backend; asserts it ends with status 0 and returns its output. */
    private static String runChild(Class<?> main) throws Exception {
        TestSupport.Child child = TestSupport.runChild(main, TestSupport.CHILD_SECONDS);
        assertEquals(0, child.status(), child.output());
        return child.output();
    }
}
