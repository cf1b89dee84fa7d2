/*
 * Every misuse of every pthread primitive, run against glibc: one line per case,
 * "case-name result", where result is 0, an errno name, "-1 ERRNAME" for the calls that
 * set errno, or what a call returned otherwise. GlibcParityTest runs the same sequences
 * through pthread4j and compares line by line. Cases that hang or crash glibc are not
 * run here (the test lists them with pthread4j's answer).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *name(int e)
{
	static char buf[16];
	switch (e) {
	case 0: return "0";
	case EPERM: return "EPERM";
	case ESRCH: return "ESRCH";
	case EAGAIN: return "EAGAIN";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case EINVAL: return "EINVAL";
	case ERANGE: return "ERANGE";
	case EDEADLK: return "EDEADLK";
	case EOVERFLOW: return "EOVERFLOW";
	case ETIMEDOUT: return "ETIMEDOUT";
	case EOWNERDEAD: return "EOWNERDEAD";
	case ENOTRECOVERABLE: return "ENOTRECOVERABLE";
	}
	snprintf(buf, sizeof buf, "%d", e);
	return buf;
}

/* A pthread_* result. */
static void out(const char *c, int r)
{
	printf("%s %s\n", c, name(r));
}

/* A result of a call that returns -1 and sets errno. */
static void out_errno(const char *c, int r)
{
	if (r == 0)
		printf("%s 0\n", c);
	else
		printf("%s %d %s\n", c, r, name(errno));
}

static void outf(const char *fmt, const char *kind, int r)
{
	char c[128];
	snprintf(c, sizeof c, fmt, kind);
	out(c, r);
}

static void check(int r, const char *what)
{
	if (r != 0) {
		fprintf(stderr, "setup failed: %s: %s\n", what, strerror(r));
		exit(2);
	}
}

/* An absolute CLOCK_REALTIME time ms from now. */
static struct timespec in_ms(long ms)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_nsec += ms * 1000000L;
	t.tv_sec += t.tv_nsec / 1000000000L;
	t.tv_nsec %= 1000000000L;
	return t;
}

static struct timespec with_nsec(long nsec)
{
	struct timespec t = in_ms(1000);
	t.tv_nsec = nsec;
	return t;
}

static const struct timespec past = { -1, 0 };
/* A NULL glibc may not be told about at compile time (its prototypes say nonnull). */
static struct timespec *volatile none;

/* ---- running a call on another thread ---------------------------------------------- */

typedef int (*call_fn)(void *);

struct call { call_fn fn; void *arg; };

static void *call_body(void *p)
{
	struct call *c = p;
	return (void *)(long)c->fn(c->arg);
}

/* Runs fn(arg) on a new thread and returns its result. */
static int on_other(call_fn fn, void *arg)
{
	struct call c = { fn, arg };
	pthread_t t;
	void *r;
	check(pthread_create(&t, 0, call_body, &c), "create");
	check(pthread_join(t, &r), "join");
	return (int)(long)r;
}

/* A thread that takes a lock and holds it until released. */
struct holder {
	call_fn lock, unlock;
	void *obj;
	sem_t locked, release;
	pthread_t t;
};

static void *holder_body(void *p)
{
	struct holder *h = p;
	h->lock(h->obj);
	sem_post(&h->locked);
	sem_wait(&h->release);
	h->unlock(h->obj);
	return 0;
}

static void hold(struct holder *h, call_fn lock, call_fn unlock, void *obj)
{
	h->lock = lock;
	h->unlock = unlock;
	h->obj = obj;
	sem_init(&h->locked, 0, 0);
	sem_init(&h->release, 0, 0);
	check(pthread_create(&h->t, 0, holder_body, h), "create holder");
	sem_wait(&h->locked);
}

static void release(struct holder *h)
{
	sem_post(&h->release);
	check(pthread_join(h->t, 0), "join holder");
}

static int mutex_lock(void *m) { return pthread_mutex_lock(m); }
static int mutex_unlock(void *m) { return pthread_mutex_unlock(m); }
static int mutex_consistent(void *m) { return pthread_mutex_consistent(m); }
static int rw_wrlock(void *l) { return pthread_rwlock_wrlock(l); }
static int rw_unlock(void *l) { return pthread_rwlock_unlock(l); }
static int spin_lock(void *s) { return pthread_spin_lock((pthread_spinlock_t *)s); }
static int spin_unlock(void *s) { return pthread_spin_unlock(s); }
static void *lock_body(void *m) { pthread_mutex_lock(m); return 0; }

