/*
 * p4j_bench.c - C baselines for the benchmarks: each loop returns its elapsed
 * CLOCK_MONOTONIC time in ns, or -errno, so that JMH can set Java and C side
 * by side in one run. Thread start-up is kept out of the timed section where
 * the loop is not itself about starting threads.
 */
#include "p4j_internal.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdlib.h>

/* The most threads p4j_bench_mutex_contended starts. */
#define P4J_BENCH_THREADS_MAX 1024

static void *p4j_bench_empty(void *arg)
{
    return arg;
}

P4J_API int64_t p4j_bench_create_join(int64_t n)
{
    pthread_t thread;
    int64_t t0, i;
    int rc;

    if (n < 0)
        return -EINVAL;
    t0 = p4j_monotonic_ns();
    for (i = 0; i < n; i++) {
        rc = pthread_create(&thread, NULL, p4j_bench_empty, NULL);
        if (rc != 0)
            return -rc;
        pthread_join(thread, NULL);
    }
    return p4j_monotonic_ns() - t0;
}

P4J_API int64_t p4j_bench_clone_join(int64_t n)
{
    int64_t t0, i, task, rc;

    if (n < 0)
        return -EINVAL;
    t0 = p4j_monotonic_ns();
    for (i = 0; i < n; i++) {
        rc = p4j_task_spawn(P4J_BODY_SPIN, 0, 0, &task);
        if (rc == 0)
            rc = p4j_task_join(task);
        if (rc < 0)
            return rc;
    }
    return p4j_monotonic_ns() - t0;
}

P4J_API int64_t p4j_bench_mutex(int64_t n)
{
    pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    volatile int64_t count = 0; /* a critical section the compiler cannot drop */
    int64_t t0, i;

    if (n < 0)
        return -EINVAL;
    t0 = p4j_monotonic_ns();
    for (i = 0; i < n; i++) {
        pthread_mutex_lock(&lock);
        count++;
        pthread_mutex_unlock(&lock);
    }
    t0 = p4j_monotonic_ns() - t0;
    return count == n ? t0 : -EIO;
}

/* ---- contended mutex: nthreads threads released together by a gate ------ */

struct p4j_contended {
    pthread_mutex_t lock; /* the mutex measured */
    int64_t count;        /* guarded by lock */
    int64_t n;
    pthread_mutex_t gate_lock;
    pthread_cond_t gate;
    int go; /* guarded by gate_lock: 0 wait, 1 run, -1 give up */
};

static void *p4j_contended_main(void *arg)
{
    struct p4j_contended *c = arg;
    int64_t i;
    int go;

    pthread_mutex_lock(&c->gate_lock);
    while ((go = c->go) == 0)
        pthread_cond_wait(&c->gate, &c->gate_lock);
    pthread_mutex_unlock(&c->gate_lock);
    for (i = 0; go > 0 && i < c->n; i++) {
        pthread_mutex_lock(&c->lock);
        c->count++;
        pthread_mutex_unlock(&c->lock);
    }
    return NULL;
}

static void p4j_contended_open(struct p4j_contended *c, int go)
{
    pthread_mutex_lock(&c->gate_lock);
    c->go = go;
    pthread_cond_broadcast(&c->gate);
    pthread_mutex_unlock(&c->gate_lock);
}

