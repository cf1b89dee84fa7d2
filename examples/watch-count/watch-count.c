/*
 * watch-count: two threads increment a shared count; a watcher thread sleeps on
 * a condition variable until the count reaches a threshold, then adds a bonus.
 *
 * Lesson: wait for a condition in a loop that tests the predicate under the
 * mutex. If the watcher starts late, the threshold may already be passed and
 * nobody will signal again: the loop test, not the signal, is what counts.
 *
 *     gcc -O2 -pthread -o watch-count watch-count.c && ./watch-count
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define INC_THREADS 2
#define INCREMENTS 10
#define COUNT_LIMIT 12
#define BONUS 125

static int count;
static pthread_mutex_t count_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t count_threshold = PTHREAD_COND_INITIALIZER;

static void check(int rc, const char *what)
{
    if (rc != 0) {
        fprintf(stderr, "%s: %s\n", what, strerror(rc));
        exit(1);
    }
}

static void *inc_count(void *arg)
{
    long id = (long) arg;
    for (int i = 0; i < INCREMENTS; i++) {
        check(pthread_mutex_lock(&count_mutex), "pthread_mutex_lock");
        count++;
        printf("inc %ld: count = %d\n", id, count);
        if (count == COUNT_LIMIT) {
            printf("inc %ld: threshold %d reached, signalling the watcher\n", id, COUNT_LIMIT);
            check(pthread_cond_signal(&count_threshold), "pthread_cond_signal");
        }
        check(pthread_mutex_unlock(&count_mutex), "pthread_mutex_unlock");
        usleep(1000);   /* let the other threads in */
    }
    return NULL;
}

static void *watch_count(void *arg)
{
    (void) arg;
    check(pthread_mutex_lock(&count_mutex), "pthread_mutex_lock");
    while (count < COUNT_LIMIT) {
        printf("watch: count = %d, waiting\n", count);
        check(pthread_cond_wait(&count_threshold, &count_mutex), "pthread_cond_wait");
    }
    printf("watch: count = %d >= %d, adding %d\n", count, COUNT_LIMIT, BONUS);
    count += BONUS;
    check(pthread_mutex_unlock(&count_mutex), "pthread_mutex_unlock");
    return NULL;
}

int main(void)
{
    pthread_t threads[INC_THREADS + 1];
    check(pthread_create(&threads[0], NULL, watch_count, NULL), "pthread_create");
    for (long i = 1; i <= INC_THREADS; i++)
        check(pthread_create(&threads[i], NULL, inc_count, (void *) i), "pthread_create");
    for (int i = 0; i <= INC_THREADS; i++)
        check(pthread_join(threads[i], NULL), "pthread_join");

    int expected = INC_THREADS * INCREMENTS + BONUS;
    printf("final count = %d (expected %d): %s\n", count, expected, count == expected ? "ok" : "WRONG");
    return count == expected ? 0 : 1;
}
