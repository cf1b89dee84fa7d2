/*
 * loadgen: how many connections does an echo server hold, and how fast does it
 * answer while it holds them? The client side of ./pthread4j lab c10k.
 *
 * One thread, one epoll instance, loopback only. It opens connections to
 * 127.0.0.1:PORT in steps (1000, 10000, 30000, 100000 by default, --steps or
 * --max to change them) and holds every one of them open. Each connection
 * binds a source address 127.0.0.x first (x = 1..SOURCES, with
 * IP_BIND_ADDRESS_NO_PORT), so the ephemeral ports of one address do not cap
 * the count. At each step it
 *   1. opens connections until it holds the step's number (at most INFLIGHT
 *      connects pending at once, each given CONNECT_MS to complete);
 *   2. sends one message on every held connection and checks every byte that
 *      comes back: a connection is held only once it has echoed;
 *   3. sends ROUNDS round trips, one after the other, on each of SAMPLE held
 *      connections spread over all of them, all the sample at once, and
 *      measures each round trip from the send to the last echoed byte;
 * and prints one JSON line:
 *
 *   {"step": 1000, "held": 1000, "failed": {"ETIMEDOUT": 2}, "round_trips": 2000,
 *    "bytes_checked": 192000, "p50_us": 41, "p99_us": 230, "rps": 24000, "seconds": 0.41}
 *
 * ("failed": what went wrong in this step, by errno name, or "closed" (the
 * server closed), "no-echo" (nothing within ECHO_MS), "corrupt" (a wrong
 * byte)). It stops after the first step where anything failed, when its own
 * RLIMIT_NOFILE runs out, after the last step, or when SECONDS have passed,
 * and says why in a last line: {"stop": "...", "why": "...", "max_held": N}
 * (max_held: the most connections held at once, each of which echoed). It
 * raises RLIMIT_NOFILE to the hard limit first and prints both in a first
 * line. With --pause it reads a line from stdin after each step, still
 * holding every connection, before it goes on or stops (the lab reads the
 * server's /proc meanwhile); it stops when stdin closes.
 *
 *     gcc -O2 -o loadgen loadgen.c && ./loadgen --port 7000 --max 10000
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

#define MSG 64          /* bytes per message */
#define MAX_STEPS 16

enum state { FREE, CONNECTING, HELD, SENDING, AWAITING, DEAD };

struct conn {
    int fd;
    enum state state;
    unsigned seq;       /* messages sent on this connection */
    unsigned put, got;  /* bytes of the current message sent, echoed */
    unsigned left;      /* round trips still to do in this phase */
    long long since;    /* ns: the connect's or the message's start */
};

/* options */
static int port;
static long steps[MAX_STEPS] = {1000, 10000, 30000, 100000};
static int nsteps = 4;
static int sources = 16, inflight = 512, sample = 200, rounds = 10;
static long connect_ms = 3000, echo_ms = 10000, seconds = 120;
static int pause_between;

static struct conn *conns;
static long nconns;     /* connections opened so far: conns[0..nconns) */
static long capacity;   /* of conns: the last step's count */
static int ep;
static long long deadline_all;

/* what failed in the current step, by name */
#define KINDS 32
static const char *kind[KINDS];
static long kind_count[KINDS];
static int nkinds;
static long fails;

static long *lat;       /* round trip times of a phase, ns */
static long nlat;
static long long bytes_checked;

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void fail(const char *what)
{
    int i;
    for (i = 0; i < nkinds && strcmp(kind[i], what) != 0; i++)
        ;
    if (i == nkinds) {
        if (nkinds == KINDS)
            i = KINDS - 1;
        else
            kind[nkinds++] = what;
    }
    kind_count[i]++;
    fails++;
}

static void drop(struct conn *c, const char *why)
{
    fail(why);
    close(c->fd);
    c->fd = -1;
    c->state = DEAD;
}

/* byte k of message seq on connection id: every byte differs from its neighbours */
static unsigned char pattern(long id, unsigned seq, unsigned k)
{
    uint32_t x = (uint32_t)id * 2654435761u ^ (seq + 1) * 40503u;
    return (unsigned char)((x >> (k % 4 * 8)) + k * 13);
}

static int watch(struct conn *c, uint32_t events, int op)
{
    struct epoll_event e = {.events = events, .data.u64 = (uint64_t)(c - conns)};
    return epoll_ctl(ep, op, c->fd, &e);
}

/* ---- connecting ------------------------------------------------------------ */

