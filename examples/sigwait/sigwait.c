/*
 * sigwait: a signal-handling thread, Butenhof's pattern (Programming with
 * POSIX Threads, 6.6.4).
 *
 *   main:         blocks SIGINT and SIGUSR1 before it creates any thread, so
 *                 every thread inherits the mask and no handler can ever run
 *                 in an arbitrary thread; creates the signal thread and
 *                 INTERRUPTERS interrupters, then waits on a condition until
 *                 the signal thread says it is done.
 *   signal thread: loops in sigwait for SIGINT and SIGUSR1, which takes a
 *                 pending blocked signal, and handles each one as ordinary
 *                 code: it may lock mutexes, signal conditions, print.
 *   interrupter i: in its turn, sends SIGUSR1 to the signal thread with
 *                 pthread_kill and, once that is handled, SIGINT to the whole
 *                 process with kill(getpid(), SIGINT). Every thread blocks
 *                 SIGINT, so it stays pending for the process until the
 *                 signal thread takes it.
 *
 * The turns keep one signal in flight at a time: two SIGINTs sent while one
 * is pending are one (standard signals do not queue).
 *
 * Lesson: block the asynchronous signals everywhere and take them in one
 * thread with sigwait; then a signal is just a message, handled where locks
 * and conditions may be used.
 *
 *     gcc -O2 -pthread -o sigwait sigwait.c && ./sigwait
 */
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define INTERRUPTERS 5

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int interrupted;
static sigset_t signal_set;
static pthread_t signal_thread_id;
static sem_t turn[INTERRUPTERS];
static sem_t usr1_handled;
static int usr1_count, int_count;

static void check(int rc, const char *what)
{
    if (rc != 0) {
        fprintf(stderr, "%s: %s\n", what, strerror(rc));
        exit(1);
    }
}

static void check_errno(int rc, const char *what)
{
    if (rc != 0) {
        fprintf(stderr, "%s: %s\n", what, strerror(errno));
        exit(1);
    }
}

static void *signal_waiter(void *arg)
{
    (void) arg;
    int sig_number;

    for (;;) {
        check(sigwait(&signal_set, &sig_number), "sigwait");
        if (sig_number == SIGUSR1) {
            usr1_count++;
            printf("signal thread: got SIGUSR1 (%d), sent to this thread with pthread_kill\n", usr1_count);
            check_errno(sem_post(&usr1_handled), "sem_post");
        } else if (sig_number == SIGINT) {
            int_count++;
            printf("signal thread: got SIGINT (%d of %d), sent to the process with kill\n",
                   int_count, INTERRUPTERS);
            if (int_count == INTERRUPTERS) {
                check(pthread_mutex_lock(&mutex), "pthread_mutex_lock");
                interrupted = 1;
                check(pthread_cond_signal(&cond), "pthread_cond_signal");
                check(pthread_mutex_unlock(&mutex), "pthread_mutex_unlock");
                break;
            }
            check_errno(sem_post(&turn[int_count]), "sem_post");
        }
    }
    return NULL;
}

static void *interrupter(void *arg)
{
    long i = (long) arg;

    check_errno(sem_wait(&turn[i]), "sem_wait");
    check(pthread_kill(signal_thread_id, SIGUSR1), "pthread_kill");
    check_errno(sem_wait(&usr1_handled), "sem_wait");
    check_errno(kill(getpid(), SIGINT), "kill");
    return NULL;
}

int main(void)
{
    pthread_t t[INTERRUPTERS];
    long i;

    sigemptyset(&signal_set);
    sigaddset(&signal_set, SIGINT);
    sigaddset(&signal_set, SIGUSR1);
    check(pthread_sigmask(SIG_BLOCK, &signal_set, NULL), "pthread_sigmask");

    check_errno(sem_init(&usr1_handled, 0, 0), "sem_init");
    for (i = 0; i < INTERRUPTERS; i++)
        check_errno(sem_init(&turn[i], 0, 0), "sem_init");
    check(pthread_create(&signal_thread_id, NULL, signal_waiter, NULL), "pthread_create");
    for (i = 0; i < INTERRUPTERS; i++)
        check(pthread_create(&t[i], NULL, interrupter, (void *) i), "pthread_create");
    check_errno(sem_post(&turn[0]), "sem_post");

    check(pthread_mutex_lock(&mutex), "pthread_mutex_lock");
    while (!interrupted)
        check(pthread_cond_wait(&cond, &mutex), "pthread_cond_wait");
    check(pthread_mutex_unlock(&mutex), "pthread_mutex_unlock");

    for (i = 0; i < INTERRUPTERS; i++)
        check(pthread_join(t[i], NULL), "pthread_join");
    check(pthread_join(signal_thread_id, NULL), "pthread_join");

    sigset_t pending;
    check_errno(sigpending(&pending), "sigpending");
    int ok = usr1_count == INTERRUPTERS && int_count == INTERRUPTERS
             && !sigismember(&pending, SIGINT) && !sigismember(&pending, SIGUSR1);
    printf("main: every signal taken by the signal thread, none left pending: %s\n", ok ? "yes" : "NO");
    return ok ? 0 : 1;
}
