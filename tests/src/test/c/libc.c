/*
 * The C side of LibcTest: glibc's own printf, strtol, rand, strerror... on the inputs the
 * test sends, one command a line on stdin, fields separated by tabs; strings escaped with
 * \t \n \v \f \r \\ and \N for NULL. The test runs the same calls through org.pthread4j.Libc
 * and compares the two outputs line by line. Commands:
 *
 *   printf   FORMAT STARS TYPE VALUE   printf, then "|" and its return value
 *   snprintf SIZE FORMAT STARS TYPE VALUE   "[" the buffer "]|" and the return value
 *   strtol|strtoul BASE STRING         the value, the end index, errno
 *   atoi|atol|atoll STRING             the value, errno
 *   rand COUNT                         COUNT values of rand(), unseeded unless srand ran
 *   srand SEED COUNT                   srand(SEED), then COUNT values of rand()
 *   rand_r SEED COUNT                  COUNT values of rand_r, then the final seed
 *   strerror ERRNUM                    strerror(ERRNUM)
 *   perror ERRNO STRING                perror(STRING) with errno set (stderr is stdout)
 *   intptr VALUE                       (long) and %p of (void *) VALUE
 *   time                               time(NULL)
 *   join                               exit values through (void **)&x, and PTHREAD_CANCELED
 *   arrays                             arrays of every handle type, used
 *   exit STATUS                        a thread prints without a newline and calls exit(STATUS)
 *                                      while main waits in pthread_join
 *   assert VALUE                       assert(x == 1) with x = VALUE
 *
 * STARS is "-" or the comma-separated values of * widths and precisions; TYPE says how C
 * passes VALUE: i int, u unsigned, l long, U unsigned long, d double (16 hex digits of its
 * bits), f float (8 hex digits, promoted to double as C's varargs do), s string, c int
 * (a char), p pointer (unsigned decimal), e errno (no argument: for %m), - no argument.
 */
#define _POSIX_C_SOURCE 200809L
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"

#define MAX_FIELDS 8

static char *unescape(char *s)
{
	if (!strcmp(s, "\\N"))
		return NULL;
	char *out = s;
	for (char *in = s; *in; in++) {
		if (*in != '\\' || !in[1]) {
			*out++ = *in;
			continue;
		}
		switch (*++in) {
		case 't': *out++ = '\t'; break;
		case 'n': *out++ = '\n'; break;
		case 'v': *out++ = '\v'; break;
		case 'f': *out++ = '\f'; break;
		case 'r': *out++ = '\r'; break;
		default: *out++ = *in; break;
		}
	}
	*out = 0;
	return s;
}

static int nstar, star[2];
static char buf[4096];

/* printf (size < 0) or snprintf into buf, with the * values first */
#define FORMAT(...) (size < 0 ? printf(__VA_ARGS__) : snprintf(size ? buf : NULL, (size_t) size, __VA_ARGS__))
#define STARRED(...) (nstar == 0 ? FORMAT(fmt, __VA_ARGS__) \
	: nstar == 1 ? FORMAT(fmt, star[0], __VA_ARGS__) : FORMAT(fmt, star[0], star[1], __VA_ARGS__))
#define STARRED0() (nstar == 0 ? FORMAT(fmt) \
	: nstar == 1 ? FORMAT(fmt, star[0]) : FORMAT(fmt, star[0], star[1]))

static int format(long size, const char *fmt, const char *stars, char type, char *value)
{
	nstar = 0;
	for (char *s = (char *) stars; strcmp(stars, "-") && nstar < 2; s++) {
		star[nstar++] = (int) strtol(s, &s, 10);
		if (*s != ',')
			break;
	}
	switch (type) {
	case 'i':
	case 'c':
		return STARRED((int) strtol(value, NULL, 10));
	case 'u':
		return STARRED((unsigned) strtoul(value, NULL, 10));
	case 'l':
		return STARRED(strtol(value, NULL, 10));
	case 'U':
		return STARRED(strtoul(value, NULL, 10));
	case 'd': {
		uint64_t bits = strtoull(value, NULL, 16);
		double d;
		memcpy(&d, &bits, sizeof d);
		return STARRED(d);
	}
	case 'f': {
		uint32_t bits = (uint32_t) strtoul(value, NULL, 16);
		float f;
		memcpy(&f, &bits, sizeof f);
		return STARRED(f);
	}
	case 's':
		return STARRED(unescape(value));
	case 'p':
		return STARRED((void *) (uintptr_t) strtoul(value, NULL, 10));
	case 'e':
		errno = (int) strtol(value, NULL, 10);
		return STARRED0();
	default:
		return STARRED0();
	}
}

