/*
 * p4j_thread.c - thread lifecycle through glibc's pthread_create.
 *
 * The new thread runs p4j_trampoline, which names itself (so the name is in
 * place before any Java code runs) and calls the Java upcall start(id). The
 * JVM attaches the kernel thread on that first upcall. A thread of the cache
 * (p4j_thread_run) runs p4j_cached_main instead, which calls start again for
 * each pthread it is handed.
 */
#include "p4j_internal.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The kernel keeps 16 bytes of thread name, NUL included. */
#define P4J_TID_OFFSET_MAX 4096 /* struct pthread is smaller than a page */

#define P4J_NAME_MAX 15

/* What the creator hands to the new thread; the thread frees it. */
struct p4j_start {
    p4j_start_fn start;
    int64_t id;
    int guarded; /* has a glibc guard: cleans its stack at exit (p4j_stack_key) */
    char name[P4J_NAME_MAX + 1]; /* "" = leave glibc's name (the creator's) */
};

/*
 * Guards, and stacks handed back to glibc as glibc made them.
 *
 * A thread that runs Java is guarded by the JVM: HotSpot puts its red, yellow and reserved
 * zones at the low end of the stack that pthread_getattr_np reports, and turns a fault there
 * into a StackOverflowError. So, as the JVM does for its own Java threads, a thread gets no
 * glibc guard unless one is asked for (guard_size > 0); then glibc's guard lies below the
 * JVM's zones.
 *
 * When such a thread ends, HotSpot uncommits its zones: it maps fresh PROT_NONE pages over
 * them (an FFM-attached thread detaches in a thread_local destructor, after p4j_trampoline
 * has returned; a JNI one in p4j_jni_start), and glibc caches the stack as it is. A later
 * thread, ours or the JVM's, that gets the cached stack asking for more stack and less guard
 * has the guard shrunk, so its stack reaches lower: the old zones' PROT_NONE pages now lie
 * inside it, above the JVM's new zones. A deep recursion meets them first; HotSpot does not
 * take a fault there for a stack overflow, and the process dies by SIGSEGV, without a crash
 * report. A thread without a glibc guard leaves those pages at the very bottom of the block,
 * where every later thread has its guard or its own zones: nothing to do. A thread with one
 * makes its stack below its frame readable and writable again once the JVM has let go of it,
 * in the destructor of p4j_stack_key, which glibc runs after the thread_local destructors
 * (a getattr and an mprotect, about 3 us of CPU). PROT_EXEC would be needed too only where
 * a loaded library demands executable stacks, which the JVM's libraries never do.
 */
static pthread_key_t p4j_stack_key;
static pthread_once_t p4j_stack_once = PTHREAD_ONCE_INIT;
static int p4j_stack_key_ok;

static void p4j_stack_clean(void *unused)
{
    uintptr_t page = (uintptr_t) sysconf(_SC_PAGESIZE);
    uintptr_t here = (uintptr_t) __builtin_frame_address(0) & ~(page - 1);
    pthread_attr_t attr;
    void *low;
    size_t size;

    (void) unused;
    if (pthread_getattr_np(pthread_self(), &attr) != 0)
        return;
    if (pthread_attr_getstack(&attr, &low, &size) == 0 && (uintptr_t) low < here)
        mprotect(low, here - (uintptr_t) low, PROT_READ | PROT_WRITE);
    pthread_attr_destroy(&attr);
}

static void p4j_stack_key_init(void)
{
    p4j_stack_key_ok = pthread_key_create(&p4j_stack_key, p4j_stack_clean) == 0;
}

static void *p4j_trampoline(void *arg)
{
    struct p4j_start s = *(struct p4j_start *) arg;

    free(arg);
    if (s.guarded && p4j_stack_key_ok)
        pthread_setspecific(p4j_stack_key, &p4j_stack_key); /* any non-NULL value */
    if (s.name[0] != '\0')
        pthread_setname_np(pthread_self(), s.name); /* prctl on self: cannot fail */
    s.start(s.id);
    return NULL;
}

