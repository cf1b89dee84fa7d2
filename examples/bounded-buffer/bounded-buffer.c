/*
 * bounded-buffer: producers and consumers share a ring buffer of a few slots,
 * guarded by one mutex and two condition variables: not_full (producers wait
 * on it) and not_empty (consumers wait on it). When the producers are done,
 * main puts one DONE marker per consumer.
 *
 * Lesson: one condition variable per reason to wait; each side signals the
 * condition the other side waits for, and every wait sits in a while loop.
 *
 *     gcc -O2 -pthread -o bounded-buffer bounded-buffer.c && ./bounded-buffer [items-per-producer]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIZE 4
#define PRODUCERS 3
#define CONSUMERS 2
#define DONE 0                  /* items are 1 .. PRODUCERS * items */

static int buffer[SIZE];
static int in, out, count;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;

static int items;               /* per producer */
static int *seen;               /* seen[item]: how often it was consumed */

struct tally {
    long n;
    long sum;
};

static void check(int rc, const char *what)
{
    if (rc != 0) {
        fprintf(stderr, "%s: %s\n", what, strerror(rc));
        exit(1);
    }
}

static void put(int item)
{
    check(pthread_mutex_lock(&lock), "pthread_mutex_lock");
    while (count == SIZE)
        check(pthread_cond_wait(&not_full, &lock), "pthread_cond_wait");
    buffer[in] = item;
    in = (in + 1) % SIZE;
    count++;
    check(pthread_cond_signal(&not_empty), "pthread_cond_signal");
    check(pthread_mutex_unlock(&lock), "pthread_mutex_unlock");
}

static int get(void)
{
    check(pthread_mutex_lock(&lock), "pthread_mutex_lock");
    while (count == 0)
        check(pthread_cond_wait(&not_empty, &lock), "pthread_cond_wait");
    int item = buffer[out];
    out = (out + 1) % SIZE;
    count--;
    check(pthread_cond_signal(&not_full), "pthread_cond_signal");
    check(pthread_mutex_unlock(&lock), "pthread_mutex_unlock");
    return item;
}

static void *producer(void *arg)
{
    long id = (long) arg;
    for (int i = 1; i <= items; i++)
        put(id * items + i);
    return NULL;
}

static void *consumer(void *arg)
{
    (void) arg;
    struct tally *t = calloc(1, sizeof *t);
    for (;;) {
        int item = get();
        if (item == DONE)
            break;
        seen[item]++;   /* each item is taken by one consumer only: no race */
        t->n++;
        t->sum += item;
    }
    return t;
}

int main(int argc, char *argv[])
{
    items = argc > 1 ? atoi(argv[1]) : 5000;
    if (items < 1) {
        fprintf(stderr, "usage: bounded-buffer [items-per-producer]\n");
        exit(2);
    }
    seen = calloc(PRODUCERS * items + 1, sizeof *seen);
    pthread_t producers[PRODUCERS], consumers[CONSUMERS];
    for (long i = 0; i < CONSUMERS; i++)
        check(pthread_create(&consumers[i], NULL, consumer, (void *) i), "pthread_create");
    for (long i = 0; i < PRODUCERS; i++)
        check(pthread_create(&producers[i], NULL, producer, (void *) i), "pthread_create");

    for (int i = 0; i < PRODUCERS; i++)
        check(pthread_join(producers[i], NULL), "pthread_join");
    for (int i = 0; i < CONSUMERS; i++)
        put(DONE);

    long n = 0, sum = 0;
    for (int i = 0; i < CONSUMERS; i++) {
        void *result;
        check(pthread_join(consumers[i], &result), "pthread_join");
        struct tally *t = result;
        printf("consumer %d took %ld items\n", i, t->n);
        n += t->n;
        sum += t->sum;
        free(t);
    }

    long total = (long) PRODUCERS * items;
    long expected_sum = total * (total + 1) / 2;
    int once = 1;
    for (long item = 1; item <= total; item++)
        if (seen[item] != 1)
            once = 0;
    printf("produced %ld items, consumed %ld (expected %ld)\n", total, n, total);
    printf("sum of consumed items = %ld (expected %ld)\n", sum, expected_sum);
    printf("every item consumed exactly once: %s\n", once ? "yes" : "NO");
    free(seen);
    return n == total && sum == expected_sum && once ? 0 : 1;
}
