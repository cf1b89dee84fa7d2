package org.pthread4j.tests;

import static org.pthread4j.Pthreads.*;
import static org.pthread4j.posix.Posix.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.pthread4j.*;

/**
 * The other process of {@link ProcessSharedTest}: maps the test's shared-memory object and
 * plays its half of a scenario on the objects the parent placed there ({@code share NAME SEM}
 * or {@code robust NAME}). Every wait is bounded; it exits 0 when every call returned what
 * it should, else prints the first surprise and exits 1.
 */
public final class SharedChild {

    private SharedChild() {}

    static void check(boolean ok, String what) {
        if (!ok) {
            System.out.println("child: " + what);
            System.out.flush();
            Runtime.getRuntime().halt(1);
        }
    }

    static void expect(int expected, int actual, String what) {
        check(expected == actual, what + ": expected " + expected + ", got " + actual + " (errno " + errno() + ")");
    }

    public static void main(String[] args) throws InterruptedException {
        int fd = shm_open(args[1], O_RDWR, 0);
        check(fd >= 0, "shm_open: errno " + errno());
        MemorySegment map = mmap(null, ProcessSharedTest.SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        check(map != MAP_FAILED, "mmap: errno " + errno());
        expect(0, close(fd), "close");
        ProcessSharedTest.Objects o = new ProcessSharedTest.Objects(map);
        if (args[0].equals("robust")) {
            expect(0, pthread_mutex_lock(o.robust1), "lock robust1");
            expect(0, pthread_mutex_lock(o.robust2), "lock robust2");
            expect(0, sem_post(o.toParent), "post: both held");
            Thread.sleep(Long.MAX_VALUE); // killed here, in the middle of its critical sections
        }
        share(o, args[2]);
        System.exit(0);
    }

    /** The child's half of {@link ProcessSharedTest#objectsWorkBetweenTwoProcesses}. */
    static void share(ProcessSharedTest.Objects o, String semName) {
        for (int i = 0; i < ProcessSharedTest.ROUNDS; i++) {
            expect(0, pthread_mutex_lock(o.mutex), "lock");
            o.map.set(ValueLayout.JAVA_LONG, ProcessSharedTest.OFF_COUNTER,
                    o.map.get(ValueLayout.JAVA_LONG, ProcessSharedTest.OFF_COUNTER) + 1);
            expect(0, pthread_mutex_unlock(o.mutex), "unlock");
        }
        int serial = 0;
        for (int i = 0; i < ProcessSharedTest.BARRIER_ROUNDS; i++) {
            int r = pthread_barrier_wait(o.barrier);
            check(r == 0 || r == PTHREAD_BARRIER_SERIAL_THREAD, "barrier_wait: " + r);
            serial += r == PTHREAD_BARRIER_SERIAL_THREAD ? 1 : 0;
        }
        o.map.set(ValueLayout.JAVA_INT, ProcessSharedTest.OFF_CHILD_SERIAL, serial);

        expect(0, pthread_mutex_lock(o.mutex), "lock for the flag");
        o.map.set(ValueLayout.JAVA_INT, ProcessSharedTest.OFF_FLAG, 1);
        expect(0, pthread_cond_signal(o.cond), "cond_signal");
        expect(0, pthread_mutex_unlock(o.mutex), "unlock after the flag");

        expect(0, pthread_rwlock_wrlock(o.rwlock), "wrlock");
        expect(0, sem_post(o.toParent), "post: write-locked");
        expect(0, sem_timedwait(o.toChild, ProcessSharedTest.deadline()), "wait: the parent checked");
        expect(0, pthread_rwlock_unlock(o.rwlock), "rwlock unlock");
        expect(0, sem_post(o.toParent), "post: unlocked");

        for (int i = 0; i < ProcessSharedTest.ROUNDS / 10; i++) {
            expect(0, sem_timedwait(o.toChild, ProcessSharedTest.deadline()), "ping " + i);
            expect(0, sem_post(o.toParent), "pong " + i);
        }

        sem_t named = sem_open(semName, 0);
        check(named != SEM_FAILED, "sem_open of the parent's semaphore: errno " + errno());
        expect(0, sem_post(named), "post on the named semaphore");
        expect(0, sem_close(named), "sem_close");
    }
}