P4J_API int64_t p4j_bench_mutex_contended(int32_t nthreads, int64_t n)
{
    struct p4j_contended c = {
        .lock = PTHREAD_MUTEX_INITIALIZER,
        .n = n,
        .gate_lock = PTHREAD_MUTEX_INITIALIZER,
        .gate = PTHREAD_COND_INITIALIZER,
    };
    pthread_t *threads;
    int64_t t0 = 0;
    int32_t i, started;
    int rc = 0;

    if (nthreads < 1 || nthreads > P4J_BENCH_THREADS_MAX || n < 0 || n > INT64_MAX / nthreads)
        return -EINVAL;
    threads = malloc(sizeof *threads * (size_t) nthreads);
    if (threads == NULL)
        return -ENOMEM;
    for (started = 0; started < nthreads && rc == 0; started++)
        rc = pthread_create(&threads[started], NULL, p4j_contended_main, &c);
    if (rc != 0)
        started--; /* the last create failed */
    else
        t0 = p4j_monotonic_ns();
    p4j_contended_open(&c, rc == 0 ? 1 : -1);
    for (i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    free(threads);
    if (rc != 0)
        return -rc;
    t0 = p4j_monotonic_ns() - t0;
    return c.count == (int64_t) nthreads * n ? t0 : -EIO;
}

/* ---- ping-pong between the caller (ping) and one thread (pong) ---------- */

/* Both loops make one untimed round trip first, so that the pong thread is
 * running when the clock starts; the pong thread makes n + 1 trips. */

struct p4j_pingpong {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int turn; /* guarded by lock: P4J_PING or P4J_PONG, whose move it is */
    sem_t ping, pong;
    int64_t trips;
};

#define P4J_PING 0
#define P4J_PONG 1

static void p4j_cond_trip(struct p4j_pingpong *p) /* ping, lock held */
{
    p->turn = P4J_PONG;
    pthread_cond_signal(&p->cond);
    while (p->turn != P4J_PING)
        pthread_cond_wait(&p->cond, &p->lock);
}

static void *p4j_cond_pong(void *arg)
{
    struct p4j_pingpong *p = arg;
    int64_t i;

    pthread_mutex_lock(&p->lock);
    for (i = 0; i < p->trips; i++) {
        while (p->turn != P4J_PONG)
            pthread_cond_wait(&p->cond, &p->lock);
        p->turn = P4J_PING;
        pthread_cond_signal(&p->cond);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

P4J_API int64_t p4j_bench_cond_pingpong(int64_t n)
{
    return p4j_bench_cond_pingpong_on(n, -1);
}

P4J_API int64_t p4j_bench_cond_pingpong_on(int64_t n, int32_t pong_cpu)
{
    struct p4j_pingpong p = {
        .lock = PTHREAD_MUTEX_INITIALIZER,
        .cond = PTHREAD_COND_INITIALIZER,
        .turn = P4J_PING,
        .trips = n + 1,
    };
    pthread_attr_t attr;
    cpu_set_t cpus;
    pthread_t pong;
    int64_t t0, i;
    int rc;

    if (n < 0 || n == INT64_MAX || pong_cpu >= CPU_SETSIZE)
        return -EINVAL;
    rc = pthread_attr_init(&attr);
    if (rc != 0)
        return -rc;
    if (pong_cpu >= 0) {
        CPU_ZERO(&cpus);
        CPU_SET(pong_cpu, &cpus);
        rc = pthread_attr_setaffinity_np(&attr, sizeof cpus, &cpus);
    }
    if (rc == 0)
        rc = pthread_create(&pong, &attr, p4j_cond_pong, &p);
    pthread_attr_destroy(&attr);
    if (rc != 0)
        return -rc;
    pthread_mutex_lock(&p.lock);
    p4j_cond_trip(&p);
    t0 = p4j_monotonic_ns();
    for (i = 0; i < n; i++)
        p4j_cond_trip(&p);
    t0 = p4j_monotonic_ns() - t0;
    pthread_mutex_unlock(&p.lock);
    pthread_join(pong, NULL);
    return t0;
}

/* sem_wait, again on EINTR (a signal handler ran). */
static void p4j_sem_wait(sem_t *s)
{
    while (sem_wait(s) != 0 && errno == EINTR)
        ;
}

static void p4j_sem_trip(struct p4j_pingpong *p) /* ping */
{
    sem_post(&p->pong);
    p4j_sem_wait(&p->ping);
}

static void *p4j_sem_pong(void *arg)
{
    struct p4j_pingpong *p = arg;
    int64_t i;

    for (i = 0; i < p->trips; i++) {
        p4j_sem_wait(&p->pong);
        sem_post(&p->ping);
    }
    return NULL;
}

P4J_API int64_t p4j_bench_sem_pingpong(int64_t n)
{
    struct p4j_pingpong p = { .trips = n + 1 };
    pthread_t pong;
    int64_t t0, i;
    int rc;

    if (n < 0 || n == INT64_MAX)
        return -EINVAL;
    if (sem_init(&p.ping, 0, 0) != 0 || sem_init(&p.pong, 0, 0) != 0)
        return -errno; /* sem_init allocates nothing: no sem_destroy needed */
    rc = pthread_create(&pong, NULL, p4j_sem_pong, &p);
    if (rc == 0) {
        p4j_sem_trip(&p);
        t0 = p4j_monotonic_ns();
        for (i = 0; i < n; i++)
            p4j_sem_trip(&p);
        t0 = p4j_monotonic_ns() - t0;
        pthread_join(pong, NULL);
    }
    sem_destroy(&p.ping);
    sem_destroy(&p.pong);
    return rc != 0 ? -rc : t0;
}
