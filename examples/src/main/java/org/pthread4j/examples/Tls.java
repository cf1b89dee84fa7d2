package org.pthread4j.examples;

import static org.pthread4j.Pthreads.*;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_tls_counter_get;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_tls_counter_inc;

import org.pthread4j.nativ.NativeLibrary;
import org.pthread4j.pthread_barrier_t;
import org.pthread4j.pthread_key_t;
import org.pthread4j.pthread_t;

/**
 * tls: thread-local storage two ways. Port of {@code examples/tls/tls.c}.
 *
 * <ul>
 *   <li>pthread keys: pthread_key_create makes a key; each thread stores its own object under
 *       it (pthread_setspecific) and finds it again anywhere, without passing it around
 *       (pthread_getspecific). When a thread ends, the key's destructor gets that thread's
 *       value.</li>
 *   <li>{@code __thread}: C's thread-local variables, one copy per kernel thread. Java has no
 *       such thing, so this port uses a {@code __thread} counter in pthread4j's C layer
 *       ({@code p4j_tls_counter_inc/get}). Each thread bumps its copy ROUNDS times, blocking
 *       in between, once all THREADS have started (a barrier), so that their rounds
 *       overlap.</li>
 * </ul>
 *
 * <p>Lesson: both give one value per thread, but a {@code __thread} variable belongs to the
 * kernel thread. On {@code native} (1:1) that is the same thing: every thread's counter moves
 * by exactly its own increments. On {@code green} (M:1) every pthread runs on the one carrier
 * and they all share one counter; on {@code virtual} and {@code gmp} (M:N) a pthread even
 * moves between kernel threads, and so between counters, each time it blocks. pthread keys
 * are right on every backend.
 */
public final class Tls {

    static final int THREADS = 4;
    static final int ROUNDS = 5;

    static final class thread_log {
        int id;
        int uses;
    }

    static final pthread_key_t log_key = new pthread_key_t();
    static final pthread_barrier_t all_started = new pthread_barrier_t();
    // static __thread long tls_counter;  -> p4j_tls_counter_inc()/get(), one copy per kernel thread
    static final int[] tids = new int[THREADS];

    static void check(int rc, String what) {
        if (rc != 0) {
            System.err.printf("%s: %s%n", what, strerror(rc));
            System.exit(1);
        }
    }

    static void free_log(Object value) {    // the key's destructor
        thread_log log = (thread_log) value;
        System.out.printf("destructor: thread %d's log freed after %d uses%n", log.id, log.uses);
    }

    static void note_use() {                // no argument: the key finds this thread's log
        thread_log log = (thread_log) pthread_getspecific(log_key);
        log.uses++;
    }

    static Object worker(Object arg) {
        int id = (Integer) arg;
        thread_log log = new thread_log();
        log.id = id;
        log.uses = 0;
        check(pthread_setspecific(log_key, log), "pthread_setspecific");
        int rc = pthread_barrier_wait(all_started);  // every thread alive before anyone counts
        if (rc != PTHREAD_BARRIER_SERIAL_THREAD) {
            check(rc, "pthread_barrier_wait");
        }

        long before = p4j_tls_counter_get();
        for (int i = 0; i < ROUNDS; i++) {
            note_use();
            p4j_tls_counter_inc();          // tls_counter++
            usleep(1000);                   // block: another thread may run on this kernel thread
        }
        long moved = p4j_tls_counter_get() - before;
        tids[id] = gettid();

        log = (thread_log) pthread_getspecific(log_key);
        System.out.printf("thread %d: key value used %d times (expected %d); __thread counter moved by %d (own increments %d)%n",
                id, log.uses, ROUNDS, moved, ROUNDS);
        return null;
    }

    public static void main(String[] args) {
        NativeLibrary.ensureLoaded();       // the __thread counter lives in pthread4j's C layer
        check(pthread_key_create(log_key, Tls::free_log), "pthread_key_create");
        check(pthread_barrier_init(all_started, null, THREADS), "pthread_barrier_init");
        pthread_t[] t = new pthread_t[THREADS];
        for (int i = 0; i < THREADS; i++) {
            t[i] = new pthread_t();
            check(pthread_create(t[i], null, Tls::worker, i), "pthread_create");
        }
        for (int i = 0; i < THREADS; i++) {
            check(pthread_join(t[i], null), "pthread_join");
        }
        check(pthread_key_delete(log_key), "pthread_key_delete");
        check(pthread_barrier_destroy(all_started), "pthread_barrier_destroy");

        int kernel_threads = 0;
        for (int i = 0; i < THREADS; i++) {
            int first = 1;
            for (int j = 0; j < i; j++) {
                if (tids[j] == tids[i]) {
                    first = 0;
                }
            }
            kernel_threads += first;
        }
        System.out.printf("%d threads ended on %d kernel thread%s%n", THREADS, kernel_threads, kernel_threads == 1 ? "" : "s");
        System.out.printf("(a __thread variable belongs to the kernel thread: pthreads that share one share it)%n");
    }
}
