/*
 * life: Conway's Game of Life on a small torus. Each thread computes a band of
 * rows of the next generation; a barrier separates the generations, and the one
 * thread that pthread_barrier_wait names PTHREAD_BARRIER_SERIAL_THREAD swaps the
 * grids and reports. The result is compared with a plain sequential run.
 *
 * Lesson: a barrier turns "compute, then publish" into phases that no thread can
 * run ahead of; two waits per generation (after computing, after swapping)
 * keep everyone reading the grid the serial thread just published.
 *
 *     gcc -O2 -pthread -o life life.c && ./life [generations] [threads]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROWS 24
#define COLS 60

static unsigned char grid[2][ROWS][COLS];
static unsigned char seq[2][ROWS][COLS];
static int cur;                         /* grid[cur] is the current generation */
static int generations, generation, threads;
static pthread_barrier_t computed, swapped;
static unsigned int seed = 2024;

static void check(int rc, const char *what)
{
    if (rc != 0) {
        fprintf(stderr, "%s: %s\n", what, strerror(rc));
        exit(1);
    }
}

static unsigned int next_random(void)  /* the same numbers in C and Java */
{
    seed = seed * 1103515245u + 12345u;
    return (seed >> 16) & 0x7fff;
}

static int neighbours(unsigned char g[ROWS][COLS], int r, int c)
{
    int n = 0;
    for (int dr = -1; dr <= 1; dr++)
        for (int dc = -1; dc <= 1; dc++)
            if (dr != 0 || dc != 0)
                n += g[(r + dr + ROWS) % ROWS][(c + dc + COLS) % COLS];
    return n;
}

static void step_rows(unsigned char from[ROWS][COLS], unsigned char to[ROWS][COLS], int first, int last)
{
    for (int r = first; r < last; r++)
        for (int c = 0; c < COLS; c++) {
            int n = neighbours(from, r, c);
            to[r][c] = n == 3 || (n == 2 && from[r][c]);
        }
}

static int population(unsigned char g[ROWS][COLS])
{
    int alive = 0;
    for (int r = 0; r < ROWS; r++)
        for (int c = 0; c < COLS; c++)
            alive += g[r][c];
    return alive;
}

static void *worker(void *arg)
{
    long id = (long) arg;
    int first = id * ROWS / threads, last = (id + 1) * ROWS / threads;
    for (int gen = 0; gen < generations; gen++) {
        step_rows(grid[cur], grid[1 - cur], first, last);
        int r = pthread_barrier_wait(&computed);
        if (r == PTHREAD_BARRIER_SERIAL_THREAD) {     /* exactly one thread per generation */
            cur = 1 - cur;
            generation++;
            if (generation % 25 == 0)
                printf("generation %d: %d alive\n", generation, population(grid[cur]));
        } else {
            check(r, "pthread_barrier_wait");
        }
        r = pthread_barrier_wait(&swapped);
        if (r != PTHREAD_BARRIER_SERIAL_THREAD)
            check(r, "pthread_barrier_wait");
    }
    return NULL;
}

int main(int argc, char *argv[])
{
    generations = argc > 1 ? atoi(argv[1]) : 100;
    threads = argc > 2 ? atoi(argv[2]) : 4;
    if (generations < 0 || threads < 1 || threads > ROWS) {
        fprintf(stderr, "usage: life [generations] [threads (1..%d)]\n", ROWS);
        exit(2);
    }
    for (int r = 0; r < ROWS; r++)
        for (int c = 0; c < COLS; c++)
            grid[0][r][c] = next_random() % 4 == 0;
    memcpy(seq[0], grid[0], sizeof grid[0]);
    printf("generation 0: %d alive (%d x %d torus, %d threads)\n", population(grid[0]), ROWS, COLS, threads);

    check(pthread_barrier_init(&computed, NULL, threads), "pthread_barrier_init");
    check(pthread_barrier_init(&swapped, NULL, threads), "pthread_barrier_init");
    pthread_t *t = malloc(threads * sizeof *t);
    for (long i = 0; i < threads; i++)
        check(pthread_create(&t[i], NULL, worker, (void *) i), "pthread_create");
    for (int i = 0; i < threads; i++)
        check(pthread_join(t[i], NULL), "pthread_join");
    check(pthread_barrier_destroy(&swapped), "pthread_barrier_destroy");
    check(pthread_barrier_destroy(&computed), "pthread_barrier_destroy");

    int s = 0;
    for (int gen = 0; gen < generations; gen++) {
        step_rows(seq[s], seq[1 - s], 0, ROWS);
        s = 1 - s;
    }
    int same = memcmp(seq[s], grid[cur], sizeof grid[cur]) == 0;

    printf("final grid, generation %d:\n", generation);
    for (int r = 0; r < ROWS; r++) {
        for (int c = 0; c < COLS; c++)
            putchar(grid[cur][r][c] ? '#' : '.');
        putchar('\n');
    }
    printf("parallel result equals the sequential one: %s\n", same ? "yes" : "NO");
    free(t);
    return same ? 0 : 1;
}
