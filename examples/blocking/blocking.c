/*
 * blocking: what one blocking system call does to the other threads.
 *
 * COUNTERS threads each count one tick per millisecond (usleep between ticks).
 * After a baseline, a reader thread calls read() on an empty pipe, which
 * blocks in the kernel; main writes one byte after about a second, and the
 * read returns. The program prints how fast each counter ticked while the
 * reader was blocked, relative to its normal rate.
 *
 * Lesson: a blocking system call blocks the kernel thread that makes it. In C
 * (and on pthread4j's native backend, 1:1) that is only the reader: the
 * counters keep their rate. On an M:1 model (green) the reader's kernel thread
 * is the only one there is: every thread freezes until the read returns. On
 * M:N (virtual) the reader pins one carrier and the others carry on, given a
 * second carrier.
 *
 *     gcc -O2 -pthread -o blocking blocking.c && ./blocking
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define COUNTERS 3
#define BASELINE_MS 300
#define BLOCK_MS 1000

static atomic_long counts[COUNTERS];
static atomic_int stop, reading;
static int fds[2];
static long blocked_ms;

static void check(int rc, const char *what)
{
    if (rc != 0) {
        fprintf(stderr, "%s: %s\n", what, strerror(rc));
        exit(1);
    }
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *counter(void *arg)
{
    long id = (long) arg;
    while (!atomic_load(&stop)) {
        atomic_fetch_add(&counts[id], 1);
        usleep(1000);           /* one tick per millisecond, blocking in between */
    }
    return NULL;
}

static void *reader(void *arg)
{
    (void) arg;
    char byte;
    long start = now_ms();
    atomic_store(&reading, 1);
    if (read(fds[0], &byte, 1) != 1) {          /* blocks: the pipe is empty */
        fprintf(stderr, "read: %s\n", strerror(errno));
        exit(1);
    }
    blocked_ms = now_ms() - start;
    return NULL;
}

static void snapshot(long *ticks)
{
    for (int i = 0; i < COUNTERS; i++)
        ticks[i] = atomic_load(&counts[i]);
}

int main(void)
{
    if (pipe(fds) != 0) {
        fprintf(stderr, "pipe: %s\n", strerror(errno));
        exit(1);
    }
    pthread_t counters[COUNTERS], r;
    for (long i = 0; i < COUNTERS; i++)
        check(pthread_create(&counters[i], NULL, counter, (void *) i), "pthread_create");

    long s0[COUNTERS], s1[COUNTERS], s2[COUNTERS], s3[COUNTERS];
    snapshot(s0);
    usleep(BASELINE_MS * 1000);
    snapshot(s1);

    check(pthread_create(&r, NULL, reader, NULL), "pthread_create");
    while (!atomic_load(&reading))
        usleep(100);
    snapshot(s2);
    usleep(BLOCK_MS * 1000);
    snapshot(s3);
    if (write(fds[1], "x", 1) != 1) {           /* wake the reader */
        fprintf(stderr, "write: %s\n", strerror(errno));
        exit(1);
    }
    check(pthread_join(r, NULL), "pthread_join");
    atomic_store(&stop, 1);
    for (int i = 0; i < COUNTERS; i++)
        check(pthread_join(counters[i], NULL), "pthread_join");
    close(fds[0]);
    close(fds[1]);

    double sum = 0;
    for (int i = 0; i < COUNTERS; i++) {
        long before = s1[i] - s0[i], during = s3[i] - s2[i];
        double rate = before == 0 ? 0 : ((double) during / BLOCK_MS) / ((double) before / BASELINE_MS);
        printf("counter %d: %ld ticks in %d ms before; %ld ticks in %d ms while the reader was blocked: %.2f of its rate\n",
               i, before, BASELINE_MS, during, BLOCK_MS, rate);
        sum += rate;
    }
    double rate = sum / COUNTERS;
    printf("reader: read() blocked for %ld ms\n", blocked_ms);
    printf("while one thread was blocked in read(), the others ran at %.2f of their normal rate:\n", rate);
    if (rate < 0.05)
        printf("  every thread froze: the blocked thread held the only kernel thread they run on (M:1)\n");
    else if (rate > 0.5)
        printf("  the others kept going: the blocked thread held only a kernel thread of its own\n");
    else
        printf("  the others slowed down: they shared fewer kernel threads than before\n");
    return 0;
}
