package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pthread4j.Pthreads.*;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pthread4j.*;

/**
 * Robustness of the seam between Java and the thread model: thousands of pthreads created,
 * joined or detached, leave no kernel threads, file descriptors or memory behind. Measured
 * before and after, on every backend (on native each pthread is a kernel thread and its
 * stack; elsewhere a virtual thread).
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS) // a hang; the pace of 40,000 pthreads is the machine's
class SeamRobustnessTest {

    static int count(String dir) {
        String[] entries = new File(dir).list();
        return entries == null ? -1 : entries.length;
    }

    static long rss() throws Exception {
        String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
        return Long.parseLong(statm[1]) * 4096;
    }

    /**
     * Resident memory outside the Java heap: RSS less the heap's committed size, so that the
     * heap growing (G1 grows it when its collections take longer, as on a busy machine)
     * does not count as a leak; the heap itself is measured by {@link #heapUsedAfterGc}.
     */
    static long rssBesideHeap() throws Exception {
        return rss() - ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
    }

    /** The live Java heap: used bytes after a full collection. */
    static long heapUsedAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** One round: 5,000 pthreads joined and 5,000 detached, all ended. */
    static void round() throws Exception {
        AtomicInteger ended = new AtomicInteger();
        StartRoutine body = arg -> {
            ended.incrementAndGet();
            return arg;
        };
        pthread_attr_t detached = new pthread_attr_t();
        assertEquals(0, pthread_attr_init(detached));
        assertEquals(0, pthread_attr_setdetachstate(detached, PTHREAD_CREATE_DETACHED));
        pthread_t t = new pthread_t();
        for (int i = 0; i < 5_000; i++) {
            assertEquals(0, pthread_create(t, null, body, i));
            Object[] ret = new Object[1];
            assertEquals(0, pthread_join(t, ret));
            assertEquals(i, ret[0]);
            assertEquals(0, pthread_create(new pthread_t(), detached, body, i));
        }
        TestSupport.awaitProgress(() -> 10_000 - ended.get(), "all 10,000 pthreads ran");
    }

    /** Kernel tasks and file descriptors come back to where they were; memory does not grow round after round. */
    @Test
    void tenThousandPthreadsLeaveNothingBehind() throws Exception {
        round(); // warm-up: class loading, JIT, pools, glibc's stack cache
        long heap0 = heapUsedAfterGc();
        int tasks0 = count("/proc/self/task");
        int fds0 = count("/proc/self/fd");
        long rss0 = rssBesideHeap();
        for (int r = 0; r < 3; r++) {
            round();
        }
        // the last kernel threads of detached pthreads may still be leaving, at the machine's pace
        TestSupport.awaitProgress(() -> count("/proc/self/task") - (tasks0 + 2), "the kernel tasks return to " + tasks0);
        long heap1 = heapUsedAfterGc();
        int tasks1 = count("/proc/self/task");
        int fds1 = count("/proc/self/fd");
        long rss1 = rssBesideHeap();
        System.out.printf("after 30,000 pthreads: tasks %d -> %d, fds %d -> %d, RSS beside the heap %d -> %d KiB,"
                + " live heap %d -> %d KiB%n", tasks0, tasks1, fds0, fds1, rss0 / 1024, rss1 / 1024, heap0 / 1024, heap1 / 1024);
        assertTrue(tasks1 <= tasks0 + 2, "kernel tasks " + tasks0 + " -> " + tasks1);
        assertTrue(fds1 <= fds0 + 2, "file descriptors " + fds0 + " -> " + fds1);
        // 30,000 more pthreads after the warm-up round: a leak of even 1 KiB each would show
        assertTrue(rss1 - rss0 < 24L << 20, "RSS beside the heap grew by " + (rss1 - rss0) / 1024 + " KiB");
        assertTrue(heap1 - heap0 < 24L << 20, "the live heap grew by " + (heap1 - heap0) / 1024 + " KiB");
    }
}
