package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.posix.Posix.*;
import static org.pthread4j.tests.TestSupport.*;

import java.io.File;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pthread4j.*;

/**
 * Process-shared objects (PTHREAD_PROCESS_SHARED, {@code sem_init(sem, 1, v)}, named
 * semaphores) and the shared memory they live in. The sharing itself is native-only (a
 * pthread of another backend waits in its own JVM's parking lot, which no other process can
 * wake), so those tests run on native and the others check ENOTSUP; placing objects in memory
 * and the attribute calls are checked on every backend.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProcessSharedTest {

    static final long SIZE = 4096;
    static final long OFF_MUTEX = 0;
    static final long OFF_COND = OFF_MUTEX + pthread_mutex_t.BYTES;
    static final long OFF_BARRIER = OFF_COND + pthread_cond_t.BYTES;
    static final long OFF_RWLOCK = OFF_BARRIER + pthread_barrier_t.BYTES;
    static final long OFF_TO_CHILD = OFF_RWLOCK + pthread_rwlock_t.BYTES;
    static final long OFF_TO_PARENT = OFF_TO_CHILD + sem_t.BYTES;
    static final long OFF_ROBUST1 = OFF_TO_PARENT + sem_t.BYTES;
    static final long OFF_ROBUST2 = OFF_ROBUST1 + pthread_mutex_t.BYTES;
    static final long OFF_COUNTER = OFF_ROBUST2 + pthread_mutex_t.BYTES;
    static final long OFF_FLAG = OFF_COUNTER + 8;
    static final long OFF_CHILD_SERIAL = OFF_FLAG + 4;
    static final int ROUNDS = 2000;
    static final int BARRIER_ROUNDS = 50;

    private static final AtomicInteger NAMES = new AtomicInteger();

    /** The objects at their offsets of the mapping; both processes take the handles the same way. */
    static final class Objects {
        final MemorySegment map;
        final pthread_mutex_t mutex;
        final pthread_cond_t cond;
        final pthread_barrier_t barrier;
        final pthread_rwlock_t rwlock;
        final sem_t toChild;
        final sem_t toParent;
        final pthread_mutex_t robust1;
        final pthread_mutex_t robust2;

        Objects(MemorySegment map) {
            this.map = map;
            mutex = pthread_mutex_t.at(map, OFF_MUTEX);
            cond = pthread_cond_t.at(map, OFF_COND);
            barrier = pthread_barrier_t.at(map, OFF_BARRIER);
            rwlock = pthread_rwlock_t.at(map, OFF_RWLOCK);
            toChild = sem_t.at(map, OFF_TO_CHILD);
            toParent = sem_t.at(map, OFF_TO_PARENT);
            robust1 = pthread_mutex_t.at(map, OFF_ROBUST1);
            robust2 = pthread_mutex_t.at(map, OFF_ROBUST2);
        }
    }

    /** A deadline 60 s ahead on CLOCK_REALTIME: every cross-process wait is bounded by one. */
    static timespec deadline() {
        timespec t = new timespec();
        clock_gettime(CLOCK_REALTIME, t);
        t.tv_sec += 60;
        return t;
    }

    static String uniqueName(String what) {
        return "/p4j-" + what + "-" + ProcessHandle.current().pid() + "-" + NAMES.incrementAndGet();
    }

    /** A new shared-memory object of SIZE bytes, mapped shared, with every object initialized PTHREAD_PROCESS_SHARED. */
    static Objects createShared(String name) {
        int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
        assertEquals(true, fd >= 0, "shm_open: errno " + errno());
        assertEquals(0, ftruncate(fd, SIZE));
        MemorySegment map = mmap(null, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        assertNotSame(MAP_FAILED, map);
        assertEquals(0, close(fd));
        Objects o = new Objects(map);
        pthread_mutexattr_t ma = new pthread_mutexattr_t();
        assertEquals(0, pthread_mutexattr_init(ma));
        assertEquals(0, pthread_mutexattr_setpshared(ma, PTHREAD_PROCESS_SHARED));
        assertEquals(0, pthread_mutex_init(o.mutex, ma));
        assertEquals(0, pthread_mutexattr_setrobust(ma, PTHREAD_MUTEX_ROBUST));
        assertEquals(0, pthread_mutex_init(o.robust1, ma));
        assertEquals(0, pthread_mutex_init(o.robust2, ma));
        pthread_condattr_t ca = new pthread_condattr_t();
        assertEquals(0, pthread_condattr_init(ca));
        assertEquals(0, pthread_condattr_setpshared(ca, PTHREAD_PROCESS_SHARED));
        assertEquals(0, pthread_cond_init(o.cond, ca));
        pthread_barrierattr_t ba = new pthread_barrierattr_t();
        assertEquals(0, pthread_barrierattr_init(ba));
        assertEquals(0, pthread_barrierattr_setpshared(ba, PTHREAD_PROCESS_SHARED));
        assertEquals(0, pthread_barrier_init(o.barrier, ba, 2));
        pthread_rwlockattr_t ra = new pthread_rwlockattr_t();
        assertEquals(0, pthread_rwlockattr_init(ra));
        assertEquals(0, pthread_rwlockattr_setpshared(ra, PTHREAD_PROCESS_SHARED));
        assertEquals(0, pthread_rwlock_init(o.rwlock, ra));
        assertEquals(0, sem_init(o.toChild, 1, 0));
        assertEquals(0, sem_init(o.toParent, 1, 0));
        return o;
    }

    /** Unmaps and unlinks; no assertion, so that it never hides why a test failed. */
    static void removeShared(String name, Objects o) {
        munmap(o.map, SIZE);
        shm_unlink(name);
    }

    /** Starts a child JVM running {@link SharedChild} with {@code args}; its output goes to {@code log}. */
    static Process startChild(File log, String... args) throws IOException {
        return new ProcessBuilder(childJvm(SharedChild.class, args)).redirectErrorStream(true)
                .redirectOutput(log).start();
    }

    /** Waits for the child's end and asserts it exited 0, showing what it printed otherwise. */
    static void assertChildSucceeded(Process child, File log) throws IOException, InterruptedException {
        if (!child.waitFor(CHILD_SECONDS, TimeUnit.SECONDS)) {
            child.destroyForcibly().waitFor();
            fail("the child did not end within " + CHILD_SECONDS + " s:\n" + Files.readString(log.toPath()));
        }
        assertEquals(0, child.exitValue(), "the child's exit status; it printed:\n" + Files.readString(log.toPath()));
    }

    /**
     * A mutex, a condition variable, a barrier, a rwlock, two unnamed semaphores and a named
     * semaphore, each initialized process-shared by this JVM, work with a child JVM: no lost
     * increment under the mutex, one serial thread per barrier round, a signal across
     * processes, a write lock that excludes the other process, a semaphore ping-pong and a
     * post on the named semaphore.
     */
    @Test
    void objectsWorkBetweenTwoProcesses() throws Exception {
        assumeTrue(onNative(), "sharing between processes is the native backend's");
        String name = uniqueName("share");
        String semName = uniqueName("sem");
        Objects o = createShared(name);
        sem_t named = sem_open(semName, O_CREAT | O_EXCL, 0600, 0);
        assertNotSame(SEM_FAILED, named, "sem_open: errno " + errno());
        File log = File.createTempFile("pthread4j-shared-child", ".log");
        Process child = startChild(log, "share", name, semName);
        try {
            for (int i = 0; i < ROUNDS; i++) {
                assertEquals(0, pthread_mutex_lock(o.mutex));
                o.map.set(ValueLayout.JAVA_LONG, OFF_COUNTER, o.map.get(ValueLayout.JAVA_LONG, OFF_COUNTER) + 1);
                assertEquals(0, pthread_mutex_unlock(o.mutex));
            }
            int serial = 0;
            for (int i = 0; i < BARRIER_ROUNDS; i++) {
                int r = pthread_barrier_wait(o.barrier);
                serial += r == PTHREAD_BARRIER_SERIAL_THREAD ? 1 : 0;
            }
            assertEquals(2L * ROUNDS, o.map.get(ValueLayout.JAVA_LONG, OFF_COUNTER), "no increment lost");

            assertEquals(0, pthread_mutex_lock(o.mutex));
            while (o.map.get(ValueLayout.JAVA_INT, OFF_FLAG) == 0) {
                assertEquals(0, pthread_cond_timedwait(o.cond, o.mutex, deadline()), "the child's signal");
            }
            assertEquals(0, pthread_mutex_unlock(o.mutex));
            assertEquals(BARRIER_ROUNDS, serial + o.map.get(ValueLayout.JAVA_INT, OFF_CHILD_SERIAL),
                    "one serial thread per round, over both processes");

            assertEquals(0, sem_timedwait(o.toParent, deadline()), "the child write-locked");
            assertEquals(EBUSY, pthread_rwlock_tryrdlock(o.rwlock));
            assertEquals(EBUSY, pthread_rwlock_trywrlock(o.rwlock));
            assertEquals(EPERM, pthread_rwlock_unlock(o.rwlock), "another process's write lock");
            assertEquals(0, sem_post(o.toChild));
            assertEquals(0, sem_timedwait(o.toParent, deadline()), "the child unlocked");
            assertEquals(0, pthread_rwlock_rdlock(o.rwlock));
            assertEquals(0, pthread_rwlock_unlock(o.rwlock));

            for (int i = 0; i < ROUNDS / 10; i++) {
                assertEquals(0, sem_post(o.toChild));
                assertEquals(0, sem_timedwait(o.toParent, deadline()), "pong " + i);
            }

            assertEquals(0, sem_timedwait(named, deadline()), "the child's post on the named semaphore");
            assertChildSucceeded(child, log);
        } finally {
            child.destroyForcibly().waitFor();
            Files.deleteIfExists(log.toPath());
            sem_close(named);
            sem_unlink(semName);
            removeShared(name, o);
        }
    }

    /** futex(2)'s system call number: 202 on x86_64, 98 on aarch64 (asm-generic). */
    private static final String SYS_FUTEX = "aarch64".equals(System.getProperty("os.arch")) ? "98" : "202";

    /** Whether some kernel task of this process is inside a futex call on {@code address} now. */
    static boolean inFutexWait(long address) {
        String call = SYS_FUTEX + " 0x" + Long.toHexString(address) + " ";
        for (int tid : kernelTids()) {
            try {
                if (Files.readString(Path.of("/proc/self/task", Integer.toString(tid), "syscall")).startsWith(call)) {
                    return true;
                }
            } catch (IOException gone) {
                // the task ended meanwhile
            }
        }
        return false;
    }

    /**
     * A child JVM killed with SIGKILL while it holds two robust process-shared mutexes: the
     * kernel's robust list hands each to the next locker here with EOWNERDEAD (a pthread that
     * slept on one is woken by the kernel); consistent() makes the first usable again, and
     * unlocking the second without it makes it ENOTRECOVERABLE.
     */
    @Test
    void processKilledHoldingRobustMutexGivesEownerdead() throws Exception {
        assumeTrue(onNative(), "sharing between processes is the native backend's");
        String name = uniqueName("robust");
        Objects o = createShared(name);
        File log = File.createTempFile("pthread4j-robust-child", ".log");
        Process child = startChild(log, "robust", name);
        try {
            assertEquals(0, sem_timedwait(o.toParent, deadline()), "the child holds both; it printed:\n"
                    + Files.readString(log.toPath()));
            assertEquals(EBUSY, pthread_mutex_trylock(o.robust1));
            pthread_t waiter = start(arg -> new int[] {
                pthread_mutex_lock(o.robust1), pthread_mutex_consistent(o.robust1), pthread_mutex_unlock(o.robust1)});
            long word = o.map.address() + OFF_ROBUST1;
            await(() -> inFutexWait(word), "the waiter sleeps on the robust mutex's word");
            child.destroyForcibly();
            assertEquals(true, child.waitFor(CHILD_SECONDS, TimeUnit.SECONDS), "the killed child ended");
            assertArrayEquals(new int[] {EOWNERDEAD, 0, 0}, (int[]) join(waiter),
                    "the sleeper: lock, consistent, unlock");
            assertEquals(0, pthread_mutex_lock(o.robust1), "consistent again");
            assertEquals(0, pthread_mutex_unlock(o.robust1));

            assertEquals(EOWNERDEAD, pthread_mutex_lock(o.robust2));
            assertEquals(0, pthread_mutex_unlock(o.robust2), "unlocked without consistent()");
            assertEquals(ENOTRECOVERABLE, pthread_mutex_lock(o.robust2));
            assertEquals(ENOTRECOVERABLE, pthread_mutex_trylock(o.robust2));
            assertEquals(0, pthread_mutex_destroy(o.robust2));
        } finally {
            child.destroyForcibly().waitFor();
            Files.deleteIfExists(log.toPath());
            removeShared(name, o);
        }
    }

    /** An anonymous shared mapping of one page, for tests within this process. */
    static MemorySegment page() {
        MemorySegment map = mmap(null, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        assertNotSame(MAP_FAILED, map, "mmap: errno " + errno());
        return map;
    }

    static pthread_mutexattr_t sharedAttr(int type, int robust) {
        pthread_mutexattr_t a = new pthread_mutexattr_t();
        assertEquals(0, pthread_mutexattr_init(a));
        assertEquals(0, pthread_mutexattr_settype(a, type));
        assertEquals(0, pthread_mutexattr_setrobust(a, robust));
        assertEquals(0, pthread_mutexattr_setpshared(a, PTHREAD_PROCESS_SHARED));
        return a;
    }

    /**
     * A robust process-shared mutex whose owner pthread ends holding it gives EOWNERDEAD to
     * the next locker: the kernel's robust list did it when the thread exited.
     */
    @Test
    void sharedRobustMutexOwnerThreadEnds() {
        assumeTrue(onNative(), "sharing between processes is the native backend's");
        MemorySegment map = page();
        pthread_mutex_t m = pthread_mutex_t.at(map, 0);
        assertEquals(0, pthread_mutex_init(m, sharedAttr(PTHREAD_MUTEX_ERRORCHECK, PTHREAD_MUTEX_ROBUST)));
        assertEquals(0, join(start(arg -> pthread_mutex_lock(m))));
        assertEquals(EOWNERDEAD, pthread_mutex_lock(m));
        assertEquals(EDEADLK, pthread_mutex_lock(m), "the new owner, errorcheck");
        assertEquals(0, pthread_mutex_consistent(m));
        assertEquals(0, pthread_mutex_unlock(m));
        assertEquals(EPERM, pthread_mutex_unlock(m));
        assertEquals(0, munmap(map, SIZE));
    }

    /**
     * munmap refuses (EBUSY) a mapping that holds a robust process-shared mutex a thread of
     * this process holds, since that thread's robust list points into it, and unmaps it once
     * the mutex is unlocked; the list's node is where glibc's mutex keeps __list (the next
     * field at byte 32), linked while held and cleared at unlock.
     */
    @Test
    void unmapRefusedWhileRobustMutexHeld() {
        assumeTrue(onNative(), "sharing between processes is the native backend's");
        MemorySegment map = page();
        pthread_mutex_t m = pthread_mutex_t.at(map, 0);
        assertEquals(0, pthread_mutex_init(m, sharedAttr(PTHREAD_MUTEX_NORMAL, PTHREAD_MUTEX_ROBUST)));
        assertEquals(0L, map.get(ValueLayout.JAVA_LONG, 32), "not linked before the lock");
        assertEquals(0, pthread_mutex_lock(m));
        assertEquals(true, map.get(ValueLayout.JAVA_LONG, 32) != 0, "linked on the thread's robust list");
        assertEquals(-1, munmap(map, SIZE));
        assertEquals(EBUSY, errno());
        assertEquals(0, pthread_mutex_unlock(m));
        assertEquals(0L, map.get(ValueLayout.JAVA_LONG, 32), "unlinked");
        assertEquals(0, munmap(map, SIZE));
    }

    /**
     * Every handle of one address in a process is one mutex: a recursive lock taken through one
     * is released through another, and the owner's tid in the word is the kernel's.
     */
    @Test
    void handlesOfOneAddressAreOneObject() {
        assumeTrue(onNative(), "sharing between processes is the native backend's");
        MemorySegment map = page();
        pthread_mutex_t a = pthread_mutex_t.at(map, 64);
        assertEquals(0, pthread_mutex_init(a, sharedAttr(PTHREAD_MUTEX_RECURSIVE, PTHREAD_MUTEX_STALLED)));
        pthread_mutex_t b = pthread_mutex_t.at(map, 64);
        assertEquals(0, pthread_mutex_lock(a));
        assertEquals(0, pthread_mutex_lock(b));
        assertEquals(Pthreads.gettid(), map.get(ValueLayout.JAVA_INT, 64) & 0x3FFF_FFFF, "the owner is the kernel tid");
        assertEquals(0, pthread_mutex_unlock(b));
        assertEquals(0, pthread_mutex_unlock(a));
        assertEquals(EPERM, pthread_mutex_unlock(b));
        assertEquals(0, pthread_mutex_destroy(b));
        assertEquals(EINVAL, pthread_mutex_lock(pthread_mutex_t.at(map, 64)), "destroyed");
        assertEquals(0, munmap(map, SIZE));
    }

    /**
     * Objects placed in memory and initialized PTHREAD_PROCESS_PRIVATE work on every backend,
     * and memory that holds no initialized object gives EINVAL handles.
     */
    @Test
    void privateObjectsPlacedInMemory() {
        MemorySegment map = page();
        pthread_mutex_t m = pthread_mutex_t.at(map, 0);
        assertEquals(EINVAL, pthread_mutex_lock(m), "not initialized");
        assertEquals(0, pthread_mutex_init(m, null));
        pthread_cond_t c = pthread_cond_t.at(map, pthread_mutex_t.BYTES);
        assertEquals(0, pthread_cond_init(c, null));
        sem_t s = sem_t.at(map, 128);
        assertEquals(0, sem_init(s, 0, 0));
        pthread_t t = start(arg -> {
            pthread_mutex_lock(m);
            map.set(ValueLayout.JAVA_INT, 256, 1);
            pthread_cond_signal(c);
            pthread_mutex_unlock(m);
            return sem_post(s);
        });
        assertEquals(0, pthread_mutex_lock(m));
        while (map.get(ValueLayout.JAVA_INT, 256) == 0) {
            assertEquals(0, pthread_cond_timedwait(c, m, deadline()));
        }
        assertEquals(0, pthread_mutex_unlock(m));
        assertEquals(0, sem_timedwait(s, deadline()));
        assertEquals(0, join(t));
        assertThrows(IllegalArgumentException.class, () -> pthread_mutex_t.at(map, 4), "an address not a multiple of 8");
        assertThrows(IndexOutOfBoundsException.class, () -> pthread_mutex_t.at(map, SIZE - 8), "past the end");
        assertEquals(0, munmap(map, SIZE));
    }

    /**
     * A private condition used with a process-shared mutex: a broadcast wakes every waiter,
     * and each gets the mutex (the condition's futex may not requeue them onto the mutex's
     * word, whose unlock wakes through the shared futex). Native only: the other backends
     * have no process-shared mutex.
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 4, 8, 16})
    void privateConditionWithSharedMutex(int n) {
        assumeTrue(onNative(), "sharing between processes is the native backend's");
        MemorySegment map = page();
        pthread_mutex_t m = pthread_mutex_t.at(map, 0);
        assertEquals(0, pthread_mutex_init(m, sharedAttr(PTHREAD_MUTEX_NORMAL, PTHREAD_MUTEX_STALLED)));
        pthread_cond_t c = new pthread_cond_t();
        int[] waiting = {0}; // guarded by m
        boolean[] go = {false}; // guarded by m
        pthread_t[] t = new pthread_t[n];
        for (int i = 0; i < t.length; i++) {
            t[i] = start(arg -> {
                pthread_mutex_lock(m);
                waiting[0]++;
                while (!go[0]) {
                    pthread_cond_wait(c, m);
                }
                waiting[0]--;
                return pthread_mutex_unlock(m);
            });
        }
        await(() -> {
            pthread_mutex_lock(m);
            int w = waiting[0];
            pthread_mutex_unlock(m);
            return w == n;
        }, "every waiter waits");
        pause(50); // past any condition spin: the waiters sleep in the kernel, where a requeue moves them
        assertEquals(0, pthread_mutex_lock(m));
        go[0] = true;
        assertEquals(0, pthread_cond_broadcast(c));
        assertEquals(0, pthread_mutex_unlock(m));
        for (pthread_t x : t) {
            assertEquals(0, join(x));
        }
        assertEquals(0, munmap(map, SIZE));
    }

    /**
     * setpshared answers as glibc: 0 for both values on native, ENOTSUP for
     * PTHREAD_PROCESS_SHARED on the other backends, EINVAL for any other value; getpshared
     * gives back what was set; sem_init with a non-zero pshared is ENOTSUP there too.
     */
    @Test
    void psharedAttributes() {
        int shared = onNative() ? 0 : ENOTSUP;
        int[] out = {-1};
        pthread_mutexattr_t ma = new pthread_mutexattr_t();
        assertEquals(0, pthread_mutexattr_init(ma));
        assertEquals(0, pthread_mutexattr_getpshared(ma, out));
        assertEquals(PTHREAD_PROCESS_PRIVATE, out[0]);
        assertEquals(shared, pthread_mutexattr_setpshared(ma, PTHREAD_PROCESS_SHARED));
        assertEquals(EINVAL, pthread_mutexattr_setpshared(ma, 2));
        assertEquals(0, pthread_mutexattr_getpshared(ma, out));
        assertEquals(onNative() ? PTHREAD_PROCESS_SHARED : PTHREAD_PROCESS_PRIVATE, out[0]);
        pthread_condattr_t ca = new pthread_condattr_t();
        assertEquals(0, pthread_condattr_init(ca));
        assertEquals(shared, pthread_condattr_setpshared(ca, PTHREAD_PROCESS_SHARED));
        assertEquals(EINVAL, pthread_condattr_setpshared(ca, -1));
        assertEquals(0, pthread_condattr_setpshared(ca, PTHREAD_PROCESS_PRIVATE));
        assertEquals(0, pthread_condattr_getpshared(ca, out));
        assertEquals(PTHREAD_PROCESS_PRIVATE, out[0]);
        pthread_rwlockattr_t ra = new pthread_rwlockattr_t();
        assertEquals(0, pthread_rwlockattr_init(ra));
        assertEquals(shared, pthread_rwlockattr_setpshared(ra, PTHREAD_PROCESS_SHARED));
        assertEquals(EINVAL, pthread_rwlockattr_setpshared(ra, 7));
        pthread_barrierattr_t ba = new pthread_barrierattr_t();
        assertEquals(0, pthread_barrierattr_init(ba));
        assertEquals(shared, pthread_barrierattr_setpshared(ba, PTHREAD_PROCESS_SHARED));
        assertEquals(EINVAL, pthread_barrierattr_setpshared(ba, 7));
        assertEquals(EINVAL, pthread_barrierattr_getpshared(null, out));
        sem_t s = new sem_t();
        assertEquals(onNative() ? 0 : -1, sem_init(s, 1, 0));
        if (!onNative()) {
            assertEquals(ENOTSUP, errno());
        }
    }

    /**
     * Named semaphores: ENOENT without O_CREAT, EEXIST with O_CREAT|O_EXCL when the name is
     * taken, one semaphore behind two opens, ENOENT once unlinked, EINVAL for a bad name;
     * ENOTSUP on the backends that cannot share.
     */
    @Test
    void namedSemaphores() {
        String name = uniqueName("named");
        if (!onNative()) {
            assertSame(SEM_FAILED, sem_open(name, O_CREAT, 0600, 0));
            assertEquals(ENOTSUP, errno());
            return;
        }
        assertSame(SEM_FAILED, sem_open(name, 0));
        assertEquals(ENOENT, errno());
        sem_t a = sem_open(name, O_CREAT | O_EXCL, 0600, 1);
        assertNotSame(SEM_FAILED, a, "errno " + errno());
        assertSame(SEM_FAILED, sem_open(name, O_CREAT | O_EXCL, 0600, 0));
        assertEquals(EEXIST, errno());
        sem_t b = sem_open(name, O_CREAT, 0600, 5);
        assertNotSame(SEM_FAILED, b, "the existing one; value and mode unused");
        int[] v = {-1};
        assertEquals(0, sem_getvalue(b, v));
        assertEquals(1, v[0]);
        assertEquals(0, sem_wait(a));
        assertEquals(-1, sem_trywait(b));
        assertEquals(EAGAIN, errno());
        assertEquals(0, sem_post(b));
        assertEquals(0, sem_getvalue(a, v));
        assertEquals(1, v[0]);
        assertEquals(true, Files.exists(Path.of("/dev/shm/sem." + name.substring(1))), "glibc's file");
        assertEquals(0, sem_unlink(name));
        assertSame(SEM_FAILED, sem_open(name, 0));
        assertEquals(ENOENT, errno());
        assertEquals(0, sem_post(a), "an unlinked semaphore works for those that have it open");
        assertEquals(0, sem_close(a));
        assertEquals(-1, sem_close(a));
        assertEquals(EINVAL, errno());
        assertEquals(0, sem_close(b));
        assertEquals(-1, sem_unlink(name));
        assertEquals(ENOENT, errno());
        assertSame(SEM_FAILED, sem_open("/", O_CREAT, 0600, 0));
        assertEquals(EINVAL, errno());
        assertSame(SEM_FAILED, sem_open("/a/b", O_CREAT, 0600, 0));
        assertEquals(EINVAL, errno());
        assertEquals(-1, sem_close(new sem_t()));
        assertEquals(EINVAL, errno());
    }

    /**
     * mmap gives a segment Java cannot fault through: after munmap it throws, past the end of
     * the file it does not reach; MAP_FIXED and parts of a mapping are refused with EINVAL.
     */
    @Test
    void mappingsCannotFault() {
        String name = uniqueName("map");
        int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
        assertEquals(true, fd >= 0, "errno " + errno());
        assertEquals(0, ftruncate(fd, 100));
        MemorySegment map = mmap(null, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        assertNotSame(MAP_FAILED, map);
        assertEquals(100, map.byteSize(), "only what the file holds");
        MemorySegment fixed = mmap(map, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0);
        assertSame(MAP_FAILED, fixed);
        assertEquals(EINVAL, errno());
        MemorySegment readOnly = mmap(null, 100, PROT_READ, MAP_SHARED, fd, 0);
        assertEquals(true, readOnly.isReadOnly());
        map.set(ValueLayout.JAVA_INT, 0, 42);
        assertEquals(42, readOnly.get(ValueLayout.JAVA_INT, 0), "one object behind both mappings");
        assertEquals(-1, munmap(map, 1));
        assertEquals(EINVAL, errno());
        assertEquals(0, munmap(map, SIZE));
        assertThrows(IllegalStateException.class, () -> map.get(ValueLayout.JAVA_INT, 0));
        assertEquals(-1, munmap(map, SIZE));
        assertEquals(EINVAL, errno());
        assertEquals(0, munmap(readOnly, 100));
        assertEquals(0, close(fd));
        assertEquals(0, shm_unlink(name));
        assertEquals(-1, shm_unlink(name));
        assertEquals(ENOENT, errno());
        assertEquals(-1, shm_open(name, O_RDWR, 0));
        assertEquals(ENOENT, errno());
    }
}
