/*
 * spin: busy threads, and a thread created after them that would release them.
 *
 * SPINNERS threads (default: one per CPU) wait for a flag in a busy loop,
 * while (!flag);, never blocking and never calling the thread library. A setter
 * thread, created after them, sets the flag. main waits up to TIMEOUT_MS (default
 * 1000) for the setter to run and every spinner to end; if the setter has not
 * run by then, main sets the flag itself, so that the program ends either way,
 * and says so.
 *
 * Lesson: a busy thread gives its processor up only if something takes it away.
 * In C (and on pthread4j's native backend, 1:1) the kernel time-slices kernel
 * threads: the setter runs at once. On gmp (M:N) sysmon takes the processor of a
 * pthread that runs past its 10 ms time slice without calling in and hands it to
 * another kernel thread: the setter runs after about one slice. Nothing preempts a
 * virtual thread: on green (M:1) the first spinner keeps the only carrier, and on
 * virtual (M:N) as many spinners as cores keep every carrier: the setter never
 * runs. With fewer spinners than processors, a processor is simply free.
 *
 *     gcc -O2 -pthread -o spin spin.c && ./spin [spinners] [timeout_ms]
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile int flag;
static atomic_int ended;
static atomic_long setter_ran_ms = -1;
static long created_ms;

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

static void *spinner(void *arg)
{
    (void) arg;
    while (!flag)
        ;                       /* busy-wait: no call, no block */
    atomic_fetch_add(&ended, 1);
    return NULL;
}

static void *setter(void *arg)
{
    (void) arg;
    atomic_store(&setter_ran_ms, now_ms() - created_ms);
    flag = 1;
    return NULL;
}

int main(int argc, char *argv[])
{
    int spinners = argc > 1 ? atoi(argv[1]) : (int) sysconf(_SC_NPROCESSORS_ONLN);
    long timeout_ms = argc > 2 ? atol(argv[2]) : 1000;
    int cpus = (int) sysconf(_SC_NPROCESSORS_ONLN);
    if (spinners < 1 || timeout_ms < 1) {
        fprintf(stderr, "usage: spin [spinners >= 1] [timeout_ms >= 1]\n");
        exit(2);
    }
    pthread_t *t = calloc(spinners, sizeof *t), s;
    if (t == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    printf("%d spinner%s busy-wait%s on a flag that a setter thread, created after them, sets\n",
           spinners, spinners == 1 ? "" : "s", spinners == 1 ? "s" : "");
    for (int i = 0; i < spinners; i++)
        check(pthread_create(&t[i], NULL, spinner, NULL), "pthread_create");
    created_ms = now_ms();
    check(pthread_create(&s, NULL, setter, NULL), "pthread_create");

    while ((atomic_load(&setter_ran_ms) < 0 || atomic_load(&ended) < spinners)
           && now_ms() - created_ms < timeout_ms)
        usleep(1000);
    long ran = atomic_load(&setter_ran_ms);
    if (ran < 0) {
        printf("setter: had not run %ld ms after it was created; main sets the flag\n", timeout_ms);
        flag = 1;               /* so that the spinners end */
    } else {
        printf("setter: ran %ld ms after it was created\n", ran);
    }
    for (int i = 0; i < spinners; i++)
        check(pthread_join(t[i], NULL), "pthread_join");
    check(pthread_join(s, NULL), "pthread_join");
    free(t);
    printf("every spinner saw the flag and ended: %s\n", atomic_load(&ended) == spinners ? "yes" : "no");

    if (ran < 0)
        printf("  the setter never ran: the spinners held every kernel thread the threads run on, and nothing\n"
               "  preempts a thread that never blocks (M:1 has one; M:N without preemption has one per core)\n");
    else if (spinners < cpus)
        printf("  a processor was free: fewer spinners than processors\n");
    else
        printf("  the busy threads did not keep the setter from running: the kernel time-slices kernel threads\n"
               "  (1:1), and gmp takes the processor of a pthread that runs past its time slice (M:N)\n");
    return 0;
}
