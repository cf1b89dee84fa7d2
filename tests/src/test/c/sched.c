/*
 * sched.c - glibc's answers to the scheduling and affinity calls, one line per
 * case ("case result"), for SchedTest and AffinityTest to compare with
 * pthread4j's on the native backend. The cases run in the order printed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

static const char *err(int e)
{
    switch (e) {
    case 0: return "0";
    case EPERM: return "EPERM";
    case ESRCH: return "ESRCH";
    case EINVAL: return "EINVAL";
    case ENOTSUP: return "ENOTSUP";
    default: return "E?";
    }
}

static void out(const char *c, int r)
{
    printf("%s %s\n", c, err(r));
}

/* "policy priority" of the thread, or the error. */
static void sched_of(const char *c, pthread_t t)
{
    int policy;
    struct sched_param p;
    int r = pthread_getschedparam(t, &policy, &p);

    if (r != 0)
        out(c, r);
    else
        printf("%s %d %d\n", c, policy, p.sched_priority);
}

static pthread_barrier_t gate;

static void *parked(void *arg)
{
    (void) arg;
    pthread_barrier_wait(&gate);
    pthread_barrier_wait(&gate);
    return NULL;
}

static void *report(void *arg)
{
    sched_of((const char *) arg, pthread_self());
    return NULL;
}

/* The line of a thread created with explicit attributes, printed after its creator's. */
static char explicit_line[128];

static void *report_later(void *arg)
{
    int policy;
    struct sched_param p;

    pthread_getschedparam(pthread_self(), &policy, &p);
    snprintf(explicit_line, sizeof explicit_line, "%s %d %d", (const char *) arg, policy, p.sched_priority);
    return NULL;
}

/* Sets itself to FIFO 1 (when allowed) and creates a thread that inherits. */
static void *inherits(void *arg)
{
    struct sched_param p = { .sched_priority = 1 };
    pthread_t t;

    (void) arg;
    out("inherit.self_fifo", pthread_setschedparam(pthread_self(), SCHED_FIFO, &p));
    pthread_create(&t, NULL, report, "inherit.child");
    pthread_join(t, NULL);
    return NULL;
}

static void attrs(void)
{
    pthread_attr_t a;
    struct sched_param p;
    int v;

    pthread_attr_init(&a);
    pthread_attr_getinheritsched(&a, &v);
    printf("attr.default_inherit %d\n", v);
    pthread_attr_getschedpolicy(&a, &v);
    printf("attr.default_policy %d\n", v);
    pthread_attr_getschedparam(&a, &p);
    printf("attr.default_priority %d\n", p.sched_priority);
    pthread_attr_getscope(&a, &v);
    printf("attr.default_scope %d\n", v);
    out("attr.policy_batch", pthread_attr_setschedpolicy(&a, SCHED_BATCH));
    out("attr.policy_42", pthread_attr_setschedpolicy(&a, 42));
    out("attr.policy_minus1", pthread_attr_setschedpolicy(&a, -1));
    p.sched_priority = 50;
    out("attr.param_50_other", pthread_attr_setschedparam(&a, &p));
    out("attr.policy_fifo", pthread_attr_setschedpolicy(&a, SCHED_FIFO));
    out("attr.param_50_fifo", pthread_attr_setschedparam(&a, &p));
    p.sched_priority = 0;
    out("attr.param_0_fifo", pthread_attr_setschedparam(&a, &p));
    p.sched_priority = 100;
    out("attr.param_100_fifo", pthread_attr_setschedparam(&a, &p));
    pthread_attr_getschedparam(&a, &p);
    printf("attr.priority_kept %d\n", p.sched_priority);
    out("attr.inherit_5", pthread_attr_setinheritsched(&a, 5));
    out("attr.inherit_explicit", pthread_attr_setinheritsched(&a, PTHREAD_EXPLICIT_SCHED));
    out("attr.scope_system", pthread_attr_setscope(&a, PTHREAD_SCOPE_SYSTEM));
    out("attr.scope_process", pthread_attr_setscope(&a, PTHREAD_SCOPE_PROCESS));
    out("attr.scope_7", pthread_attr_setscope(&a, 7));
    pthread_attr_destroy(&a);
}

static void ranges(void)
{
    int policies[] = { SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_IDLE, 42 };

    for (unsigned i = 0; i < sizeof policies / sizeof policies[0]; i++) {
        errno = 0;
        int lo = sched_get_priority_min(policies[i]);
        int elo = errno;
        int hi = sched_get_priority_max(policies[i]);
        printf("range.%d %d %s %d\n", policies[i], lo, err(elo), hi);
    }
}