/* Fills attr from the arguments of p4j_thread_create: 0 or -errno. */
static int p4j_thread_attr(pthread_attr_t *attr, int64_t stack_size,
                           int64_t guard_size, int32_t detached)
{
    size_t stack;
    int rc;

    if (stack_size == 0) {
        /* glibc's default comes from RLIMIT_STACK and may be under the floor. */
        rc = pthread_attr_getstacksize(attr, &stack);
        if (rc != 0)
            return -rc;
    } else {
        stack = (size_t) stack_size;
    }
    if (stack < (size_t) P4J_JAVA_STACK_FLOOR)
        stack = (size_t) P4J_JAVA_STACK_FLOOR;
    rc = pthread_attr_setstacksize(attr, stack);
    if (rc == 0)
        rc = pthread_attr_setguardsize(attr, (size_t) guard_size);
    if (rc == 0)
        rc = pthread_attr_setdetachstate(attr, detached ? PTHREAD_CREATE_DETACHED
                                                        : PTHREAD_CREATE_JOINABLE);
    return -rc;
}

P4J_API int32_t p4j_thread_create(p4j_start_fn start, int64_t id, int64_t stack_size,
                                  int64_t guard_size, int32_t detached,
                                  const char *name, int64_t *handle)
{
    struct p4j_start *s;
    pthread_attr_t attr;
    pthread_t thread;
    int rc;

    if (start == NULL || handle == NULL || stack_size < 0 || guard_size < 0)
        return -EINVAL;
    if (stack_size != 0 && stack_size < p4j_stack_min())
        return -EINVAL;
    if (name != NULL && strlen(name) > P4J_NAME_MAX)
        return -ERANGE;

    if (guard_size > 0)
        pthread_once(&p4j_stack_once, p4j_stack_key_init);
    s = malloc(sizeof *s);
    if (s == NULL)
        return -ENOMEM;
    s->start = start;
    s->id = id;
    s->guarded = guard_size > 0;
    s->name[0] = '\0';
    if (name != NULL)
        strcpy(s->name, name);

    rc = pthread_attr_init(&attr);
    if (rc != 0) {
        free(s);
        return -rc;
    }
    rc = -p4j_thread_attr(&attr, stack_size, guard_size, detached);
    if (rc == 0)
        rc = pthread_create(&thread, &attr, p4j_trampoline, s);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        free(s);
        return -rc;
    }
    *handle = (int64_t) thread;
    return 0;
}

/*
 * The cache of kernel threads (p4j_thread_run).
 *
 * Adopting a new kernel thread costs the JVM far more than glibc's clone: its attach and
 * detach are most of a native create+join. So a thread of the cache, once its start has
 * returned, does not exit: it waits, idle, for the next start. Its struct p4j_idle lives
 * on its own stack; the idle ones form a stack (LIFO: the most recently idle thread, whose
 * caches are warmest, goes first) under p4j_cache_lock. The idle word:
 *
 *   word            meaning                                     transitions
 *   P4J_IDLE_WAIT   on the idle stack, asleep or about to be     -> P4J_IDLE_GO (a creator popped it)
 *   P4J_IDLE_GO     id and name are the next pthread's           the thread runs it
 *
 * 1. A thread whose start returned takes the lock; if fewer than p4j_cache_max wait, it
 *    pushes itself with WAIT, else it exits.
 * 2. It futex-waits on its word while WAIT, until p4j_cache_idle_ms have passed.
 * 3. A creator pops, under the lock, the top thread of those that went idle on its own CPU,
 *    else the top thread; fills in id, its own kernel name and its CPU, stores GO (release)
 *    and wakes the word. The idle thread reads them after an acquire load of GO. (The wake
 *    may reach the word after the thread has moved on and, at worst, ended: a stray wake of
 *    whatever word is there then, which every futex user tolerates.)
 * 4. A thread whose wait timed out takes the lock: still on the stack, it removes itself and
 *    exits; already popped, it waits without a deadline for the GO that its creator is
 *    about to store.
 * 5. A thread woken on another CPU than its creator's moves to the creator's (an affinity of
 *    that CPU alone, then its own again) before it runs the pthread.
 *
 * Steps 3 and 5 keep a creator and the thread it hands a pthread on one CPU. A creator that
 * joins sleeps right after the hand-off, so its CPU is free for the new pthread, whose end
 * wakes the joiner there again: each wake-up is a switch on that CPU. The kernel places a
 * woken thread by where it last ran: a thread that ran elsewhere is woken there, and its
 * end wakes the joiner across CPUs, and each side of every later create+join then waits
 * for a CPU that may be busy with other work: a pair that started apart could stay apart for
 * a whole JVM. Measured on two loaded vCPUs, 15 JVMs of each build taking turns: the median
 * create+join of a JVM was 9-102 us (median 25) without steps 3 and 5, 7.5-11.7 us (8.9) with.
 *
 * A thread whose pthread ended holding a robust mutex that processes share exits: the
 * kernel marks such a mutex's owner dead when its kernel thread exits (p4j_robust_held).
 * (The scheduling and affinity a pthread set are reset by the Java side: see
 * NativeThreadModel. Step 5 leaves the affinity as it found it.)
 */
