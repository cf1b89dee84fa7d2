/*
 * tls: thread-local storage two ways.
 *
 *   pthread keys: pthread_key_create makes a key; each thread stores its own
 *   pointer under it (pthread_setspecific) and finds it again anywhere, without
 *   passing it around (pthread_getspecific). When a thread ends, the key's
 *   destructor gets that thread's value.
 *
 *   __thread: the compiler's thread-local variables, one copy per kernel thread.
 *   Each thread here bumps its copy ROUNDS times, blocking in between, once all
 *   THREADS have started (a barrier), so that their rounds overlap.
 *
 * Lesson: both give one value per thread, but a __thread variable belongs to the
 * kernel thread. Where pthreads are kernel threads (1:1), that is the same
 * thing; where many pthreads share one kernel thread (M:1, M:N), they share
 * the variable too.
 *
 *     gcc -O2 -pthread -o tls tls.c && ./tls
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define THREADS 4
#define ROUNDS 5

struct thread_log {
    long id;
    int uses;
};

static pthread_key_t log_key;
static pthread_barrier_t all_started;
static __thread long tls_counter;       /* one copy per kernel thread */
static pid_t tids[THREADS];

static void check(int rc, const char *what)
{
    if (rc != 0) {
        fprintf(stderr, "%s: %s\n", what, strerror(rc));
        exit(1);
    }
}

static void free_log(void *value)       /* the key's destructor */
{
    struct thread_log *log = value;
    printf("destructor: thread %ld's log freed after %d uses\n", log->id, log->uses);
    free(log);
}

static void note_use(void)              /* no argument: the key finds this thread's log */
{
    struct thread_log *log = pthread_getspecific(log_key);
    log->uses++;
}

static void *worker(void *arg)
{
    long id = (long) arg;
    struct thread_log *log = malloc(sizeof *log);
    log->id = id;
    log->uses = 0;
    check(pthread_setspecific(log_key, log), "pthread_setspecific");
    int rc = pthread_barrier_wait(&all_started);   /* every thread alive before anyone counts */
    if (rc != PTHREAD_BARRIER_SERIAL_THREAD)
        check(rc, "pthread_barrier_wait");

    long before = tls_counter;
    for (int i = 0; i < ROUNDS; i++) {
        note_use();
        tls_counter++;
        usleep(1000);                   /* block: another thread may run on this kernel thread */
    }
    long moved = tls_counter - before;
    tids[id] = gettid();

    log = pthread_getspecific(log_key);
    printf("thread %ld: key value used %d times (expected %d); __thread counter moved by %ld (own increments %d)\n",
           id, log->uses, ROUNDS, moved, ROUNDS);
    return NULL;
}

int main(void)
{
    check(pthread_key_create(&log_key, free_log), "pthread_key_create");
    check(pthread_barrier_init(&all_started, NULL, THREADS), "pthread_barrier_init");
    pthread_t t[THREADS];
    for (long i = 0; i < THREADS; i++)
        check(pthread_create(&t[i], NULL, worker, (void *) i), "pthread_create");
    for (int i = 0; i < THREADS; i++)
        check(pthread_join(t[i], NULL), "pthread_join");
    check(pthread_key_delete(log_key), "pthread_key_delete");
    check(pthread_barrier_destroy(&all_started), "pthread_barrier_destroy");

    int kernel_threads = 0;
    for (int i = 0; i < THREADS; i++) {
        int first = 1;
        for (int j = 0; j < i; j++)
            if (tids[j] == tids[i])
                first = 0;
        kernel_threads += first;
    }
    printf("%d threads ended on %d kernel thread%s\n", THREADS, kernel_threads, kernel_threads == 1 ? "" : "s");
    printf("(a __thread variable belongs to the kernel thread: pthreads that share one share it)\n");
    return 0;
}
