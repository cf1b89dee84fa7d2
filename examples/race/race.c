/*
 * race: THREADS threads each add 1 to a shared counter many times, four ways:
 * unsynchronized, as an atomic load then an atomic store, under a mutex, and
 * with an atomic add. (The two synchronized ways do a tenth as many: each of
 * their increments costs more.)
 *
 * counter++ is a load, an add and a store. Two threads that interleave inside
 * it both load the same value and both store value + 1: one update is lost.
 * Making the load and the store atomic changes nothing: each access is whole,
 * but another thread's store can still fall between them. The mutex makes the
 * three steps one critical section; the atomic add makes them one indivisible
 * instruction.
 *
 * Lesson: a data race loses updates only when the threads really interleave.
 * With kernel threads on several cores (1:1, M:N) they do; on a single kernel
 * thread that is never preempted (M:1) they never do, and the race hides.
 *
 *     gcc -O2 -pthread -o race race.c && ./race [iterations-per-thread]
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define THREADS 2

static long iterations;
static volatile long unsync_counter;    /* volatile keeps every load and store; it makes ++ no more atomic */
static atomic_long load_store_counter;  /* atomic loads and stores: no data race, and still lost updates */
static long locked_counter;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_long atomic_counter;
static pthread_barrier_t start_line;    /* so that the threads really run at the same time */

static void check(int rc, const char *what)
{
    if (rc != 0) {
        fprintf(stderr, "%s: %s\n", what, strerror(rc));
        exit(1);
    }
}

static void wait_for_start(void)
{
    int rc = pthread_barrier_wait(&start_line);
    if (rc != PTHREAD_BARRIER_SERIAL_THREAD)
        check(rc, "pthread_barrier_wait");
}

static void *unsync_inc(void *arg)
{
    (void) arg;
    wait_for_start();
    for (long i = 0; i < iterations; i++)
        unsync_counter++;
    return NULL;
}

static void *load_store_inc(void *arg)
{
    (void) arg;
    wait_for_start();
    for (long i = 0; i < iterations; i++) {
        long v = atomic_load_explicit(&load_store_counter, memory_order_relaxed);
        atomic_store_explicit(&load_store_counter, v + 1, memory_order_relaxed);
    }
    return NULL;
}

static void *locked_inc(void *arg)
{
    (void) arg;
    wait_for_start();
    for (long i = 0; i < iterations; i++) {
        check(pthread_mutex_lock(&lock), "pthread_mutex_lock");
        locked_counter++;
        check(pthread_mutex_unlock(&lock), "pthread_mutex_unlock");
    }
    return NULL;
}

static void *atomic_inc(void *arg)
{
    (void) arg;
    wait_for_start();
    for (long i = 0; i < iterations; i++)
        atomic_fetch_add(&atomic_counter, 1);
    return NULL;
}

static double run(void *(*body)(void *), long n)   /* THREADS threads of body; ns per increment */
{
    struct timespec start, end;
    iterations = n;
    clock_gettime(CLOCK_MONOTONIC, &start);
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        check(pthread_create(&t[i], NULL, body, NULL), "pthread_create");
    for (int i = 0; i < THREADS; i++)
        check(pthread_join(t[i], NULL), "pthread_join");
    clock_gettime(CLOCK_MONOTONIC, &end);
    return ((end.tv_sec - start.tv_sec) * 1e9 + (end.tv_nsec - start.tv_nsec)) / (THREADS * n);
}

int main(int argc, char *argv[])
{
    long n = argc > 1 ? atol(argv[1]) : 10000000;
    if (n < 10) {
        fprintf(stderr, "usage: race [iterations-per-thread (at least 10)]\n");
        exit(2);
    }
    check(pthread_barrier_init(&start_line, NULL, THREADS), "pthread_barrier_init");

    double ns = run(unsync_inc, n);
    long expected = THREADS * n;
    printf("unsynchronized: counter = %ld (expected %ld): %ld updates lost  [%.1f ns per increment]\n",
           unsync_counter, expected, expected - unsync_counter, ns);
    if (unsync_counter == expected)
        printf("  no update lost this run: the race is still there, but the threads never interleaved inside\n"
               "  counter++ (seldom on a busy machine; never on an M:1 model: one kernel thread, no preemption)\n");

    ns = run(load_store_inc, n);
    long load_store_value = atomic_load(&load_store_counter);
    printf("load+store:     counter = %ld (expected %ld): %ld updates lost  [%.1f ns per increment]\n",
           load_store_value, expected, expected - load_store_value, ns);

    ns = run(locked_inc, n / 10);
    long expected_sync = THREADS * (n / 10);
    printf("mutex:          counter = %ld (expected %ld): %s  [%.1f ns per increment]\n",
           locked_counter, expected_sync, locked_counter == expected_sync ? "ok" : "WRONG", ns);

    ns = run(atomic_inc, n / 10);
    long atomic_value = atomic_load(&atomic_counter);
    printf("atomic:         counter = %ld (expected %ld): %s  [%.1f ns per increment]\n",
           atomic_value, expected_sync, atomic_value == expected_sync ? "ok" : "WRONG", ns);
    check(pthread_barrier_destroy(&start_line), "pthread_barrier_destroy");
    return locked_counter == expected_sync && atomic_value == expected_sync ? 0 : 1;
}
