package org.pthread4j.examples;

import static org.pthread4j.Pthreads.*;

import org.pthread4j.pthread_cond_t;
import org.pthread4j.pthread_mutex_t;
import org.pthread4j.pthread_t;

/**
 * watch-count: two threads increment a shared count; a watcher thread sleeps on a condition
 * variable until the count reaches a threshold, then adds a bonus. Port of
 * {@code examples/watch-count/watch-count.c}.
 *
 * <p>Lesson: wait for a condition in a loop that tests the predicate under the mutex. If the
 * watcher starts late, the threshold may already be passed and nobody will signal again: the
 * loop test, not the signal, is what counts.
 */
public final class WatchCount {

    static final int INC_THREADS = 2;
    static final int INCREMENTS = 10;
    static final int COUNT_LIMIT = 12;
    static final int BONUS = 125;

    static int count;
    static final pthread_mutex_t count_mutex = new pthread_mutex_t();
    static final pthread_cond_t count_threshold = new pthread_cond_t();

    static void check(int rc, String what) {
        if (rc != 0) {
            System.err.printf("%s: %s%n", what, strerror(rc));
            System.exit(1);
        }
    }

    static Object inc_count(Object arg) {
        int id = (Integer) arg;
        for (int i = 0; i < INCREMENTS; i++) {
            check(pthread_mutex_lock(count_mutex), "pthread_mutex_lock");
            count++;
            System.out.printf("inc %d: count = %d%n", id, count);
            if (count == COUNT_LIMIT) {
                System.out.printf("inc %d: threshold %d reached, signalling the watcher%n", id, COUNT_LIMIT);
                check(pthread_cond_signal(count_threshold), "pthread_cond_signal");
            }
            check(pthread_mutex_unlock(count_mutex), "pthread_mutex_unlock");
            usleep(1000);   // let the other threads in
        }
        return null;
    }

    static Object watch_count(Object arg) {
        check(pthread_mutex_lock(count_mutex), "pthread_mutex_lock");
        while (count < COUNT_LIMIT) {
            System.out.printf("watch: count = %d, waiting%n", count);
            check(pthread_cond_wait(count_threshold, count_mutex), "pthread_cond_wait");
        }
        System.out.printf("watch: count = %d >= %d, adding %d%n", count, COUNT_LIMIT, BONUS);
        count += BONUS;
        check(pthread_mutex_unlock(count_mutex), "pthread_mutex_unlock");
        return null;
    }

    public static void main(String[] args) {
        pthread_t[] threads = new pthread_t[INC_THREADS + 1];
        threads[0] = new pthread_t();
        check(pthread_create(threads[0], null, WatchCount::watch_count, null), "pthread_create");
        for (int i = 1; i <= INC_THREADS; i++) {
            threads[i] = new pthread_t();
            check(pthread_create(threads[i], null, WatchCount::inc_count, i), "pthread_create");
        }
        for (int i = 0; i <= INC_THREADS; i++) {
            check(pthread_join(threads[i], null), "pthread_join");
        }

        int expected = INC_THREADS * INCREMENTS + BONUS;
        System.out.printf("final count = %d (expected %d): %s%n", count, expected, count == expected ? "ok" : "WRONG");
        if (count != expected) {
            System.exit(1);
        }
    }
}