/* ---- mutexes ----------------------------------------------------------------------- */

struct kind { const char *name; int type; int robust; };

static const struct kind kinds[] = {
	{ "default", -1, 0 },
	{ "normal", PTHREAD_MUTEX_NORMAL, 0 },
	{ "errorcheck", PTHREAD_MUTEX_ERRORCHECK, 0 },
	{ "recursive", PTHREAD_MUTEX_RECURSIVE, 0 },
	{ "robust_normal", PTHREAD_MUTEX_NORMAL, 1 },
	{ "robust_errorcheck", PTHREAD_MUTEX_ERRORCHECK, 1 },
	{ "robust_recursive", PTHREAD_MUTEX_RECURSIVE, 1 },
};

/* A new mutex of kind k (default: PTHREAD_MUTEX_INITIALIZER), never freed. */
static pthread_mutex_t *mutex(const struct kind *k)
{
	pthread_mutex_t *m = malloc(sizeof *m);
	pthread_mutexattr_t a;
	if (k->type < 0) {
		pthread_mutex_t init = PTHREAD_MUTEX_INITIALIZER;
		*m = init;
		return m;
	}
	pthread_mutexattr_init(&a);
	check(pthread_mutexattr_settype(&a, k->type), "settype");
	check(pthread_mutexattr_setrobust(&a, k->robust ? PTHREAD_MUTEX_ROBUST : PTHREAD_MUTEX_STALLED), "setrobust");
	check(pthread_mutex_init(m, &a), "mutex_init");
	pthread_mutexattr_destroy(&a);
	return m;
}

static int is_normal(const struct kind *k)
{
	return k->type == -1 || k->type == PTHREAD_MUTEX_NORMAL;
}

static int cond_timedwait_soon(void *m)
{
	pthread_cond_t c = PTHREAD_COND_INITIALIZER;
	struct timespec t = in_ms(50);
	return pthread_cond_timedwait(&c, m, &t);
}

static int lock_and_end(void *m)
{
	return pthread_mutex_lock(m);
}

