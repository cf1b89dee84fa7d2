package org.pthread4j.examples;

import static org.pthread4j.Pthreads.*;

import org.pthread4j.pthread_cond_t;
import org.pthread4j.pthread_mutex_t;
import org.pthread4j.pthread_t;
import org.pthread4j.sem_t;

/**
 * cancel: deferred cancellation and cleanup handlers. Port of {@code examples/cancel/cancel.c}.
 *
 * <ul>
 *   <li>waiter: takes a buffer and the mutex, pushes a cleanup handler for each, and waits on
 *       a condition nobody signals. pthread_cond_wait is a cancellation point: when main
 *       cancels, the wait reacquires the mutex and the handlers run, innermost first, freeing
 *       the buffer and unlocking the mutex. pthread_join yields PTHREAD_CANCELED.</li>
 *   <li>stubborn: disables cancellation for its critical section. A cancel that arrives
 *       meanwhile stays pending, even through usleep (itself a cancellation point), and acts
 *       only at the next cancellation point after it is enabled again: here
 *       pthread_testcancel.</li>
 * </ul>
 *
 * <p>Lesson: cancellation is a request that acts at well-defined points, and cleanup handlers
 * are how a cancelled thread gives back what it holds. In Java, pthread_cleanup_push/pop are
 * plain calls (in C they are macros that open and close a block), and the cancelled thread
 * unwinds by an {@link Error}: never catch {@code Throwable} around a cancellation point.
 */
public final class Cancel {

    static final int STEPS = 5;

    static final pthread_mutex_t lock = new pthread_mutex_t();
    static final pthread_cond_t never = new pthread_cond_t();     // nobody signals it
    static final pthread_cond_t started = new pthread_cond_t();
    static boolean waiting, signalled;
    static final sem_t in_critical_section = new sem_t();

    static void check(int rc, String what) {
        if (rc != 0) {
            System.err.printf("%s: %s%n", what, strerror(rc));
            System.exit(1);
        }
    }

    static void check_sem(int rc, String what) {
        if (rc != 0) {
            System.err.printf("%s: %s%n", what, strerror(errno()));
            System.exit(1);
        }
    }

    static void free_buffer(Object arg) {
        System.out.printf("  cleanup: freeing the waiter's buffer%n");
    }

    static void unlock_mutex(Object arg) {
        System.out.printf("  cleanup: unlocking the mutex the waiter held%n");
        check(pthread_mutex_unlock((pthread_mutex_t) arg), "pthread_mutex_unlock");
    }

    static void say(Object arg) {
        System.out.printf("  cleanup: %s%n", (String) arg);
    }

    static Object waiter(Object arg) {
        byte[] buffer = new byte[4096];
        pthread_cleanup_push(Cancel::free_buffer, buffer);
        check(pthread_mutex_lock(lock), "pthread_mutex_lock");
        pthread_cleanup_push(Cancel::unlock_mutex, lock);

        waiting = true;
        System.out.printf("waiter: holds a buffer and the mutex, waits on a condition nobody signals%n");
        check(pthread_cond_signal(started), "pthread_cond_signal");
        while (!signalled) {
            check(pthread_cond_wait(never, lock), "pthread_cond_wait");   // a cancellation point
        }

        pthread_cleanup_pop(1);
        pthread_cleanup_pop(1);
        return null;
    }

    static Object stubborn(Object arg) {
        int[] oldstate = new int[1];
        pthread_cleanup_push(Cancel::say, "the stubborn worker was cancelled at pthread_testcancel");
        check(pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, oldstate), "pthread_setcancelstate");
        check_sem(sem_post(in_critical_section), "sem_post");

        int steps;
        for (steps = 0; steps < STEPS; steps++) {
            usleep(20000);          // a cancellation point, but cancellation is disabled
        }
        System.out.printf("stubborn: finished all %d steps of its critical section%n", steps);

        check(pthread_setcancelstate(oldstate[0], null), "pthread_setcancelstate");
        pthread_testcancel();       // the pending cancel acts here
        System.out.printf("stubborn: this line is never printed%n");
        pthread_cleanup_pop(0);
        return null;
    }

    public static void main(String[] args) {
        pthread_t t = new pthread_t();
        Object[] result = new Object[1];

        check(pthread_create(t, null, Cancel::waiter, null), "pthread_create");
        check(pthread_mutex_lock(lock), "pthread_mutex_lock");
        while (!waiting) {
            check(pthread_cond_wait(started, lock), "pthread_cond_wait");
        }
        check(pthread_mutex_unlock(lock), "pthread_mutex_unlock");      // the waiter is in its wait now
        System.out.printf("main: cancelling the waiter%n");
        check(pthread_cancel(t), "pthread_cancel");
        check(pthread_join(t, result), "pthread_join");
        boolean ok1 = result[0] == PTHREAD_CANCELED;
        System.out.printf("main: waiter joined, exit value is PTHREAD_CANCELED: %s%n", ok1 ? "yes" : "NO");
        int rc = pthread_mutex_trylock(lock);
        boolean ok2 = rc == 0;
        System.out.printf("main: the mutex is free again: %s%n", ok2 ? "yes" : "NO");
        if (rc == 0) {
            check(pthread_mutex_unlock(lock), "pthread_mutex_unlock");
        }

        check_sem(sem_init(in_critical_section, 0, 0), "sem_init");
        check(pthread_create(t, null, Cancel::stubborn, null), "pthread_create");
        check_sem(sem_wait(in_critical_section), "sem_wait");
        System.out.printf("main: cancelling the stubborn worker inside its critical section%n");
        check(pthread_cancel(t), "pthread_cancel");
        check(pthread_join(t, result), "pthread_join");
        boolean ok3 = result[0] == PTHREAD_CANCELED;
        System.out.printf("main: stubborn worker joined, exit value is PTHREAD_CANCELED: %s%n", ok3 ? "yes" : "NO");
        check_sem(sem_destroy(in_critical_section), "sem_destroy");
        if (!(ok1 && ok2 && ok3)) {
            System.exit(1);
        }
    }
}
