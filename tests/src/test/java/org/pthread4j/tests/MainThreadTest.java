package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The JVM's main thread as C's main thread. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MainThreadTest {

    /**
     * pthread_exit in main lets the other threads run to their end and then ends the process
     * with status 0 (pthread_exit(3p): "the process shall exit with an exit status of 0 after
     * the last thread has been terminated").
     */
    @Test
    void pthreadExitInMainWaitsForTheLastThread() throws Exception {
        Process p = new ProcessBuilder(TestSupport.childJvm(MainPthreadExit.class)).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the child did not end");
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("main: pthread_exit") && out.contains("worker done"), out);
        assertTrue(!out.contains("not reached") && !out.contains("Exception"), out);
        assertTrue(out.indexOf("main: pthread_exit") < out.indexOf("worker done"), out);
    }
}