static void mutex_kind(const struct kind *k)
{
	const char *n = k->name;
	pthread_mutex_t *m;
	struct holder h;
	struct timespec t;
	int r;

	m = mutex(k);
	outf("mutex.%s.unlock_unlocked", n, pthread_mutex_unlock(m));

	m = mutex(k);
	pthread_mutex_lock(m);
	outf("mutex.%s.unlock_by_other", n, on_other(mutex_unlock, m));
	outf("mutex.%s.unlock_by_owner_after", n, pthread_mutex_unlock(m));

	m = mutex(k);
	pthread_mutex_lock(m);
	r = pthread_mutex_trylock(m);
	outf("mutex.%s.trylock_relock", n, r);
	if (r == 0)
		pthread_mutex_unlock(m);
	t = in_ms(50);
	r = pthread_mutex_timedlock(m, &t);
	outf("mutex.%s.timedlock_relock", n, r);
	if (r == 0)
		pthread_mutex_unlock(m);
	if (!is_normal(k)) {
		r = pthread_mutex_lock(m);
		outf("mutex.%s.lock_relock", n, r);
		if (r == 0)
			pthread_mutex_unlock(m);
	}
	t = with_nsec(-1);
	r = pthread_mutex_timedlock(m, &t);
	outf("mutex.%s.timedlock_relock_nsec_negative", n, r);
	if (r == 0)
		pthread_mutex_unlock(m);
	t = with_nsec(1000000000L);
	r = pthread_mutex_timedlock(m, &t);
	outf("mutex.%s.timedlock_relock_nsec_1e9", n, r);
	if (r == 0)
		pthread_mutex_unlock(m);
	r = pthread_mutex_timedlock(m, &past);
	outf("mutex.%s.timedlock_relock_sec_negative", n, r);
	if (r == 0)
		pthread_mutex_unlock(m);
	outf("mutex.%s.unlock_after_relocks", n, pthread_mutex_unlock(m));
	outf("mutex.%s.unlock_twice", n, pthread_mutex_unlock(m));

	m = mutex(k);
	t = with_nsec(-1);
	r = pthread_mutex_timedlock(m, &t);
	outf("mutex.%s.timedlock_free_nsec_negative", n, r);
	if (r == 0)
		pthread_mutex_unlock(m);
	t = with_nsec(1000000000L);
	r = pthread_mutex_timedlock(m, &t);
	outf("mutex.%s.timedlock_free_nsec_1e9", n, r);
	if (r == 0)
		pthread_mutex_unlock(m);
	r = pthread_mutex_timedlock(m, &past);
	outf("mutex.%s.timedlock_free_sec_negative", n, r);
	if (r == 0)
		pthread_mutex_unlock(m);
	r = pthread_mutex_timedlock(m, none);
	outf("mutex.%s.timedlock_free_null", n, r);
	if (r == 0)
		pthread_mutex_unlock(m);
	outf("mutex.%s.clocklock_bad_clock", n, pthread_mutex_clocklock(m, 99, &past));
	outf("mutex.%s.consistent_unlocked", n, pthread_mutex_consistent(m));

	m = mutex(k);
	hold(&h, mutex_lock, mutex_unlock, m);
	t = with_nsec(-1);
	outf("mutex.%s.timedlock_held_nsec_negative", n, pthread_mutex_timedlock(m, &t));
	t = with_nsec(1000000000L);
	outf("mutex.%s.timedlock_held_nsec_1e9", n, pthread_mutex_timedlock(m, &t));
	outf("mutex.%s.timedlock_held_sec_negative", n, pthread_mutex_timedlock(m, &past));
	t = with_nsec(1000000000L);
	outf("mutex.%s.clocklock_monotonic_held_nsec_1e9", n, pthread_mutex_clocklock(m, CLOCK_MONOTONIC, &t));
	outf("mutex.%s.clocklock_monotonic_held_sec_negative", n, pthread_mutex_clocklock(m, CLOCK_MONOTONIC, &past));
	outf("mutex.%s.trylock_held", n, pthread_mutex_trylock(m));
	/* glibc skips the busy check for robust mutexes: destroy would "succeed" and the
	 * holder's unlock then fail; only non-robust ones are destroyed here. */
	if (!k->robust)
		outf("mutex.%s.destroy_held_by_other", n, pthread_mutex_destroy(m));
	/* A non-owner's wait on a NORMAL mutex unlocks it and waits: not done here. */
	if (!is_normal(k))
		outf("mutex.%s.cond_timedwait_held_by_other", n, cond_timedwait_soon(m));
	outf("mutex.%s.unlock_held_by_other", n, pthread_mutex_unlock(m));
	release(&h);

	m = mutex(k);
	r = cond_timedwait_soon(m);
	outf("mutex.%s.cond_timedwait_unlocked", n, r);
	if (r == 0 || r == ETIMEDOUT)
		pthread_mutex_unlock(m);

	if (k->type == PTHREAD_MUTEX_RECURSIVE) {
		/* The wait releases one level (glibc) or all (pthread4j): both allowed, both restore it. */
		m = mutex(k);
		pthread_mutex_lock(m);
		pthread_mutex_lock(m);
		outf("mutex.%s.cond_timedwait_locked_twice", n, cond_timedwait_soon(m));
		outf("mutex.%s.unlock_after_wait_1", n, pthread_mutex_unlock(m));
		outf("mutex.%s.unlock_after_wait_2", n, pthread_mutex_unlock(m));
		outf("mutex.%s.unlock_after_wait_3", n, pthread_mutex_unlock(m));
	}

	m = mutex(k);
	pthread_mutex_lock(m);
	outf("mutex.%s.destroy_locked", n, pthread_mutex_destroy(m));

	m = mutex(k);
	check(pthread_mutex_destroy(m), "destroy");
	outf("mutex.%s.lock_destroyed", n, pthread_mutex_lock(m));
	outf("mutex.%s.trylock_destroyed", n, pthread_mutex_trylock(m));
	outf("mutex.%s.unlock_destroyed", n, pthread_mutex_unlock(m));
	outf("mutex.%s.destroy_destroyed", n, pthread_mutex_destroy(m));

	if (!k->robust)
		return;
	/* The owner ends holding it: the next locker gets EOWNERDEAD. */
	m = mutex(k);
	on_other(lock_and_end, m);
	outf("mutex.%s.owner_died.lock", n, pthread_mutex_lock(m));
	outf("mutex.%s.owner_died.unlock_inconsistent", n, pthread_mutex_unlock(m));
	outf("mutex.%s.owner_died.lock_not_recoverable", n, pthread_mutex_lock(m));
	t = in_ms(50);
	outf("mutex.%s.owner_died.timedlock_not_recoverable", n, pthread_mutex_timedlock(m, &t));
	outf("mutex.%s.owner_died.unlock_not_recoverable", n, pthread_mutex_unlock(m));
	outf("mutex.%s.owner_died.consistent_not_recoverable", n, pthread_mutex_consistent(m));
	/* Last: glibc's trylock leaves a not-recoverable robust mutex locked by the caller. */
	outf("mutex.%s.owner_died.trylock_not_recoverable", n, pthread_mutex_trylock(m));
	outf("mutex.%s.owner_died.destroy_not_recoverable", n, pthread_mutex_destroy(m));

	m = mutex(k);
	on_other(lock_and_end, m);
	outf("mutex.%s.owner_died.trylock", n, pthread_mutex_trylock(m));
	outf("mutex.%s.owner_died.consistent", n, pthread_mutex_consistent(m));
	outf("mutex.%s.owner_died.consistent_again", n, pthread_mutex_consistent(m));
	outf("mutex.%s.owner_died.unlock_consistent", n, pthread_mutex_unlock(m));
	outf("mutex.%s.owner_died.lock_again", n, pthread_mutex_lock(m));
	outf("mutex.%s.owner_died.unlock_again", n, pthread_mutex_unlock(m));

	m = mutex(k);
	on_other(lock_and_end, m);
	outf("mutex.%s.owner_died.unlock_before_lock", n, pthread_mutex_unlock(m));
	outf("mutex.%s.owner_died.unlock_by_other_before_lock", n, on_other(mutex_unlock, m));
	outf("mutex.%s.owner_died.consistent_before_lock", n, pthread_mutex_consistent(m));
	outf("mutex.%s.owner_died.lock_for_other", n, pthread_mutex_lock(m));
	outf("mutex.%s.owner_died.consistent_by_other", n, on_other(mutex_consistent, m));
	pthread_mutex_consistent(m);
	pthread_mutex_unlock(m);
}

