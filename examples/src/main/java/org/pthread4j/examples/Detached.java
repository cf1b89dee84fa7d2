package org.pthread4j.examples;

import static org.pthread4j.Pthreads.*;

import org.pthread4j.pthread_attr_t;
import org.pthread4j.pthread_cond_t;
import org.pthread4j.pthread_mutex_t;
import org.pthread4j.pthread_t;

/**
 * detached: start workers that nobody joins, and let main wait for them on a condition
 * variable instead. Half the workers are created detached through a thread attribute; the
 * other half detach themselves with pthread_detach. Port of {@code examples/detached/detached.c}.
 *
 * <p>Lesson: a detached thread gives its resources back by itself when it ends and cannot be
 * joined; to know when it is done, wait for something it does (here: a counter under a
 * mutex, signalled through a condition variable).
 */
public final class Detached {

    static final pthread_mutex_t lock = new pthread_mutex_t();      // PTHREAD_MUTEX_INITIALIZER
    static final pthread_cond_t all_done = new pthread_cond_t();    // PTHREAD_COND_INITIALIZER
    static int finished;
    static int workers;

    static void check(int rc, String what) {
        if (rc != 0) {
            System.err.printf("%s: %s%n", what, strerror(rc));
            System.exit(1);
        }
    }

    static Object worker(Object arg) {
        long id = (Long) arg;
        if (id % 2 == 1) {
            check(pthread_detach(pthread_self()), "pthread_detach");
        }
        usleep(1000 * (id % 4 + 1));    // some work

        check(pthread_mutex_lock(lock), "pthread_mutex_lock");
        finished++;
        System.out.printf("worker %d (%s) finished%n", id,
                id % 2 == 1 ? "detached itself" : "created detached");
        if (finished == workers) {
            check(pthread_cond_signal(all_done), "pthread_cond_signal");
        }
        check(pthread_mutex_unlock(lock), "pthread_mutex_unlock");
        return null;
    }

    public static void main(String[] args) {
        workers = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        if (workers < 1) {
            System.err.printf("usage: detached [workers]%n");
            System.exit(2);
        }
        pthread_attr_t detached = new pthread_attr_t();
        check(pthread_attr_init(detached), "pthread_attr_init");
        check(pthread_attr_setdetachstate(detached, PTHREAD_CREATE_DETACHED), "pthread_attr_setdetachstate");
        int[] state = new int[1];
        check(pthread_attr_getdetachstate(detached, state), "pthread_attr_getdetachstate");
        System.out.printf("main: attribute detach state is %s%n",
                state[0] == PTHREAD_CREATE_DETACHED ? "PTHREAD_CREATE_DETACHED" : "PTHREAD_CREATE_JOINABLE");

        for (long i = 0; i < workers; i++) {
            pthread_t t = new pthread_t();
            check(pthread_create(t, i % 2 == 0 ? detached : null, Detached::worker, i), "pthread_create");
        }
        check(pthread_attr_destroy(detached), "pthread_attr_destroy");

        check(pthread_mutex_lock(lock), "pthread_mutex_lock");
        while (finished < workers) {
            check(pthread_cond_wait(all_done, lock), "pthread_cond_wait");
        }
        System.out.printf("main: %d of %d detached workers finished, none joined%n", finished, workers);
        check(pthread_mutex_unlock(lock), "pthread_mutex_unlock");
    }
}
