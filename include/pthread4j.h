/*
 * pthread4j.h - the C interface that Java binds to (jextract's input).
 *
 * Conventions (the seam):
 *   - every function has the p4j_ prefix, is non-variadic, and takes only
 *     fixed-width integers and pointers;
 *   - a function that can fail returns >= 0 on success and -errno on failure,
 *     and does nothing else: no printing, no global errno, no exit;
 *   - thread handles and raw task handles travel as int64_t;
 *   - structures shared with Java are declared here, so that jextract derives
 *     their layouts; a test compares those layouts with p4j_sizeof().
 */
#ifndef PTHREAD4J_H
#define PTHREAD4J_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- thread lifecycle (glibc pthread_create, i.e. clone3) ------------- */

/* The body of a thread created by p4j_thread_create: a Java upcall that
 * receives the opaque id given at creation. It must never unwind. */
typedef void (*p4j_start_fn)(int64_t id);

/* Creates a kernel thread through glibc's pthread_create that runs start(id).
 * stack_size 0 means glibc's default, and is raised to p4j_java_stack_floor();
 * guard_size is glibc's guard below the stack, 0 for none (a thread that runs
 * Java has the JVM's guard zones); detached != 0 creates it detached; name may
 * be NULL. On success stores the handle in *handle.
 * Returns 0 or -EAGAIN, -EINVAL, -ENOMEM, -EPERM, -ERANGE (name too long). */
int32_t p4j_thread_create(p4j_start_fn start, int64_t id, int64_t stack_size,
                          int64_t guard_size, int32_t detached,
                          const char *name, int64_t *handle);
/* Runs start(id) on a kernel thread of the cache: an idle one that last ran the same
 * start, else a new one created as p4j_thread_create makes it with default attributes
 * (glibc's default stack raised to p4j_java_stack_floor(), no glibc guard, no name), but
 * detached in glibc: the caller learns of start's end by its own means. When start returns,
 * the kernel thread waits, idle, for the next p4j_thread_run (at most max_idle threads wait,
 * each at most idle_ms: see p4j_thread_cache_config), and exits otherwise. An idle thread
 * that takes a new start(id) first gets the caller's kernel name, as a new thread inherits
 * it, and a zero __thread counter (p4j_tls_counter_get). Stores the kernel thread's glibc
 * handle in *handle, valid at least until start(id) returns.
 * Returns 0 (an idle thread runs it), 1 (a new thread does), -EAGAIN, -ENOMEM, -EINVAL. */
int32_t p4j_thread_run(p4j_start_fn start, int64_t id, int64_t *handle);
/* How many kernel threads the cache keeps idle at most (0: none; p4j_thread_run then
 * creates a thread every time) and for how long each, in ms (> 0). Idle threads beyond a
 * lowered max_idle leave when their wait ends. 0 or -EINVAL. The default: 0 idle. */
int32_t p4j_thread_cache_config(int32_t max_idle, int32_t idle_ms);
/* The number of idle kernel threads in the cache now. */
int32_t p4j_thread_cache_idle(void);
/* Waits for the thread to end and releases it: 0, -ESRCH, -EINVAL, -EDEADLK. */
int32_t p4j_thread_join(int64_t handle);
/* p4j_thread_join with one sleep that a cancel can end: waits until the kernel
 * has cleared the thread's clear-child-tid word (its exit is complete) or
 * *cancel is non-zero, then joins. cancel may be NULL (no cancel). Returns 0,
 * -ECANCELED (the thread stays joinable), -ENOSYS when the tid word of glibc's
 * threads could not be located here (only with cancel != NULL; join another
 * way), or p4j_thread_join's errors. */
int32_t p4j_thread_join2(int64_t handle, uint32_t *cancel);
/* Marks the thread detached: 0, -ESRCH, -EINVAL. */
int32_t p4j_thread_detach(int64_t handle);
/* The calling thread's glibc handle. */
int64_t p4j_thread_self(void);
/* Sets/gets the kernel name (at most 15 bytes + NUL): 0, -ERANGE, -ESRCH. */
int32_t p4j_thread_setname(int64_t handle, const char *name);
int32_t p4j_thread_getname(int64_t handle, char *buf, int64_t len);
/* glibc's minimum stack size for a thread (PTHREAD_STACK_MIN). */
int64_t p4j_stack_min(void);
/* The smallest stack the C layer gives a thread that runs Java: the JVM needs
 * room for its guard zones; smaller requests are rounded up to this. */
