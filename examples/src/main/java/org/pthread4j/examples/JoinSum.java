package org.pthread4j.examples;

import static org.pthread4j.Pthreads.*;

import org.pthread4j.pthread_t;

/**
 * join-sum: split 1 + 2 + ... + N over T threads; each thread hands its partial sum back to
 * main as its exit value, through return or pthread_exit, and main collects them with
 * pthread_join. Port of {@code examples/join-sum/join-sum.c}.
 *
 * <p>Lesson: a thread's exit value is an {@code Object} that pthread_join delivers into a
 * one-element array; return from the start routine and pthread_exit do the same thing.
 */
public final class JoinSum {

    static final class slice {
        int id;
        long first;
        long last;
    }

    static void check(int rc, String what) {
        if (rc != 0) {
            System.err.printf("%s: %s%n", what, strerror(rc));
            System.exit(1);
        }
    }

    static Object sum_slice(Object arg) {
        slice s = (slice) arg;
        long sum = 0;
        for (long i = s.first; i <= s.last; i++) {
            sum += i;
        }
        if (s.id % 2 == 0) {
            return sum;         // even threads return their result ...
        }
        pthread_exit(sum);      // ... odd ones exit with it: the same
        return null;            // not reached: pthread_exit unwinds the thread
    }

    public static void main(String[] args) {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 1000000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        if (n < 1 || threads < 1) {
            System.err.printf("usage: join-sum [n] [threads]%n");
            System.exit(2);
        }
        pthread_t[] t = new pthread_t[threads];
        slice[] slices = new slice[threads];

        for (int i = 0; i < threads; i++) {
            slices[i] = new slice();
            slices[i].id = i;
            slices[i].first = n * i / threads + 1;
            slices[i].last = n * (i + 1) / threads;
            t[i] = new pthread_t();
            check(pthread_create(t[i], null, JoinSum::sum_slice, slices[i]), "pthread_create");
        }

        long total = 0;
        for (int i = 0; i < threads; i++) {
            Object[] result = new Object[1];
            check(pthread_join(t[i], result), "pthread_join");
            long partial = (Long) result[0];
            System.out.printf("thread %d: sum of %d..%d = %d%n", i, slices[i].first, slices[i].last, partial);
            total += partial;
        }

        long expected = n * (n + 1) / 2;
        System.out.printf("sum = %d (expected %d): %s%n", total, expected, total == expected ? "ok" : "WRONG");
        if (total != expected) {
            System.exit(1);
        }
    }
}
