package org.pthread4j.examples;

import static org.pthread4j.Pthreads.*;

import org.pthread4j.pthread_cond_t;
import org.pthread4j.pthread_mutex_t;
import org.pthread4j.pthread_t;

/**
 * bounded-buffer: producers and consumers share a ring buffer of a few slots, guarded by one
 * mutex and two condition variables: not_full (producers wait on it) and not_empty
 * (consumers wait on it). When the producers are done, main puts one DONE marker per
 * consumer. Port of {@code examples/bounded-buffer/bounded-buffer.c}.
 *
 * <p>Lesson: one condition variable per reason to wait; each side signals the condition the
 * other side waits for, and every wait sits in a while loop.
 */
public final class BoundedBuffer {

    static final int SIZE = 4;
    static final int PRODUCERS = 3;
    static final int CONSUMERS = 2;
    static final int DONE = 0;                  // items are 1 .. PRODUCERS * items

    static final int[] buffer = new int[SIZE];
    static int in, out, count;
    static final pthread_mutex_t lock = new pthread_mutex_t();
    static final pthread_cond_t not_full = new pthread_cond_t();
    static final pthread_cond_t not_empty = new pthread_cond_t();

    static int items;                           // per producer
    static int[] seen;                          // seen[item]: how often it was consumed

    static final class tally {
        long n;
        long sum;
    }

    static void check(int rc, String what) {
        if (rc != 0) {
            System.err.printf("%s: %s%n", what, strerror(rc));
            System.exit(1);
        }
    }

    static void put(int item) {
        check(pthread_mutex_lock(lock), "pthread_mutex_lock");
        while (count == SIZE) {
            check(pthread_cond_wait(not_full, lock), "pthread_cond_wait");
        }
        buffer[in] = item;
        in = (in + 1) % SIZE;
        count++;
        check(pthread_cond_signal(not_empty), "pthread_cond_signal");
        check(pthread_mutex_unlock(lock), "pthread_mutex_unlock");
    }

    static int get() {
        check(pthread_mutex_lock(lock), "pthread_mutex_lock");
        while (count == 0) {
            check(pthread_cond_wait(not_empty, lock), "pthread_cond_wait");
        }
        int item = buffer[out];
        out = (out + 1) % SIZE;
        count--;
        check(pthread_cond_signal(not_full), "pthread_cond_signal");
        check(pthread_mutex_unlock(lock), "pthread_mutex_unlock");
        return item;
    }

    static Object producer(Object arg) {
        int id = (Integer) arg;
        for (int i = 1; i <= items; i++) {
            put(id * items + i);
        }
        return null;
    }

    static Object consumer(Object arg) {
        tally t = new tally();
        for (;;) {
            int item = get();
            if (item == DONE) {
                break;
            }
            seen[item]++;   // each item is taken by one consumer only: no race
            t.n++;
            t.sum += item;
        }
        return t;
    }

    public static void main(String[] args) {
        items = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        if (items < 1) {
            System.err.printf("usage: bounded-buffer [items-per-producer]%n");
            System.exit(2);
        }
        seen = new int[PRODUCERS * items + 1];
        pthread_t[] producers = new pthread_t[PRODUCERS], consumers = new pthread_t[CONSUMERS];
        for (int i = 0; i < CONSUMERS; i++) {
            consumers[i] = new pthread_t();
            check(pthread_create(consumers[i], null, BoundedBuffer::consumer, i), "pthread_create");
        }
        for (int i = 0; i < PRODUCERS; i++) {
            producers[i] = new pthread_t();
            check(pthread_create(producers[i], null, BoundedBuffer::producer, i), "pthread_create");
        }

        for (int i = 0; i < PRODUCERS; i++) {
            check(pthread_join(producers[i], null), "pthread_join");
        }
        for (int i = 0; i < CONSUMERS; i++) {
            put(DONE);
        }

        long n = 0, sum = 0;
        for (int i = 0; i < CONSUMERS; i++) {
            Object[] result = new Object[1];
            check(pthread_join(consumers[i], result), "pthread_join");
            tally t = (tally) result[0];
            System.out.printf("consumer %d took %d items%n", i, t.n);
            n += t.n;
            sum += t.sum;
        }

        long total = (long) PRODUCERS * items;
        long expected_sum = total * (total + 1) / 2;
        boolean once = true;
        for (int item = 1; item <= total; item++) {
            if (seen[item] != 1) {
                once = false;
            }
        }
        System.out.printf("produced %d items, consumed %d (expected %d)%n", total, n, total);
        System.out.printf("sum of consumed items = %d (expected %d)%n", sum, expected_sum);
        System.out.printf("every item consumed exactly once: %s%n", once ? "yes" : "NO");
        if (!(n == total && sum == expected_sum && once)) {
            System.exit(1);
        }
    }
}