static void mutexes(void)
{
	pthread_mutexattr_t a;
	pthread_mutex_t *m;
	pthread_t t;
	struct timespec d = { 0, 20000000 };
	size_t i;

	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		mutex_kind(&kinds[i]);

	/* Destroy while another thread waits in lock: it is held, so it is busy. */
	m = mutex(&kinds[1]);
	pthread_mutex_lock(m);
	check(pthread_create(&t, 0, lock_body, m), "create");
	nanosleep(&d, 0);
	out("mutex.normal.destroy_waited", pthread_mutex_destroy(m));
	pthread_mutex_unlock(m);
	pthread_join(t, 0);
	pthread_mutex_unlock(m);

	pthread_mutexattr_init(&a);
	out("mutexattr.settype_negative", pthread_mutexattr_settype(&a, -1));
	out("mutexattr.settype_3", pthread_mutexattr_settype(&a, 3));
	out("mutexattr.settype_4", pthread_mutexattr_settype(&a, 4));
	out("mutexattr.setrobust_negative", pthread_mutexattr_setrobust(&a, -1));
	out("mutexattr.setrobust_2", pthread_mutexattr_setrobust(&a, 2));
	pthread_mutexattr_destroy(&a);
}

/* ---- condition variables ----------------------------------------------------------- */

/* A thread in pthread_cond_wait(c, m) until *go; waiting is set under m just before. */
struct cond_waiter {
	pthread_cond_t *c;
	pthread_mutex_t *m;
	int *go;
	int waiting;
};

static void *cond_waiter_body(void *p)
{
	struct cond_waiter *w = p;
	pthread_mutex_lock(w->m);
	w->waiting = 1;
	while (!*w->go)
		pthread_cond_wait(w->c, w->m);
	pthread_mutex_unlock(w->m);
	return 0;
}

/* Starts the waiter; returns with m held and the waiter inside pthread_cond_wait. */
static pthread_t start_waiter(struct cond_waiter *w)
{
	pthread_t t;
	check(pthread_create(&t, 0, cond_waiter_body, w), "create waiter");
	for (;;) {
		struct timespec d = { 0, 1000000 };
		pthread_mutex_lock(w->m);
		if (w->waiting)
			return t; /* it set waiting under m and released m only inside the wait */
		pthread_mutex_unlock(w->m);
		nanosleep(&d, 0);
	}
}

