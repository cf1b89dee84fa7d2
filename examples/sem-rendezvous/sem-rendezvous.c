/*
 * sem-rendezvous: three classic patterns built from semaphores alone.
 *
 *   rendezvous: threads A and B each run two steps; neither may start its
 *               second step before the other has finished its first. Each
 *               posts "I arrived" and waits for the other's post.
 *   barrier:    a reusable barrier for N threads from a counter, a semaphore
 *               used as a mutex, and two turnstiles (the second keeps a fast
 *               thread from lapping the others in the next round).
 *   multiplex:  a semaphore initialized to K lets at most K threads into a room.
 *
 * Lesson: a semaphore is a counter you can wait on; post never blocks, wait
 * blocks at zero. The sem_* functions return -1 and set errno, unlike the
 * pthread_* functions, which return the error number.
 *
 *     gcc -O2 -pthread -o sem-rendezvous sem-rendezvous.c && ./sem-rendezvous
 */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define N 4                     /* barrier threads */
#define ROUNDS 200
#define GUESTS 6                /* multiplex threads */
#define ROOM 2
#define VISITS 20

static void check(int rc, const char *what)     /* pthread_*: the error number */
{
    if (rc != 0) {
        fprintf(stderr, "%s: %s\n", what, strerror(rc));
        exit(1);
    }
}

static void check_sem(int rc, const char *what) /* sem_*: -1 and errno */
{
    if (rc != 0) {
        fprintf(stderr, "%s: %s\n", what, strerror(errno));
        exit(1);
    }
}

/* ---- rendezvous ---------------------------------------------------------- */

static sem_t a_arrived, b_arrived;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static const char *events[4];
static int nevents;

static void record(const char *event)
{
    check(pthread_mutex_lock(&log_lock), "pthread_mutex_lock");
    events[nevents++] = event;
    check(pthread_mutex_unlock(&log_lock), "pthread_mutex_unlock");
}

static int position(const char *event)
{
    for (int i = 0; i < nevents; i++)
        if (strcmp(events[i], event) == 0)
            return i;
    return -1;
}

static void *thread_a(void *arg)
{
    (void) arg;
    record("a1");
    check_sem(sem_post(&a_arrived), "sem_post");
    check_sem(sem_wait(&b_arrived), "sem_wait");
    record("a2");
    return NULL;
}

static void *thread_b(void *arg)
{
    (void) arg;
    record("b1");
    check_sem(sem_post(&b_arrived), "sem_post");
    check_sem(sem_wait(&a_arrived), "sem_wait");
    record("b2");
    return NULL;
}

/* ---- reusable barrier ---------------------------------------------------- */

static int arrived;             /* guarded by the semaphore mutex */
static sem_t mutex, turnstile1, turnstile2;
static atomic_int round_of[N];
static atomic_int ran_ahead;

static void barrier(void)
{
    check_sem(sem_wait(&mutex), "sem_wait");
    if (++arrived == N)
        for (int i = 0; i < N; i++)
            check_sem(sem_post(&turnstile1), "sem_post");
    check_sem(sem_post(&mutex), "sem_post");
    check_sem(sem_wait(&turnstile1), "sem_wait");

    check_sem(sem_wait(&mutex), "sem_wait");
    if (--arrived == 0)
        for (int i = 0; i < N; i++)
            check_sem(sem_post(&turnstile2), "sem_post");
    check_sem(sem_post(&mutex), "sem_post");
    check_sem(sem_wait(&turnstile2), "sem_wait");
}

static void *round_runner(void *arg)
{
    long id = (long) arg;
    for (int r = 1; r <= ROUNDS; r++) {
        atomic_store(&round_of[id], r);
        barrier();
        for (int j = 0; j < N; j++) {   /* all have reached round r; none is past r + 1 */
            int rj = atomic_load(&round_of[j]);
            if (rj < r || rj > r + 1)
                atomic_fetch_add(&ran_ahead, 1);
        }
    }
    return NULL;
}

/* ---- multiplex ----------------------------------------------------------- */

static sem_t room;
static pthread_mutex_t inside_lock = PTHREAD_MUTEX_INITIALIZER;
static int inside, max_inside;

static void *guest(void *arg)
{
    (void) arg;
    for (int v = 0; v < VISITS; v++) {
        check_sem(sem_wait(&room), "sem_wait");
        check(pthread_mutex_lock(&inside_lock), "pthread_mutex_lock");
        if (++inside > max_inside)
            max_inside = inside;
        check(pthread_mutex_unlock(&inside_lock), "pthread_mutex_unlock");
        usleep(200);            /* stay a while */
        check(pthread_mutex_lock(&inside_lock), "pthread_mutex_lock");
        inside--;
        check(pthread_mutex_unlock(&inside_lock), "pthread_mutex_unlock");
        check_sem(sem_post(&room), "sem_post");
    }
    return NULL;
}

int main(void)
{
    check_sem(sem_init(&a_arrived, 0, 0), "sem_init");
    check_sem(sem_init(&b_arrived, 0, 0), "sem_init");
    check_sem(sem_init(&mutex, 0, 1), "sem_init");
    check_sem(sem_init(&turnstile1, 0, 0), "sem_init");
    check_sem(sem_init(&turnstile2, 0, 0), "sem_init");
    check_sem(sem_init(&room, 0, ROOM), "sem_init");

    pthread_t a, b;
    check(pthread_create(&a, NULL, thread_a, NULL), "pthread_create");
    check(pthread_create(&b, NULL, thread_b, NULL), "pthread_create");
    check(pthread_join(a, NULL), "pthread_join");
    check(pthread_join(b, NULL), "pthread_join");
    int ok1 = position("a1") < position("b2") && position("b1") < position("a2");
    printf("rendezvous: a1 and b1 both came before a2 and b2: %s\n", ok1 ? "yes" : "NO");

    pthread_t runners[N];
    for (long i = 0; i < N; i++)
        check(pthread_create(&runners[i], NULL, round_runner, (void *) i), "pthread_create");
    for (int i = 0; i < N; i++)
        check(pthread_join(runners[i], NULL), "pthread_join");
    int ok2 = atomic_load(&ran_ahead) == 0;
    printf("barrier: %d threads, %d rounds, no thread ran ahead or fell behind: %s\n", N, ROUNDS, ok2 ? "yes" : "NO");

    pthread_t guests[GUESTS];
    for (int i = 0; i < GUESTS; i++)
        check(pthread_create(&guests[i], NULL, guest, NULL), "pthread_create");
    for (int i = 0; i < GUESTS; i++)
        check(pthread_join(guests[i], NULL), "pthread_join");
    int ok3 = max_inside <= ROOM;
    printf("multiplex: %d guests, room for %d, never more than %d inside: %s\n", GUESTS, ROOM, ROOM, ok3 ? "yes" : "NO");

    sem_t *sems[] = { &a_arrived, &b_arrived, &mutex, &turnstile1, &turnstile2, &room };
    const char *names[] = { "a_arrived", "b_arrived", "mutex", "turnstile1", "turnstile2", "room" };
    printf("semaphore values at the end:");
    for (int i = 0; i < 6; i++) {
        int value;
        check_sem(sem_getvalue(sems[i], &value), "sem_getvalue");
        printf(" %s=%d", names[i], value);
        check_sem(sem_destroy(sems[i]), "sem_destroy");
    }
    printf("\n");
    return ok1 && ok2 && ok3 ? 0 : 1;
}
