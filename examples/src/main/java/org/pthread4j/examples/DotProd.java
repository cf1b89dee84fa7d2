package org.pthread4j.examples;

import static org.pthread4j.Pthreads.*;

import org.pthread4j.pthread_mutex_t;
import org.pthread4j.pthread_t;

/**
 * dotprod: the dot product of two vectors, each thread taking one slice and adding its
 * partial result to a global sum under a mutex. Port of {@code examples/dotprod/dotprod.c}.
 *
 * <p>Lesson: shared data written by several threads needs a lock; keep the work outside the
 * critical section and only the update inside it.
 */
public final class DotProd {

    static double[] a, b;
    static int len;                 // elements per thread
    static double sum;
    static final pthread_mutex_t sum_lock = new pthread_mutex_t();

    static void check(int rc, String what) {
        if (rc != 0) {
            System.err.printf("%s: %s%n", what, strerror(rc));
            System.exit(1);
        }
    }

    static Object dotprod(Object arg) {
        int id = (Integer) arg;
        int start = id * len, end = start + len;
        double mysum = 0;
        for (int i = start; i < end; i++) {
            mysum += a[i] * b[i];
        }

        check(pthread_mutex_lock(sum_lock), "pthread_mutex_lock");
        sum += mysum;
        System.out.printf("thread %d: elements %d..%d, partial sum %.1f%n", id, start, end - 1, mysum);
        check(pthread_mutex_unlock(sum_lock), "pthread_mutex_unlock");
        return null;
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        len = args.length > 1 ? Integer.parseInt(args[1]) : 250000;
        if (threads < 1 || len < 1) {
            System.err.printf("usage: dotprod [threads] [length-per-thread]%n");
            System.exit(2);
        }
        a = new double[threads * len];
        b = new double[threads * len];
        for (int i = 0; i < threads * len; i++) {
            a[i] = i % 10;
            b[i] = 1 + i % 3;
        }

        pthread_t[] t = new pthread_t[threads];
        for (int i = 0; i < threads; i++) {
            t[i] = new pthread_t();
            check(pthread_create(t[i], null, DotProd::dotprod, i), "pthread_create");
        }
        for (int i = 0; i < threads; i++) {
            check(pthread_join(t[i], null), "pthread_join");
        }

        double expected = 0;
        for (int i = 0; i < threads * len; i++) {
            expected += a[i] * b[i];
        }
        System.out.printf("dot product = %.1f (sequential: %.1f): %s%n", sum, expected, sum == expected ? "ok" : "WRONG");
        if (sum != expected) {
            System.exit(1);
        }
    }
}
