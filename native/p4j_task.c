/*
 * p4j_task.c - raw kernel tasks: clone(2) with CLONE_THREAD, C bodies only.
 *
 * A task shares the address space, files and signal handlers of the process
 * but has no glibc thread of its own: no TCB, no TLS, no errno. It inherits
 * the %fs register of the thread that spawned it, so its code must never touch
 * thread-local storage: the bodies below use no libc call, and are compiled
 * without the stack protector (whose canary is read through %fs).
 *
 * Protocol:
 *   1. the spawner mmaps a stack with a PROT_NONE guard page at its low end and
 *      mallocs a control block (struct p4j_task);
 *   2. it blocks every signal and calls clone(); the kernel stores the child's
 *      tid in block->tid before clone() returns (CLONE_PARENT_SETTID) and again
 *      in the child (CLONE_CHILD_SETTID); the child inherits the full mask, so
 *      no signal handler (the JVM's, say) ever runs on it with borrowed TLS;
 *   3. the child runs the body, stores block->result and returns 0; glibc's
 *      clone wrapper then calls exit(2) for this task alone;
 *   4. at exit the kernel zeroes block->tid and does a (shared) FUTEX_WAKE on
 *      it (CLONE_CHILD_CLEARTID); past that point the task no longer touches
 *      its stack, so the joiner can unmap it.
 */
#include "p4j_internal.h"

#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Room a TOUCH body leaves for the frames above its buffer. */
#define P4J_TOUCH_MARGIN ((int64_t) 8 * 1024)

#define P4J_TASK_FLAGS                                                            \
    (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |           \
     CLONE_SYSVSEM | CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)

struct p4j_task {
    int32_t tid;        /* the child's tid; the kernel zeroes it at exit */
    int32_t body;       /* P4J_BODY_* */
    int64_t arg;
    int64_t result;     /* written by the child before it exits */
    int64_t page;       /* page size, so that the child needs no sysconf */
    int64_t stack_size; /* usable bytes above the guard page */
    void *map;          /* guard page + stack */
    size_t map_size;
};

#define P4J_NO_TLS __attribute__((noinline, no_stack_protector))

static P4J_NO_TLS int64_t p4j_body_spin(int64_t n)
{
    int64_t i;

    for (i = 0; i < n; i++)
        __asm__ volatile("" ::: "memory"); /* keeps the loop */
    return i;
}

/* Writes one byte in each of n pages of a buffer on this task's stack. */
static P4J_NO_TLS int64_t p4j_body_touch(int64_t n, int64_t page)
{
    int64_t i;

    if (n == 0)
        return 0;
    char buf[n * page];
    volatile char *bytes = buf; /* the writes must happen */
    for (i = 0; i < n; i++)
        bytes[(n - 1 - i) * page] = 1; /* from the top of the stack down */
    return i;
}

static P4J_NO_TLS int p4j_task_main(void *arg)
{
    struct p4j_task *t = arg;

    if (t->body == P4J_BODY_SPIN)
        t->result = p4j_body_spin(t->arg);
    else if (t->arg * t->page < t->stack_size - P4J_TOUCH_MARGIN)
        t->result = p4j_body_touch(t->arg, t->page);
    else
        t->result = -EINVAL;
    return 0;
}

P4J_API int32_t p4j_task_spawn(int32_t body, int64_t arg, int64_t stack_size, int64_t *task)
{
    uint64_t all = ~(uint64_t) 0, old;
    struct p4j_task *t;
    int64_t page;
    int rc;

    if (task == NULL || (body != P4J_BODY_SPIN && body != P4J_BODY_TOUCH) || arg < 0 ||
        stack_size < 0)
        return -EINVAL;
    if (stack_size == 0)
        stack_size = P4J_TASK_STACK_DEFAULT;
    else if (stack_size < p4j_stack_min())
        return -EINVAL;
    page = sysconf(_SC_PAGESIZE);
    if (arg > INT64_MAX / page) /* keeps the child's arg * page from overflowing */
        return -EINVAL;

    t = malloc(sizeof *t);
    if (t == NULL)
        return -ENOMEM;
    t->tid = 0;
    t->body = body;
    t->arg = arg;
    t->result = 0;
    t->page = page;
    t->stack_size = (stack_size + page - 1) / page * page;
    t->map_size = (size_t) (t->stack_size + page);
    t->map = mmap(NULL, t->map_size, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (t->map == MAP_FAILED) {
        rc = -errno;
        free(t);
        return rc;
    }
    if (mprotect(t->map, (size_t) page, PROT_NONE) != 0) {
        rc = -errno;
        goto fail;
    }

    /* The raw syscall, because glibc's sigprocmask keeps its own signals open. */
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, &old, sizeof all);
    rc = clone(p4j_task_main, (char *) t->map + t->map_size, P4J_TASK_FLAGS, t,
               &t->tid, NULL, &t->tid);
    if (rc == -1)
        rc = -errno;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &old, NULL, sizeof old);
    if (rc < 0)
        goto fail;
    *task = (int64_t) (intptr_t) t;
    return 0;

fail:
    munmap(t->map, t->map_size);
    free(t);
    return rc;
}

P4J_API int32_t p4j_task_tid(int64_t task)
{
    struct p4j_task *t = (struct p4j_task *) (intptr_t) task;

    if (t == NULL)
        return -EINVAL;
    return __atomic_load_n(&t->tid, __ATOMIC_ACQUIRE);
}

P4J_API int64_t p4j_task_join(int64_t task)
{
    struct p4j_task *t = (struct p4j_task *) (intptr_t) task;
    int64_t result;
    int32_t tid;

    if (t == NULL)
        return -EINVAL;
    /* Not FUTEX_PRIVATE: CLONE_CHILD_CLEARTID wakes with a shared futex wake. */
    while ((tid = __atomic_load_n(&t->tid, __ATOMIC_ACQUIRE)) != 0)
        syscall(SYS_futex, &t->tid, FUTEX_WAIT, tid, NULL, NULL, 0);
    result = t->result;
    munmap(t->map, t->map_size);
    free(t);
    return result;
}
