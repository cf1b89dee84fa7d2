package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pthread4j.tests.TestSupport.*;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Stack overflow of a pthread, whatever its stack and guard sizes. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StackOverflowTest {

    /**
     * In one JVM, a pthread of each stack/guard combination recurses without end: each join
     * yields a StackOverflowError and the JVM exits 0 (on native a stack that glibc cached
     * from an earlier pthread with a larger guard once killed it by SIGSEGV).
     */
    @Test
    void everyStackAndGuardCombinationOverflowsCleanly() throws Exception {
        Child child = runChild(StackOverflowCombos.class, 150);
        assertEquals(0, child.status(), child.output());
        assertTrue(child.output().contains(StackOverflowCombos.DONE), child.output());
    }
}
