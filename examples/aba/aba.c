/*
 * aba: a Treiber stack (lock-free: push and pop are each one compare-and-swap
 * on the top of the stack) whose nodes are reused, and the ABA problem that
 * reuse causes; then the two classic fixes.
 *
 * pop reads the top node A and A's next node B, then swings the top from A
 * to B with a compare-and-swap. If, in between, other threads pop A, pop B
 * and push A back, the top is A again and the compare-and-swap succeeds: the
 * top becomes B, a node that another thread holds. The stack is corrupted.
 *
 * Each of three stacks runs twice: first a staged interleaving that makes
 * ABA strike for certain (a semaphore stops T1 between its read and its
 * compare-and-swap while main pops A, pops B and pushes a node), then THREADS
 * threads popping two nodes and pushing them back, ROUNDS times each.
 *   plain:  nodes reused, the top is a node: ABA corrupts the stack.
 *   tagged: nodes reused, the top is a node and a counter that every change
 *           bumps, swapped together (one 64-bit word): the A that came back
 *           carries another count, and the stale compare-and-swap fails.
 *   fresh:  nodes never reused while anyone may hold them (a push takes a
 *           new node; popped ones are retired): safe reclamation, in its
 *           simplest form. Java's garbage collector gives a stack of
 *           references this for free.
 * A node is an index into a pool, as in lock-free allocators, so that a
 * counter fits beside it in 64 bits.
 *
 *     gcc -O2 -pthread -o aba aba.c && ./aba [rounds-per-thread]
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 4
#define NODES 8                 /* on the stack when the threads start */
#define NIL (-1)
#define MAX_ROUNDS 1000000      /* fresh's pool grows with the rounds */

enum kind { PLAIN, TAGGED, FRESH };

static const char *const title[] = {
    "plain: nodes reused, compare-and-swap on the top node",
    "tagged: nodes reused, compare-and-swap on the top node and a change counter",
    "fresh: a push takes a new node, a popped node is never pushed again",
};

static const char *const why[] = {
    "the top was A again, so T1's compare-and-swap from A to B succeeded, though B was gone",
    "the top was A again, but with another count: T1's compare-and-swap failed, and T1 retried",
    "the top was D, not A: T1's compare-and-swap failed, and T1 retried",
};

struct node {
    atomic_int next;            /* the node below; NIL at the bottom */
    atomic_int held;            /* 1 while popped: popping a held node is the corruption */
};

static enum kind kind;
static struct node *pool;
static int pool_size;
static atomic_int next_free;    /* the first node never used */
static atomic_int top;          /* plain, fresh: the top node */
static _Atomic uint64_t tagged_top;     /* tagged: count << 32 | top node */
static long rounds;
static atomic_long held_pops;   /* pops that got a node another thread held */
static sem_t t1_stopped, t1_resume;

static void check(int rc, const char *what)
{
    if (rc != 0) {
        fprintf(stderr, "%s: %s\n", what, strerror(rc));
        exit(1);
    }
}

static uint64_t pack(uint32_t count, int node) { return (uint64_t) count << 32 | (uint32_t) node; }
static int node_of(uint64_t word) { return (int) (uint32_t) word; }
static uint32_t count_of(uint64_t word) { return (uint32_t) (word >> 32); }

static void push(int n)
{
    int old = atomic_load(&top);
    do
        atomic_store_explicit(&pool[n].next, old, memory_order_relaxed);
    while (!atomic_compare_exchange_weak(&top, &old, n));
}

/* The top node, or NIL. stop, if not NULL, runs once between the read of the
 * top node's next and the compare-and-swap: where ABA strikes. */
static int pop(void (*stop)(void))
{
    int old = atomic_load(&top);
    for (;;) {
        if (old == NIL)
            return NIL;
        int next = atomic_load_explicit(&pool[old].next, memory_order_relaxed);
        if (stop != NULL) {
            stop();
            stop = NULL;
        }
        if (atomic_compare_exchange_weak(&top, &old, next))
            return old;
    }
}

static void push_tagged(int n)
{
    uint64_t old = atomic_load(&tagged_top);
    do
        atomic_store_explicit(&pool[n].next, node_of(old), memory_order_relaxed);
    while (!atomic_compare_exchange_weak(&tagged_top, &old, pack(count_of(old) + 1, n)));
}

static int pop_tagged(void (*stop)(void))
{
    uint64_t old = atomic_load(&tagged_top);
    for (;;) {
        int n = node_of(old);
        if (n == NIL)
            return NIL;
        int next = atomic_load_explicit(&pool[n].next, memory_order_relaxed);
        if (stop != NULL) {
            stop();
            stop = NULL;
        }
        if (atomic_compare_exchange_weak(&tagged_top, &old, pack(count_of(old) + 1, next)))
            return n;
    }
}

static int take(void (*stop)(void))     /* pop, and mark the node held */
{
    int n = kind == TAGGED ? pop_tagged(stop) : pop(stop);
    if (n != NIL && atomic_exchange(&pool[n].held, 1))
        atomic_fetch_add(&held_pops, 1);
    return n;
}

static int give(int n)                  /* push back a node taken (fresh: a new one); returns the node pushed */
{
    if (kind == FRESH) {
        n = atomic_fetch_add(&next_free, 1);
    } else {
        atomic_store(&pool[n].held, 0);
    }
    if (kind == TAGGED)
        push_tagged(n);
    else
        push(n);
    return n;
}