int64_t p4j_java_stack_floor(void);

/* ---- raw kernel tasks (clone(2) with CLONE_THREAD, C bodies only) ------ */

#define P4J_BODY_SPIN 0  /* counts arg iterations; result: arg          */
#define P4J_BODY_TOUCH 1 /* touches arg pages of its own stack; result:
                            arg, or -EINVAL when they do not fit        */

/* Spawns a raw task running body(arg) on a fresh mmap'd stack of stack_size
 * bytes (0: 64 KiB; otherwise at least p4j_stack_min()). Stores the task in
 * *task. 0 or -errno (-EINVAL: bad body, negative arg, bad stack_size). */
int32_t p4j_task_spawn(int32_t body, int64_t arg, int64_t stack_size, int64_t *task);
/* The kernel tid of a task (the CLONE_CHILD_SETTID word); 0 once it ended. */
int32_t p4j_task_tid(int64_t task);
/* Waits on the child-tid word until the kernel clears it, then frees the
 * stack. Returns the task's result (>= 0) or -errno. */
int64_t p4j_task_join(int64_t task);

/* ---- futex (private futexes on 32-bit words) --------------------------- */

#define P4J_CLOCK_NONE (-1) /* no deadline: wait until woken */
#define P4J_CLOCK_REALTIME 0
#define P4J_CLOCK_MONOTONIC 1

/* FUTEX_WAIT_BITSET while *word == expected, until the absolute deadline
 * (sec, nsec) on clock (P4J_CLOCK_NONE: none). 0 when woken (maybe spuriously),
 * -EAGAIN when *word != expected, -ETIMEDOUT, -EINTR, -EINVAL. */
int32_t p4j_futex_wait(uint32_t *word, uint32_t expected, int32_t clock,
                       int64_t sec, int64_t nsec);
/* futex_waitv on two words: *word == expected and *cancel == 0. Returns 0 when
 * woken through word, 1 when woken through cancel, or the errors of
 * p4j_futex_wait (-EAGAIN when either word differs). */
int32_t p4j_futex_wait2(uint32_t *word, uint32_t expected, uint32_t *cancel,
                        int32_t clock, int64_t sec, int64_t nsec);
/* FUTEX_WAKE: the number of waiters woken, or -errno. */
int32_t p4j_futex_wake(uint32_t *word, int32_t count);
/* FUTEX_CMP_REQUEUE: wakes up to nwake waiters of from and moves up to
 * nrequeue others to to, if *from == expected. Returns woken + requeued,
 * -EAGAIN when *from != expected, or -errno. */
int32_t p4j_futex_cmp_requeue(uint32_t *from, uint32_t expected, int32_t nwake,
                              uint32_t *to, int32_t nrequeue);
/* p4j_futex_wait, p4j_futex_wait2 and p4j_futex_wake for a word in memory that
 * other processes map too: without FUTEX_PRIVATE_FLAG, so that the kernel keys
 * the word by its page rather than by this process's address (the cancel word
 * of wait2 stays private). Same results. */
int32_t p4j_futex_wait_shared(uint32_t *word, uint32_t expected, int32_t clock,
                              int64_t sec, int64_t nsec);
int32_t p4j_futex_wait2_shared(uint32_t *word, uint32_t expected, uint32_t *cancel,
                               int32_t clock, int64_t sec, int64_t nsec);
int32_t p4j_futex_wake_shared(uint32_t *word, int32_t count);
/* The number of futex system calls this layer has made, process-wide. */
int64_t p4j_futex_syscalls(void);

/* ---- priority-inheriting futexes (PTHREAD_PRIO_INHERIT mutexes) -------- */

/* The word holds 0 or the owner's kernel tid, with bit 31 set once a locker
 * sleeps (the kernel's FUTEX_WAITERS) and bit 30 FUTEX_OWNER_DIED. */

