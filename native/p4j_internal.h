/*
 * p4j_internal.h - what the C files of native/ share and do not export.
 *
 * The library is compiled with -fvisibility=hidden: only the functions of
 * include/pthread4j.h are marked P4J_API, everything else stays private.
 */
#ifndef P4J_INTERNAL_H
#define P4J_INTERNAL_H

#include "pthread4j.h"

#define P4J_API __attribute__((visibility("default")))

/* The smallest stack given to a thread that runs Java (p4j_java_stack_floor):
 * the JVM puts its yellow/red/reserved guard zones at the low end. */
#define P4J_JAVA_STACK_FLOOR ((int64_t) 256 * 1024)

/* Default stack of a raw task (p4j_task_spawn with stack_size 0). */
#define P4J_TASK_STACK_DEFAULT ((int64_t) 64 * 1024)

#define P4J_NSEC_PER_SEC 1000000000LL

/* futex_waitv until *tid_word (shared: the kernel's clear-child-tid wake is
 * not private) differs from tid or *cancel (private) from 0: the index woken
 * (0 or 1), or -errno (-EAGAIN when either already differs). Counted. */
long p4j_futex_wait_tid(int32_t *tid_word, int32_t tid, uint32_t *cancel);

/* One futex-family system call, counted in p4j_futex_syscalls: its result,
 * or -errno. */
long p4j_futex_call(long nr, void *a1, long a2, long a3, void *a4, void *a5, long a6);
/* Whether the calling thread's robust list holds a mutex of ours (or one is being
 * locked or unlocked): only the kernel, at the thread's exit, can mark its owner
 * dead, so a thread of the cache that ends a pthread holding one exits (p4j_shm.c). */
int p4j_robust_held(void);

/* Zeroes the calling thread's __thread counter: a cached kernel thread starts its next
 * pthread as a new thread would. */
void p4j_tls_reset(void);

/* p4j_thread_run for a start that needs the thread to let go of something before it
 * exits: leave (may be NULL) runs on a kernel thread of the cache once, when it leaves
 * the cache. The JNI binding's threads detach from the JVM there. */
int32_t p4j_thread_run_hooked(p4j_start_fn start, void (*leave)(void), int64_t id,
                              int64_t *handle);

/* CLOCK_MONOTONIC now, in ns; the baselines' stopwatch. */
int64_t p4j_monotonic_ns(void);

#endif /* P4J_INTERNAL_H */