static void set_and_get(pthread_t t)
{
    struct sched_param p;

    p.sched_priority = 0;
    out("set.other_0", pthread_setschedparam(t, SCHED_OTHER, &p));
    sched_of("get.after_other", t);
    p.sched_priority = 5;
    out("set.other_5", pthread_setschedparam(t, SCHED_OTHER, &p));
    out("prio.other_5", pthread_setschedprio(t, 5));
    out("prio.other_0", pthread_setschedprio(t, 0));
    p.sched_priority = 0;
    out("set.fifo_0", pthread_setschedparam(t, SCHED_FIFO, &p));
    p.sched_priority = 100;
    out("set.rr_100", pthread_setschedparam(t, SCHED_RR, &p));
    p.sched_priority = 0;
    out("set.policy_42", pthread_setschedparam(t, 42, &p));
    out("set.batch_0", pthread_setschedparam(t, SCHED_BATCH, &p));
    sched_of("get.after_batch", t);
    out("set.idle_0", pthread_setschedparam(t, SCHED_IDLE, &p));
    sched_of("get.after_idle", t);
    p.sched_priority = 1;
    out("set.fifo_1", pthread_setschedparam(t, SCHED_FIFO, &p));
    sched_of("get.after_fifo", t);
    out("prio.2", pthread_setschedprio(t, 2));
    sched_of("get.after_prio", t);
    p.sched_priority = 3;
    out("set.rr_3", pthread_setschedparam(t, SCHED_RR, &p));
    sched_of("get.after_rr", t);
    p.sched_priority = 0;
    out("set.back_to_other", pthread_setschedparam(t, SCHED_OTHER, &p));
    sched_of("get.end", t);
}

static void explicit(int policy, int priority, const char *c)
{
    pthread_attr_t a;
    struct sched_param p = { .sched_priority = priority };
    pthread_t t;
    char name[64];
    int r;

    pthread_attr_init(&a);
    pthread_attr_setinheritsched(&a, PTHREAD_EXPLICIT_SCHED);
    pthread_attr_setschedpolicy(&a, policy);
    pthread_attr_setschedparam(&a, &p);
    snprintf(name, sizeof name, "%s.child", c);
    r = pthread_create(&t, &a, report_later, name);
    out(c, r);
    if (r == 0) {
        pthread_join(t, NULL);
        printf("%s\n", explicit_line);
    }
    pthread_attr_destroy(&a);
}

static void affinity(pthread_t t)
{
    cpu_set_t s, got;
    int n = CPU_SETSIZE;

    CPU_ZERO(&s);
    out("aff.get", pthread_getaffinity_np(t, sizeof s, &s));
    printf("aff.count_all %d\n", CPU_COUNT(&s));
    CPU_ZERO(&s);
    out("aff.set_empty", pthread_setaffinity_np(t, sizeof s, &s));
    CPU_SET(n - 1, &s);
    out("aff.set_absent_cpu", pthread_setaffinity_np(t, sizeof s, &s));
    CPU_ZERO(&s);
    CPU_SET(0, &s);
    CPU_SET(n - 1, &s);
    out("aff.set_0_and_absent", pthread_setaffinity_np(t, sizeof s, &s));
    CPU_ZERO(&got);
    pthread_getaffinity_np(t, sizeof got, &got);
    printf("aff.after_0 %d %d\n", CPU_COUNT(&got), CPU_ISSET(0, &got) != 0);
    out("aff.set_size_0", pthread_setaffinity_np(t, 0, &s));
    out("aff.set_size_3", pthread_setaffinity_np(t, 3, &s));
    out("aff.get_size_4", pthread_getaffinity_np(t, 4, &got));
    out("aff.get_size_12", pthread_getaffinity_np(t, 12, &got));
    out("aff.get_size_0", pthread_getaffinity_np(t, 0, &got));
    memset(&got, 0xff, sizeof got);
    out("aff.get_size_64", pthread_getaffinity_np(t, 64, &got));
    printf("aff.get_size_64_count %d\n", CPU_COUNT(&got));
    pthread_getaffinity_np(pthread_self(), sizeof s, &s); /* the process's CPUs */
    out("aff.restore", pthread_setaffinity_np(t, sizeof s, &s));
}

int main(void)
{
    pthread_t t;

    attrs();
    ranges();
    pthread_barrier_init(&gate, NULL, 2);
    pthread_create(&t, NULL, parked, NULL);
    pthread_barrier_wait(&gate);
    set_and_get(t);
    affinity(t);
    pthread_barrier_wait(&gate);
    pthread_join(t, NULL);
    explicit(SCHED_FIFO, 1, "explicit.fifo_1");
    explicit(SCHED_OTHER, 0, "explicit.other_0");
    explicit(SCHED_RR, 2, "explicit.rr_2");
    pthread_create(&t, NULL, inherits, NULL);
    pthread_join(t, NULL);
    return 0;
}