/* FUTEX_LOCK_PI2: takes the word for the caller, sleeping while another owns
 * it and boosting that owner to the caller's priority, until the absolute
 * deadline (sec, nsec) on clock (P4J_CLOCK_NONE: none). 0 (the word holds the
 * caller's tid), -ETIMEDOUT, -EDEADLK (the caller owns it), -EINVAL, -ESRCH
 * (the owner tid names no thread). */
int32_t p4j_futex_lock_pi(uint32_t *word, int32_t clock, int64_t sec, int64_t nsec);
/* FUTEX_UNLOCK_PI: hands the word to the highest-priority sleeper (or frees
 * it) and ends the caller's boost: 0, -EPERM (the caller is not the owner). */
int32_t p4j_futex_unlock_pi(uint32_t *word);

/* ---- identity, accounting, thread-local storage ------------------------ */

struct p4j_rusage {
    int64_t utime_ns; /* user CPU time of the calling thread   */
    int64_t stime_ns; /* system CPU time of the calling thread */
    int64_t nvcsw;    /* voluntary context switches            */
    int64_t nivcsw;   /* involuntary context switches          */
};

int32_t p4j_gettid(void);
int32_t p4j_getpid(void);
/* The CPU the caller runs on, or -errno. */
int32_t p4j_sched_getcpu(void);
/* getrusage(RUSAGE_THREAD) of the caller: 0 or -errno. */
int32_t p4j_thread_rusage(struct p4j_rusage *out);
/* A __thread counter: one copy per kernel thread. */
int64_t p4j_tls_counter_inc(void);
int64_t p4j_tls_counter_get(void);

/* ---- clocks and system calls for labs ---------------------------------- */

struct p4j_timespec {
    int64_t tv_sec;
    int64_t tv_nsec;
};

/* clock_gettime(P4J_CLOCK_REALTIME or P4J_CLOCK_MONOTONIC): 0 or -errno. */
int32_t p4j_clock_gettime(int32_t clock, struct p4j_timespec *out);
/* nanosleep for a relative time; on -EINTR the remainder is in *rem (may be NULL). */
int32_t p4j_nanosleep(const struct p4j_timespec *req, struct p4j_timespec *rem);
/* read/write: bytes transferred (>= 0) or -errno; write to a socket is
 * send(MSG_NOSIGNAL): a closed peer gives -EPIPE, never SIGPIPE. */
int64_t p4j_read(int32_t fd, void *buf, int64_t count);
int64_t p4j_write(int32_t fd, const void *buf, int64_t count);
/* pipe2(fds, O_CLOEXEC): 0 or -errno. */
int32_t p4j_pipe(int32_t *fds);
int32_t p4j_close(int32_t fd);

/* ---- sockets: IPv4 streams, O_NONBLOCK, resource limits, epoll -------- */

/* struct sockaddr_in's fields, port and address in network byte order. */
struct p4j_sockaddr_in {
    uint16_t sin_family;
    uint16_t sin_port;
    uint32_t sin_addr;
};

struct p4j_rlimit {
    int64_t rlim_cur; /* RLIM_INFINITY is -1 */
    int64_t rlim_max;
};

/* struct epoll_event with the union's u64, laid out alike on every
 * architecture (the kernel's is packed on x86-64). */
struct p4j_epoll_event {
    uint32_t events;
    uint32_t pad;
    uint64_t data;
};

/* Linux's constants and errno values; each call makes one attempt (an EINTR
 * is the caller's, as in C). socket(2): a descriptor or -errno. */
int32_t p4j_socket(int32_t domain, int32_t type, int32_t protocol);
/* setsockopt/getsockopt of an int option: 0 or -errno (-EFAULT: value NULL). */
int32_t p4j_setsockopt(int32_t fd, int32_t level, int32_t name, int32_t value);
int32_t p4j_getsockopt(int32_t fd, int32_t level, int32_t name, int32_t *value);
/* bind/connect to an IPv4 address: 0 or -errno (-EFAULT: addr NULL). */
int32_t p4j_bind(int32_t fd, const struct p4j_sockaddr_in *addr);
int32_t p4j_listen(int32_t fd, int32_t backlog);
/* accept4(2); the peer's address into *addr unless NULL: a descriptor or -errno. */
int32_t p4j_accept4(int32_t fd, struct p4j_sockaddr_in *addr, int32_t flags);
int32_t p4j_connect(int32_t fd, const struct p4j_sockaddr_in *addr);
/* getsockname(2)/getpeername(2) of an IPv4 socket: 0 or -errno. */
int32_t p4j_getsockname(int32_t fd, struct p4j_sockaddr_in *addr);
int32_t p4j_getpeername(int32_t fd, struct p4j_sockaddr_in *addr);
/* recv/send: bytes transferred (>= 0) or -errno; send adds MSG_NOSIGNAL (a
 * closed peer gives -EPIPE, never SIGPIPE). */
