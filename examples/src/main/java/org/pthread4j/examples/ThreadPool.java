package org.pthread4j.examples;

import static org.pthread4j.Pthreads.*;

import org.pthread4j.pthread_cond_t;
import org.pthread4j.pthread_mutex_t;
import org.pthread4j.pthread_t;

/**
 * thread-pool: a fixed set of worker threads takes tasks from a bounded queue (one mutex,
 * two condition variables) until the pool is shut down. The tasks count the primes in
 * consecutive ranges; the total is checked against a plain sequential count. Port of
 * {@code examples/thread-pool/thread-pool.c}.
 *
 * <p>Lesson: create threads once and feed them work, instead of one thread per task; shut
 * down by setting a flag under the mutex and broadcasting, so every idle worker wakes, sees
 * the flag and an empty queue, and returns.
 */
public final class ThreadPool {

    static final int QUEUE_SIZE = 8;
    static final int CHUNK = 5000;
    static final int MAX_WORKERS = 64;

    static final class task {
        int index;
        long lo, hi;                // count the primes in [lo, hi)

        task(int index, long lo, long hi) {
            this.index = index;
            this.lo = lo;
            this.hi = hi;
        }
    }

    static final class pool {
        final pthread_mutex_t lock = new pthread_mutex_t();
        final pthread_cond_t not_empty = new pthread_cond_t(), not_full = new pthread_cond_t();
        final task[] queue = new task[QUEUE_SIZE];
        int head, tail, count;
        boolean shutdown;
        int nworkers;
        final pthread_t[] workers = new pthread_t[MAX_WORKERS];
    }

    static long[] results;

    static void check(int rc, String what) {
        if (rc != 0) {
            System.err.printf("%s: %s%n", what, strerror(rc));
            System.exit(1);
        }
    }

    static long count_primes(long lo, long hi) {
        long n = 0;
        for (long k = lo < 2 ? 2 : lo; k < hi; k++) {
            int prime = 1;
            for (long d = 2; d * d <= k; d++) {
                if (k % d == 0) {
                    prime = 0;
                    break;
                }
            }
            n += prime;
        }
        return n;
    }

    static Object worker(Object arg) {
        pool p = (pool) arg;
        long done = 0;
        for (;;) {
            check(pthread_mutex_lock(p.lock), "pthread_mutex_lock");
            while (p.count == 0 && !p.shutdown) {
                check(pthread_cond_wait(p.not_empty, p.lock), "pthread_cond_wait");
            }
            if (p.count == 0) {     // shut down and nothing left to do
                check(pthread_mutex_unlock(p.lock), "pthread_mutex_unlock");
                break;
            }
            task t = p.queue[p.head];
            p.head = (p.head + 1) % QUEUE_SIZE;
            p.count--;
            check(pthread_cond_signal(p.not_full), "pthread_cond_signal");
            check(pthread_mutex_unlock(p.lock), "pthread_mutex_unlock");

            results[t.index] = count_primes(t.lo, t.hi);    // the work, outside the lock
            done++;
        }
        return done;
    }

    static void pool_init(pool p, int nworkers) {
        check(pthread_mutex_init(p.lock, null), "pthread_mutex_init");
        check(pthread_cond_init(p.not_empty, null), "pthread_cond_init");
        check(pthread_cond_init(p.not_full, null), "pthread_cond_init");
        p.head = p.tail = p.count = 0;
        p.shutdown = false;
        p.nworkers = nworkers;
        for (int i = 0; i < nworkers; i++) {
            p.workers[i] = new pthread_t();
            check(pthread_create(p.workers[i], null, ThreadPool::worker, p), "pthread_create");
        }
    }

    static void pool_submit(pool p, task t) {
        check(pthread_mutex_lock(p.lock), "pthread_mutex_lock");
        while (p.count == QUEUE_SIZE) {
            check(pthread_cond_wait(p.not_full, p.lock), "pthread_cond_wait");
        }
        p.queue[p.tail] = t;
        p.tail = (p.tail + 1) % QUEUE_SIZE;
        p.count++;
        check(pthread_cond_signal(p.not_empty), "pthread_cond_signal");
        check(pthread_mutex_unlock(p.lock), "pthread_mutex_unlock");
    }

    static long pool_shutdown(pool p) {
        check(pthread_mutex_lock(p.lock), "pthread_mutex_lock");
        p.shutdown = true;
        check(pthread_cond_broadcast(p.not_empty), "pthread_cond_broadcast");
        check(pthread_mutex_unlock(p.lock), "pthread_mutex_unlock");
        long tasks = 0;
        for (int i = 0; i < p.nworkers; i++) {
            Object[] done = new Object[1];
            check(pthread_join(p.workers[i], done), "pthread_join");
            System.out.printf("worker %d ran %d tasks%n", i, (Long) done[0]);
            tasks += (Long) done[0];
        }
        check(pthread_cond_destroy(p.not_full), "pthread_cond_destroy");
        check(pthread_cond_destroy(p.not_empty), "pthread_cond_destroy");
        check(pthread_mutex_destroy(p.lock), "pthread_mutex_destroy");
        return tasks;
    }

    public static void main(String[] args) {
        long limit = args.length > 0 ? Long.parseLong(args[0]) : 200000;
        int nworkers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        if (limit < 1 || nworkers < 1 || nworkers > MAX_WORKERS) {
            System.err.printf("usage: thread-pool [limit] [workers (1..%d)]%n", MAX_WORKERS);
            System.exit(2);
        }
        int ntasks = (int) ((limit + CHUNK - 1) / CHUNK);
        results = new long[ntasks];

        pool pool = new pool();
        pool_init(pool, nworkers);
        for (int i = 0; i < ntasks; i++) {
            task t = new task(i, (long) i * CHUNK, (long) (i + 1) * CHUNK < limit ? (long) (i + 1) * CHUNK : limit);
            pool_submit(pool, t);
        }
        long tasks = pool_shutdown(pool);

        long total = 0;
        for (int i = 0; i < ntasks; i++) {
            total += results[i];
        }
        long expected = count_primes(0, limit);
        System.out.printf("%d workers ran %d of %d tasks%n", nworkers, tasks, ntasks);
        System.out.printf("primes below %d: %d (sequential count: %d): %s%n", limit, total, expected,
                total == expected && tasks == ntasks ? "ok" : "WRONG");
        if (!(total == expected && tasks == ntasks)) {
            System.exit(1);
        }
    }
}
