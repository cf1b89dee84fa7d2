/*
 * dotprod: the dot product of two vectors, each thread taking one slice and
 * adding its partial result to a global sum under a mutex.
 *
 * Lesson: shared data written by several threads needs a lock; keep the work
 * outside the critical section and only the update inside it.
 *
 *     gcc -O2 -pthread -o dotprod dotprod.c && ./dotprod [threads] [length-per-thread]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double *a, *b;
static long len;                /* elements per thread */
static double sum;
static pthread_mutex_t sum_lock = PTHREAD_MUTEX_INITIALIZER;

static void check(int rc, const char *what)
{
    if (rc != 0) {
        fprintf(stderr, "%s: %s\n", what, strerror(rc));
        exit(1);
    }
}

static void *dotprod(void *arg)
{
    long id = (long) arg;
    long start = id * len, end = start + len;
    double mysum = 0;
    for (long i = start; i < end; i++)
        mysum += a[i] * b[i];

    check(pthread_mutex_lock(&sum_lock), "pthread_mutex_lock");
    sum += mysum;
    printf("thread %ld: elements %ld..%ld, partial sum %.1f\n", id, start, end - 1, mysum);
    check(pthread_mutex_unlock(&sum_lock), "pthread_mutex_unlock");
    return NULL;
}

int main(int argc, char *argv[])
{
    int threads = argc > 1 ? atoi(argv[1]) : 4;
    len = argc > 2 ? atol(argv[2]) : 250000;
    if (threads < 1 || len < 1) {
        fprintf(stderr, "usage: dotprod [threads] [length-per-thread]\n");
        exit(2);
    }
    a = malloc(threads * len * sizeof *a);
    b = malloc(threads * len * sizeof *b);
    for (long i = 0; i < threads * len; i++) {
        a[i] = i % 10;
        b[i] = 1 + i % 3;
    }

    pthread_t *t = malloc(threads * sizeof *t);
    for (long i = 0; i < threads; i++)
        check(pthread_create(&t[i], NULL, dotprod, (void *) i), "pthread_create");
    for (int i = 0; i < threads; i++)
        check(pthread_join(t[i], NULL), "pthread_join");

    double expected = 0;
    for (long i = 0; i < threads * len; i++)
        expected += a[i] * b[i];
    printf("dot product = %.1f (sequential: %.1f): %s\n", sum, expected, sum == expected ? "ok" : "WRONG");
    free(t);
    free(b);
    free(a);
    return sum == expected ? 0 : 1;
}