int64_t p4j_recv(int32_t fd, void *buf, int64_t count, int32_t flags);
int64_t p4j_send(int32_t fd, const void *buf, int64_t count, int32_t flags);
int32_t p4j_shutdown(int32_t fd, int32_t how);
/* fcntl F_GETFL (the flags) or F_SETFL (0); any other cmd: -EINVAL. */
int32_t p4j_fcntl(int32_t fd, int32_t cmd, int32_t arg);
/* getrlimit/setrlimit: 0 or -errno. */
int32_t p4j_getrlimit(int32_t resource, struct p4j_rlimit *rl);
int32_t p4j_setrlimit(int32_t resource, const struct p4j_rlimit *rl);
/* epoll_create1: a descriptor or -errno; epoll_ctl: 0 or -errno (event may be
 * NULL for EPOLL_CTL_DEL); epoll_wait: the number of events stored, or -errno. */
int32_t p4j_epoll_create1(int32_t flags);
int32_t p4j_epoll_ctl(int32_t epfd, int32_t op, int32_t fd, const struct p4j_epoll_event *event);
int32_t p4j_epoll_wait(int32_t epfd, struct p4j_epoll_event *events, int32_t maxevents,
                       int32_t timeout);

/* ---- memory that processes share ---------------------------------------- */

/* shm_open(3) with Linux's O_ flags: a file descriptor or -errno. */
int32_t p4j_shm_open(const char *name, int32_t oflag, int32_t mode);
/* shm_unlink(3): 0 or -errno. */
int32_t p4j_shm_unlink(const char *name);
/* ftruncate(2): 0 or -errno. */
int32_t p4j_ftruncate(int32_t fd, int64_t length);
/* The size of the file open as fd (fstat(2)'s st_size), or -errno. */
int64_t p4j_fsize(int32_t fd);
/* mmap(2) with Linux's PROT_ and MAP_ values: the address, or -errno. */
int64_t p4j_mmap(int64_t addr, int64_t length, int32_t prot, int32_t flags,
                 int32_t fd, int64_t offset);
/* munmap(2): 0 or -errno. */
int32_t p4j_munmap(int64_t addr, int64_t length);
/* link(2): 0 or -errno. */
int32_t p4j_link(const char *from, const char *to);

/* ---- the kernel's robust-futex list (set_robust_list(2)) --------------- */

/* Where a robust mutex in shared memory keeps its list node { prev, next },
 * in bytes after its lock word: where glibc's 64-bit pthread_mutex_t keeps
 * __list, so that the node can sit on the list glibc registered for the
 * thread. node is the address of that node. */
#define P4J_ROBUST_NODE 24
/* Sets the calling thread's list_op_pending to node (NULL clears it): 0, or
 * -ENOTSUP when the thread's registered list is not laid out as glibc's. */
int32_t p4j_robust_pending(void *node);
/* Links node first in the calling thread's list and clears list_op_pending:
 * 0 or -ENOTSUP. */
int32_t p4j_robust_enqueue(void *node);
/* Sets list_op_pending to node and unlinks node: 0 or -ENOTSUP. */
int32_t p4j_robust_dequeue(void *node);
/* ---- scheduling of a kernel thread named by its tid (0: the caller) ---- */

/* sched_setscheduler(tid, policy, {priority}): 0, -EINVAL, -EPERM, -ESRCH. */
int32_t p4j_sched_set(int32_t tid, int32_t policy, int32_t priority);
/* sched_setparam(tid, {priority}): the priority within the current policy. */
int32_t p4j_sched_setprio(int32_t tid, int32_t priority);
/* The policy (without SCHED_RESET_ON_FORK) and priority: 0 or -errno. */
int32_t p4j_sched_get(int32_t tid, int32_t *policy, int32_t *priority);
/* sched_setaffinity with a mask of size bytes: 0, -EINVAL (no CPU of the mask
 * can run it), -EPERM, -ESRCH. */