#define P4J_IDLE_WAIT 0u
#define P4J_IDLE_GO 1u

struct p4j_idle {
    struct p4j_idle *next; /* guarded by p4j_cache_lock while on the stack */
    uint32_t word;
    int cpu;               /* WAIT: the CPU it went idle on; GO: its creator's CPU */
    p4j_start_fn start;    /* the start it runs: only a creator of the same start takes it */
    int64_t id;
    char name[P4J_NAME_MAX + 1];
    pthread_t thread;
};

/* What a creator hands to a new thread of the cache; the thread frees it. */
struct p4j_cached_start {
    p4j_start_fn start;
    void (*leave)(void);
    int64_t id;
};

static pthread_mutex_t p4j_cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct p4j_idle *p4j_cache_top; /* guarded by p4j_cache_lock */
static int p4j_cache_count;            /* guarded by p4j_cache_lock */
static int p4j_cache_max;              /* guarded by p4j_cache_lock */
static int p4j_cache_idle_ms = 1000;   /* guarded by p4j_cache_lock */

/* Step 4: removes idle from the stack, 1; 0 when a creator has popped it. */
static int p4j_cache_leave(struct p4j_idle *idle)
{
    struct p4j_idle **p;

    pthread_mutex_lock(&p4j_cache_lock);
    for (p = &p4j_cache_top; *p != NULL; p = &(*p)->next) {
        if (*p == idle) {
            *p = idle->next;
            p4j_cache_count--;
            pthread_mutex_unlock(&p4j_cache_lock);
            return 1;
        }
    }
    pthread_mutex_unlock(&p4j_cache_lock);
    return 0;
}

/* Steps 1, 2 and 4: 1 once a creator has handed idle a new id, 0 to exit. */
static int p4j_cache_wait(struct p4j_idle *idle)
{
    int64_t deadline;
    int timed = 1;
    int32_t rc;

    pthread_mutex_lock(&p4j_cache_lock);
    if (p4j_cache_count >= p4j_cache_max) {
        pthread_mutex_unlock(&p4j_cache_lock);
        return 0;
    }
    deadline = p4j_monotonic_ns() + (int64_t) p4j_cache_idle_ms * 1000000;
    __atomic_store_n(&idle->word, P4J_IDLE_WAIT, __ATOMIC_RELAXED);
    idle->cpu = sched_getcpu();
    idle->next = p4j_cache_top;
    p4j_cache_top = idle;
    p4j_cache_count++;
    pthread_mutex_unlock(&p4j_cache_lock);
    while (__atomic_load_n(&idle->word, __ATOMIC_ACQUIRE) == P4J_IDLE_WAIT) {
        rc = p4j_futex_wait(&idle->word, P4J_IDLE_WAIT, timed ? P4J_CLOCK_MONOTONIC : P4J_CLOCK_NONE,
                            deadline / P4J_NSEC_PER_SEC, deadline % P4J_NSEC_PER_SEC);
        if (rc == -ETIMEDOUT) {
            if (p4j_cache_leave(idle))
                return 0;
            timed = 0;
        }
    }
    return 1;
}

