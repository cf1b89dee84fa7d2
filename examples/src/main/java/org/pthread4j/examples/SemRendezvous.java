package org.pthread4j.examples;

import static org.pthread4j.Pthreads.*;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.pthread4j.pthread_mutex_t;
import org.pthread4j.pthread_t;
import org.pthread4j.sem_t;

/**
 * sem-rendezvous: three classic patterns built from semaphores alone. Port of
 * {@code examples/sem-rendezvous/sem-rendezvous.c}.
 *
 * <ul>
 *   <li>rendezvous: threads A and B each run two steps; neither may start its second step
 *       before the other has finished its first. Each posts "I arrived" and waits for the
 *       other's post.</li>
 *   <li>barrier: a reusable barrier for N threads from a counter, a semaphore used as a mutex,
 *       and two turnstiles (the second keeps a fast thread from lapping the others in the next
 *       round).</li>
 *   <li>multiplex: a semaphore initialized to K lets at most K threads into a room.</li>
 * </ul>
 *
 * <p>Lesson: a semaphore is a counter you can wait on; post never blocks, wait blocks at zero.
 * The sem_* functions return -1 and set errno(), unlike the pthread_* functions, which return
 * the error number.
 */
public final class SemRendezvous {

    static final int N = 4;                     // barrier threads
    static final int ROUNDS = 200;
    static final int GUESTS = 6;                // multiplex threads
    static final int ROOM = 2;
    static final int VISITS = 20;

    static void check(int rc, String what) {    // pthread_*: the error number
        if (rc != 0) {
            System.err.printf("%s: %s%n", what, strerror(rc));
            System.exit(1);
        }
    }

    static void check_sem(int rc, String what) { // sem_*: -1 and errno
        if (rc != 0) {
            System.err.printf("%s: %s%n", what, strerror(errno()));
            System.exit(1);
        }
    }

    // ---- rendezvous ---------------------------------------------------------------------

    static final sem_t a_arrived = new sem_t(), b_arrived = new sem_t();
    static final pthread_mutex_t log_lock = new pthread_mutex_t();
    static final String[] events = new String[4];
    static int nevents;

    static void record(String event) {
        check(pthread_mutex_lock(log_lock), "pthread_mutex_lock");
        events[nevents++] = event;
        check(pthread_mutex_unlock(log_lock), "pthread_mutex_unlock");
    }

    static int position(String event) {
        for (int i = 0; i < nevents; i++) {
            if (events[i].equals(event)) {
                return i;
            }
        }
        return -1;
    }

    static Object thread_a(Object arg) {
        record("a1");
        check_sem(sem_post(a_arrived), "sem_post");
        check_sem(sem_wait(b_arrived), "sem_wait");
        record("a2");
        return null;
    }

    static Object thread_b(Object arg) {
        record("b1");
        check_sem(sem_post(b_arrived), "sem_post");
        check_sem(sem_wait(a_arrived), "sem_wait");
        record("b2");
        return null;
    }

    // ---- reusable barrier ---------------------------------------------------------------

    static int arrived;                         // guarded by the semaphore mutex
    static final sem_t mutex = new sem_t(), turnstile1 = new sem_t(), turnstile2 = new sem_t();
    static final AtomicIntegerArray round_of = new AtomicIntegerArray(N);
    static final AtomicInteger ran_ahead = new AtomicInteger();

    static void barrier() {
        check_sem(sem_wait(mutex), "sem_wait");
        if (++arrived == N) {
            for (int i = 0; i < N; i++) {
                check_sem(sem_post(turnstile1), "sem_post");
            }
        }
        check_sem(sem_post(mutex), "sem_post");
        check_sem(sem_wait(turnstile1), "sem_wait");

        check_sem(sem_wait(mutex), "sem_wait");
        if (--arrived == 0) {
            for (int i = 0; i < N; i++) {
                check_sem(sem_post(turnstile2), "sem_post");
            }
        }
        check_sem(sem_post(mutex), "sem_post");
        check_sem(sem_wait(turnstile2), "sem_wait");
    }