int32_t p4j_sched_setaffinity(int32_t tid, int64_t size, const uint64_t *mask);
/* sched_getaffinity into size bytes, the rest of which is zeroed as glibc
 * does: 0, -EINVAL (size not a multiple of 8 or too small), -ESRCH. */
int32_t p4j_sched_getaffinity(int32_t tid, int64_t size, uint64_t *mask);
/* clock_gettime on a CPU-time clock id (negative: glibc's
 * MAKE_THREAD_CPUCLOCK(tid, CPUCLOCK_SCHED), pthread_getcpuclockid's answer):
 * 0, -EINVAL (not a CPU-time clock, or its thread is gone). */
int32_t p4j_cpuclock_gettime(int32_t clock, struct p4j_timespec *out);

/* ---- netpoll: the gmp backend's network poller (Go's netpoll_epoll.go) --- */

/* epoll_create1(EPOLL_CLOEXEC) and eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), the
 * eventfd registered for EPOLLIN (level-triggered): fds[0] receives the epoll
 * descriptor, fds[1] the eventfd. 0 or -errno. */
int32_t p4j_netpoll_init(int32_t *fds);
/* Registers fd with epfd for EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, the
 * event's data being fd, then sets O_NONBLOCK on it: 0 or -errno (-EPERM: fd
 * cannot be polled; fd is then left as it was). */
int32_t p4j_netpoll_open(int32_t epfd, int32_t fd);
/* EPOLL_CTL_DEL: 0 or -errno. */
int32_t p4j_netpoll_close(int32_t epfd, int32_t fd);
/* epoll_wait for up to timeout_ms (-1: until an event, 0: not at all), at most
 * max (and 128) events: out receives (fd, events) pairs of int32; returns their
 * number or -errno (-EINTR included). A blocking wait (timeout_ms != 0) that
 * reports evfd also reads it, consuming every pending p4j_netpoll_break. */
int32_t p4j_netpoll_wait(int32_t epfd, int32_t evfd, int32_t *out, int32_t max, int32_t timeout_ms);
/* Adds 1 to the eventfd, which ends a blocking p4j_netpoll_wait: 0 or -errno. */
int32_t p4j_netpoll_break(int32_t evfd);

/* ---- C baselines for the benchmarks (elapsed ns, or -errno) ------------ */

/* n times glibc pthread_create + pthread_join of an empty thread. */
int64_t p4j_bench_create_join(int64_t n);
/* n times clone(2) task spawn + futex join of an empty body. */
int64_t p4j_bench_clone_join(int64_t n);
/* n uncontended pthread_mutex_lock + unlock pairs. */
int64_t p4j_bench_mutex(int64_t n);
/* nthreads threads each doing n lock/increment/unlock on one glibc mutex. */
int64_t p4j_bench_mutex_contended(int32_t nthreads, int64_t n);
/* n round trips of a pthread_cond ping-pong between two threads. */
int64_t p4j_bench_cond_pingpong(int64_t n);
/* The same with the pong thread on CPU pong_cpu alone; pong_cpu < 0: with its
 * creator's affinity, as p4j_bench_cond_pingpong (a CPU outside the process's
 * set: the kernel's EINVAL from pthread_create). */
int64_t p4j_bench_cond_pingpong_on(int64_t n, int32_t pong_cpu);
/* n round trips of a sem_t ping-pong between two threads. */
int64_t p4j_bench_sem_pingpong(int64_t n);

/* ---- seam checks ------------------------------------------------------- */

#define P4J_SIZEOF_RUSAGE 0
#define P4J_SIZEOF_TIMESPEC 1
#define P4J_SIZEOF_SOCKADDR_IN 2
#define P4J_SIZEOF_RLIMIT 3
#define P4J_SIZEOF_EPOLL_EVENT 4
/* sizeof the structure named by which, or -EINVAL. */
int64_t p4j_sizeof(int32_t which);

#ifdef __cplusplus
}
#endif

#endif /* PTHREAD4J_H */
