/*
 * cancel: deferred cancellation and cleanup handlers.
 *
 *   waiter:   takes a buffer and the mutex, pushes a cleanup handler for each,
 *             and waits on a condition nobody signals. pthread_cond_wait is a
 *             cancellation point: when main cancels, the wait reacquires the
 *             mutex and the handlers run, innermost first, freeing the buffer
 *             and unlocking the mutex. pthread_join yields PTHREAD_CANCELED.
 *   stubborn: disables cancellation for its critical section. A cancel that
 *             arrives meanwhile stays pending, even through usleep (itself a
 *             cancellation point), and acts only at the next cancellation
 *             point after it is enabled again: here pthread_testcancel.
 *
 * Lesson: cancellation is a request that acts at well-defined points, and
 * cleanup handlers are how a cancelled thread gives back what it holds.
 *
 *     gcc -O2 -pthread -o cancel cancel.c && ./cancel
 */
#include <pthread.h>
#include <semaphore.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define STEPS 5

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;     /* nobody signals it */
static pthread_cond_t started = PTHREAD_COND_INITIALIZER;
static int waiting, signalled;
static sem_t in_critical_section;

static void check(int rc, const char *what)
{
    if (rc != 0) {
        fprintf(stderr, "%s: %s\n", what, strerror(rc));
        exit(1);
    }
}

static void check_sem(int rc, const char *what)
{
    if (rc != 0) {
        fprintf(stderr, "%s: %s\n", what, strerror(errno));
        exit(1);
    }
}

static void free_buffer(void *arg)
{
    printf("  cleanup: freeing the waiter's buffer\n");
    free(arg);
}

static void unlock_mutex(void *arg)
{
    printf("  cleanup: unlocking the mutex the waiter held\n");
    check(pthread_mutex_unlock(arg), "pthread_mutex_unlock");
}

static void say(void *arg)
{
    printf("  cleanup: %s\n", (const char *) arg);
}

static void *waiter(void *arg)
{
    (void) arg;
    char *buffer = malloc(4096);
    pthread_cleanup_push(free_buffer, buffer);
    check(pthread_mutex_lock(&lock), "pthread_mutex_lock");
    pthread_cleanup_push(unlock_mutex, &lock);

    waiting = 1;
    printf("waiter: holds a buffer and the mutex, waits on a condition nobody signals\n");
    check(pthread_cond_signal(&started), "pthread_cond_signal");
    while (!signalled)
        check(pthread_cond_wait(&never, &lock), "pthread_cond_wait");     /* a cancellation point */

    pthread_cleanup_pop(1);
    pthread_cleanup_pop(1);
    return NULL;
}

static void *stubborn(void *arg)
{
    (void) arg;
    int oldstate;
    pthread_cleanup_push(say, "the stubborn worker was cancelled at pthread_testcancel");
    check(pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &oldstate), "pthread_setcancelstate");
    check_sem(sem_post(&in_critical_section), "sem_post");

    int steps;
    for (steps = 0; steps < STEPS; steps++)
        usleep(20000);          /* a cancellation point, but cancellation is disabled */
    printf("stubborn: finished all %d steps of its critical section\n", steps);

    check(pthread_setcancelstate(oldstate, NULL), "pthread_setcancelstate");
    pthread_testcancel();       /* the pending cancel acts here */
    printf("stubborn: this line is never printed\n");
    pthread_cleanup_pop(0);
    return NULL;
}

int main(void)
{
    pthread_t t;
    void *result;

    check(pthread_create(&t, NULL, waiter, NULL), "pthread_create");
    check(pthread_mutex_lock(&lock), "pthread_mutex_lock");
    while (!waiting)
        check(pthread_cond_wait(&started, &lock), "pthread_cond_wait");
    check(pthread_mutex_unlock(&lock), "pthread_mutex_unlock");     /* the waiter is in its wait now */
    printf("main: cancelling the waiter\n");
    check(pthread_cancel(t), "pthread_cancel");
    check(pthread_join(t, &result), "pthread_join");
    int ok1 = result == PTHREAD_CANCELED;
    printf("main: waiter joined, exit value is PTHREAD_CANCELED: %s\n", ok1 ? "yes" : "NO");
    int rc = pthread_mutex_trylock(&lock);
    int ok2 = rc == 0;
    printf("main: the mutex is free again: %s\n", ok2 ? "yes" : "NO");
    if (rc == 0)
        check(pthread_mutex_unlock(&lock), "pthread_mutex_unlock");

    check_sem(sem_init(&in_critical_section, 0, 0), "sem_init");
    check(pthread_create(&t, NULL, stubborn, NULL), "pthread_create");
    check_sem(sem_wait(&in_critical_section), "sem_wait");
    printf("main: cancelling the stubborn worker inside its critical section\n");
    check(pthread_cancel(t), "pthread_cancel");
    check(pthread_join(t, &result), "pthread_join");
    int ok3 = result == PTHREAD_CANCELED;
    printf("main: stubborn worker joined, exit value is PTHREAD_CANCELED: %s\n", ok3 ? "yes" : "NO");
    check_sem(sem_destroy(&in_critical_section), "sem_destroy");
    return ok1 && ok2 && ok3 ? 0 : 1;
}
