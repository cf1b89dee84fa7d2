package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.tests.TestSupport.*;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pthread4j.*;

/**
 * CPU sets and affinity: the {@code CPU_*} macros, {@code pthread_setaffinity_np} and
 * {@code pthread_getaffinity_np} with glibc's answers (sched.c) on every backend (the
 * user-level models check a mask as the kernel does), and {@code sched_getcpu}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AffinityTest {

    private static List<String> affinity(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("aff.")).toList();
    }

    /** Every affinity case of sched.c answers as glibc, on every backend. */
    @Test
    void sameAnswersAsGlibc() throws Exception {
        assertEquals(String.join("\n", affinity(SchedCases.glibc())),
                String.join("\n", affinity(SchedCases.pthread4j())));
    }

    /** The macros behave as C's: numbers outside [0, CPU_SETSIZE) change and contain nothing. */
    @Test
    void macros() {
        cpu_set_t s = new cpu_set_t();
        assertEquals(0, CPU_COUNT(s));
        CPU_SET(0, s);
        CPU_SET(63, s);
        CPU_SET(64, s);
        CPU_SET(CPU_SETSIZE - 1, s);
        CPU_SET(CPU_SETSIZE, s);
        CPU_SET(-1, s);
        assertEquals(4, CPU_COUNT(s));
        assertTrue(CPU_ISSET(64, s));
        assertFalse(CPU_ISSET(65, s));
        assertFalse(CPU_ISSET(CPU_SETSIZE, s));
        assertFalse(CPU_ISSET(-1, s));
        CPU_CLR(64, s);
        CPU_CLR(CPU_SETSIZE + 5, s);
        assertFalse(CPU_ISSET(64, s));
        assertEquals("{0, 63, 1023}", s.toString());
        CPU_ZERO(s);
        assertEquals(0, CPU_COUNT(s));
        assertEquals(new cpu_set_t(), s);
    }

    /** A null set or handle is EINVAL, a size above the set's SIZEOF EINVAL, a dead handle ESRCH. */
    @Test
    void badArguments() {
        cpu_set_t s = new cpu_set_t();
        CPU_SET(0, s);
        assertEquals(EINVAL, pthread_setaffinity_np(null, cpu_set_t.SIZEOF, s));
        assertEquals(EINVAL, pthread_setaffinity_np(pthread_self(), cpu_set_t.SIZEOF, null));
        assertEquals(EINVAL, pthread_getaffinity_np(pthread_self(), cpu_set_t.SIZEOF + 8, s));
        assertEquals(EINVAL, pthread_setaffinity_np(pthread_self(), -1, s));
        assertEquals(ESRCH, pthread_getaffinity_np(new pthread_t(), cpu_set_t.SIZEOF, s));
        pthread_t t = start(arg -> null);
        join(t);
        assertEquals(ESRCH, pthread_setaffinity_np(t, cpu_set_t.SIZEOF, s));
    }

    /** sched_getcpu names one of the CPUs the caller may run on. */
    @Test
    void getcpuIsAllowed() {
        cpu_set_t s = new cpu_set_t();
        assertEquals(0, pthread_getaffinity_np(pthread_self(), cpu_set_t.SIZEOF, s));
        int cpu = sched_getcpu();
        assertTrue(CPU_ISSET(cpu, s), cpu + " in " + s);
    }

    /**
     * On native a pthread pinned to one CPU runs there: sched_getcpu answers that CPU right
     * after the call, as in C (the kernel moves the caller before it returns). Native only: a
     * user-level model stores the mask and its carriers decide the CPU.
     */
    @Test
    void pinningMovesTheKernelThread() {
        Assumptions.assumeTrue(onNative(), "a user-level thread's mask binds nothing");
        Object r = join(start(arg -> {
            cpu_set_t all = new cpu_set_t();
            pthread_getaffinity_np(pthread_self(), cpu_set_t.SIZEOF, all);
            StringBuilder b = new StringBuilder();
            for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
                if (CPU_ISSET(cpu, all)) {
                    cpu_set_t one = new cpu_set_t();
                    CPU_SET(cpu, one);
                    int set = pthread_setaffinity_np(pthread_self(), cpu_set_t.SIZEOF, one);
                    b.append(cpu).append(':').append(set).append('@').append(sched_getcpu()).append(' ');
                }
            }
            return b.toString().trim();
        }));
        for (String pin : ((String) r).split(" ")) {
            String cpu = pin.substring(0, pin.indexOf(':'));
            assertEquals(cpu + ":0@" + cpu, pin);
        }
    }
}
