package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.tests.TestSupport.*;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pthread4j.*;
import org.pthread4j.gmp.GmpThreadModel;

/**
 * More pthreads than processors poll a lock or a semaphore (trylock loops, with or without
 * sched_yield) while its owner holds it for a moment, away from any processor (it sleeps):
 * the owner gets a processor back and every poller gets through, as on a kernel that
 * preempts. On gmp that takes a preemption point in every facade call a poller can loop on.
 * Runs on native, gmp and green (there only the loops that yield: on one carrier a loop that
 * never yields keeps it, the M:1 model the lab shows); skipped on virtual, where nothing
 * preempts a pthread and a yield does not help either: the JDK's scheduler runs a carrier's
 * own queue, which each yield refills, before the queue that a timer's wake-up of the owner
 * lands in (DESIGN.md notes the same hang).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PollingTest {

    /** What the pollers loop on. */
    enum Poll {
        MUTEX_TRYLOCK(false), MUTEX_TRYLOCK_YIELD(true), SEM_TRYWAIT(false), SEM_TRYWAIT_YIELD(true),
        SEM_GETVALUE(false), SPIN_TRYLOCK(false), RWLOCK_TRYRDLOCK(false), RWLOCK_TRYWRLOCK(false),
        CLOCK_GETTIME(false);

        final boolean yields;

        Poll(boolean yields) {
            this.yields = yields;
        }
    }

    /** The processors pthreads run on: GOMAXPROCS on gmp, else the JVM's count of CPUs. */
    static int processors() {
        pthread_stack_min(); // a call that needs the model loads the backend, and with it gmp's scheduler
        return "gmp".equals(BACKEND) ? GmpThreadModel.instance().gomaxprocs() : Runtime.getRuntime().availableProcessors();
    }

    /**
     * processors + 1 pollers spin on the call while the owner holds the resource asleep until
     * all of them poll; the owner then needs a processor to release it (one semaphore unit
     * per poller), and every poller gets it in turn and ends.
     */
    @ParameterizedTest
    @EnumSource(Poll.class)
    void pollersLetTheOwnerRelease(Poll poll) {
        assumeTrue(!"virtual".equals(BACKEND), "virtual threads are not preempted, and yielding pollers starve a woken owner");
        assumeTrue(poll.yields || !"green".equals(BACKEND), "on one carrier a loop that never yields keeps it");
        int pollers = processors() + 1;
        pthread_mutex_t m = new pthread_mutex_t();
        sem_t s = semaphore(0);
        pthread_spinlock_t spin = new pthread_spinlock_t();
        assertEquals(0, pthread_spin_init(spin, PTHREAD_PROCESS_PRIVATE));
        pthread_rwlock_t rw = new pthread_rwlock_t();
        AtomicBoolean released = new AtomicBoolean();
        AtomicInteger polling = new AtomicInteger();
        sem_t held = semaphore(0);
        pthread_t owner = start(arg -> {
            switch (poll) {
                case MUTEX_TRYLOCK, MUTEX_TRYLOCK_YIELD -> pthread_mutex_lock(m);
                case SPIN_TRYLOCK -> pthread_spin_lock(spin);
                case RWLOCK_TRYRDLOCK, RWLOCK_TRYWRLOCK -> pthread_rwlock_wrlock(rw);
                default -> { }
            }
            sem_post(held);
            do {
                usleep(10_000); // asleep, so away from any processor
            } while (polling.get() < pollers);
            switch (poll) {
                case MUTEX_TRYLOCK, MUTEX_TRYLOCK_YIELD -> pthread_mutex_unlock(m);
                case SPIN_TRYLOCK -> pthread_spin_unlock(spin);
                case RWLOCK_TRYRDLOCK, RWLOCK_TRYWRLOCK -> pthread_rwlock_unlock(rw);
                case CLOCK_GETTIME -> released.set(true);
                default -> {
                    for (int i = 0; i < pollers; i++) {
                        sem_post(s);
                    }
                }
            }
            return null;
        });
        awaitPost(held, "the owner holds it");
        IntSupplier attempt = switch (poll) {
            case MUTEX_TRYLOCK, MUTEX_TRYLOCK_YIELD -> () -> pthread_mutex_trylock(m) == 0 ? pthread_mutex_unlock(m) : EBUSY;
            case SEM_TRYWAIT, SEM_TRYWAIT_YIELD -> () -> sem_trywait(s) == 0 ? 0 : EAGAIN;
            case SEM_GETVALUE -> () -> {
                int[] v = {0};
                sem_getvalue(s, v);
                return v[0] > 0 && sem_trywait(s) == 0 ? 0 : EAGAIN;
            };
            case SPIN_TRYLOCK -> () -> pthread_spin_trylock(spin) == 0 ? pthread_spin_unlock(spin) : EBUSY;
            case RWLOCK_TRYRDLOCK -> () -> pthread_rwlock_tryrdlock(rw) == 0 ? pthread_rwlock_unlock(rw) : EBUSY;
            case RWLOCK_TRYWRLOCK -> () -> pthread_rwlock_trywrlock(rw) == 0 ? pthread_rwlock_unlock(rw) : EBUSY;
            case CLOCK_GETTIME -> () -> {
                clock_gettime(CLOCK_MONOTONIC, new timespec());
                return released.get() ? 0 : EAGAIN;
            };
        };
        pthread_t[] threads = new pthread_t[pollers];
        for (int i = 0; i < pollers; i++) {
            threads[i] = start(arg -> {
                polling.incrementAndGet();
                while (attempt.getAsInt() != 0) {
                    if (poll.yields) {
                        sched_yield();
                    }
                }
                return null;
            });
        }
        joinAll(threads);
        join(owner);
    }
}
