package org.pthread4j.examples;

import static org.pthread4j.Pthreads.*;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.pthread4j.posix.Posix;
import org.pthread4j.pthread_t;
import org.pthread4j.timespec;

/**
 * blocking: what one blocking system call does to the other threads. Port of
 * {@code examples/blocking/blocking.c}.
 *
 * <p>COUNTERS threads each count one tick per millisecond (usleep between ticks). After a
 * baseline, a reader thread calls {@code read()} on an empty pipe, which blocks in the
 * kernel; main writes one byte after about a second, and the read returns. The program prints
 * how fast each counter ticked while the reader was blocked, relative to its normal rate.
 *
 * <p>Lesson: a blocking system call blocks the kernel thread that makes it. On {@code native}
 * (1:1) that is only the reader: the counters keep their rate. On {@code green} (M:1) the
 * reader's kernel thread is the only carrier there is: every pthread freezes until the read
 * returns (main is a platform thread outside the model, so it can still write). On
 * {@code virtual} (M:N) the reader pins one carrier and the others carry on, given a second
 * carrier (with one core there is none, and virtual freezes as green does).
 */
public final class Blocking {

    static final int COUNTERS = 3;
    static final int BASELINE_MS = 300;
    static final int BLOCK_MS = 1000;

    static final AtomicLongArray counts = new AtomicLongArray(COUNTERS);
    static final AtomicInteger stop = new AtomicInteger(), reading = new AtomicInteger();
    static final int[] fds = new int[2];
    static long blocked_ms;

    static void check(int rc, String what) {
        if (rc != 0) {
            System.err.printf("%s: %s%n", what, strerror(rc));
            System.exit(1);
        }
    }

    static long now_ms() {
        timespec ts = new timespec();
        clock_gettime(CLOCK_MONOTONIC, ts);
        return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    }

    static Object counter(Object arg) {
        int id = (Integer) arg;
        while (stop.get() == 0) {
            counts.getAndAdd(id, 1);
            usleep(1000);           // one tick per millisecond, blocking in between
        }
        return null;
    }

    static Object reader(Object arg) {
        byte[] buf = new byte[1];
        long start = now_ms();
        reading.set(1);
        if (Posix.read(fds[0], buf, 1) != 1) {      // blocks: the pipe is empty
            System.err.printf("read: %s%n", strerror(errno()));
            System.exit(1);
        }
        blocked_ms = now_ms() - start;
        return null;
    }

    static void snapshot(long[] ticks) {
        for (int i = 0; i < COUNTERS; i++) {
            ticks[i] = counts.get(i);
        }
    }

    public static void main(String[] args) {
        if (Posix.pipe(fds) != 0) {
            System.err.printf("pipe: %s%n", strerror(errno()));
            System.exit(1);
        }
        pthread_t[] counters = new pthread_t[COUNTERS];
        pthread_t r = new pthread_t();
        for (int i = 0; i < COUNTERS; i++) {
            counters[i] = new pthread_t();
            check(pthread_create(counters[i], null, Blocking::counter, i), "pthread_create");
        }

        long[] s0 = new long[COUNTERS], s1 = new long[COUNTERS], s2 = new long[COUNTERS], s3 = new long[COUNTERS];
        snapshot(s0);
        usleep(BASELINE_MS * 1000);
        snapshot(s1);

        check(pthread_create(r, null, Blocking::reader, null), "pthread_create");
        while (reading.get() == 0) {
            usleep(100);
        }
        snapshot(s2);
        usleep(BLOCK_MS * 1000);
        snapshot(s3);
        if (Posix.write(fds[1], new byte[] {'x'}, 1) != 1) {    // wake the reader
            System.err.printf("write: %s%n", strerror(errno()));
            System.exit(1);
        }
        check(pthread_join(r, null), "pthread_join");
        stop.set(1);
        for (int i = 0; i < COUNTERS; i++) {
            check(pthread_join(counters[i], null), "pthread_join");
        }
        Posix.close(fds[0]);
        Posix.close(fds[1]);

        double sum = 0;
        for (int i = 0; i < COUNTERS; i++) {
            long before = s1[i] - s0[i], during = s3[i] - s2[i];
            double rate = before == 0 ? 0 : ((double) during / BLOCK_MS) / ((double) before / BASELINE_MS);
            System.out.printf("counter %d: %d ticks in %d ms before; %d ticks in %d ms while the reader was blocked: %.2f of its rate%n",
                    i, before, BASELINE_MS, during, BLOCK_MS, rate);
            sum += rate;
        }
        double rate = sum / COUNTERS;
        System.out.printf("reader: read() blocked for %d ms%n", blocked_ms);
        System.out.printf("while one thread was blocked in read(), the others ran at %.2f of their normal rate:%n", rate);
        if (rate < 0.05) {
            System.out.printf("  every thread froze: the blocked thread held the only kernel thread they run on (M:1)%n");
        } else if (rate > 0.5) {
            System.out.printf("  the others kept going: the blocked thread held only a kernel thread of its own%n");
        } else {
            System.out.printf("  the others slowed down: they shared fewer kernel threads than before%n");
        }
    }
}
