/*
 * robust-mutex: two processes share a robust mutex in shared memory; one is
 * killed in the middle of its critical section, the other recovers.
 *
 * The mutex guards a transfer between two accounts whose sum is TOTAL. The
 * child locks it, takes 100 out of account a, and is killed (SIGKILL) before
 * it credits b. The kernel, which keeps every thread's list of robust mutexes
 * held, marks the mutex owner-dead: the parent's lock returns EOWNERDEAD and
 * gives it the mutex with the half-done transfer. The parent repairs the data
 * (it rolls the transfer back), calls pthread_mutex_consistent, and the mutex
 * works as before. Had it unlocked without that call, every later lock would
 * return ENOTRECOVERABLE.
 *
 * Lesson: a process can die anywhere, even holding a lock another process
 * waits for. A robust mutex turns that hang into an error the next owner can
 * handle: EOWNERDEAD means "you own it, the data may be inconsistent".
 *
 *     gcc -O2 -pthread -o robust-mutex robust-mutex.c && ./robust-mutex
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TOTAL 1000
#define AMOUNT 100

struct shared {                 /* what the two processes map */
    pthread_mutex_t lock;       /* robust, process-shared: guards a and b */
    sem_t ready;                /* the child holds the lock, mid-transfer */
    long a, b;                  /* a + b == TOTAL whenever lock is free */
};

static void check(int rc, const char *what)     /* pthread_*: the error number */
{
    if (rc != 0) {
        fprintf(stderr, "%s: %s\n", what, strerror(rc));
        exit(1);
    }
}

static void check_sys(int rc, const char *what) /* sem_*, shm_*: -1 and errno */
{
    if (rc == -1) {
        fprintf(stderr, "%s: %s\n", what, strerror(errno));
        exit(1);
    }
}

static void child(struct shared *s)
{
    check(pthread_mutex_lock(&s->lock), "child: pthread_mutex_lock");
    s->a -= AMOUNT;             /* half of the transfer: b is not credited yet */
    printf("child: holds the lock, took %d out of a, is killed before crediting b\n", AMOUNT);
    fflush(stdout);
    check_sys(sem_post(&s->ready), "sem_post");
    for (;;)
        pause();                /* killed here, in its critical section */
}

int main(void)
{
    char name[64];
    snprintf(name, sizeof name, "/robust-mutex-%d", (int) getpid());
    int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
    check_sys(fd, "shm_open");
    check_sys(ftruncate(fd, sizeof(struct shared)), "ftruncate");
    struct shared *s = mmap(NULL, sizeof *s, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (s == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    close(fd);

    pthread_mutexattr_t attr;
    check(pthread_mutexattr_init(&attr), "pthread_mutexattr_init");
    int rc = pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
    if (rc != 0) {
        printf("process-shared mutexes need kernel threads: pthread_mutexattr_setpshared: %s\n", strerror(rc));
        shm_unlink(name);
        return 0;
    }
    check(pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST), "pthread_mutexattr_setrobust");
    check(pthread_mutex_init(&s->lock, &attr), "pthread_mutex_init");
    check_sys(sem_init(&s->ready, 1, 0), "sem_init");
    s->a = TOTAL;
    s->b = 0;

    pid_t pid = fork();
    if (pid == 0)
        child(s);
    check_sys(pid, "fork");

    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 60;
    check_sys(sem_timedwait(&s->ready, &deadline), "sem_timedwait");
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    printf("parent: killed the child\n");

    rc = pthread_mutex_lock(&s->lock);
    printf("parent: pthread_mutex_lock = %s\n", rc == EOWNERDEAD ? "EOWNERDEAD" : strerror(rc));
    if (rc != EOWNERDEAD)
        return 1;
    printf("parent: a + b = %ld (expected %d): the transfer is half done\n", s->a + s->b, TOTAL);
    s->a += AMOUNT;             /* repair: roll the transfer back */
    check(pthread_mutex_consistent(&s->lock), "pthread_mutex_consistent");
    printf("parent: rolled it back, pthread_mutex_consistent = 0\n");
    check(pthread_mutex_unlock(&s->lock), "pthread_mutex_unlock");

    check(pthread_mutex_lock(&s->lock), "pthread_mutex_lock");
    int ok = s->a + s->b == TOTAL;
    printf("parent: next pthread_mutex_lock = 0, a + b = %ld (expected %d): %s\n", s->a + s->b, TOTAL,
           ok ? "ok" : "BROKEN");
    check(pthread_mutex_unlock(&s->lock), "pthread_mutex_unlock");

    munmap(s, sizeof *s);
    shm_unlink(name);
    return ok ? 0 : 1;
}