static void conds(void)
{
	pthread_mutex_t *m = mutex(&kinds[2]);
	pthread_mutex_t *m2 = mutex(&kinds[2]);
	pthread_cond_t c = PTHREAD_COND_INITIALIZER;
	pthread_condattr_t ca;
	struct timespec t;
	int go = 0;
	struct cond_waiter w = { &c, m, &go, 0 };
	pthread_t waiter;

	pthread_mutex_lock(m);
	t = with_nsec(-1);
	out("cond.timedwait_nsec_negative", pthread_cond_timedwait(&c, m, &t));
	t = with_nsec(1000000000L);
	out("cond.timedwait_nsec_1e9", pthread_cond_timedwait(&c, m, &t));
	out("cond.timedwait_sec_negative", pthread_cond_timedwait(&c, m, &past));
	pthread_mutex_unlock(m);
	t = with_nsec(-1);
	out("cond.timedwait_unowned_nsec_negative", pthread_cond_timedwait(&c, m, &t));
	out("cond.timedwait_unowned_sec_negative", pthread_cond_timedwait(&c, m, &past));
	out("cond.wait_unowned", pthread_cond_wait(&c, m));

	/* A second mutex while a thread waits with the first. */
	waiter = start_waiter(&w);
	pthread_mutex_unlock(m);
	pthread_mutex_lock(m2);
	t = in_ms(50);
	out("cond.timedwait_other_mutex", pthread_cond_timedwait(&c, m2, &t));
	pthread_mutex_unlock(m2);

	/* Destroy after a broadcast woke the waiter, while it waits for the mutex. */
	pthread_mutex_lock(m);
	go = 1;
	pthread_cond_broadcast(&c);
	out("cond.destroy_after_broadcast", pthread_cond_destroy(&c));
	pthread_mutex_unlock(m);
	pthread_join(waiter, 0);
	out("cond.signal_destroyed", pthread_cond_signal(&c));
	out("cond.broadcast_destroyed", pthread_cond_broadcast(&c));
	out("cond.destroy_destroyed", pthread_cond_destroy(&c));

	pthread_condattr_init(&ca);
	out("condattr.setclock_process_cputime", pthread_condattr_setclock(&ca, CLOCK_PROCESS_CPUTIME_ID));
	out("condattr.setclock_99", pthread_condattr_setclock(&ca, 99));
	check(pthread_condattr_setclock(&ca, CLOCK_MONOTONIC), "setclock");
	check(pthread_cond_init(&c, &ca), "cond_init");
	pthread_mutex_lock(m);
	out("cond.monotonic_timedwait_sec_negative", pthread_cond_timedwait(&c, m, &past));
	t = with_nsec(-1);
	out("cond.monotonic_timedwait_nsec_negative", pthread_cond_timedwait(&c, m, &t));
	pthread_mutex_unlock(m);
	pthread_condattr_destroy(&ca);
}

/* ---- readers-writer locks ------------------------------------------------------------ */