/* Starts one connect; returns -1 when this process is out of descriptors. */
static int open_one(void)
{
    long id = nconns;
    struct conn *c = &conns[nconns++];
    memset(c, 0, sizeof *c);
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0) {
        int e = errno;
        c->state = DEAD;
        if (e == EMFILE || e == ENFILE)
            return -1;
        fail(strerrorname_np(e));
        return 0;
    }
    int one = 1;
    setsockopt(c->fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(0x7f000001 + (uint32_t)(id % sources));
    if (bind(c->fd, (struct sockaddr *)&a, sizeof a) != 0) {
        drop(c, strerrorname_np(errno));
        return 0;
    }
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    c->since = now_ns();
    if (connect(c->fd, (struct sockaddr *)&a, sizeof a) != 0 && errno != EINPROGRESS) {
        drop(c, strerrorname_np(errno));
        return 0;
    }
    c->state = CONNECTING;
    if (watch(c, EPOLLOUT, EPOLL_CTL_ADD) != 0) {
        drop(c, strerrorname_np(errno));
        return -1; /* epoll's memory: treat as out of resources */
    }
    return 0;
}

static void connected(struct conn *c)
{
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) {
        drop(c, strerrorname_np(err));
        return;
    }
    c->state = HELD;
    watch(c, EPOLLIN, EPOLL_CTL_MOD);
}

/* ---- echoing --------------------------------------------------------------- */

static void send_more(struct conn *c)
{
    unsigned char buf[MSG];
    for (unsigned k = c->put; k < MSG; k++)
        buf[k] = pattern(c - conns, c->seq, k);
    ssize_t n = send(c->fd, buf + c->put, MSG - c->put, MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN) {
        drop(c, strerrorname_np(errno));
        return;
    }
    if (n > 0)
        c->put += (unsigned)n;
    if (c->put < MSG) {
        c->state = SENDING;
        watch(c, EPOLLIN | EPOLLOUT, EPOLL_CTL_MOD);
    } else if (c->state == SENDING) {
        c->state = AWAITING;
        watch(c, EPOLLIN, EPOLL_CTL_MOD);
    } else {
        c->state = AWAITING;
    }
}

static void start_message(struct conn *c)
{
    c->put = c->got = 0;
    c->since = now_ns();
    c->state = AWAITING;
    send_more(c);
}

/* Reads what the server echoed; returns 1 when the whole message is back. */
static int receive(struct conn *c)
{
    unsigned char buf[MSG];
    ssize_t n = recv(c->fd, buf, MSG - c->got, 0);
    if (n == 0) {
        drop(c, "closed");
        return 0;
    }
    if (n < 0) {
        if (errno != EAGAIN)
            drop(c, strerrorname_np(errno));
        return 0;
    }
    if (c->state != AWAITING && c->state != SENDING) {
        drop(c, "unasked"); /* bytes nobody sent */
        return 0;
    }
    for (ssize_t i = 0; i < n; i++) {
        if (buf[i] != pattern(c - conns, c->seq, c->got + (unsigned)i) || c->got + i >= c->put) {
            drop(c, "corrupt");
            return 0;
        }
    }
    c->got += (unsigned)n;
    bytes_checked += n;
    if (c->got < MSG)
        return 0;
    c->seq++;
    c->state = HELD;
    return 1;
}

/* ---- the event loop of a phase ----------------------------------------------- */

static long pending;    /* connects or messages the current phase waits for */

static void event(struct conn *c, uint32_t ev)
{
    if (c->state == CONNECTING) {
        connected(c);
        pending--;
        return;
    }
    if (c->state == HELD || c->state == DEAD || c->state == FREE) {
        if (c->state == HELD && (ev & (EPOLLIN | EPOLLHUP | EPOLLERR)))
            receive(c); /* the server closed, or sent what nobody asked for */
        return;
    }
    if ((ev & EPOLLOUT) && c->state == SENDING)
        send_more(c);
    if (c->state == DEAD) {
        pending--;
        return;
    }
    if (!(ev & (EPOLLIN | EPOLLHUP | EPOLLERR)))
        return;
    if (receive(c)) {
        long long t = now_ns();
        if (lat != NULL)
            lat[nlat++] = (long)(t - c->since);
        if (--c->left > 0)
            start_message(c);
        else
            pending--;
    }
    if (c->state == DEAD)
        pending--;
}

static long long last_scan;

/* One epoll_wait and its events; every 100 ms, drops the connections waiting in `state`
 * (CONNECTING, or a message's AWAITING/SENDING) for longer than timeout_ms, as `timeout_kind`. */
