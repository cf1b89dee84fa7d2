package org.pthread4j.examples;

import static org.pthread4j.Pthreads.*;
import static org.pthread4j.posix.Posix.getpid;

import org.pthread4j.pthread_cond_t;
import org.pthread4j.pthread_mutex_t;
import org.pthread4j.pthread_t;
import org.pthread4j.sem_t;
import org.pthread4j.sigset_t;

/**
 * sigwait: a signal-handling thread, Butenhof's pattern (Programming with POSIX Threads,
 * 6.6.4). Port of {@code examples/sigwait/sigwait.c}.
 *
 * <ul>
 *   <li>main: blocks SIGINT and SIGUSR1 before it creates any thread, so every thread
 *       inherits the mask and no handler can ever run in an arbitrary thread; creates the
 *       signal thread and INTERRUPTERS interrupters, then waits on a condition until the
 *       signal thread says it is done.</li>
 *   <li>signal thread: loops in sigwait for SIGINT and SIGUSR1, which takes a pending blocked
 *       signal, and handles each one as ordinary code: it may lock mutexes, signal
 *       conditions, print.</li>
 *   <li>interrupter i: in its turn, sends SIGUSR1 to the signal thread with pthread_kill and,
 *       once that is handled, SIGINT to the whole process with kill(getpid(), SIGINT). Every
 *       thread blocks SIGINT, so it stays pending for the process until the signal thread
 *       takes it.</li>
 * </ul>
 *
 * <p>The turns keep one signal in flight at a time: two SIGINTs sent while one is pending are
 * one (standard signals do not queue).
 *
 * <p>Lesson: block the asynchronous signals everywhere and take them in one thread with
 * sigwait; then a signal is just a message, handled where locks and conditions may be used.
 * In Java the signals are pthread4j's emulation: real SIGINT belongs to the JVM (Ctrl-C
 * still ends it), while a real SIGUSR1 sent from outside with {@code kill -USR1} is
 * forwarded into the emulation, and this signal thread would take it too.
 */
public final class Sigwait {

    static final int INTERRUPTERS = 5;

    static final pthread_mutex_t mutex = new pthread_mutex_t();
    static final pthread_cond_t cond = new pthread_cond_t();
    static boolean interrupted;
    static final sigset_t signal_set = new sigset_t();
    static final pthread_t signal_thread_id = new pthread_t();
    static final sem_t[] turn = sem_t.array(INTERRUPTERS);
    static final sem_t usr1_handled = new sem_t();
    static int usr1_count, int_count;

    static void check(int rc, String what) {
        if (rc != 0) {
            System.err.printf("%s: %s%n", what, strerror(rc));
            System.exit(1);
        }
    }

    static void check_errno(int rc, String what) {
        if (rc != 0) {
            System.err.printf("%s: %s%n", what, strerror(errno()));
            System.exit(1);
        }
    }

    static Object signal_waiter(Object arg) {
        int[] sig_number = new int[1];

        for (;;) {
            check(sigwait(signal_set, sig_number), "sigwait");
            if (sig_number[0] == SIGUSR1) {
                usr1_count++;
                System.out.printf("signal thread: got SIGUSR1 (%d), sent to this thread with pthread_kill%n", usr1_count);
                check_errno(sem_post(usr1_handled), "sem_post");
            } else if (sig_number[0] == SIGINT) {
                int_count++;
                System.out.printf("signal thread: got SIGINT (%d of %d), sent to the process with kill%n",
                        int_count, INTERRUPTERS);
                if (int_count == INTERRUPTERS) {
                    check(pthread_mutex_lock(mutex), "pthread_mutex_lock");
                    interrupted = true;
                    check(pthread_cond_signal(cond), "pthread_cond_signal");
                    check(pthread_mutex_unlock(mutex), "pthread_mutex_unlock");
                    break;
                }
                check_errno(sem_post(turn[int_count]), "sem_post");
            }
        }
        return null;
    }

    static Object interrupter(Object arg) {
        int i = (Integer) arg;

        check_errno(sem_wait(turn[i]), "sem_wait");
        check(pthread_kill(signal_thread_id, SIGUSR1), "pthread_kill");
        check_errno(sem_wait(usr1_handled), "sem_wait");
        check_errno(kill(getpid(), SIGINT), "kill");
        return null;
    }

    public static void main(String[] args) {
        pthread_t[] t = pthread_t.array(INTERRUPTERS);

        sigemptyset(signal_set);
        sigaddset(signal_set, SIGINT);
        sigaddset(signal_set, SIGUSR1);
        check(pthread_sigmask(SIG_BLOCK, signal_set, null), "pthread_sigmask");

        check_errno(sem_init(usr1_handled, 0, 0), "sem_init");
        for (int i = 0; i < INTERRUPTERS; i++) {
            check_errno(sem_init(turn[i], 0, 0), "sem_init");
        }
        check(pthread_create(signal_thread_id, null, Sigwait::signal_waiter, null), "pthread_create");
        for (int i = 0; i < INTERRUPTERS; i++) {
            check(pthread_create(t[i], null, Sigwait::interrupter, i), "pthread_create");
        }
        check_errno(sem_post(turn[0]), "sem_post");

        check(pthread_mutex_lock(mutex), "pthread_mutex_lock");
        while (!interrupted) {
            check(pthread_cond_wait(cond, mutex), "pthread_cond_wait");
        }
        check(pthread_mutex_unlock(mutex), "pthread_mutex_unlock");

        for (int i = 0; i < INTERRUPTERS; i++) {
            check(pthread_join(t[i], null), "pthread_join");
        }
        check(pthread_join(signal_thread_id, null), "pthread_join");

        sigset_t pending = new sigset_t();
        check_errno(sigpending(pending), "sigpending");
        boolean ok = usr1_count == INTERRUPTERS && int_count == INTERRUPTERS
                && sigismember(pending, SIGINT) == 0 && sigismember(pending, SIGUSR1) == 0;
        System.out.printf("main: every signal taken by the signal thread, none left pending: %s%n", ok ? "yes" : "NO");
        if (!ok) {
            System.exit(1);
        }
    }
}