static void *returns_array(void *arg)
{
	(void) arg;
	static int values[3] = { 1, 2, 3 };
	return values;
}

static void *exits_with_long(void *arg)
{
	static long value;
	value = (long) arg * 2;
	pthread_exit(&value);
}

static void *sleeps(void *arg)
{
	(void) arg;
	for (;;)
		sleep(1);
	return NULL;
}

static void join(void)
{
	pthread_t t[3];
	pthread_create(&t[0], NULL, returns_array, NULL);
	pthread_create(&t[1], NULL, exits_with_long, (void *) 21L);
	pthread_create(&t[2], NULL, sleeps, NULL);
	int *rvals;
	printf("join %d\n", pthread_join(t[0], (void **) &rvals));
	printf("sum %d\n", rvals[0] + rvals[1] + rvals[2]);
	long *value;
	printf("join %d\n", pthread_join(t[1], (void **) &value));
	printf("value %ld\n", *value);
	void *ret;
	printf("cancel %d\n", pthread_cancel(t[2]));
	printf("join %d\n", pthread_join(t[2], &ret));
	printf("canceled %d\n", ret == PTHREAD_CANCELED);
}

static pthread_mutex_t counted = PTHREAD_MUTEX_INITIALIZER;
static long count;

static void *counts(void *arg)
{
	pthread_mutex_lock(&counted);
	count += (long) arg;
	pthread_mutex_unlock(&counted);
	return NULL;
}

static void once_routine(void)
{
	printf("once ran\n");
}

/* Arrays of every handle type: the static initializers, or the init each type needs. */
static void arrays(void)
{
	enum { N = 3 };
	pthread_t t[N];
	pthread_mutex_t m[N] = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER };
	pthread_cond_t c[N] = { PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER };
	pthread_rwlock_t rw[N] = { PTHREAD_RWLOCK_INITIALIZER, PTHREAD_RWLOCK_INITIALIZER, PTHREAD_RWLOCK_INITIALIZER };
	pthread_once_t o[N] = { PTHREAD_ONCE_INIT, PTHREAD_ONCE_INIT, PTHREAD_ONCE_INIT };
	pthread_key_t k[N];
	pthread_barrier_t b[N];
	pthread_spinlock_t sp[N];
	sem_t s[N];
	pthread_attr_t a[N];
	pthread_mutexattr_t ma[N];
	pthread_condattr_t ca[N];
	pthread_rwlockattr_t ra[N];
	pthread_barrierattr_t ba[N];
	struct timespec ts[N] = { { 0, 0 }, { 0, 0 }, { 0, 0 } };

	for (long i = 0; i < N; i++)
		printf("pthread_create %ld %d\n", i, pthread_create(&t[i], NULL, counts, (void *) (i + 1)));
	for (int i = 0; i < N; i++)
		printf("pthread_join %d %d\n", i, pthread_join(t[i], NULL));
	printf("count %ld\n", count);
	for (int i = 0; i < N; i++) {
		int r;
		/* two calls a line, in this order */
#define TWO(name, first, second) (r = (first), printf(name " %d %d %d\n", i, r, (second)))
		TWO("mutex", pthread_mutex_lock(&m[i]), pthread_mutex_unlock(&m[i]));
		TWO("cond", pthread_cond_signal(&c[i]), pthread_cond_destroy(&c[i]));
		TWO("rwlock", pthread_rwlock_rdlock(&rw[i]), pthread_rwlock_unlock(&rw[i]));
		printf("once %d %d\n", i, pthread_once(&o[i], once_routine));
		TWO("key", pthread_key_create(&k[i], NULL), pthread_key_delete(k[i]));
		TWO("barrier", pthread_barrier_init(&b[i], NULL, 1), pthread_barrier_wait(&b[i]));
		TWO("spin", pthread_spin_init(&sp[i], PTHREAD_PROCESS_PRIVATE), pthread_spin_lock(&sp[i]));
		TWO("sem", sem_init(&s[i], 0, (unsigned) i), sem_trywait(&s[i]));
		printf("attr %d %d\n", i, pthread_attr_init(&a[i]));
		printf("mutexattr %d %d\n", i, pthread_mutexattr_init(&ma[i]));
		printf("condattr %d %d\n", i, pthread_condattr_init(&ca[i]));
		printf("rwlockattr %d %d\n", i, pthread_rwlockattr_init(&ra[i]));
		printf("barrierattr %d %d\n", i, pthread_barrierattr_init(&ba[i]));
		printf("timespec %d %ld %ld\n", i, (long) ts[i].tv_sec, ts[i].tv_nsec);
	}
}

