/*
 * join-sum: split 1 + 2 + ... + N over T threads; each thread hands its partial
 * sum back to main as its exit value, through return or pthread_exit, and main
 * collects them with pthread_join.
 *
 * Lesson: a thread's exit value is a void * that pthread_join delivers; return
 * from the start routine and pthread_exit do the same thing.
 *
 *     gcc -O2 -pthread -o join-sum join-sum.c && ./join-sum [n] [threads]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct slice {
    int id;
    long first;
    long last;
};

static void check(int rc, const char *what)
{
    if (rc != 0) {
        fprintf(stderr, "%s: %s\n", what, strerror(rc));
        exit(1);
    }
}

static void *sum_slice(void *arg)
{
    struct slice *s = arg;
    long *sum = malloc(sizeof *sum);
    *sum = 0;
    for (long i = s->first; i <= s->last; i++)
        *sum += i;
    if (s->id % 2 == 0)
        return sum;         /* even threads return their result ...   */
    pthread_exit(sum);      /* ... odd ones exit with it: the same    */
}

int main(int argc, char *argv[])
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    int threads = argc > 2 ? atoi(argv[2]) : 4;
    if (n < 1 || threads < 1) {
        fprintf(stderr, "usage: join-sum [n] [threads]\n");
        exit(2);
    }
    pthread_t *t = malloc(threads * sizeof *t);
    struct slice *slices = malloc(threads * sizeof *slices);

    for (int i = 0; i < threads; i++) {
        slices[i].id = i;
        slices[i].first = n * i / threads + 1;
        slices[i].last = n * (i + 1) / threads;
        check(pthread_create(&t[i], NULL, sum_slice, &slices[i]), "pthread_create");
    }

    long total = 0;
    for (int i = 0; i < threads; i++) {
        void *result;
        check(pthread_join(t[i], &result), "pthread_join");
        long partial = *(long *) result;
        free(result);
        printf("thread %d: sum of %ld..%ld = %ld\n", i, slices[i].first, slices[i].last, partial);
        total += partial;
    }

    long expected = n * (n + 1) / 2;
    printf("sum = %ld (expected %ld): %s\n", total, expected, total == expected ? "ok" : "WRONG");
    free(slices);
    free(t);
    return total == expected ? 0 : 1;
}
