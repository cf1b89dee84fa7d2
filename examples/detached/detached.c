/*
 * detached: start workers that nobody joins, and let main wait for them on a
 * condition variable instead. Half the workers are created detached through a
 * thread attribute; the other half detach themselves with pthread_detach.
 *
 * Lesson: a detached thread gives its resources back by itself when it ends and
 * cannot be joined; to know when it is done, wait for something it does (here:
 * a counter under a mutex, signalled through a condition variable).
 *
 *     gcc -O2 -pthread -o detached detached.c && ./detached [workers]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t all_done = PTHREAD_COND_INITIALIZER;
static int finished;
static int workers;

static void check(int rc, const char *what)
{
    if (rc != 0) {
        fprintf(stderr, "%s: %s\n", what, strerror(rc));
        exit(1);
    }
}

static void *worker(void *arg)
{
    long id = (long) arg;
    if (id % 2 == 1)
        check(pthread_detach(pthread_self()), "pthread_detach");
    usleep(1000 * (id % 4 + 1));    /* some work */

    check(pthread_mutex_lock(&lock), "pthread_mutex_lock");
    finished++;
    printf("worker %ld (%s) finished\n", id,
           id % 2 == 1 ? "detached itself" : "created detached");
    if (finished == workers)
        check(pthread_cond_signal(&all_done), "pthread_cond_signal");
    check(pthread_mutex_unlock(&lock), "pthread_mutex_unlock");
    return NULL;
}

int main(int argc, char *argv[])
{
    workers = argc > 1 ? atoi(argv[1]) : 8;
    if (workers < 1) {
        fprintf(stderr, "usage: detached [workers]\n");
        exit(2);
    }
    pthread_attr_t detached;
    check(pthread_attr_init(&detached), "pthread_attr_init");
    check(pthread_attr_setdetachstate(&detached, PTHREAD_CREATE_DETACHED), "pthread_attr_setdetachstate");
    int state;
    check(pthread_attr_getdetachstate(&detached, &state), "pthread_attr_getdetachstate");
    printf("main: attribute detach state is %s\n",
           state == PTHREAD_CREATE_DETACHED ? "PTHREAD_CREATE_DETACHED" : "PTHREAD_CREATE_JOINABLE");

    for (long i = 0; i < workers; i++) {
        pthread_t t;
        check(pthread_create(&t, i % 2 == 0 ? &detached : NULL, worker, (void *) i), "pthread_create");
    }
    check(pthread_attr_destroy(&detached), "pthread_attr_destroy");

    check(pthread_mutex_lock(&lock), "pthread_mutex_lock");
    while (finished < workers)
        check(pthread_cond_wait(&all_done, &lock), "pthread_cond_wait");
    printf("main: %d of %d detached workers finished, none joined\n", finished, workers);
    check(pthread_mutex_unlock(&lock), "pthread_mutex_unlock");
    return 0;
}
