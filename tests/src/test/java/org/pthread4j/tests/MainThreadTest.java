package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The JVM's main thread as C's main thread. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class MainThreadTest {

    /**
     * pthread_exit in main lets the other threads run to their end and then ends the process
     * with status 0 (pthread_exit(3p): "the process shall exit with an exit status of 0 after
     * the last thread has been terminated").
     */
    @Test
    void pthreadExitInMainWaitsForTheLastThread() throws Exception {
        String backend = System.getProperty("pthread4j.backend", "native");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-Dpthread4j.backend=" + backend, "-Dpthread4j.binding=" + System.getProperty("pthread4j.binding", "ffm"),
                "-cp", System.getProperty("java.class.path"), MainPthreadExit.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(TestSupport.CHILD_SECONDS, TimeUnit.SECONDS), "the child did not end");
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("main: pthread_exit") && out.contains("worker done"), out);
        assertTrue(!out.contains("not reached") && !out.contains("Exception"), out);
        assertTrue(out.indexOf("main: pthread_exit") < out.indexOf("worker done"), out);
    }
}