static void rwlocks(void)
{
	pthread_rwlock_t l = PTHREAD_RWLOCK_INITIALIZER;
	struct holder h;
	struct timespec t;
	int r;

	out("rwlock.unlock_unlocked", pthread_rwlock_unlock(&l));
	pthread_rwlock_init(&l, 0);

	pthread_rwlock_wrlock(&l);
	out("rwlock.wrlock_relock", pthread_rwlock_wrlock(&l));
	t = in_ms(50);
	out("rwlock.timedwrlock_relock", pthread_rwlock_timedwrlock(&l, &t));
	out("rwlock.trywrlock_relock", pthread_rwlock_trywrlock(&l));
	out("rwlock.rdlock_while_wrlocked", pthread_rwlock_rdlock(&l));
	t = in_ms(50);
	out("rwlock.timedrdlock_while_wrlocked", pthread_rwlock_timedrdlock(&l, &t));
	out("rwlock.tryrdlock_while_wrlocked", pthread_rwlock_tryrdlock(&l));
	t = with_nsec(-1);
	out("rwlock.timedwrlock_relock_nsec_negative", pthread_rwlock_timedwrlock(&l, &t));
	out("rwlock.timedrdlock_while_wrlocked_nsec_negative", pthread_rwlock_timedrdlock(&l, &t));
	out("rwlock.timedwrlock_relock_sec_negative", pthread_rwlock_timedwrlock(&l, &past));
	out("rwlock.timedrdlock_while_wrlocked_sec_negative", pthread_rwlock_timedrdlock(&l, &past));
	out("rwlock.unlock_wrlocked_by_other", on_other(rw_unlock, &l));
	out("rwlock.destroy_wrlocked", pthread_rwlock_destroy(&l));
	out("rwlock.unlock_wrlocked", pthread_rwlock_unlock(&l));
	pthread_rwlock_init(&l, 0);

	pthread_rwlock_rdlock(&l);
	out("rwlock.rdlock_twice", pthread_rwlock_rdlock(&l));
	out("rwlock.trywrlock_while_rdlocked", pthread_rwlock_trywrlock(&l));
	t = in_ms(50);
	out("rwlock.timedwrlock_while_rdlocked", pthread_rwlock_timedwrlock(&l, &t));
	out("rwlock.destroy_rdlocked", pthread_rwlock_destroy(&l));
	pthread_rwlock_unlock(&l);
	out("rwlock.unlock_rdlocked_by_other", on_other(rw_unlock, &l));
	pthread_rwlock_init(&l, 0);

	t = with_nsec(-1);
	r = pthread_rwlock_timedrdlock(&l, &t);
	out("rwlock.timedrdlock_free_nsec_negative", r);
	if (r == 0)
		pthread_rwlock_unlock(&l);
	t = with_nsec(1000000000L);
	r = pthread_rwlock_timedwrlock(&l, &t);
	out("rwlock.timedwrlock_free_nsec_1e9", r);
	if (r == 0)
		pthread_rwlock_unlock(&l);
	r = pthread_rwlock_timedrdlock(&l, &past);
	out("rwlock.timedrdlock_free_sec_negative", r);
	if (r == 0)
		pthread_rwlock_unlock(&l);
	r = pthread_rwlock_timedwrlock(&l, &past);
	out("rwlock.timedwrlock_free_sec_negative", r);
	if (r == 0)
		pthread_rwlock_unlock(&l);
	r = pthread_rwlock_timedrdlock(&l, none);
	out("rwlock.timedrdlock_free_null", r);
	if (r == 0)
		pthread_rwlock_unlock(&l);
	r = pthread_rwlock_timedwrlock(&l, none);
	out("rwlock.timedwrlock_free_null", r);
	if (r == 0)
		pthread_rwlock_unlock(&l);

	hold(&h, rw_wrlock, rw_unlock, &l);
	t = with_nsec(-1);
	out("rwlock.timedrdlock_held_nsec_negative", pthread_rwlock_timedrdlock(&l, &t));
	t = with_nsec(1000000000L);
	out("rwlock.timedwrlock_held_nsec_1e9", pthread_rwlock_timedwrlock(&l, &t));
	out("rwlock.timedrdlock_held_sec_negative", pthread_rwlock_timedrdlock(&l, &past));
	out("rwlock.timedwrlock_held_sec_negative", pthread_rwlock_timedwrlock(&l, &past));
	out("rwlock.tryrdlock_held", pthread_rwlock_tryrdlock(&l));
	out("rwlock.trywrlock_held", pthread_rwlock_trywrlock(&l));
	release(&h);

	/* Destroyed: glibc's destroy does nothing, so the lock goes on working. */
	check(pthread_rwlock_destroy(&l), "rwlock_destroy");
	out("rwlock.destroy_destroyed", pthread_rwlock_destroy(&l));
	r = pthread_rwlock_rdlock(&l);
	out("rwlock.rdlock_destroyed", r);
	if (r == 0)
		pthread_rwlock_unlock(&l);
}

/* ---- barriers, spin locks, semaphores -------------------------------------------------- */

static void *barrier_body(void *b)
{
	return (void *)(long)pthread_barrier_wait(b);
}

static void barriers(void)
{
	pthread_barrier_t b;
	pthread_t t;
	int r;

	out("barrier.init_count_0", pthread_barrier_init(&b, 0, 0));
	out("barrier.init_count_uint_max", pthread_barrier_init(&b, 0, UINT_MAX));
	r = pthread_barrier_init(&b, 0, INT_MAX);
	out("barrier.init_count_int_max", r);
	if (r == 0)
		pthread_barrier_destroy(&b);
	r = pthread_barrier_init(&b, 0, INT_MAX - 1);
	out("barrier.init_count_int_max_minus_1", r);
	if (r == 0)
		pthread_barrier_destroy(&b);

	/* The serial thread destroys it while the other may still be on its way out. */
	check(pthread_barrier_init(&b, 0, 2), "barrier_init");
	check(pthread_create(&t, 0, barrier_body, &b), "create");
	r = pthread_barrier_wait(&b);
	if (r == PTHREAD_BARRIER_SERIAL_THREAD) {
		out("barrier.destroy_by_serial_thread", pthread_barrier_destroy(&b));
		pthread_join(t, 0);
	} else {
		void *other;
		pthread_join(t, &other);
		out("barrier.destroy_by_serial_thread", pthread_barrier_destroy(&b));
	}
}

