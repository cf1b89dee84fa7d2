package org.pthread4j.examples;

import static org.pthread4j.Pthreads.*;

import org.pthread4j.StartRoutine;
import org.pthread4j.pthread_barrier_t;
import org.pthread4j.pthread_mutex_t;
import org.pthread4j.pthread_t;
import org.pthread4j.timespec;

/**
 * philosophers: five philosophers around a table, one fork between each two neighbours; a
 * philosopher needs both forks to eat. Port of {@code examples/philosophers/philosophers.c}.
 *
 * <ul>
 *   <li>ordered: every philosopher picks up the lower-numbered fork first. There is then no
 *       cycle of waiting, so no deadlock: everyone eats every meal.</li>
 *   <li>naive: every philosopher picks up the left fork, then the right one. A barrier makes
 *       sure all five hold their left fork first, so the circular wait is certain. Each one
 *       asks for the right fork with pthread_mutex_timedlock; the timeout reports the deadlock
 *       instead of hanging, and a second barrier keeps every fork held until all have given
 *       up, so the report is the same every run.</li>
 * </ul>
 *
 * <p>Lesson: deadlock needs a cycle of threads each holding a lock the next one wants; a
 * global lock order breaks the cycle.
 */
public final class Philosophers {

    static final int PHILOSOPHERS = 5;
    static final int TIMEOUT_MS = 200;

    static final pthread_mutex_t[] forks = new pthread_mutex_t[PHILOSOPHERS];
    static final int[] meals_eaten = new int[PHILOSOPHERS];
    static int meals;
    static final pthread_barrier_t all_seated = new pthread_barrier_t(), all_decided = new pthread_barrier_t();

    static void check(int rc, String what) {
        if (rc != 0) {
            System.err.printf("%s: %s%n", what, strerror(rc));
            System.exit(1);
        }
    }

    static Object ordered(Object arg) {
        int id = (Integer) arg;
        int left = id, right = (id + 1) % PHILOSOPHERS;
        int first = left < right ? left : right;
        int second = left < right ? right : left;
        for (int m = 0; m < meals; m++) {
            check(pthread_mutex_lock(forks[first]), "pthread_mutex_lock");
            check(pthread_mutex_lock(forks[second]), "pthread_mutex_lock");
            meals_eaten[id]++;      // eat
            check(pthread_mutex_unlock(forks[second]), "pthread_mutex_unlock");
            check(pthread_mutex_unlock(forks[first]), "pthread_mutex_unlock");
        }
        return 0;                   // never deadlocked
    }

    static Object naive(Object arg) {
        int id = (Integer) arg;
        int left = id, right = (id + 1) % PHILOSOPHERS;
        check(pthread_mutex_lock(forks[left]), "pthread_mutex_lock");
        int r = pthread_barrier_wait(all_seated);
        if (r != 0 && r != PTHREAD_BARRIER_SERIAL_THREAD) {
            check(r, "pthread_barrier_wait");
        }

        timespec deadline = new timespec();
        clock_gettime(CLOCK_REALTIME, deadline);
        deadline.tv_nsec += TIMEOUT_MS * 1000000L;
        if (deadline.tv_nsec >= 1000000000L) {
            deadline.tv_sec++;
            deadline.tv_nsec -= 1000000000L;
        }
        int rc = pthread_mutex_timedlock(forks[right], deadline);
        if (rc == ETIMEDOUT) {
            System.out.printf("philosopher %d: holds fork %d, fork %d still taken after %d ms: deadlock%n",
                    id, left, right, TIMEOUT_MS);
        } else {
            check(rc, "pthread_mutex_timedlock");
        }

        r = pthread_barrier_wait(all_decided);
        if (r != 0 && r != PTHREAD_BARRIER_SERIAL_THREAD) {
            check(r, "pthread_barrier_wait");
        }
        if (rc == 0) {
            meals_eaten[id]++;
            check(pthread_mutex_unlock(forks[right]), "pthread_mutex_unlock");
        }
        check(pthread_mutex_unlock(forks[left]), "pthread_mutex_unlock");
        return rc == ETIMEDOUT ? 1 : 0;
    }

    static int dine(String name, StartRoutine philosopher, int[] eaten) {
        pthread_t[] t = new pthread_t[PHILOSOPHERS];
        for (int i = 0; i < PHILOSOPHERS; i++) {
            meals_eaten[i] = 0;
        }
        for (int i = 0; i < PHILOSOPHERS; i++) {
            t[i] = new pthread_t();
            check(pthread_create(t[i], null, philosopher, i), "pthread_create");
        }
        int deadlocked = 0;
        eaten[0] = 0;
        for (int i = 0; i < PHILOSOPHERS; i++) {
            Object[] result = new Object[1];
            check(pthread_join(t[i], result), "pthread_join");
            deadlocked += (Integer) result[0];
            eaten[0] += meals_eaten[i];
        }
        System.out.printf("%s: %d meals eaten, %d of %d philosophers deadlocked%n", name, eaten[0], deadlocked, PHILOSOPHERS);
        return deadlocked;
    }

    public static void main(String[] args) {
        String which = args.length > 0 ? args[0] : "both";
        meals = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        if (!which.equals("ordered") && !which.equals("naive") && !which.equals("both")) {
            System.err.printf("usage: philosophers [ordered|naive|both] [meals]%n");
            System.exit(2);
        }
        for (int i = 0; i < PHILOSOPHERS; i++) {
            forks[i] = new pthread_mutex_t();
            check(pthread_mutex_init(forks[i], null), "pthread_mutex_init");
        }
        check(pthread_barrier_init(all_seated, null, PHILOSOPHERS), "pthread_barrier_init");
        check(pthread_barrier_init(all_decided, null, PHILOSOPHERS), "pthread_barrier_init");

        boolean ok = true;
        if (!which.equals("naive")) {
            int[] eaten = new int[1];
            int deadlocked = dine("ordered", Philosophers::ordered, eaten);
            System.out.printf("ordered: all %d meals eaten, no deadlock: %s%n", PHILOSOPHERS * meals,
                    deadlocked == 0 && eaten[0] == PHILOSOPHERS * meals ? "yes" : "NO");
            ok &= deadlocked == 0 && eaten[0] == PHILOSOPHERS * meals;
        }
        if (!which.equals("ordered")) {
            int[] eaten = new int[1];
            int deadlocked = dine("naive", Philosophers::naive, eaten);
            System.out.printf("naive: circular wait detected by timedlock and reported, no hang: %s%n",
                    deadlocked == PHILOSOPHERS ? "yes" : "NO");
            ok &= deadlocked == PHILOSOPHERS;
        }

        check(pthread_barrier_destroy(all_decided), "pthread_barrier_destroy");
        check(pthread_barrier_destroy(all_seated), "pthread_barrier_destroy");
        for (int i = 0; i < PHILOSOPHERS; i++) {
            check(pthread_mutex_destroy(forks[i]), "pthread_mutex_destroy");
        }
        if (!ok) {
            System.exit(1);
        }
    }
}
