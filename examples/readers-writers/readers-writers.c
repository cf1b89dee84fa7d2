/*
 * readers-writers: a small table read by many threads and updated by a few,
 * under a readers-writer lock. Writers add 1 to every slot, so a reader that
 * sees two different values has seen a half-done update (a torn read).
 *
 * Lesson: pthread_rwlock_t lets readers in together and writers in alone;
 * reads never see a write half done. (How many readers were inside at once
 * depends on the run and the thread model, so it is printed apart.)
 *
 *     gcc -O2 -pthread -o readers-writers readers-writers.c && ./readers-writers [reads] [writes]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define READERS 4
#define WRITERS 2
#define SLOTS 16

static int table[SLOTS];
static pthread_rwlock_t table_lock = PTHREAD_RWLOCK_INITIALIZER;
static int reads, writes;

static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static int readers_inside, max_readers_inside;

static void check(int rc, const char *what)
{
    if (rc != 0) {
        fprintf(stderr, "%s: %s\n", what, strerror(rc));
        exit(1);
    }
}

static void *reader(void *arg)
{
    (void) arg;
    long torn = 0;
    for (int i = 0; i < reads; i++) {
        check(pthread_rwlock_rdlock(&table_lock), "pthread_rwlock_rdlock");
        check(pthread_mutex_lock(&stats_lock), "pthread_mutex_lock");
        if (++readers_inside > max_readers_inside)
            max_readers_inside = readers_inside;
        check(pthread_mutex_unlock(&stats_lock), "pthread_mutex_unlock");

        for (int s = 1; s < SLOTS; s++)
            if (table[s] != table[0])
                torn++;
        if (i % 100 == 0)
            usleep(100);        /* now and then, read slowly: others may join in */

        check(pthread_mutex_lock(&stats_lock), "pthread_mutex_lock");
        readers_inside--;
        check(pthread_mutex_unlock(&stats_lock), "pthread_mutex_unlock");
        check(pthread_rwlock_unlock(&table_lock), "pthread_rwlock_unlock");
    }
    return (void *) torn;
}

static void *writer(void *arg)
{
    (void) arg;
    for (int i = 0; i < writes; i++) {
        check(pthread_rwlock_wrlock(&table_lock), "pthread_rwlock_wrlock");
        for (int s = 0; s < SLOTS; s++) {
            table[s]++;
            if (s == SLOTS / 2 && i % 10 == 0)
                usleep(100);    /* now and then, stop half way: nobody may look */
        }
        check(pthread_rwlock_unlock(&table_lock), "pthread_rwlock_unlock");
    }
    return NULL;
}

int main(int argc, char *argv[])
{
    reads = argc > 1 ? atoi(argv[1]) : 5000;
    writes = argc > 2 ? atoi(argv[2]) : 500;
    if (reads < 0 || writes < 0) {
        fprintf(stderr, "usage: readers-writers [reads-per-reader] [writes-per-writer]\n");
        exit(2);
    }
    pthread_t readers[READERS], writers[WRITERS];
    for (int i = 0; i < READERS; i++)
        check(pthread_create(&readers[i], NULL, reader, NULL), "pthread_create");
    for (int i = 0; i < WRITERS; i++)
        check(pthread_create(&writers[i], NULL, writer, NULL), "pthread_create");

    long torn = 0;
    for (int i = 0; i < READERS; i++) {
        void *result;
        check(pthread_join(readers[i], &result), "pthread_join");
        torn += (long) result;
    }
    for (int i = 0; i < WRITERS; i++)
        check(pthread_join(writers[i], NULL), "pthread_join");

    int consistent = 1;
    for (int s = 0; s < SLOTS; s++)
        if (table[s] != WRITERS * writes)
            consistent = 0;
    printf("readers: %d reads, torn reads seen: %ld (expected 0)\n", READERS * reads, torn);
    printf("writers: %d writes, every slot = %d (expected %d): %s\n", WRITERS * writes, table[0],
           WRITERS * writes, consistent ? "ok" : "WRONG");
    printf("(this run: at most %d readers held the lock at once)\n", max_readers_inside);
    return torn == 0 && consistent ? 0 : 1;
}