static void poll_once(enum state state, long timeout_ms, const char *timeout_kind)
{
    struct epoll_event evs[256];
    int n = epoll_wait(ep, evs, 256, 100);
    if (n < 0 && errno != EINTR) {
        perror("loadgen: epoll_wait");
        exit(1);
    }
    for (int i = 0; i < n; i++)
        event(&conns[evs[i].data.u64], evs[i].events);
    long long t = now_ns();
    if (t - last_scan < 100000000LL)
        return;
    last_scan = t;
    for (long i = 0; i < nconns; i++) {
        struct conn *c = &conns[i];
        int waiting = state == CONNECTING ? c->state == CONNECTING : c->state == AWAITING || c->state == SENDING;
        if (waiting && (t - c->since > timeout_ms * 1000000LL || t > deadline_all)) {
            drop(c, t > deadline_all ? "time-limit" : timeout_kind);
            pending--;
        }
    }
}

static void run(enum state state, long timeout_ms, const char *timeout_kind)
{
    while (pending > 0)
        poll_once(state, timeout_ms, timeout_kind);
}

/* ---- steps ------------------------------------------------------------------- */

static long held(void)
{
    long h = 0;
    for (long i = 0; i < nconns; i++)
        h += conns[i].state == HELD;
    return h;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* Opens connections up to target; returns 0, or -1 when out of descriptors. */
static int connect_phase(long target)
{
    long want = target - held();
    int out = 0;
    while (want > 0 && !out && nconns < capacity && now_ns() < deadline_all) {
        while (want > 0 && pending < inflight && nconns < capacity) {
            if (open_one() != 0) {
                out = 1;
                break;
            }
            want--;
            if (conns[nconns - 1].state == CONNECTING)
                pending++;
        }
        poll_once(CONNECTING, connect_ms, "ETIMEDOUT");
    }
    run(CONNECTING, connect_ms, "ETIMEDOUT");
    return out ? -1 : 0;
}

/* One message on each of the given held connections, `count` round trips each. */
static void echo_phase(long *which, long n, int count)
{
    for (long i = 0; i < n; i++) {
        struct conn *c = &conns[which[i]];
        c->left = (unsigned)count;
        start_message(c);
        pending++;
        if (c->state == DEAD)
            pending--;
    }
    run(AWAITING, echo_ms, "no-echo");
}

static void print_failed(void)
{
    printf("{");
    for (int i = 0; i < nkinds; i++)
        printf("%s\"%s\": %ld", i ? ", " : "", kind[i], kind_count[i]);
    printf("}");
}

static void usage(const char *problem)
{
    fprintf(stderr, "loadgen: %s\n"
            "usage: loadgen --port P [--steps 1000,10000,...] [--max N] [--sources K] [--inflight K]\n"
            "               [--sample K] [--rounds R] [--connect-ms MS] [--echo-ms MS] [--seconds S] [--pause]\n",
            problem);
    exit(2);
}

static long number(const char *s, const char *what)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == 0 || *end != 0 || v <= 0)
        usage(what);
    return v;
}

static void options(int argc, char **argv)
{
    long max = 0;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        if (strcmp(o, "--pause") == 0) {
            pause_between = 1;
            continue;
        }
        if (i + 1 == argc)
            usage("an option needs a value");
        const char *v = argv[++i];
        if (strcmp(o, "--port") == 0) port = (int)number(v, "--port: a port number");
        else if (strcmp(o, "--max") == 0) max = number(v, "--max: a count");
        else if (strcmp(o, "--sources") == 0) sources = (int)number(v, "--sources: 1..254");
        else if (strcmp(o, "--inflight") == 0) inflight = (int)number(v, "--inflight: a count");
        else if (strcmp(o, "--sample") == 0) sample = (int)number(v, "--sample: a count");
        else if (strcmp(o, "--rounds") == 0) rounds = (int)number(v, "--rounds: a count");
        else if (strcmp(o, "--connect-ms") == 0) connect_ms = number(v, "--connect-ms: milliseconds");
        else if (strcmp(o, "--echo-ms") == 0) echo_ms = number(v, "--echo-ms: milliseconds");
        else if (strcmp(o, "--seconds") == 0) seconds = number(v, "--seconds: seconds");
        else if (strcmp(o, "--steps") == 0) {
            char *copy = strdup(v), *save = NULL;
            nsteps = 0;
            for (char *s = strtok_r(copy, ",", &save); s != NULL; s = strtok_r(NULL, ",", &save)) {
                if (nsteps == MAX_STEPS)
                    usage("--steps: too many steps");
                steps[nsteps++] = number(s, "--steps: counts separated by commas");
            }
            free(copy);
        } else
            usage("unknown option");
    }
    if (port <= 0 || port > 65535)
        usage("--port is needed");
    if (sources > 254)
        usage("--sources: 1..254");
    for (int i = 1; i < nsteps; i++)
        if (steps[i] <= steps[i - 1])
            usage("--steps: increasing counts");
    if (max > 0) { /* the steps below max, then max itself */
        int n = 0;
        while (n < nsteps && steps[n] < max)
            n++;
        steps[n] = max;
        nsteps = n + 1;
    }
}