static void spins(void)
{
	pthread_spinlock_t s;
	struct holder h;

	out("spin.init_pshared_2", pthread_spin_init(&s, 2));
	out("spin.init_pshared_negative", pthread_spin_init(&s, -1));
	check(pthread_spin_init(&s, PTHREAD_PROCESS_PRIVATE), "spin_init");
	out("spin.unlock_unlocked", pthread_spin_unlock(&s));
	pthread_spin_lock(&s);
	out("spin.trylock_relock", pthread_spin_trylock(&s));
	out("spin.unlock_by_other", on_other(spin_unlock, (void *)&s));
	out("spin.unlock_after_other", pthread_spin_unlock(&s));

	pthread_spin_lock(&s);
	out("spin.destroy_locked", pthread_spin_destroy(&s));
	pthread_spin_unlock(&s);

	check(pthread_spin_init(&s, PTHREAD_PROCESS_PRIVATE), "spin_init");
	hold(&h, spin_lock, spin_unlock, (void *)&s);
	out("spin.trylock_held", pthread_spin_trylock(&s));
	out("spin.destroy_held_by_other", pthread_spin_destroy(&s));
	release(&h);
}

struct sem_call { sem_t *s; int r; };

static void *sem_wait_body(void *p)
{
	struct sem_call *c = p;
	c->r = sem_wait(c->s);
	return 0;
}

static void sems(void)
{
	sem_t s;
	struct timespec t;
	struct sem_call c = { &s, -2 };
	pthread_t th;

	out_errno("sem.init_above_max", sem_init(&s, 0, (unsigned)SEM_VALUE_MAX + 1u));
	check(sem_init(&s, 0, SEM_VALUE_MAX), "sem_init");
	out_errno("sem.post_at_max", sem_post(&s));
	sem_destroy(&s);

	sem_init(&s, 0, 1);
	t = with_nsec(-1);
	out_errno("sem.timedwait_available_nsec_negative", sem_timedwait(&s, &t));
	t = with_nsec(1000000000L);
	out_errno("sem.timedwait_available_nsec_1e9", sem_timedwait(&s, &t));
	out_errno("sem.clockwait_bad_clock", sem_clockwait(&s, 99, &past));
	out_errno("sem.timedwait_available_sec_negative", sem_timedwait(&s, &past));
	t = with_nsec(-1);
	out_errno("sem.timedwait_zero_nsec_negative", sem_timedwait(&s, &t));
	out_errno("sem.timedwait_zero_sec_negative", sem_timedwait(&s, &past));
	out_errno("sem.trywait_zero", sem_trywait(&s));
	t = with_nsec(1000000000L);
	out_errno("sem.clockwait_monotonic_zero_nsec_1e9", sem_clockwait(&s, CLOCK_MONOTONIC, &t));
	out_errno("sem.clockwait_monotonic_zero_sec_negative", sem_clockwait(&s, CLOCK_MONOTONIC, &past));

	/* Destroy while a thread waits: glibc's destroy does nothing. */
	check(pthread_create(&th, 0, sem_wait_body, &c), "create");
	{
		struct timespec d = { 0, 20000000 };
		nanosleep(&d, 0);
	}
	out_errno("sem.destroy_waited", sem_destroy(&s));
	out_errno("sem.post_after_destroy_waited", sem_post(&s));
	pthread_join(th, 0);

	check(sem_init(&s, 0, 0), "sem_init");
	check(sem_destroy(&s), "sem_destroy");
	out_errno("sem.post_destroyed", sem_post(&s));
}

/* ---- thread-specific data -------------------------------------------------------------- */

