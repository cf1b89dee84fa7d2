package org.pthread4j.examples;

import static org.pthread4j.Pthreads.*;
import static org.pthread4j.posix.Posix.*;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.pthread4j.pthread_mutex_t;
import org.pthread4j.pthread_mutexattr_t;
import org.pthread4j.sem_t;
import org.pthread4j.timespec;

/**
 * robust-mutex: two processes share a robust mutex in shared memory; one is killed in the
 * middle of its critical section, the other recovers. Port of
 * {@code examples/robust-mutex/robust-mutex.c}.
 *
 * <p>The mutex guards a transfer between two accounts whose sum is TOTAL. The child locks it,
 * takes 100 out of account a, and is killed (SIGKILL) before it credits b. The kernel, which
 * keeps every thread's list of robust mutexes held, marks the mutex owner-dead: the parent's
 * lock returns EOWNERDEAD and gives it the mutex with the half-done transfer. The parent
 * repairs the data (it rolls the transfer back), calls pthread_mutex_consistent, and the mutex
 * works as before. Had it unlocked without that call, every later lock would return
 * ENOTRECOVERABLE.
 *
 * <p>Lesson: a process can die anywhere, even holding a lock another process waits for. A
 * robust mutex turns that hang into an error the next owner can handle: EOWNERDEAD means "you
 * own it, the data may be inconsistent".
 *
 * <p>Java has no fork(): the child is a second JVM that runs this example with
 * {@code child NAME} and maps the same shared-memory object. Only the native backend can
 * share a mutex between processes; the others answer ENOTSUP, and the program says so.
 */
public final class RobustMutex {

    static final long TOTAL = 1000;
    static final long AMOUNT = 100;

    // struct shared, what the two processes map:
    static final long LOCK = 0;                           // robust, process-shared: guards a and b
    static final long READY = LOCK + pthread_mutex_t.BYTES; // the child holds the lock, mid-transfer
    static final long A = READY + sem_t.BYTES;            // a + b == TOTAL whenever lock is free
    static final long B = A + 8;
    static final long SIZE = B + 8;

    static void check(int rc, String what) {    // pthread_*: the error number
        if (rc != 0) {
            System.err.printf("%s: %s%n", what, strerror(rc));
            System.exit(1);
        }
    }

    static void check_sys(int rc, String what) { // sem_*, shm_*: -1 and errno
        if (rc == -1) {
            System.err.printf("%s: %s%n", what, strerror(errno()));
            System.exit(1);
        }
    }

    static MemorySegment map(int fd) {
        MemorySegment s = mmap(null, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (s == MAP_FAILED) {
            System.err.printf("mmap: %s%n", strerror(errno()));
            System.exit(1);
        }
        close(fd);
        return s;
    }

    static void child(String name) {
        int fd = shm_open(name, O_RDWR, 0);
        check_sys(fd, "shm_open");
        MemorySegment s = map(fd);
        pthread_mutex_t lock = pthread_mutex_t.at(s, LOCK);
        check(pthread_mutex_lock(lock), "child: pthread_mutex_lock");
        s.set(ValueLayout.JAVA_LONG, A, s.get(ValueLayout.JAVA_LONG, A) - AMOUNT); // half of the transfer
        System.out.printf("child: holds the lock, took %d out of a, is killed before crediting b%n", AMOUNT);
        System.out.flush();
        check_sys(sem_post(sem_t.at(s, READY)), "sem_post");
        for (;;) {
            sleep(1000);                        // killed here, in its critical section
        }
    }

    /** The command that runs this example's child half in a second JVM, as this one runs. */
    static List<String> childCommand(String name) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Dpthread4j.backend=native");
        cmd.add("-Dpthread4j.binding=" + System.getProperty("pthread4j.binding", "ffm"));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Run.class.getName());
        cmd.addAll(List.of("robust-mutex", "child", name));
        return cmd;
    }

    public static void main(String[] args) {
        if (args.length == 2 && args[0].equals("child")) {
            child(args[1]);
            return;
        }
        String name = "/robust-mutex-" + ProcessHandle.current().pid();
        pthread_mutexattr_t attr = new pthread_mutexattr_t();
        check(pthread_mutexattr_init(attr), "pthread_mutexattr_init");
        int rc = pthread_mutexattr_setpshared(attr, PTHREAD_PROCESS_SHARED);
        if (rc != 0) {
            System.out.printf("process-shared mutexes need kernel threads: pthread_mutexattr_setpshared: %s%n",
                    strerror(rc));
            return;
        }
        int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
        check_sys(fd, "shm_open");
        check_sys(ftruncate(fd, SIZE), "ftruncate");
        MemorySegment s = map(fd);
        pthread_mutex_t lock = pthread_mutex_t.at(s, LOCK);
        sem_t ready = sem_t.at(s, READY);
        check(pthread_mutexattr_setrobust(attr, PTHREAD_MUTEX_ROBUST), "pthread_mutexattr_setrobust");
        check(pthread_mutex_init(lock, attr), "pthread_mutex_init");
        check_sys(sem_init(ready, 1, 0), "sem_init");
        s.set(ValueLayout.JAVA_LONG, A, TOTAL);
        s.set(ValueLayout.JAVA_LONG, B, 0);

        Process child;
        try {
            child = new ProcessBuilder(childCommand(name)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            System.err.printf("fork: %s%n", e.getMessage());
            System.exit(1);
            return;
        }
        Thread relay = Thread.ofPlatform().start(() -> { // its stdout, which a forked child would share
            try {
                child.getInputStream().transferTo(System.out);
            } catch (IOException ignored) {
                // the child is gone
            }
        });

        timespec deadline = new timespec();
        clock_gettime(CLOCK_REALTIME, deadline);
        deadline.tv_sec += 60;
        check_sys(sem_timedwait(ready, deadline), "sem_timedwait");
        child.destroyForcibly();                // kill(pid, SIGKILL)
        try {
            child.waitFor(60, TimeUnit.SECONDS);    // waitpid
            relay.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.out.printf("parent: killed the child%n");

        rc = pthread_mutex_lock(lock);
        System.out.printf("parent: pthread_mutex_lock = %s%n", rc == EOWNERDEAD ? "EOWNERDEAD" : strerror(rc));
        if (rc != EOWNERDEAD) {
            System.exit(1);
        }
        long a = s.get(ValueLayout.JAVA_LONG, A);
        long b = s.get(ValueLayout.JAVA_LONG, B);
        System.out.printf("parent: a + b = %d (expected %d): the transfer is half done%n", a + b, TOTAL);
        s.set(ValueLayout.JAVA_LONG, A, a + AMOUNT); // repair: roll the transfer back
        check(pthread_mutex_consistent(lock), "pthread_mutex_consistent");
        System.out.printf("parent: rolled it back, pthread_mutex_consistent = 0%n");
        check(pthread_mutex_unlock(lock), "pthread_mutex_unlock");

        check(pthread_mutex_lock(lock), "pthread_mutex_lock");
        long sum = s.get(ValueLayout.JAVA_LONG, A) + s.get(ValueLayout.JAVA_LONG, B);
        boolean ok = sum == TOTAL;
        System.out.printf("parent: next pthread_mutex_lock = 0, a + b = %d (expected %d): %s%n", sum, TOTAL,
                ok ? "ok" : "BROKEN");
        check(pthread_mutex_unlock(lock), "pthread_mutex_unlock");

        munmap(s, SIZE);
        shm_unlink(name);
        if (!ok) {
            System.exit(1);
        }
    }
}