int main(int argc, char **argv)
{
    options(argc, argv);
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    long long soft_before = (long long)rl.rlim_cur;
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    getrlimit(RLIMIT_NOFILE, &rl);
    printf("{\"nofile_soft_before\": %lld, \"nofile_soft\": %lld, \"nofile_hard\": %lld, \"sources\": %d, "
           "\"port\": %d, \"message_bytes\": %d, \"sample\": %d, \"rounds\": %d}\n",
           soft_before, (long long)rl.rlim_cur, (long long)rl.rlim_max, sources, port, MSG, sample, rounds);
    fflush(stdout);

    capacity = steps[nsteps - 1]; /* a step that lost a connection is the last: no slot is reused */
    conns = calloc((size_t)capacity, sizeof *conns);
    long *ids = malloc((size_t)capacity * sizeof *ids);
    lat = NULL;
    long *lats = malloc((size_t)sample * rounds * sizeof *lats);
    ep = epoll_create1(EPOLL_CLOEXEC);
    if (conns == NULL || ids == NULL || lats == NULL || ep < 0) {
        perror("loadgen");
        return 1;
    }
    deadline_all = now_ns() + seconds * 1000000000LL;
    long max_held = 0;
    const char *stop = "max", *why = "every step held all its connections";
    char words[200];

    for (int s = 0; s < nsteps; s++) {
        long long t0 = now_ns();
        nkinds = 0;
        fails = 0;
        bytes_checked = 0;
        memset(kind_count, 0, sizeof kind_count);
        int out = connect_phase(steps[s]);

        /* every held connection echoes one message */
        long n = 0;
        for (long i = 0; i < nconns; i++)
            if (conns[i].state == HELD)
                ids[n++] = i;
        lat = NULL;
        echo_phase(ids, n, 1);

        /* the sample: spread over the held connections */
        n = 0;
        for (long i = 0; i < nconns; i++)
            if (conns[i].state == HELD)
                ids[n++] = i;
        long h = n;
        long k = h < sample ? h : sample;
        for (long i = 0; i < k; i++)
            ids[i] = ids[i * h / k];
        lat = lats;
        nlat = 0;
        long long m0 = now_ns();
        echo_phase(ids, k, rounds);
        double phase = (double)(now_ns() - m0) / 1e9;
        lat = NULL;
        h = held();
        if (h > max_held)
            max_held = h;

        qsort(lats, (size_t)nlat, sizeof *lats, cmp_long);
        printf("{\"step\": %ld, \"held\": %ld, \"failed\": ", steps[s], h);
        print_failed();
        printf(", \"round_trips\": %ld, \"bytes_checked\": %lld", nlat, bytes_checked);
        if (nlat > 0)
            printf(", \"p50_us\": %.1f, \"p99_us\": %.1f, \"rps\": %.0f", lats[nlat / 2] / 1e3,
                   lats[(nlat * 99) / 100] / 1e3, phase > 0 ? nlat / phase : 0.0);
        printf(", \"seconds\": %.2f}\n", (double)(now_ns() - t0) / 1e9);
        fflush(stdout);
        char line[16];
        if (pause_between && fgets(line, sizeof line, stdin) == NULL) {
            stop = "stdin";
            why = "stdin closed";
            break;
        }

        if (now_ns() > deadline_all) {
            stop = "time";
            snprintf(words, sizeof words, "the time limit (%ld s) passed at step %ld", seconds, steps[s]);
            why = words;
            break;
        }
        if (out) {
            stop = "nofile";
            snprintf(words, sizeof words, "socket: EMFILE: the load generator's RLIMIT_NOFILE (%lld) "
                     "is used up at %ld connections", (long long)rl.rlim_cur, h);
            why = words;
            break;
        }
        if (fails > 0) {
            stop = "failed";
            snprintf(words, sizeof words, "%ld connection(s) failed at step %ld (%ld held)", fails, steps[s], h);
            why = words;
            break;
        }
    }
    printf("{\"stop\": \"%s\", \"why\": \"%s\", \"max_held\": %ld}\n", stop, why, max_held);
    fflush(stdout);
    return 0;
}