static void reset(int count)            /* nodes 0..count-1 on the stack, node 0 on top */
{
    for (int i = 0; i < pool_size; i++) {
        atomic_init(&pool[i].next, NIL);
        atomic_init(&pool[i].held, 0);
    }
    atomic_store(&top, NIL);
    atomic_store(&tagged_top, pack(0, NIL));
    atomic_store(&held_pops, 0);
    for (int i = count - 1; i >= 0; i--) {
        if (kind == TAGGED)
            push_tagged(i);
        else
            push(i);
    }
    atomic_store(&next_free, count);
}

/* The stack from the top as letters ("A C") into out; returns the number of
 * nodes, or -1 for a cycle; *held: how many of them a thread holds. */
static int walk(char *out, int *held)
{
    int n = kind == TAGGED ? node_of(atomic_load(&tagged_top)) : atomic_load(&top);
    int count = 0;
    *held = 0;
    if (out != NULL)
        out[0] = '\0';
    for (; n != NIL; n = atomic_load(&pool[n].next)) {
        if (++count > pool_size)
            return -1;
        *held += atomic_load(&pool[n].held);
        if (out != NULL) {
            size_t len = strlen(out);
            snprintf(out + len, 8, len == 0 ? "%c" : " %c", 'A' + n);
        }
    }
    return count;
}

static void stop_t1(void)
{
    if (sem_post(&t1_stopped) != 0 || sem_wait(&t1_resume) != 0) {
        perror("sem");
        exit(1);
    }
}

static void *slow_popper(void *arg)     /* T1 of the staged run */
{
    (void) arg;
    return (void *) (intptr_t) take(stop_t1);
}

static int staged(void)                 /* returns 1 if the stack ends corrupted */
{
    char stack[64];
    int held;
    reset(3);                           /* A B C */
    pthread_t t1;
    check(pthread_create(&t1, NULL, slow_popper, NULL), "pthread_create");
    if (sem_wait(&t1_stopped) != 0) {
        perror("sem_wait");
        exit(1);
    }
    printf("  staged: T1 reads the top A and its next B, and stops before its compare-and-swap\n");
    int a = take(NULL);
    int b = take(NULL);
    int pushed = give(a);
    walk(stack, &held);
    printf("  staged: main pops %c, pops %c, pushes %c; stack: %s\n", 'A' + a, 'A' + b, 'A' + pushed, stack);
    if (sem_post(&t1_resume) != 0) {
        perror("sem_post");
        exit(1);
    }
    void *ret;
    check(pthread_join(t1, &ret), "pthread_join");
    int count = walk(stack, &held);
    printf("  staged: T1 resumes and pops %c; stack: %s\n", 'A' + (int) (intptr_t) ret, stack);
    if (count < 0 || held > 0)
        printf("  staged: CORRUPTED: the stack holds %c, which main has popped (ABA)\n", 'A' + b);
    else
        printf("  staged: correct: no node in the stack is held by a thread\n");
    printf("  why: %s\n", why[kind]);
    return count < 0 || held > 0;
}

static void *worker(void *arg)
{
    (void) arg;
    for (long i = 0; i < rounds; i++) {
        int a = take(NULL);
        int b = take(NULL);
        if (a != NIL)
            give(a);
        if (b != NIL)
            give(b);
    }
    return NULL;
}

static int threads(void)                /* returns 1 if the stack ends corrupted */
{
    int held;
    reset(NODES);
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        check(pthread_create(&t[i], NULL, worker, NULL), "pthread_create");
    for (int i = 0; i < THREADS; i++)
        check(pthread_join(t[i], NULL), "pthread_join");
    int count = walk(NULL, &held);
    long bad = atomic_load(&held_pops);
    int corrupted = bad > 0 || count != NODES || held > 0;
    if (count < 0)
        printf("  threads: %ld pops got a node another thread held; the stack ends in a cycle: CORRUPTED\n", bad);
    else
        printf("  threads: %ld pops got a node another thread held; stack at the end: %d nodes of %d: %s\n",
               bad, count, NODES, corrupted ? "CORRUPTED" : "ok");
    if (kind == PLAIN && !corrupted)
        printf("  no ABA this run: the window between the read and the compare-and-swap is a few ns;\n"
               "  more rounds find it (./aba 1000000), except on an M:1 model, where no thread stops inside it\n");
    return corrupted;
}

int main(int argc, char *argv[])
{
    rounds = argc > 1 ? atol(argv[1]) : 50000;
    if (rounds < 1 || rounds > MAX_ROUNDS) {
        fprintf(stderr, "usage: aba [rounds-per-thread (1 to %d)]\n", MAX_ROUNDS);
        exit(2);
    }
    pool_size = NODES + 2 * THREADS * rounds;   /* fresh takes a new node for every push */
    pool = calloc(pool_size, sizeof *pool);
    if (pool == NULL) {
        perror("calloc");
        exit(1);
    }
    if (sem_init(&t1_stopped, 0, 0) != 0 || sem_init(&t1_resume, 0, 0) != 0) {
        perror("sem_init");
        exit(1);
    }
    printf("aba: a Treiber stack, staged, then %d threads x %ld rounds of pop, pop, push, push\n", THREADS, rounds);
    int wrong = 0;
    for (kind = PLAIN; kind <= FRESH; kind++) {
        printf("%s\n", title[kind]);
        int staged_corrupted = staged();
        int threads_corrupted = threads();
        wrong |= kind == PLAIN ? !staged_corrupted : staged_corrupted || threads_corrupted;
    }
    free(pool);
    return wrong;
}