    static Object round_runner(Object arg) {
        int id = (Integer) arg;
        for (int r = 1; r <= ROUNDS; r++) {
            round_of.set(id, r);
            barrier();
            for (int j = 0; j < N; j++) {       // all have reached round r; none is past r + 1
                int rj = round_of.get(j);
                if (rj < r || rj > r + 1) {
                    ran_ahead.getAndAdd(1);
                }
            }
        }
        return null;
    }

    // ---- multiplex ----------------------------------------------------------------------

    static final sem_t room = new sem_t();
    static final pthread_mutex_t inside_lock = new pthread_mutex_t();
    static int inside, max_inside;

    static Object guest(Object arg) {
        for (int v = 0; v < VISITS; v++) {
            check_sem(sem_wait(room), "sem_wait");
            check(pthread_mutex_lock(inside_lock), "pthread_mutex_lock");
            if (++inside > max_inside) {
                max_inside = inside;
            }
            check(pthread_mutex_unlock(inside_lock), "pthread_mutex_unlock");
            usleep(200);            // stay a while
            check(pthread_mutex_lock(inside_lock), "pthread_mutex_lock");
            inside--;
            check(pthread_mutex_unlock(inside_lock), "pthread_mutex_unlock");
            check_sem(sem_post(room), "sem_post");
        }
        return null;
    }

    public static void main(String[] args) {
        check_sem(sem_init(a_arrived, 0, 0), "sem_init");
        check_sem(sem_init(b_arrived, 0, 0), "sem_init");
        check_sem(sem_init(mutex, 0, 1), "sem_init");
        check_sem(sem_init(turnstile1, 0, 0), "sem_init");
        check_sem(sem_init(turnstile2, 0, 0), "sem_init");
        check_sem(sem_init(room, 0, ROOM), "sem_init");

        pthread_t a = new pthread_t(), b = new pthread_t();
        check(pthread_create(a, null, SemRendezvous::thread_a, null), "pthread_create");
        check(pthread_create(b, null, SemRendezvous::thread_b, null), "pthread_create");
        check(pthread_join(a, null), "pthread_join");
        check(pthread_join(b, null), "pthread_join");
        boolean ok1 = position("a1") < position("b2") && position("b1") < position("a2");
        System.out.printf("rendezvous: a1 and b1 both came before a2 and b2: %s%n", ok1 ? "yes" : "NO");

        pthread_t[] runners = new pthread_t[N];
        for (int i = 0; i < N; i++) {
            runners[i] = new pthread_t();
            check(pthread_create(runners[i], null, SemRendezvous::round_runner, i), "pthread_create");
        }
        for (int i = 0; i < N; i++) {
            check(pthread_join(runners[i], null), "pthread_join");
        }
        boolean ok2 = ran_ahead.get() == 0;
        System.out.printf("barrier: %d threads, %d rounds, no thread ran ahead or fell behind: %s%n", N, ROUNDS, ok2 ? "yes" : "NO");

        pthread_t[] guests = new pthread_t[GUESTS];
        for (int i = 0; i < GUESTS; i++) {
            guests[i] = new pthread_t();
            check(pthread_create(guests[i], null, SemRendezvous::guest, null), "pthread_create");
        }
        for (int i = 0; i < GUESTS; i++) {
            check(pthread_join(guests[i], null), "pthread_join");
        }
        boolean ok3 = max_inside <= ROOM;
        System.out.printf("multiplex: %d guests, room for %d, never more than %d inside: %s%n", GUESTS, ROOM, ROOM, ok3 ? "yes" : "NO");

        sem_t[] sems = { a_arrived, b_arrived, mutex, turnstile1, turnstile2, room };
        String[] names = { "a_arrived", "b_arrived", "mutex", "turnstile1", "turnstile2", "room" };
        System.out.printf("semaphore values at the end:");
        for (int i = 0; i < 6; i++) {
            int[] value = new int[1];
            check_sem(sem_getvalue(sems[i], value), "sem_getvalue");
            System.out.printf(" %s=%d", names[i], value[0]);
            check_sem(sem_destroy(sems[i]), "sem_destroy");
        }
        System.out.printf("%n");
        if (!(ok1 && ok2 && ok3)) {
            System.exit(1);
        }
    }
}