static void keys(void)
{
	static pthread_key_t k[PTHREAD_KEYS_MAX + 1];
	pthread_key_t reused;
	int n = 0, r = 0, i;

	while (n <= PTHREAD_KEYS_MAX && (r = pthread_key_create(&k[n], 0)) == 0)
		n++;
	out("key.create_exhausted", r);
	check(pthread_key_delete(k[0]), "key_delete");
	out("key.create_after_delete", pthread_key_create(&reused, 0));
	out("key.create_exhausted_again", pthread_key_create(&k[n], 0));
	for (i = 1; i < n; i++)
		pthread_key_delete(k[i]);
	pthread_key_delete(reused);

	check(pthread_key_create(&k[0], 0), "key_create");
	check(pthread_setspecific(k[0], "v"), "setspecific");
	check(pthread_key_delete(k[0]), "key_delete");
	out("key.delete_deleted", pthread_key_delete(k[0]));
	out("key.setspecific_deleted", pthread_setspecific(k[0], "w"));
	printf("key.getspecific_deleted %s\n", pthread_getspecific(k[0]) ? "value" : "null");
	check(pthread_key_create(&reused, 0), "key_create");
	printf("key.getspecific_reused_slot %s\n", pthread_getspecific(reused) ? "value" : "null");
	pthread_key_delete(reused);
}

/* ---- threads ------------------------------------------------------------------------- */

static void *returns(void *arg)
{
	return arg;
}

static void *waits_on(void *s)
{
	sem_wait(s);
	return 0;
}

static int join_self(void *unused)
{
	(void)unused;
	return pthread_join(pthread_self(), 0);
}

static void threads(void)
{
	pthread_t t;
	pthread_attr_t a;
	/* Static: the two detached threads may still be inside sem_wait on it after this
	 * function has returned (a post wakes them; nothing waits for their end). */
	static sem_t go;
	char buf[4];

	out("thread.join_self_main", pthread_join(pthread_self(), 0));
	out("thread.join_self", on_other(join_self, 0));

	check(pthread_create(&t, 0, returns, 0), "create");
	check(pthread_join(t, 0), "join");
	out("thread.join_twice", pthread_join(t, 0));
	out("thread.detach_joined", pthread_detach(t));

	sem_init(&go, 0, 0);
	check(pthread_create(&t, 0, waits_on, &go), "create");
	out("thread.detach", pthread_detach(t));
	out("thread.detach_twice", pthread_detach(t));
	out("thread.join_detached", pthread_join(t, 0));
	sem_post(&go);

	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	check(pthread_create(&t, &a, waits_on, &go), "create");
	out("thread.join_created_detached", pthread_join(t, 0));
	out("thread.detach_created_detached", pthread_detach(t));
	out("thread.setname_too_long", pthread_setname_np(t, "0123456789abcdef"));
	out("thread.getname_short_buffer", pthread_getname_np(pthread_self(), buf, 1));
	sem_post(&go);
	pthread_attr_destroy(&a);

	pthread_attr_init(&a);
	out("attr.setdetachstate_2", pthread_attr_setdetachstate(&a, 2));
	out("attr.setdetachstate_negative", pthread_attr_setdetachstate(&a, -1));
	out("attr.setstacksize_below_min", pthread_attr_setstacksize(&a, PTHREAD_STACK_MIN - 1));
	out("attr.setstacksize_min", pthread_attr_setstacksize(&a, PTHREAD_STACK_MIN));
	pthread_attr_destroy(&a);

	out("cancel.setcancelstate_2", pthread_setcancelstate(2, 0));
	out("cancel.setcanceltype_2", pthread_setcanceltype(2, 0));
}

/* ---- clocks and sleeping --------------------------------------------------------------- */

static void sleeping(void)
{
	struct timespec t;
	t.tv_sec = -1; t.tv_nsec = 0;
	out_errno("nanosleep.sec_negative", nanosleep(&t, 0));
	t.tv_sec = 0; t.tv_nsec = -1;
	out_errno("nanosleep.nsec_negative", nanosleep(&t, 0));
	t.tv_sec = 0; t.tv_nsec = 1000000000L;
	out_errno("nanosleep.nsec_1e9", nanosleep(&t, 0));
	out_errno("nanosleep.null", nanosleep(none, 0));
	out_errno("clock_gettime.clock_99", clock_gettime(99, &t));
}

int main(void)
{
	setvbuf(stdout, 0, _IOLBF, 0);
	mutexes();
	conds();
	rwlocks();
	barriers();
	spins();
	sems();
	keys();
	threads();
	sleeping();
	return 0;
}