/*
 * Step 3: pops the most recently idle thread that runs start and went idle on cpu, else
 * the most recently idle one that runs start; NULL if none.
 */
static struct p4j_idle *p4j_cache_take(p4j_start_fn start, int cpu)
{
    struct p4j_idle **p, **any = NULL, *idle = NULL;

    pthread_mutex_lock(&p4j_cache_lock);
    for (p = &p4j_cache_top; *p != NULL; p = &(*p)->next) {
        if ((*p)->start != start)
            continue;
        if ((*p)->cpu == cpu) {
            any = p;
            break;
        }
        if (any == NULL)
            any = p;
    }
    if (any != NULL) {
        idle = *any;
        *any = idle->next;
        p4j_cache_count--;
    }
    pthread_mutex_unlock(&p4j_cache_lock);
    return idle;
}

/*
 * Step 5: moves the calling thread, just handed a pthread, to cpu (its creator's), if the
 * kernel woke it elsewhere and may run it there; its CPU affinity is as before.
 */
static void p4j_cache_follow(int cpu)
{
    cpu_set_t mask, one;

    if (cpu < 0 || sched_getcpu() == cpu)
        return;
    if (sched_getaffinity(0, sizeof mask, &mask) != 0 || !CPU_ISSET(cpu, &mask))
        return;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    if (sched_setaffinity(0, sizeof one, &one) == 0)
        sched_setaffinity(0, sizeof mask, &mask);
}

static void *p4j_cached_main(void *arg)
{
    struct p4j_cached_start s = *(struct p4j_cached_start *) arg;
    struct p4j_idle self = { .start = s.start, .id = s.id, .thread = pthread_self() };

    free(arg);
    for (;;) {
        self.start(self.id);
        if (p4j_robust_held() || !p4j_cache_wait(&self))
            break;
        p4j_cache_follow(self.cpu);
        p4j_tls_reset();
        prctl(PR_SET_NAME, self.name); /* on self: cannot fail */
    }
    if (s.leave != NULL)
        s.leave();
    return NULL;
}

int32_t p4j_thread_run_hooked(p4j_start_fn start, void (*leave)(void), int64_t id,
                              int64_t *handle)
{
    struct p4j_cached_start *s;
    struct p4j_idle *idle;
    pthread_attr_t attr;
    pthread_t thread;
    int rc, cpu;

    if (start == NULL || handle == NULL)
        return -EINVAL;
    cpu = sched_getcpu();
    idle = p4j_cache_take(start, cpu);
    if (idle != NULL) {
        idle->id = id;
        idle->cpu = cpu;
        prctl(PR_GET_NAME, idle->name); /* the caller's name, as a new thread inherits it */
        *handle = (int64_t) idle->thread;
        __atomic_store_n(&idle->word, P4J_IDLE_GO, __ATOMIC_RELEASE);
        p4j_futex_wake(&idle->word, 1);
        return 0;
    }
    s = malloc(sizeof *s);
    if (s == NULL)
        return -ENOMEM;
    s->start = start;
    s->leave = leave;
    s->id = id;
    rc = pthread_attr_init(&attr);
    if (rc != 0) {
        free(s);
        return -rc;
    }
    rc = -p4j_thread_attr(&attr, 0, 0, 1);
    if (rc == 0)
        rc = pthread_create(&thread, &attr, p4j_cached_main, s);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        free(s);
        return -rc;
    }
    *handle = (int64_t) thread;
    return 1;
}

P4J_API int32_t p4j_thread_run(p4j_start_fn start, int64_t id, int64_t *handle)
{
    return p4j_thread_run_hooked(start, NULL, id, handle);
}

P4J_API int32_t p4j_thread_cache_config(int32_t max_idle, int32_t idle_ms)
{
    if (max_idle < 0 || idle_ms <= 0)
        return -EINVAL;
    pthread_mutex_lock(&p4j_cache_lock);
    p4j_cache_max = max_idle;
    p4j_cache_idle_ms = idle_ms;
    pthread_mutex_unlock(&p4j_cache_lock);
    return 0;
}

