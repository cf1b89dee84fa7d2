package org.pthread4j.examples;

import static org.pthread4j.Pthreads.*;

import org.pthread4j.pthread_mutex_t;
import org.pthread4j.pthread_rwlock_t;
import org.pthread4j.pthread_t;

/**
 * readers-writers: a small table read by many threads and updated by a few, under a
 * readers-writer lock. Writers add 1 to every slot, so a reader that sees two different
 * values has seen a half-done update (a torn read). Port of
 * {@code examples/readers-writers/readers-writers.c}.
 *
 * <p>Lesson: pthread_rwlock_t lets readers in together and writers in alone; reads never see
 * a write half done. (How many readers were inside at once depends on the run and the thread
 * model, so it is printed apart.)
 */
public final class ReadersWriters {

    static final int READERS = 4;
    static final int WRITERS = 2;
    static final int SLOTS = 16;

    static final int[] table = new int[SLOTS];
    static final pthread_rwlock_t table_lock = new pthread_rwlock_t();     // PTHREAD_RWLOCK_INITIALIZER
    static int reads, writes;

    static final pthread_mutex_t stats_lock = new pthread_mutex_t();
    static int readers_inside, max_readers_inside;

    static void check(int rc, String what) {
        if (rc != 0) {
            System.err.printf("%s: %s%n", what, strerror(rc));
            System.exit(1);
        }
    }

    static Object reader(Object arg) {
        long torn = 0;
        for (int i = 0; i < reads; i++) {
            check(pthread_rwlock_rdlock(table_lock), "pthread_rwlock_rdlock");
            check(pthread_mutex_lock(stats_lock), "pthread_mutex_lock");
            if (++readers_inside > max_readers_inside) {
                max_readers_inside = readers_inside;
            }
            check(pthread_mutex_unlock(stats_lock), "pthread_mutex_unlock");

            for (int s = 1; s < SLOTS; s++) {
                if (table[s] != table[0]) {
                    torn++;
                }
            }
            if (i % 100 == 0) {
                usleep(100);        // now and then, read slowly: others may join in
            }

            check(pthread_mutex_lock(stats_lock), "pthread_mutex_lock");
            readers_inside--;
            check(pthread_mutex_unlock(stats_lock), "pthread_mutex_unlock");
            check(pthread_rwlock_unlock(table_lock), "pthread_rwlock_unlock");
        }
        return torn;
    }

    static Object writer(Object arg) {
        for (int i = 0; i < writes; i++) {
            check(pthread_rwlock_wrlock(table_lock), "pthread_rwlock_wrlock");
            for (int s = 0; s < SLOTS; s++) {
                table[s]++;
                if (s == SLOTS / 2 && i % 10 == 0) {
                    usleep(100);    // now and then, stop half way: nobody may look
                }
            }
            check(pthread_rwlock_unlock(table_lock), "pthread_rwlock_unlock");
        }
        return null;
    }

    public static void main(String[] args) {
        reads = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        writes = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        if (reads < 0 || writes < 0) {
            System.err.printf("usage: readers-writers [reads-per-reader] [writes-per-writer]%n");
            System.exit(2);
        }
        pthread_t[] readers = new pthread_t[READERS], writers = new pthread_t[WRITERS];
        for (int i = 0; i < READERS; i++) {
            readers[i] = new pthread_t();
            check(pthread_create(readers[i], null, ReadersWriters::reader, null), "pthread_create");
        }
        for (int i = 0; i < WRITERS; i++) {
            writers[i] = new pthread_t();
            check(pthread_create(writers[i], null, ReadersWriters::writer, null), "pthread_create");
        }

        long torn = 0;
        for (int i = 0; i < READERS; i++) {
            Object[] result = new Object[1];
            check(pthread_join(readers[i], result), "pthread_join");
            torn += (Long) result[0];
        }
        for (int i = 0; i < WRITERS; i++) {
            check(pthread_join(writers[i], null), "pthread_join");
        }

        boolean consistent = true;
        for (int s = 0; s < SLOTS; s++) {
            if (table[s] != WRITERS * writes) {
                consistent = false;
            }
        }
        System.out.printf("readers: %d reads, torn reads seen: %d (expected 0)%n", READERS * reads, torn);
        System.out.printf("writers: %d writes, every slot = %d (expected %d): %s%n", WRITERS * writes, table[0],
                WRITERS * writes, consistent ? "ok" : "WRONG");
        System.out.printf("(this run: at most %d readers held the lock at once)%n", max_readers_inside);
        if (!(torn == 0 && consistent)) {
            System.exit(1);
        }
    }
}
