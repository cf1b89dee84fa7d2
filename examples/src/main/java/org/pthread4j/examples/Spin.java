package org.pthread4j.examples;

import static org.pthread4j.Pthreads.*;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.pthread4j.pthread_t;
import org.pthread4j.timespec;

/**
 * spin: busy threads, and a thread created after them that would release them. Port of
 * {@code examples/spin/spin.c}.
 *
 * <p>SPINNERS pthreads (default: one per CPU) wait for a flag in a busy loop,
 * {@code while (flag == 0)}, never blocking and never calling the thread library. A setter
 * pthread, created after them, sets the flag. main waits up to TIMEOUT_MS (default 1000) for
 * the setter to run and every spinner to end; if the setter has not run by then, main sets the
 * flag itself, so that the program ends either way, and says so.
 *
 * <p>Lesson: a busy thread gives its processor up only if something takes it away. On
 * {@code native} (1:1) the kernel time-slices kernel threads: the setter runs at once. On
 * {@code gmp} (M:N) sysmon takes the processor of a pthread that runs past its 10 ms time slice
 * without calling in and hands it to another kernel thread: the setter runs after about one
 * slice. Nothing preempts a virtual thread: on {@code green} (M:1) the first spinner keeps the
 * only carrier, and on {@code virtual} (M:N) as many spinners as cores keep every carrier: the
 * setter never runs. With fewer spinners than processors, a processor is simply free. (main is
 * a platform thread outside the model, so it can still time out and set the flag.)
 */
public final class Spin {

    static volatile int flag;
    static final AtomicInteger ended = new AtomicInteger();
    static final AtomicLong setter_ran_ms = new AtomicLong(-1);
    static long created_ms;

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

    static Object spinner(Object arg) {
        while (flag == 0) {
            // busy-wait: no call, no block
        }
        ended.getAndAdd(1);
        return null;
    }

    static Object setter(Object arg) {
        setter_ran_ms.set(now_ms() - created_ms);
        flag = 1;
        return null;
    }

    public static void main(String[] args) {
        int cpus = Runtime.getRuntime().availableProcessors();
        int spinners = args.length > 0 ? Integer.parseInt(args[0]) : cpus;
        long timeout_ms = args.length > 1 ? Long.parseLong(args[1]) : 1000;
        if (spinners < 1 || timeout_ms < 1) {
            System.err.printf("usage: spin [spinners >= 1] [timeout_ms >= 1]%n");
            System.exit(2);
        }
        pthread_t[] t = new pthread_t[spinners];
        pthread_t s = new pthread_t();
        System.out.printf("%d spinner%s busy-wait%s on a flag that a setter thread, created after them, sets%n",
                spinners, spinners == 1 ? "" : "s", spinners == 1 ? "s" : "");
        for (int i = 0; i < spinners; i++) {
            t[i] = new pthread_t();
            check(pthread_create(t[i], null, Spin::spinner, null), "pthread_create");
        }
        created_ms = now_ms();
        check(pthread_create(s, null, Spin::setter, null), "pthread_create");

        while ((setter_ran_ms.get() < 0 || ended.get() < spinners)
                && now_ms() - created_ms < timeout_ms) {
            usleep(1000);
        }
        long ran = setter_ran_ms.get();
        if (ran < 0) {
            System.out.printf("setter: had not run %d ms after it was created; main sets the flag%n", timeout_ms);
            flag = 1;               // so that the spinners end
        } else {
            System.out.printf("setter: ran %d ms after it was created%n", ran);
        }
        for (int i = 0; i < spinners; i++) {
            check(pthread_join(t[i], null), "pthread_join");
        }
        check(pthread_join(s, null), "pthread_join");
        System.out.printf("every spinner saw the flag and ended: %s%n", ended.get() == spinners ? "yes" : "no");

        if (ran < 0) {
            System.out.printf("  the setter never ran: the spinners held every kernel thread the threads run on, and nothing%n"
                    + "  preempts a thread that never blocks (M:1 has one; M:N without preemption has one per core)%n");
        } else if (spinners < cpus) {
            System.out.printf("  a processor was free: fewer spinners than processors%n");
        } else {
            System.out.printf("  the busy threads did not keep the setter from running: the kernel time-slices kernel threads%n"
                    + "  (1:1), and gmp takes the processor of a pthread that runs past its time slice (M:N)%n");
        }
    }
}
