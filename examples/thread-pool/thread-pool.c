/*
 * thread-pool: a fixed set of worker threads takes tasks from a bounded queue
 * (one mutex, two condition variables) until the pool is shut down. The tasks
 * count the primes in consecutive ranges; the total is checked against a plain
 * sequential count.
 *
 * Lesson: create threads once and feed them work, instead of one thread per
 * task; shut down by setting a flag under the mutex and broadcasting, so every
 * idle worker wakes, sees the flag and an empty queue, and returns.
 *
 *     gcc -O2 -pthread -o thread-pool thread-pool.c && ./thread-pool [limit] [workers]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUEUE_SIZE 8
#define CHUNK 5000
#define MAX_WORKERS 64

struct task {
    int index;
    long lo, hi;                /* count the primes in [lo, hi) */
};

struct pool {
    pthread_mutex_t lock;
    pthread_cond_t not_empty, not_full;
    struct task queue[QUEUE_SIZE];
    int head, tail, count;
    int shutdown;
    int nworkers;
    pthread_t workers[MAX_WORKERS];
};

static long *results;

static void check(int rc, const char *what)
{
    if (rc != 0) {
        fprintf(stderr, "%s: %s\n", what, strerror(rc));
        exit(1);
    }
}

static long count_primes(long lo, long hi)
{
    long n = 0;
    for (long k = lo < 2 ? 2 : lo; k < hi; k++) {
        int prime = 1;
        for (long d = 2; d * d <= k; d++)
            if (k % d == 0) {
                prime = 0;
                break;
            }
        n += prime;
    }
    return n;
}

static void *worker(void *arg)
{
    struct pool *p = arg;
    long done = 0;
    for (;;) {
        check(pthread_mutex_lock(&p->lock), "pthread_mutex_lock");
        while (p->count == 0 && !p->shutdown)
            check(pthread_cond_wait(&p->not_empty, &p->lock), "pthread_cond_wait");
        if (p->count == 0) {    /* shut down and nothing left to do */
            check(pthread_mutex_unlock(&p->lock), "pthread_mutex_unlock");
            break;
        }
        struct task t = p->queue[p->head];
        p->head = (p->head + 1) % QUEUE_SIZE;
        p->count--;
        check(pthread_cond_signal(&p->not_full), "pthread_cond_signal");
        check(pthread_mutex_unlock(&p->lock), "pthread_mutex_unlock");

        results[t.index] = count_primes(t.lo, t.hi);   /* the work, outside the lock */
        done++;
    }
    return (void *) done;
}

static void pool_init(struct pool *p, int nworkers)
{
    check(pthread_mutex_init(&p->lock, NULL), "pthread_mutex_init");
    check(pthread_cond_init(&p->not_empty, NULL), "pthread_cond_init");
    check(pthread_cond_init(&p->not_full, NULL), "pthread_cond_init");
    p->head = p->tail = p->count = 0;
    p->shutdown = 0;
    p->nworkers = nworkers;
    for (int i = 0; i < nworkers; i++)
        check(pthread_create(&p->workers[i], NULL, worker, p), "pthread_create");
}

static void pool_submit(struct pool *p, struct task t)
{
    check(pthread_mutex_lock(&p->lock), "pthread_mutex_lock");
    while (p->count == QUEUE_SIZE)
        check(pthread_cond_wait(&p->not_full, &p->lock), "pthread_cond_wait");
    p->queue[p->tail] = t;
    p->tail = (p->tail + 1) % QUEUE_SIZE;
    p->count++;
    check(pthread_cond_signal(&p->not_empty), "pthread_cond_signal");
    check(pthread_mutex_unlock(&p->lock), "pthread_mutex_unlock");
}

static long pool_shutdown(struct pool *p)
{
    check(pthread_mutex_lock(&p->lock), "pthread_mutex_lock");
    p->shutdown = 1;
    check(pthread_cond_broadcast(&p->not_empty), "pthread_cond_broadcast");
    check(pthread_mutex_unlock(&p->lock), "pthread_mutex_unlock");
    long tasks = 0;
    for (int i = 0; i < p->nworkers; i++) {
        void *done;
        check(pthread_join(p->workers[i], &done), "pthread_join");
        printf("worker %d ran %ld tasks\n", i, (long) done);
        tasks += (long) done;
    }
    check(pthread_cond_destroy(&p->not_full), "pthread_cond_destroy");
    check(pthread_cond_destroy(&p->not_empty), "pthread_cond_destroy");
    check(pthread_mutex_destroy(&p->lock), "pthread_mutex_destroy");
    return tasks;
}

int main(int argc, char *argv[])
{
    long limit = argc > 1 ? atol(argv[1]) : 200000;
    int nworkers = argc > 2 ? atoi(argv[2]) : 4;
    if (limit < 1 || nworkers < 1 || nworkers > MAX_WORKERS) {
        fprintf(stderr, "usage: thread-pool [limit] [workers (1..%d)]\n", MAX_WORKERS);
        exit(2);
    }
    int ntasks = (limit + CHUNK - 1) / CHUNK;
    results = calloc(ntasks, sizeof *results);

    static struct pool pool;
    pool_init(&pool, nworkers);
    for (int i = 0; i < ntasks; i++) {
        struct task t = { i, (long) i * CHUNK, (long) (i + 1) * CHUNK < limit ? (long) (i + 1) * CHUNK : limit };
        pool_submit(&pool, t);
    }
    long tasks = pool_shutdown(&pool);

    long total = 0;
    for (int i = 0; i < ntasks; i++)
        total += results[i];
    long expected = count_primes(0, limit);
    printf("%d workers ran %ld of %d tasks\n", nworkers, tasks, ntasks);
    printf("primes below %ld: %ld (sequential count: %ld): %s\n", limit, total, expected,
           total == expected && tasks == ntasks ? "ok" : "WRONG");
    free(results);
    return total == expected && tasks == ntasks ? 0 : 1;
}