static int exit_status;

static void *exits(void *arg)
{
	(void) arg;
	printf("exit from a thread, unflushed");
	exit(exit_status);
}

int main(void)
{
	char line[8192];
	dup2(1, 2); /* perror's lines go where printf's go */
	while (fgets(line, sizeof line, stdin)) {
		line[strcspn(line, "\n")] = 0;
		char *f[MAX_FIELDS] = { 0 };
		int n = 0;
		for (char *p = line; n < MAX_FIELDS; n++) {
			f[n] = p;
			if (!(p = strchr(p, '\t')))
				break;
			*p++ = 0;
		}
		char *cmd = f[0];
		if (!strcmp(cmd, "printf")) {
			fflush(stdout);
			int r = format(-1, unescape(f[1]), f[2], f[3][0], f[4]);
			printf("|%d\n", r);
		} else if (!strcmp(cmd, "snprintf")) {
			int r = format(strtol(f[1], NULL, 10), unescape(f[2]), f[3], f[4][0], f[5]);
			printf("[%s]|%d\n", strtol(f[1], NULL, 10) ? buf : "", r);
		} else if (!strcmp(cmd, "strtol") || !strcmp(cmd, "strtoul")) {
			char *s = unescape(f[2]), *end = s;
			errno = 0;
			if (!strcmp(cmd, "strtoul")) {
				unsigned long v = strtoul(s, &end, atoi(f[1]));
				printf("%lu %td %d\n", v, end - s, errno);
			} else {
				long v = strtol(s, &end, atoi(f[1]));
				printf("%ld %td %d\n", v, end - s, errno);
			}
		} else if (!strcmp(cmd, "atoi")) {
			errno = 0;
			int v = atoi(unescape(f[1]));
			printf("%d %d\n", v, errno);
		} else if (!strcmp(cmd, "atol") || !strcmp(cmd, "atoll")) {
			errno = 0;
			long long v = cmd[4] ? atoll(unescape(f[1])) : atol(unescape(f[1]));
			printf("%lld %d\n", v, errno);
		} else if (!strcmp(cmd, "rand")) {
			for (long i = strtol(f[1], NULL, 10); i > 0; i--)
				printf("%d\n", rand());
		} else if (!strcmp(cmd, "srand")) {
			srand((unsigned) strtoul(f[1], NULL, 10));
			for (long i = strtol(f[2], NULL, 10); i > 0; i--)
				printf("%d\n", rand());
		} else if (!strcmp(cmd, "rand_r")) {
			unsigned seed = (unsigned) strtoul(f[1], NULL, 10);
			for (long i = strtol(f[2], NULL, 10); i > 0; i--)
				printf("%d\n", rand_r(&seed));
			printf("seed %u\n", seed);
		} else if (!strcmp(cmd, "strerror")) {
			printf("%s\n", strerror(atoi(f[1])));
		} else if (!strcmp(cmd, "perror")) {
			fflush(stdout);
			errno = atoi(f[1]);
			perror(unescape(f[2]));
		} else if (!strcmp(cmd, "intptr")) {
			void *p = (void *) (intptr_t) strtol(f[1], NULL, 10);
			printf("%ld %p\n", (long) p, p);
		} else if (!strcmp(cmd, "time")) {
			printf("%lld\n", (long long) time(NULL));
		} else if (!strcmp(cmd, "join")) {
			join();
		} else if (!strcmp(cmd, "arrays")) {
			arrays();
		} else if (!strcmp(cmd, "exit")) {
			pthread_t t;
			exit_status = atoi(f[1]);
			pthread_create(&t, NULL, exits, NULL);
			pthread_join(t, NULL);
		} else if (!strcmp(cmd, "assert")) {
			int x = atoi(f[1]);
			assert(x == 1);
			printf("x is 1\n");
		} else {
			printf("unknown command %s\n", cmd);
			return 1;
		}
	}
	return 0;
}
