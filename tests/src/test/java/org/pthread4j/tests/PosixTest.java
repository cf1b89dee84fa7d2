package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pthread4j.Pthreads.*;

import java.io.File;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pthread4j.posix.Posix;
import org.pthread4j.posix.SystemCalls;
import org.pthread4j.posix.rusage;

/** The real system calls of org.pthread4j.posix, through both bindings (FFM and jnr-posix). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PosixTest {

    static Stream<SystemCalls> bindings() {
        return Stream.of(Posix.ffm(), Posix.jnr());
    }

    /** pipe(2), write(2), read(2) and close(2) move bytes and report counts, as in C. */
    @ParameterizedTest
    @MethodSource("bindings")
    void pipeWriteReadClose(SystemCalls sys) {
        int[] fds = new int[2];
        assertEquals(0, sys.pipe(fds));
        assertTrue(fds[0] >= 0 && fds[1] >= 0 && fds[0] != fds[1]);
        byte[] hello = "hello".getBytes();
        assertEquals(5, sys.write(fds[1], hello, 5));
        byte[] in = new byte[16];
        assertEquals(5, sys.read(fds[0], in, 16));
        assertArrayEquals(hello, java.util.Arrays.copyOf(in, 5));
        assertEquals(0, sys.close(fds[1]));
        assertEquals(0, sys.read(fds[0], in, 16), "end of file once the write end is closed");
        assertEquals(0, sys.close(fds[0]));
    }

    /** A call on a closed descriptor returns -1 and sets the calling thread's errno to EBADF. */
    @ParameterizedTest
    @MethodSource("bindings")
    void closedDescriptorGivesEbadf(SystemCalls sys) {
        int[] fds = new int[2];
        assertEquals(0, sys.pipe(fds));
        assertEquals(0, sys.close(fds[0]));
        assertEquals(0, sys.close(fds[1]));
        errno(0);
        assertEquals(-1, sys.read(fds[0], new byte[1], 1));
        assertEquals(EBADF, errno());
        errno(0);
        assertEquals(-1, sys.close(fds[1]));
        assertEquals(EBADF, errno());
    }

    /** Both bindings see the same process id, which is the JVM's. */
    @Test
    void getpidAgrees() {
        long pid = ProcessHandle.current().pid();
        assertEquals(pid, Posix.ffm().getpid());
        assertEquals(pid, Posix.jnr().getpid());
    }

    /** gettid names a task of this process; jnr-posix lacks it and answers ENOSYS. */
    @Test
    void gettidIsATaskOfThisProcess() {
        int tid = Posix.gettid();
        assertTrue(new java.io.File("/proc/self/task/" + tid).exists(), "tid " + tid);
        errno(0);
        assertEquals(-1, Posix.jnr().gettid());
        assertEquals(ENOSYS, errno());
    }

    /** sched_getcpu returns a CPU this process may run on. */
    @Test
    void schedGetcpuInRange() {
        int cpu = Posix.sched_getcpu();
        assertTrue(cpu >= 0 && cpu < Runtime.getRuntime().availableProcessors() * 4, "cpu " + cpu);
    }

    /** Per-thread rusage grows with CPU work and counts context switches of the calling thread. */
    @Test
    void threadRusageCountsWork() throws Exception {
        Throwable[] failure = {null};
        Thread t = new Thread(() -> {
          try {
            rusage before = new rusage();
            assertEquals(0, Posix.getrusage_thread(before));
            long x = 0;
            for (int i = 0; i < 50_000_000; i++) {
                x += i ^ (x >>> 3);
            }
            try {
                Thread.sleep(5); // one voluntary switch at least
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            rusage after = new rusage();
            assertEquals(0, Posix.getrusage_thread(after));
            assertTrue(after.utime_ns + after.stime_ns > before.utime_ns + before.stime_ns, after + " vs " + before + " " + x);
            assertTrue(after.nvcsw > before.nvcsw, after + " vs " + before);
          } catch (Throwable e) {
            failure[0] = e;
          }
        });
        t.start();
        t.join();
        if (failure[0] != null) {
            throw new AssertionError("in the measured thread", failure[0]);
        }
    }

    /** Null or short out-parameters give -1 with EFAULT instead of a crash. */
    @ParameterizedTest
    @MethodSource("bindings")
    void badBuffersGiveEfault(SystemCalls sys) {
        errno(0);
        assertEquals(-1, sys.pipe(new int[1]));
        assertEquals(EFAULT, errno());
        errno(0);
        assertEquals(-1, sys.read(0, null, 1));
        assertEquals(EFAULT, errno());
        errno(0);
        assertEquals(-1, sys.write(1, new byte[1], 2));
        assertEquals(EFAULT, errno());
    }

    /**
     * jnr-posix is optional: with it and its dependencies off the class path, pthreads and the
     * FFM calls work, and Posix.jnr() fails with a message that names the missing dependency.
     */
    @Test
    void jnrPosixIsOptional() throws Exception {
        List<String> cmd = TestSupport.childJvm(PosixWithoutJnr.class);
        int cp = cmd.indexOf("-cp") + 1;
        String withoutJnr = Stream.of(cmd.get(cp).split(File.pathSeparator))
                .filter(e -> !e.contains("/com/github/jnr/") && !e.contains("/org/ow2/asm/"))
                .collect(Collectors.joining(File.pathSeparator));
        assertTrue(cmd.get(cp).contains("jnr-posix") && !withoutJnr.contains("jnr"), withoutJnr);
        cmd.set(cp, withoutJnr);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the child did not end");
        assertEquals(0, p.exitValue(), out);
        assertEquals(List.of("pthread 0 0 true", "jnr: Posix.jnr() needs jnr-posix, an optional dependency of pthread4j: "
                + "add com.github.jnr:jnr-posix (3.1.20) to the class path (on the module path, and "
                + "--add-modules ALL-MODULE-PATH)"), out.lines().toList());
    }
}
