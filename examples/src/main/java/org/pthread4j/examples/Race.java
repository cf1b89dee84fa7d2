package org.pthread4j.examples;

import static org.pthread4j.Pthreads.*;
import static org.pthread4j.Stdatomic.*;

import org.pthread4j.StartRoutine;
import org.pthread4j.atomic_long;
import org.pthread4j.pthread_barrier_t;
import org.pthread4j.pthread_mutex_t;
import org.pthread4j.pthread_t;
import org.pthread4j.timespec;

/**
 * race: THREADS threads each add 1 to a shared counter many times, four ways:
 * unsynchronized, as an atomic load then an atomic store, under a mutex, and with an atomic
 * add. (The two synchronized ways do a tenth as many: each of their increments costs more.)
 * Port of {@code examples/race/race.c}; C's {@code <stdatomic.h>} is {@code Stdatomic}.
 *
 * <p>counter++ is a load, an add and a store. Two threads that interleave inside it both load
 * the same value and both store value + 1: one update is lost. Making the load and the store
 * atomic changes nothing: each access is whole, but another thread's store can still fall
 * between them. The mutex makes the three steps one critical section; the atomic add makes
 * them one indivisible instruction.
 *
 * <p>Lesson: a data race loses updates only when the threads really interleave. With kernel
 * threads on several cores ({@code native}, {@code virtual}) they do; on a single kernel
 * thread that is never preempted ({@code green}) they never do, and the race hides.
 */
public final class Race {

    static final int THREADS = 2;

    static long iterations;
    // volatile keeps every load and store (and adds a fence to each store, which C's volatile does
    // not); it makes ++ no more atomic
    static volatile long unsync_counter;
    static final atomic_long load_store_counter = new atomic_long();  // atomic loads and stores: no data race, and still lost updates
    static long locked_counter;
    static final pthread_mutex_t lock = new pthread_mutex_t();
    static final atomic_long atomic_counter = new atomic_long();
    static final pthread_barrier_t start_line = new pthread_barrier_t();   // so that the threads really run at the same time

    static void check(int rc, String what) {
        if (rc != 0) {
            System.err.printf("%s: %s%n", what, strerror(rc));
            System.exit(1);
        }
    }

    static void wait_for_start() {
        int rc = pthread_barrier_wait(start_line);
        if (rc != PTHREAD_BARRIER_SERIAL_THREAD) {
            check(rc, "pthread_barrier_wait");
        }
    }

    static Object unsync_inc(Object arg) {
        wait_for_start();
        for (long i = 0; i < iterations; i++) {
            unsync_counter++;
        }
        return null;
    }

    static Object load_store_inc(Object arg) {
        wait_for_start();
        for (long i = 0; i < iterations; i++) {
            long v = atomic_load_explicit(load_store_counter, memory_order_relaxed);
            atomic_store_explicit(load_store_counter, v + 1, memory_order_relaxed);
        }
        return null;
    }

    static Object locked_inc(Object arg) {
        wait_for_start();
        for (long i = 0; i < iterations; i++) {
            check(pthread_mutex_lock(lock), "pthread_mutex_lock");
            locked_counter++;
            check(pthread_mutex_unlock(lock), "pthread_mutex_unlock");
        }
        return null;
    }

    static Object atomic_inc(Object arg) {
        wait_for_start();
        for (long i = 0; i < iterations; i++) {
            atomic_fetch_add(atomic_counter, 1);
        }
        return null;
    }

    static double run(StartRoutine body, long n) {     // THREADS threads of body; ns per increment
        timespec start = new timespec(), end = new timespec();
        iterations = n;
        clock_gettime(CLOCK_MONOTONIC, start);
        pthread_t[] t = new pthread_t[THREADS];
        for (int i = 0; i < THREADS; i++) {
            t[i] = new pthread_t();
            check(pthread_create(t[i], null, body, null), "pthread_create");
        }
        for (int i = 0; i < THREADS; i++) {
            check(pthread_join(t[i], null), "pthread_join");
        }
        clock_gettime(CLOCK_MONOTONIC, end);
        return ((end.tv_sec - start.tv_sec) * 1e9 + (end.tv_nsec - start.tv_nsec)) / (THREADS * n);
    }

    public static void main(String[] args) {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 10000000;
        if (n < 10) {
            System.err.printf("usage: race [iterations-per-thread (at least 10)]%n");
            System.exit(2);
        }
        check(pthread_barrier_init(start_line, null, THREADS), "pthread_barrier_init");

        double ns = run(Race::unsync_inc, n);
        long expected = THREADS * n;
        System.out.printf("unsynchronized: counter = %d (expected %d): %d updates lost  [%.1f ns per increment]%n",
                unsync_counter, expected, expected - unsync_counter, ns);
        if (unsync_counter == expected) {
            System.out.printf("  no update lost this run: the race is still there, but the threads never interleaved inside%n"
                    + "  counter++ (seldom on a busy machine; never on an M:1 model: one kernel thread, no preemption)%n");
        }

        ns = run(Race::load_store_inc, n);
        long load_store_value = atomic_load(load_store_counter);
        System.out.printf("load+store:     counter = %d (expected %d): %d updates lost  [%.1f ns per increment]%n",
                load_store_value, expected, expected - load_store_value, ns);

        ns = run(Race::locked_inc, n / 10);
        long expected_sync = THREADS * (n / 10);
        System.out.printf("mutex:          counter = %d (expected %d): %s  [%.1f ns per increment]%n",
                locked_counter, expected_sync, locked_counter == expected_sync ? "ok" : "WRONG", ns);

        ns = run(Race::atomic_inc, n / 10);
        long atomic_value = atomic_load(atomic_counter);
        System.out.printf("atomic:         counter = %d (expected %d): %s  [%.1f ns per increment]%n",
                atomic_value, expected_sync, atomic_value == expected_sync ? "ok" : "WRONG", ns);
        check(pthread_barrier_destroy(start_line), "pthread_barrier_destroy");
        if (!(locked_counter == expected_sync && atomic_value == expected_sync)) {
            System.exit(1);
        }
    }
}
