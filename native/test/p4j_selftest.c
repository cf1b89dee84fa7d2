/*
 * p4j_selftest.c - the C layer's own test: threads, futexes, raw clone
 * tasks, epoll_wait's events (laid out differently by each architecture's
 * kernel) and writes to a closed socket (no SIGPIPE), called as Java calls them, against the built libpthread4j.so. Run by
 * mvn verify natively and, for the aarch64 library, under qemu-user. Prints
 * one line per check and "p4j_selftest: N passed, M failed"; exits 1 on a
 * failure.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "pthread4j.h"

static int passed, failed;

static void check(int ok, const char *what, long got)
{
	printf("%s %s (got %ld)\n", ok ? "ok  " : "FAIL", what, got);
	if (ok)
		passed++;
	else
		failed++;
}

static _Atomic int64_t started_with = -1;

static void record_id(int64_t id)
{
	atomic_store(&started_with, id);
}

/* The futex word a thread waits on, and what the waiter saw. */
static _Atomic uint32_t word;
static _Atomic int waiter_done;

static void wait_for_word(int64_t id)
{
	(void)id;
	while (atomic_load(&word) == 0)
		p4j_futex_wait((uint32_t *)&word, 0, P4J_CLOCK_NONE, 0, 0);
	atomic_store(&waiter_done, 1);
}

/* Three pipes made readable, then epoll_wait: each event widened to struct
 * p4j_epoll_event with the data it was registered with. */
static void check_epoll(void)
{
	int32_t fds[3][2], ep, n, i, seen = 0;
	struct p4j_epoll_event ev, out[4];

	ep = p4j_epoll_create1(0);
	check(ep >= 0, "p4j_epoll_create1", ep);
	for (i = 0; i < 3; i++) {
		p4j_pipe(fds[i]);
		ev.events = 0x001; /* EPOLLIN */
		ev.pad = 0;
		ev.data = ((uint64_t)0xabcd << 32) | (uint64_t)i;
		p4j_epoll_ctl(ep, 1 /* EPOLL_CTL_ADD */, fds[i][0], &ev);
	}
	n = p4j_epoll_wait(ep, out, 4, 0);
	check(n == 0, "p4j_epoll_wait with nothing readable and timeout 0: 0", n);
	for (i = 0; i < 3; i++)
		p4j_write(fds[i][1], "x", 1);
	n = p4j_epoll_wait(ep, out, 4, 1000);
	for (i = 0; i < n; i++)
		if (out[i].events == 0x001 && out[i].data >> 32 == 0xabcd && out[i].data % 4 < 3)
			seen |= 1 << (out[i].data % 4);
	check(n == 3 && seen == 7, "p4j_epoll_wait: three events, each with its own data", n);
	for (i = 0; i < 3; i++) {
		p4j_close(fds[i][0]);
		p4j_close(fds[i][1]);
	}
	p4j_close(ep);
}

/* A write to a socket whose peer closed: -EPIPE, and this process (which has
 * SIGPIPE's default action: death) lives on. */
static void check_sigpipe(void)
{
	struct p4j_sockaddr_in a = { 2 /* AF_INET */, 0, 0 };
	int32_t l, c, s, i;
	int64_t n = 0;
	char buf[1024] = { 0 };

	a.sin_addr = (uint32_t)htonl(0x7f000001);
	l = p4j_socket(2, 1 /* SOCK_STREAM */, 0);
	p4j_bind(l, &a);
	p4j_listen(l, 1);
	p4j_getsockname(l, &a);
	c = p4j_socket(2, 1, 0);
	p4j_connect(c, &a);
	s = p4j_accept4(l, NULL, 0);
	check(l >= 0 && c >= 0 && s >= 0, "a loopback connection through p4j_socket/bind/listen/connect/accept4", s);
	p4j_close(s);
	for (i = 0; i < 1000 && n >= 0; i++)
		n = p4j_write(c, buf, sizeof(buf)); /* the first ones may pass: the peer's RST answers them */
	check(n == -EPIPE, "p4j_write to a socket whose peer closed: -EPIPE, no SIGPIPE", (long)n);
	n = p4j_send(c, buf, sizeof(buf), 0);
	check(n == -EPIPE, "p4j_send to it: -EPIPE", (long)n);
	p4j_close(c);
	p4j_close(l);
}

int main(void)
{
	int64_t h, task;
	int32_t rc;

	/* a thread runs its start routine with the id given, and joins */
	rc = p4j_thread_create(record_id, 42, 0, 0, 0, "p4j-selftest", &h);
	check(rc == 0, "p4j_thread_create", rc);
	rc = p4j_thread_join(h);
	check(rc == 0, "p4j_thread_join", rc);
	check(atomic_load(&started_with) == 42, "the start routine ran with its id", (long)atomic_load(&started_with));
	rc = p4j_thread_create(record_id, 1, 0, 0, 0, "a-name-longer-than-15", &h);
	check(rc == -ERANGE, "a name of 21 bytes: -ERANGE", rc);

	/* futex: -EAGAIN on a changed word, -ETIMEDOUT at the deadline, a wake ends a wait */
	atomic_store(&word, 1);
	rc = p4j_futex_wait((uint32_t *)&word, 0, P4J_CLOCK_NONE, 0, 0);
	check(rc == -EAGAIN, "p4j_futex_wait on a changed word: -EAGAIN", rc);
	struct p4j_timespec now;
	p4j_clock_gettime(P4J_CLOCK_MONOTONIC, &now);
	int64_t nsec = now.tv_nsec + 10 * 1000 * 1000;
	rc = p4j_futex_wait((uint32_t *)&word, 1, P4J_CLOCK_MONOTONIC, now.tv_sec + nsec / 1000000000, nsec % 1000000000);
	check(rc == -ETIMEDOUT, "p4j_futex_wait until a deadline 10 ms ahead: -ETIMEDOUT", rc);
	atomic_store(&word, 0);
	rc = p4j_thread_create(wait_for_word, 0, 0, 0, 0, NULL, &h);
	check(rc == 0, "p4j_thread_create of a futex waiter", rc);
	atomic_store(&word, 1);
	/* wake until the waiter is gone: it may not have slept yet, or may sleep after a wake */
	while (!atomic_load(&waiter_done))
		p4j_futex_wake((uint32_t *)&word, 1);
	rc = p4j_thread_join(h);
	check(rc == 0 && atomic_load(&waiter_done), "the waiter saw the store and ended", rc);

	/* raw clone(2) tasks: spawn, run a C body on their own stack, join on the child-tid word */
	rc = p4j_task_spawn(P4J_BODY_SPIN, 100000, 0, &task);
	check(rc == 0, "p4j_task_spawn of a spinning task", rc);
	int64_t r = p4j_task_join(task);
	check(r == 100000, "p4j_task_join returns its result", (long)r);
	rc = p4j_task_spawn(P4J_BODY_TOUCH, 4, 0, &task);
	check(rc == 0, "p4j_task_spawn of a task touching 4 stack pages", rc);
	r = p4j_task_join(task);
	check(r == 4, "p4j_task_join of it", (long)r);
	rc = p4j_task_spawn(99, 0, 0, &task);
	check(rc == -EINVAL, "p4j_task_spawn of an unknown body: -EINVAL", rc);

	check_epoll();
	check_sigpipe();

	printf("p4j_selftest: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