P4J_API int32_t p4j_thread_cache_idle(void)
{
    int32_t n;

    pthread_mutex_lock(&p4j_cache_lock);
    n = p4j_cache_count;
    pthread_mutex_unlock(&p4j_cache_lock);
    return n;
}

P4J_API int32_t p4j_thread_join(int64_t handle)
{
    return -pthread_join((pthread_t) handle, NULL);
}

/*
 * The clear-child-tid word. glibc creates every thread with CLONE_CHILD_CLEARTID
 * on the tid field of its struct pthread, which a pthread_t points to: the kernel
 * zeroes that word and futex-wakes it (shared, not private) once the thread has
 * exited, which is what pthread_join waits for. The field's offset is glibc's
 * own; it is measured once on the calling thread, from the address the kernel
 * reports (PR_GET_TID_ADDRESS), and trusted only if that word holds our tid.
 * With PTHREAD4J_JOIN_FALLBACK set in the environment the word is never used, so
 * that the tests can run the fallback (wait on the exit word, then pthread_join)
 * where the probe would succeed.
 */
static pthread_once_t p4j_tid_once = PTHREAD_ONCE_INIT;
static intptr_t p4j_tid_offset = -1; /* -1: unknown, do not use */

static void p4j_tid_probe(void)
{
    uintptr_t self = (uintptr_t) pthread_self();
    pid_t *word = NULL;

    if (getenv("PTHREAD4J_JOIN_FALLBACK") != NULL)
        return;
    if (prctl(PR_GET_TID_ADDRESS, &word, 0, 0, 0) != 0 || word == NULL)
        return;
    if ((uintptr_t) word < self || (uintptr_t) word - self > P4J_TID_OFFSET_MAX)
        return;
    if (__atomic_load_n(word, __ATOMIC_RELAXED) != (pid_t) syscall(SYS_gettid))
        return;
    p4j_tid_offset = (intptr_t) ((uintptr_t) word - self);
}

P4J_API int32_t p4j_thread_join2(int64_t handle, uint32_t *cancel)
{
    pid_t *word;
    pid_t tid;
    long rc;

    if (cancel == NULL)
        return p4j_thread_join(handle);
    pthread_once(&p4j_tid_once, p4j_tid_probe);
    if (p4j_tid_offset < 0)
        return -ENOSYS;
    if (handle == 0 || handle == p4j_thread_self())
        return p4j_thread_join(handle); /* glibc's EINVAL/EDEADLK/ESRCH answers */
    word = (pid_t *) ((uintptr_t) handle + (uintptr_t) p4j_tid_offset);
    while ((tid = __atomic_load_n(word, __ATOMIC_ACQUIRE)) != 0) {
        if (__atomic_load_n(cancel, __ATOMIC_ACQUIRE) != 0)
            return -ECANCELED;
        rc = p4j_futex_wait_tid(word, tid, cancel);
        if (rc == 1)
            return -ECANCELED;
        if (rc < 0 && rc != -EAGAIN && rc != -EINTR)
            return (int32_t) rc;
    }
    return p4j_thread_join(handle);
}

P4J_API int32_t p4j_thread_detach(int64_t handle)
{
    return -pthread_detach((pthread_t) handle);
}

P4J_API int64_t p4j_thread_self(void)
{
    return (int64_t) pthread_self();
}

P4J_API int32_t p4j_thread_setname(int64_t handle, const char *name)
{
    if (name == NULL)
        return -EINVAL;
    return -pthread_setname_np((pthread_t) handle, name);
}

P4J_API int32_t p4j_thread_getname(int64_t handle, char *buf, int64_t len)
{
    if (buf == NULL || len < 0)
        return -EINVAL;
    return -pthread_getname_np((pthread_t) handle, buf, (size_t) len);
}

P4J_API int64_t p4j_stack_min(void)
{
#ifdef _SC_THREAD_STACK_MIN
    long min = sysconf(_SC_THREAD_STACK_MIN);

    if (min > 0)
        return min;
#endif
    return PTHREAD_STACK_MIN;
}

P4J_API int64_t p4j_java_stack_floor(void)
{
    return P4J_JAVA_STACK_FLOOR;
}
