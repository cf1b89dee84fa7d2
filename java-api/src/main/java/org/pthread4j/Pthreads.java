package org.pthread4j;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Instant;
import org.pthread4j.spi.Errno;
import org.pthread4j.spi.Futex;
import org.pthread4j.spi.PiFutex;
import org.pthread4j.spi.Scheduling;
import org.pthread4j.spi.Tcb;
import org.pthread4j.sync.Barrier;
import org.pthread4j.sync.Cancellation;
import org.pthread4j.sync.CeilingMutex;
import org.pthread4j.sync.Cond;
import org.pthread4j.sync.Mutex;
import org.pthread4j.sync.PiMutex;
import org.pthread4j.sync.RwLock;
import org.pthread4j.sync.Semaphore;
import org.pthread4j.sync.SpinLock;

/**
 * The POSIX threads API, named and behaving as in C. Use it with
 * {@code import static org.pthread4j.Pthreads.*;}.
 *
 * <p>Every {@code pthread_*} function returns {@code 0} or an errno value with Linux's
 * numbers and never touches {@link #errno()}; {@code sem_*}, {@code nanosleep} and
 * {@code clock_gettime} return {@code -1} and set the calling thread's {@code errno()}, as in
 * C. POSIX errors are never thrown. A {@code null}, never-initialized or destroyed handle
 * gives {@code EINVAL} (for a {@code pthread_t} never filled by {@code pthread_create}:
 * {@code ESRCH}), as POSIX recommends; glibc's destroy of a condition, rwlock, spin lock or
 * semaphore changes nothing, so there the object goes on working and a second destroy
 * answers 0. A {@code null} {@code timespec} gives {@code EINVAL} in every timed call (glibc
 * takes NULL as "no deadline" in a lock and dereferences it in a condition or semaphore
 * wait). Out-parameters are one-element arrays; {@code null} where C allows NULL.
 * Absolute times are {@link timespec}s on {@code CLOCK_REALTIME} unless a condattr selects
 * {@code CLOCK_MONOTONIC}. No {@code pthread_*} function returns {@code EINTR}.
 *
 * <p>The backend is chosen once per JVM with
 * {@code -Dpthread4j.backend=native|virtual|green|gmp} (see {@link #backend()}); a
 * configuration that cannot start (an unknown backend or binding, green or gmp without
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED}, or {@code =org.pthread4j} when
 * pthread4j is on the module path) makes every call that needs the backend
 * throw an {@link IllegalStateException} whose message names the fix. On
 * {@code gmp}, preemption is cooperative: a pthread that has run longer than its 10 ms time
 * slice yields at its next call that a loop may spin on: every lock, trylock and unlock
 * (mutex, rwlock, spin lock), cond signal/broadcast, sem_post, sem_trywait, sem_getvalue,
 * getspecific/setspecific, testcancel, sched_yield, clock_gettime or gettid. So pthreads
 * that poll with trylock or sem_trywait cannot keep every processor from the owner they wait
 * for.
 */
public final class Pthreads {

    private Pthreads() {}

    // ---- errno values (Linux) -----------------------------------------------------------

    /** errno EPERM: Operation not permitted. */
    public static final int EPERM = Errno.EPERM;
    /** errno ENOENT: No such file or directory. */
    public static final int ENOENT = Errno.ENOENT;
    /** errno ESRCH: No such process. */
    public static final int ESRCH = Errno.ESRCH;
    /** errno EINTR: Interrupted system call. */
    public static final int EINTR = Errno.EINTR;
    /** errno EIO: Input/output error. */
    public static final int EIO = Errno.EIO;
    /** errno EBADF: Bad file descriptor. */
    public static final int EBADF = Errno.EBADF;
    /** errno EAGAIN: Resource temporarily unavailable. */
    public static final int EAGAIN = Errno.EAGAIN;
    /** errno ENOMEM: Cannot allocate memory. */
    public static final int ENOMEM = Errno.ENOMEM;
    /** errno EACCES: Permission denied. */
    public static final int EACCES = Errno.EACCES;
    /** errno EFAULT: Bad address. */
    public static final int EFAULT = Errno.EFAULT;
    /** errno EBUSY: Device or resource busy. */
    public static final int EBUSY = Errno.EBUSY;
    /** errno EEXIST: File exists. */
    public static final int EEXIST = Errno.EEXIST;
    /** errno EINVAL: Invalid argument. */
    public static final int EINVAL = Errno.EINVAL;
    /** errno ERANGE: Numerical result out of range. */
    public static final int ERANGE = Errno.ERANGE;
    /** errno EDEADLK: Resource deadlock avoided. */
    public static final int EDEADLK = Errno.EDEADLK;
    /** errno ENAMETOOLONG: File name too long. */
    public static final int ENAMETOOLONG = Errno.ENAMETOOLONG;
    /** errno ENOSYS: Function not implemented. */
    public static final int ENOSYS = Errno.ENOSYS;
    /** errno ENOTSUP: Operation not supported. */
    public static final int ENOTSUP = Errno.ENOTSUP;
    /** errno EOVERFLOW: Value too large for defined data type. */
    public static final int EOVERFLOW = Errno.EOVERFLOW;
    /** errno ETIMEDOUT: Connection timed out. */
    public static final int ETIMEDOUT = Errno.ETIMEDOUT;
    /** errno ECANCELED: Operation canceled. */
    public static final int ECANCELED = Errno.ECANCELED;
    /** errno EOWNERDEAD: Owner died. */
    public static final int EOWNERDEAD = Errno.EOWNERDEAD;
    /** errno ENOTRECOVERABLE: State not recoverable. */
    public static final int ENOTRECOVERABLE = Errno.ENOTRECOVERABLE;

    // ---- constants (glibc's values) -----------------------------------------------------

    /** Detach state: the thread is joinable (the default). */
    public static final int PTHREAD_CREATE_JOINABLE = 0;
    /** Detach state: the thread is detached from its start. */
    public static final int PTHREAD_CREATE_DETACHED = 1;
    /** Mutex type: no error checks; relocking by the owner deadlocks. */
    public static final int PTHREAD_MUTEX_NORMAL = Mutex.NORMAL;
    /** Mutex type: the owner may relock; each lock needs its unlock. */
    public static final int PTHREAD_MUTEX_RECURSIVE = Mutex.RECURSIVE;
    /** Mutex type: relock and unlock by a non-owner answer EDEADLK and EPERM. */
    public static final int PTHREAD_MUTEX_ERRORCHECK = Mutex.ERRORCHECK;
    /** Mutex type of a default mutex: {@link #PTHREAD_MUTEX_NORMAL}, as in glibc. */
    public static final int PTHREAD_MUTEX_DEFAULT = Mutex.NORMAL;
    /** Mutex robustness: a mutex whose owner ended stays locked (the default). */
    public static final int PTHREAD_MUTEX_STALLED = 0;
    /** Mutex robustness: the next locker of a mutex whose owner ended gets EOWNERDEAD. */
    public static final int PTHREAD_MUTEX_ROBUST = 1;
    /** Cancelability state: a cancellation request is acted on (the default). */
    public static final int PTHREAD_CANCEL_ENABLE = Tcb.CANCEL_ENABLE;
    /** Cancelability state: a cancellation request stays pending. */
    public static final int PTHREAD_CANCEL_DISABLE = Tcb.CANCEL_DISABLE;
    /** Cancelability type: cancellation acts at cancellation points (the default). */
    public static final int PTHREAD_CANCEL_DEFERRED = Tcb.CANCEL_DEFERRED;
    /**
     * Cancelability type: cancellation acts at the thread's next call into the library (see {@link
     * #pthread_setcanceltype}).
     */
    public static final int PTHREAD_CANCEL_ASYNCHRONOUS = Tcb.CANCEL_ASYNCHRONOUS;
    /** The exit value that {@code pthread_join} yields for a cancelled thread. */
    public static final Object PTHREAD_CANCELED = Threads.CANCELED;
    /** What {@code pthread_barrier_wait} returns to one thread of each round. */
    public static final int PTHREAD_BARRIER_SERIAL_THREAD = Barrier.SERIAL_THREAD;
    /** The number of thread-specific data keys that may exist at once. */
    public static final int PTHREAD_KEYS_MAX = Keys.KEYS_MAX;
    /** The rounds of key destructors run at a thread's exit. */
    public static final int PTHREAD_DESTRUCTOR_ITERATIONS = Keys.DESTRUCTOR_ITERATIONS;
    /** Process-shared attribute: shared by the threads of this process only. */
    public static final int PTHREAD_PROCESS_PRIVATE = 0;
    /**
     * Process-shared attribute: shared between processes, for an object placed in memory they
     * map ({@code at}) on the {@code native} backend; the other backends answer ENOTSUP.
     */
    public static final int PTHREAD_PROCESS_SHARED = 1;
    /** glibc's minimum stack size on x86_64 (16 KiB); {@link #pthread_stack_min()} asks the platform. */
    public static final long PTHREAD_STACK_MIN = 16384;
    /** The largest value of a semaphore. */
    public static final int SEM_VALUE_MAX = Semaphore.VALUE_MAX;
    /** The wall clock: time since the epoch, set by the administrator. */
    public static final int CLOCK_REALTIME = 0;
    /** The clock that never jumps: time since boot. */
    public static final int CLOCK_MONOTONIC = 1;
    /** The longest thread name, without the terminating NUL. */
    public static final int TASK_COMM_LEN = 16;
    /** The default time-sharing policy (priority 0). */
    public static final int SCHED_OTHER = Scheduling.SCHED_OTHER;
    /** The real-time first-in first-out policy (priorities 1 to 99). */
    public static final int SCHED_FIFO = Scheduling.SCHED_FIFO;
    /** The real-time round-robin policy (priorities 1 to 99). */
    public static final int SCHED_RR = Scheduling.SCHED_RR;
    /** The time-sharing policy for batch work (priority 0). */
    public static final int SCHED_BATCH = Scheduling.SCHED_BATCH;
    /** The policy of the lowest importance (priority 0). */
    public static final int SCHED_IDLE = Scheduling.SCHED_IDLE;
    /** A new thread takes its creator's policy and priority (the default). */
    public static final int PTHREAD_INHERIT_SCHED = 0;
    /** A new thread takes the policy and priority of its attributes. */
    public static final int PTHREAD_EXPLICIT_SCHED = 1;
    /** Contention with every thread of the system, the only scope supported. */
    public static final int PTHREAD_SCOPE_SYSTEM = 0;
    /** Contention with the threads of the process only: not supported (ENOTSUP). */
    public static final int PTHREAD_SCOPE_PROCESS = 1;
    /** The number of CPUs a {@link cpu_set_t} can hold: 1024. */
    public static final int CPU_SETSIZE = Scheduling.CPU_SETSIZE;
    /** Mutex protocol: locking does not change the owner's priority (the default). */
    public static final int PTHREAD_PRIO_NONE = 0;
    /** Mutex protocol: the owner runs at the priority of its highest waiter. */
    public static final int PTHREAD_PRIO_INHERIT = 1;
    /** Mutex protocol: the owner runs at least at the mutex's priority ceiling. */
    public static final int PTHREAD_PRIO_PROTECT = 2;

    // ---- the backend ----------------------------------------------------------------------

    /**
     * The backend of this JVM, from {@code -Dpthread4j.backend} (default {@code native}).
     *
     * @return the backend of this JVM
     * @throws IllegalStateException when the property names no backend
     */
    public static Backend backend() {
        return Backends.selected();
    }

    /**
     * The platform's minimum stack size (glibc's {@code PTHREAD_STACK_MIN}).
     *
     * @return the minimum stack size in bytes
     */
    public static long pthread_stack_min() {
        return Backends.model().stackMin();
    }

    // ---- errno ----------------------------------------------------------------------------

    /**
     * The calling thread's errno, as set by the last failing {@code sem_*} or system call.
     *
     * @return the calling thread's errno
     */
    public static int errno() {
        return Tcb.current().errno();
    }

    /**
     * Sets the calling thread's errno.
     *
     * @param value the new errno
     */
    public static void errno(int value) {
        Tcb.current().errno(value);
    }

    /**
     * glibc's message for an errno value.
     *
     * @param errnum an errno value
     * @return the message, as glibc's strerror gives it
     */
    public static String strerror(int errnum) {
        return Errno.message(errnum);
    }

    private static int fail(int errnum) {
        Tcb.current().errno(errnum);
        return -1;
    }

    // ---- threads --------------------------------------------------------------------------

    /**
     * Starts a thread that runs {@code start.run(arg)}; stores its handle in {@code thread}.
     *
     * With {@code PTHREAD_EXPLICIT_SCHED} in {@code attr}, the thread has the attribute's
     * policy and priority before it runs {@code start}, or is not created (see
     * {@link #pthread_setschedparam} for what each model allows).
     *
     * @param thread receives the new thread's handle
     * @param attr the attributes, or null for the defaults
     * @param start the thread's body
     * @param arg passed to {@code start}
     * @return 0; EAGAIN (no resources for another thread); EINVAL ({@code thread} or
     *         {@code start} null, {@code attr} not initialized, an explicit priority outside
     *         its policy's range); EPERM (no privilege for the explicit policy)
     */
    public static int pthread_create(pthread_t thread, pthread_attr_t attr, StartRoutine start, Object arg) {
        return Threads.create(thread, attr, start, arg);
    }

    /**
     * Waits for {@code thread} to end; stores its exit value in {@code retval[0]} (may be
     * null). A cancellation point.
     *
     * @param thread the thread
     * @param retval receives the thread's exit value in {@code retval[0]} (PTHREAD_CANCELED if it
     *     was cancelled); may be null
     * @return 0; EDEADLK (the caller itself); EINVAL (detached, not joinable, or another
     *         thread is already joining it; {@code thread} null); ESRCH (already joined, or
     *         never created)
     */
    public static int pthread_join(pthread_t thread, Object[] retval) {
        return Threads.join(thread, retval);
    }

    /**
     * Joins {@code thread} if it has ended, without waiting.
     *
     * @param thread the thread
     * @param retval receives the thread's exit value in {@code retval[0]} (may be null)
     * @return 0; EBUSY (still running: glibc's first check, so also for the caller itself
     *         and for a detached thread that runs); otherwise as {@link #pthread_join}
     */
    public static int pthread_tryjoin_np(pthread_t thread, Object[] retval) {
        return Threads.tryjoin(thread, retval);
    }

    /**
     * {@link #pthread_join} until the absolute CLOCK_REALTIME time {@code abstime}; on
     * ETIMEDOUT the thread stays joinable. A cancellation point.
     *
     * @param thread the thread
     * @param retval receives the thread's exit value in {@code retval[0]} (may be null)
     * @param abstime the absolute CLOCK_REALTIME time at which to give up
     * @return as pthread_join, and ETIMEDOUT; EINVAL ({@code tv_nsec} outside [0, 1e9) when
     *         the call would wait (glibc 2.36 then waits without a deadline); null abstime)
     */
    public static int pthread_timedjoin_np(pthread_t thread, Object[] retval, timespec abstime) {
        return pthread_clockjoin_np(thread, retval, CLOCK_REALTIME, abstime);
    }

    /**
     * {@link #pthread_timedjoin_np} on {@code clockid}.
     *
     * @param thread the thread
     * @param retval receives the thread's exit value in {@code retval[0]} (may be null)
     * @param clockid {@code CLOCK_REALTIME} or {@code CLOCK_MONOTONIC}, the clock of
     *         {@code abstime}
     * @param abstime the absolute time at which to give up
     * @return as pthread_timedjoin_np; EINVAL (neither CLOCK_REALTIME nor CLOCK_MONOTONIC,
     *         checked first, as in glibc)
     */
    public static int pthread_clockjoin_np(pthread_t thread, Object[] retval, int clockid, timespec abstime) {
        if (!validClock(clockid) || abstime == null) {
            return EINVAL;
        }
        return Threads.join(thread, retval, clockid, abstime.tv_sec, abstime.tv_nsec);
    }

    /**
     * Marks {@code thread} detached: its resources go back when it ends.
     *
     * @param thread the thread
     * @return 0; EINVAL (already detached, not joinable, null); ESRCH (already joined)
     */
    public static int pthread_detach(pthread_t thread) {
        return Threads.detach(thread);
    }

    /**
     * Ends the calling thread with exit value {@code value}: unwinds it, runs its cleanup
     * handlers and key destructors; {@code pthread_join} then yields {@code value}. Does not
     * return. (Implemented by throwing an {@link Error} that the thread's start catches: do not
     * catch {@code Throwable} around it.)
     *
     * @param value the thread's exit value, which {@code pthread_join} receives
     */
    public static void pthread_exit(Object value) {
        Threads.exit(value);
    }

    /**
     * The calling thread's handle; any Java thread has one.
     *
     * @return the calling thread's handle
     */
    public static pthread_t pthread_self() {
        return Threads.self();
    }

    /**
     * Whether two handles name the same thread.
     *
     * @param t1 a thread handle
     * @param t2 another thread handle
     * @return whether they name the same thread
     */
    public static boolean pthread_equal(pthread_t t1, pthread_t t2) {
        return t1 != null && t2 != null && t1.tcb != null && t1.tcb == t2.tcb;
    }

    /**
     * Runs {@code routine} once for {@code once}, whatever the number of racing callers; the
     * others return after it has run.
     *
     * @param once the once control
     * @param routine the initialization routine
     * @return 0; EINVAL (null)
     */
    public static int pthread_once(pthread_once_t once, Runnable routine) {
        if (once == null || routine == null) {
            return EINVAL;
        }
        return once.impl.run(Backends.futex(), routine);
    }

    /**
     * The kernel thread id of the caller (on M:N models, of its current carrier).
     *
     * @return the kernel thread id
     */
    public static int gettid() {
        Backends.model().preemptPoint();
        return Backends.model().gettid();
    }

    /**
     * Names a thread (at most 15 bytes). A thread that has ended but is not joined yet can
     * still be named: 0, and {@code pthread_getname_np} returns the name. (glibc answers
     * ENOENT there, its kernel thread being gone, and may do so for a thread that ends during
     * the call; pthread4j never does: on {@code native} the kernel thread stays until the calls
     * on it are done.)
     *
     * @param thread the thread
     * @param name the new name, at most 15 bytes
     * @return 0; ERANGE (too long); EINVAL (null); ESRCH (never created, or joined)
     */
    public static int pthread_setname_np(pthread_t thread, String name) {
        if (thread == null || name == null) {
            return EINVAL;
        }
        Tcb t = thread.tcb;
        if (t == null) {
            return ESRCH;
        }
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= TASK_COMM_LEN) {
            return ERANGE;
        }
        int state = t.state();
        if ((state & Tcb.STATE_MASK) == Tcb.JOINED) {
            return ESRCH;
        }
        int r = 0;
        // An ended thread's kernel thread may be gone already: then only the name is kept.
        if (t == Tcb.current() || (t.handle() != 0 && (state & Tcb.ENDED) == 0)) {
            r = Backends.model().setName(t, name);
        }
        if (r == 0) {
            t.name(name);
        }
        return r;
    }

    /**
     * Stores a thread's name in {@code name[0]}; for a thread that has ended but is not joined
     * yet, the last name it had (glibc answers ENOENT there: it reads the name of the kernel
     * thread, which is gone).
     *
     * @param thread the thread
     * @param name receives the name in {@code name[0]}
     * @param len the size of C's buffer, counting the terminating NUL
     * @return 0; ERANGE ({@code len} smaller than the name plus NUL); EINVAL (null);
     *         ESRCH (never created, or joined)
     */
    public static int pthread_getname_np(pthread_t thread, String[] name, int len) {
        if (thread == null || name == null || name.length == 0) {
            return EINVAL;
        }
        Tcb t = thread.tcb;
        if (t == null || (t.state() & Tcb.STATE_MASK) == Tcb.JOINED) {
            return ESRCH;
        }
        String n = t.name() != null ? t.name() : (t.thread != null ? t.thread.getName() : "");
        byte[] bytes = n.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (bytes.length >= TASK_COMM_LEN) {
            n = new String(bytes, 0, TASK_COMM_LEN - 1, java.nio.charset.StandardCharsets.UTF_8);
            bytes = n.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        if (len <= bytes.length) {
            return ERANGE;
        }
        name[0] = n;
        return 0;
    }

    // ---- thread attributes ----------------------------------------------------------------

    /**
     * Initializes thread attributes to the defaults: joinable, default stack and guard sizes.
     *
     * @param attr the attributes object
     * @return 0; EINVAL (null)
     */
    public static int pthread_attr_init(pthread_attr_t attr) {
        if (attr == null) {
            return EINVAL;
        }
        attr.initialized = true;
        attr.detachstate = PTHREAD_CREATE_JOINABLE;
        attr.stacksize = 0;
        attr.guardsize = -1;
        attr.inheritsched = PTHREAD_INHERIT_SCHED;
        attr.schedpolicy = SCHED_OTHER;
        attr.schedpriority = 0;
        attr.stack = null;
        return 0;
    }

    /**
     * Destroys thread attributes; {@code pthread_attr_init} may initialize them again.
     *
     * @param attr the attributes object
     * @return 0; EINVAL (null or not initialized)
     */
    public static int pthread_attr_destroy(pthread_attr_t attr) {
        if (attr == null || !attr.initialized) {
            return EINVAL;
        }
        attr.initialized = false;
        return 0;
    }

    /**
     * Sets whether threads created with these attributes start detached.
     *
     * @param attr the attributes object
     * @param detachstate {@code PTHREAD_CREATE_JOINABLE} or {@code PTHREAD_CREATE_DETACHED}
     * @return 0; EINVAL (null, not initialized, or not a PTHREAD_CREATE_* value)
     */
    public static int pthread_attr_setdetachstate(pthread_attr_t attr, int detachstate) {
        if (attr == null || !attr.initialized
                || (detachstate != PTHREAD_CREATE_JOINABLE && detachstate != PTHREAD_CREATE_DETACHED)) {
            return EINVAL;
        }
        attr.detachstate = detachstate;
        return 0;
    }

    /**
     * Reads the detach state.
     *
     * @param attr the attributes object
     * @param detachstate receives the detach state in {@code detachstate[0]}
     * @return 0; EINVAL
     */
    public static int pthread_attr_getdetachstate(pthread_attr_t attr, int[] detachstate) {
        if (attr == null || !attr.initialized || detachstate == null || detachstate.length == 0) {
            return EINVAL;
        }
        detachstate[0] = attr.detachstate;
        return 0;
    }

    /**
     * Sets the stack size of threads created with {@code attr}. On {@code native} the C
     * layer gives a thread that runs Java at least 256 KiB (room for the JVM's guard zones);
     * the M:N models accept the size and ignore it (a virtual thread's stack grows on the heap).
     * Every stack size goes with every guard size: a pthread that overflows its stack ends
     * with a {@code StackOverflowError}, which its join yields unless the start routine
     * catches it, whatever stacks earlier pthreads had (on {@code native} glibc may hand a new
     * pthread the cached stack of an ended one).
     *
     * @param attr the attributes object
     * @param stacksize the stack size in bytes, at least {@link #pthread_stack_min()}
     * @return 0; EINVAL (below PTHREAD_STACK_MIN, null, not initialized)
     */
    public static int pthread_attr_setstacksize(pthread_attr_t attr, long stacksize) {
        if (attr == null || !attr.initialized || stacksize < pthread_stack_min()) {
            return EINVAL;
        }
        attr.stacksize = stacksize;
        return 0;
    }

    /**
     * Stores the stack size; 8 MiB (glibc's default here) when never set.
     *
     * @param attr the attributes object
     * @param stacksize receives the stack size in {@code stacksize[0]}
     * @return 0; EINVAL
     */
    public static int pthread_attr_getstacksize(pthread_attr_t attr, long[] stacksize) {
        if (attr == null || !attr.initialized || stacksize == null || stacksize.length == 0) {
            return EINVAL;
        }
        stacksize[0] = attr.stacksize == 0 ? 8L << 20 : attr.stacksize;
        return 0;
    }

    /**
     * Sets the size of the inaccessible guard area below the stack of threads created with
     * {@code attr}. On {@code native} every pthread runs Java and is guarded by the JVM's own
     * zones at the low end of its stack, which turn an overflow into a
     * {@code StackOverflowError}, with any guard size and stack size (see
     * {@link #pthread_attr_setstacksize}); the guard size adds glibc's guard below them,
     * rounded up to whole pages. With the default, as with 0, there is none, as for the
     * JVM's own threads. The M:N models accept the size and ignore it.
     *
     * @param attr the attributes object
     * @param guardsize the guard size in bytes
     * @return 0; EINVAL (negative, null, not initialized)
     */
    public static int pthread_attr_setguardsize(pthread_attr_t attr, long guardsize) {
        if (attr == null || !attr.initialized || guardsize < 0) {
            return EINVAL;
        }
        attr.guardsize = guardsize;
        return 0;
    }

    /**
     * Stores the guard size; one page (glibc's default) when never set, though on
     * {@code native} such a pthread relies on the JVM's guard zones alone (see
     * {@link #pthread_attr_setguardsize}).
     *
     * @param attr the attributes object
     * @param guardsize receives the guard size in {@code guardsize[0]}
     * @return 0; EINVAL
     */
    public static int pthread_attr_getguardsize(pthread_attr_t attr, long[] guardsize) {
        if (attr == null || !attr.initialized || guardsize == null || guardsize.length == 0) {
            return EINVAL;
        }
        guardsize[0] = attr.guardsize < 0 ? 4096 : attr.guardsize;
        return 0;
    }

    /**
     * Gives threads created with {@code attr} the stack {@code stackaddr}, of
     * {@code stacksize} bytes. The segment and size are stored and given back by
     * {@link #pthread_attr_getstack} and {@link #pthread_getattr_np}, and the size is the
     * created thread's stack size, but no model runs a pthread on the segment's memory:
     * on {@code native} a thread that runs Java gets guard zones from the JVM at the low end
     * of its stack, which the JVM maps over with fresh inaccessible pages when the thread
     * ends, so memory that the segment's owner may free or reuse cannot be a pthread's stack
     * (glibc allocates a stack of that size instead); on the M:N and M:1 models a stack lives
     * on the heap and grows as needed. Java code cannot take the address of a local, so
     * nothing but the memory used tells the difference.
     *
     * @param attr the attributes object
     * @param stackaddr the stack memory
     * @param stacksize its size in bytes, at least PTHREAD_STACK_MIN
     * @return 0; EINVAL ({@code stacksize} below PTHREAD_STACK_MIN, as glibc; a segment
     *         smaller than {@code stacksize}; null, not initialized)
     */
    public static int pthread_attr_setstack(pthread_attr_t attr, MemorySegment stackaddr, long stacksize) {
        if (attr == null || !attr.initialized || stackaddr == null || stacksize < pthread_stack_min()
                || stackaddr.byteSize() < stacksize) {
            return EINVAL;
        }
        attr.stack = stackaddr;
        attr.stacksize = stacksize;
        return 0;
    }

    /**
     * Stores the stack set by {@link #pthread_attr_setstack} in {@code stackaddr[0]} (null
     * when none was set, where glibc gives NULL) and its size in {@code stacksize[0]}.
     *
     * @param attr the attributes object
     * @param stackaddr receives the stack in {@code stackaddr[0]}
     * @param stacksize receives its size in {@code stacksize[0]}
     * @return 0; EINVAL (null, not initialized)
     */
    public static int pthread_attr_getstack(pthread_attr_t attr, MemorySegment[] stackaddr, long[] stacksize) {
        if (attr == null || !attr.initialized || stackaddr == null || stackaddr.length == 0
                || stacksize == null || stacksize.length == 0) {
            return EINVAL;
        }
        stackaddr[0] = attr.stack;
        stacksize[0] = attr.stacksize == 0 ? 8L << 20 : attr.stacksize;
        return 0;
    }

    /**
     * The obsolete form of {@link #pthread_attr_setstack} (removed in POSIX.1-2008): the
     * stack is {@code stackaddr}, its size the attribute's stack size. Stored, as there.
     *
     * @param attr the attributes object
     * @param stackaddr the stack memory
     * @return 0; EINVAL (null, not initialized)
     */
    public static int pthread_attr_setstackaddr(pthread_attr_t attr, MemorySegment stackaddr) {
        if (attr == null || !attr.initialized || stackaddr == null) {
            return EINVAL;
        }
        attr.stack = stackaddr;
        return 0;
    }

    /**
     * Stores the stack of {@link #pthread_attr_setstackaddr} in {@code stackaddr[0]}, null when
     * none.
     *
     * @param attr the attributes object
     * @param stackaddr receives the stack in {@code stackaddr[0]}
     * @return 0; EINVAL
     */
    public static int pthread_attr_getstackaddr(pthread_attr_t attr, MemorySegment[] stackaddr) {
        if (attr == null || !attr.initialized || stackaddr == null || stackaddr.length == 0) {
            return EINVAL;
        }
        stackaddr[0] = attr.stack;
        return 0;
    }

    /**
     * Initializes {@code attr} with the attributes of {@code thread} (destroy it after use): its
     * detach state now, its current policy and priority ({@link #pthread_getschedparam}), and
     * the stack, guard size and inherit-scheduler setting it was created with (the defaults
     * for a thread pthread_create did not start).
     *
     * @param thread the thread
     * @param attr an attributes object, not initialized: this call initializes it
     * @return 0; EINVAL (null); ESRCH (joined, never created, or, on {@code native}, a
     *         thread whose body has ended: its policy cannot be read)
     */
    public static int pthread_getattr_np(pthread_t thread, pthread_attr_t attr) {
        Tcb t = liveThread(thread);
        if (t == null || attr == null) {
            return t == null ? threadError(thread) : EINVAL;
        }
        int[] sched = new int[2];
        int r = Backends.model().getSched(t, sched);
        if (r != 0) {
            return r;
        }
        pthread_attr_init(attr);
        if (t.attributes() instanceof pthread_attr_t created) {
            attr.stacksize = created.stacksize;
            attr.guardsize = created.guardsize;
            attr.stack = created.stack;
            attr.inheritsched = created.inheritsched;
        }
        attr.detachstate = (t.state() & Tcb.STATE_MASK) == Tcb.DETACHED ? PTHREAD_CREATE_DETACHED : PTHREAD_CREATE_JOINABLE;
        attr.schedpolicy = sched[0];
        attr.schedpriority = sched[1];
        return 0;
    }

    // ---- scheduling and affinity -----------------------------------------------------------
    //
    // native: the kernel's, on the pthread's own kernel thread (sched_setscheduler,
    // sched_setaffinity on its tid), with the kernel's answers: EPERM without the privilege
    // for a real-time policy (CAP_SYS_NICE or RLIMIT_RTPRIO), as C. virtual, green, gmp: the
    // model's scheduler runs every pthread alike on carriers whose kernel scheduling it never
    // changes, so SCHED_OTHER, SCHED_BATCH and SCHED_IDLE (priority 0) are stored and given
    // back with no effect, SCHED_FIFO and SCHED_RR are EPERM (no pthread of the model has
    // the privilege for them), and a CPU mask is checked as the kernel checks one, stored and
    // given back, but binds nothing: the carrier that runs the pthread decides its CPU.

    /**
     * Sets whether threads created with {@code attr} inherit the creator's policy and
     * priority ({@code PTHREAD_INHERIT_SCHED}, the default) or take the attribute's
     * ({@code PTHREAD_EXPLICIT_SCHED}: {@code pthread_create} answers EPERM where the policy
     * is not allowed, see above).
     *
     * @param attr the attributes object
     * @param inheritsched {@code PTHREAD_INHERIT_SCHED} or {@code PTHREAD_EXPLICIT_SCHED}
     * @return 0; EINVAL (neither value, null, not initialized)
     */
    public static int pthread_attr_setinheritsched(pthread_attr_t attr, int inheritsched) {
        if (attr == null || !attr.initialized
                || (inheritsched != PTHREAD_INHERIT_SCHED && inheritsched != PTHREAD_EXPLICIT_SCHED)) {
            return EINVAL;
        }
        attr.inheritsched = inheritsched;
        return 0;
    }

    /**
     * Stores the inherit-scheduler setting of {@code attr}.
     *
     * @param attr the attributes object
     * @param inheritsched receives the setting in {@code inheritsched[0]}
     * @return 0; EINVAL
     */
    public static int pthread_attr_getinheritsched(pthread_attr_t attr, int[] inheritsched) {
        if (attr == null || !attr.initialized || inheritsched == null || inheritsched.length == 0) {
            return EINVAL;
        }
        inheritsched[0] = attr.inheritsched;
        return 0;
    }

    /**
     * Sets the policy that {@code PTHREAD_EXPLICIT_SCHED} gives threads created with
     * {@code attr}; stored on every backend (what the model does with it: see above).
     *
     * @param attr the attributes object
     * @param policy {@code SCHED_OTHER}, {@code SCHED_FIFO} or {@code SCHED_RR}
     * @return 0; EINVAL (not SCHED_OTHER, SCHED_FIFO or SCHED_RR, as glibc; null, not initialized)
     */
    public static int pthread_attr_setschedpolicy(pthread_attr_t attr, int policy) {
        if (attr == null || !attr.initialized || (policy != SCHED_OTHER && policy != SCHED_FIFO && policy != SCHED_RR)) {
            return EINVAL;
        }
        attr.schedpolicy = policy;
        return 0;
    }

    /**
     * Stores the scheduling policy of {@code attr}.
     *
     * @param attr the attributes object
     * @param policy receives the policy in {@code policy[0]}
     * @return 0; EINVAL
     */
    public static int pthread_attr_getschedpolicy(pthread_attr_t attr, int[] policy) {
        if (attr == null || !attr.initialized || policy == null || policy.length == 0) {
            return EINVAL;
        }
        policy[0] = attr.schedpolicy;
        return 0;
    }

    /**
     * Sets the priority that {@code PTHREAD_EXPLICIT_SCHED} gives threads created with
     * {@code attr}; stored on every backend.
     *
     * @param attr the attributes object
     * @param param the priority
     * @return 0; EINVAL (outside the range of the attribute's policy, as glibc checks it;
     *         null, not initialized)
     */
    public static int pthread_attr_setschedparam(pthread_attr_t attr, sched_param param) {
        if (attr == null || !attr.initialized || param == null
                || !Scheduling.valid(attr.schedpolicy, param.sched_priority)) {
            return EINVAL;
        }
        attr.schedpriority = param.sched_priority;
        return 0;
    }

    /**
     * Stores the scheduling priority of {@code attr}.
     *
     * @param attr the attributes object
     * @param param receives the priority
     * @return 0; EINVAL
     */
    public static int pthread_attr_getschedparam(pthread_attr_t attr, sched_param param) {
        if (attr == null || !attr.initialized || param == null) {
            return EINVAL;
        }
        param.sched_priority = attr.schedpriority;
        return 0;
    }

    /**
     * Sets the contention scope. Every pthread competes for the processor with the whole
     * system's threads (on the M:N and M:1 models, through the kernel threads of its
     * carriers), so only {@code PTHREAD_SCOPE_SYSTEM} is supported, as on Linux.
     *
     * @param attr the attributes object
     * @param scope {@code PTHREAD_SCOPE_SYSTEM} or {@code PTHREAD_SCOPE_PROCESS}
     * @return 0; ENOTSUP (PTHREAD_SCOPE_PROCESS); EINVAL (neither, null, not initialized)
     */
    public static int pthread_attr_setscope(pthread_attr_t attr, int scope) {
        if (attr == null || !attr.initialized || (scope != PTHREAD_SCOPE_SYSTEM && scope != PTHREAD_SCOPE_PROCESS)) {
            return EINVAL;
        }
        return scope == PTHREAD_SCOPE_SYSTEM ? 0 : ENOTSUP;
    }

    /**
     * Stores PTHREAD_SCOPE_SYSTEM, the only scope.
     *
     * @param attr the attributes object
     * @param scope receives the scope in {@code scope[0]}
     * @return 0; EINVAL
     */
    public static int pthread_attr_getscope(pthread_attr_t attr, int[] scope) {
        if (attr == null || !attr.initialized || scope == null || scope.length == 0) {
            return EINVAL;
        }
        scope[0] = PTHREAD_SCOPE_SYSTEM;
        return 0;
    }

    /** The live control block of {@code thread}, or null: then {@link #threadError} says why. */
    private static Tcb liveThread(pthread_t thread) {
        Tcb t = thread == null ? null : thread.tcb;
        return t == null || (t.state() & Tcb.STATE_MASK) == Tcb.JOINED ? null : t;
    }

    /** EINVAL for a null handle, ESRCH for one that names no live thread. */
    private static int threadError(pthread_t thread) {
        return thread == null ? EINVAL : ESRCH;
    }

    /**
     * Sets the policy and priority of {@code thread} (see the section comment: the kernel's on
     * {@code native}; on the other models SCHED_OTHER, SCHED_BATCH, SCHED_IDLE stored, the
     * real-time policies EPERM).
     *
     * @param thread the thread
     * @param policy {@code SCHED_OTHER}, {@code SCHED_BATCH}, {@code SCHED_IDLE},
     *         {@code SCHED_FIFO} or {@code SCHED_RR}
     * @param param the priority within the policy
     * @return 0; EINVAL (unknown policy, priority outside its range ({@link #sched_get_priority_min}),
     *         null); EPERM (no privilege for the policy); ESRCH (joined, ended on
     *         {@code native}, never created)
     */
    public static int pthread_setschedparam(pthread_t thread, int policy, sched_param param) {
        Tcb t = liveThread(thread);
        if (t == null || param == null) {
            return t == null ? threadError(thread) : EINVAL;
        }
        return Backends.model().setSched(t, policy, param.sched_priority);
    }

    /**
     * Stores the policy of {@code thread} in {@code policy[0]} and its priority in {@code param}.
     *
     * @param thread the thread
     * @param policy receives the policy in {@code policy[0]}
     * @param param receives the priority
     * @return 0; EINVAL (null); ESRCH (as {@link #pthread_setschedparam})
     */
    public static int pthread_getschedparam(pthread_t thread, int[] policy, sched_param param) {
        Tcb t = liveThread(thread);
        if (t == null || policy == null || policy.length == 0 || param == null) {
            return t == null ? threadError(thread) : EINVAL;
        }
        int[] pp = new int[2];
        int r = Backends.model().getSched(t, pp);
        if (r == 0) {
            policy[0] = pp[0];
            param.sched_priority = pp[1];
        }
        return r;
    }

    /**
     * Sets the priority of {@code thread} within its policy.
     *
     * @param thread the thread
     * @param prio the priority within the thread's policy
     * @return 0; EINVAL (outside the policy's range: any but 0 under SCHED_OTHER); EPERM; ESRCH
     */
    public static int pthread_setschedprio(pthread_t thread, int prio) {
        Tcb t = liveThread(thread);
        return t == null ? threadError(thread) : Backends.model().setSchedPriority(t, prio);
    }

    /**
     * The lowest priority of {@code policy}: 1 for SCHED_FIFO and SCHED_RR, else 0.
     *
     * @param policy the scheduling policy
     * @return the lowest priority; -1 with errno EINVAL (an unknown policy)
     */
    public static int sched_get_priority_min(int policy) {
        return Scheduling.known(policy) ? Scheduling.minPriority(policy) : fail(EINVAL);
    }

    /**
     * The highest priority of {@code policy}: 99 for SCHED_FIFO and SCHED_RR, else 0.
     *
     * @param policy the scheduling policy
     * @return the highest priority; -1 with errno EINVAL (an unknown policy)
     */
    public static int sched_get_priority_max(int policy) {
        return Scheduling.known(policy) ? Scheduling.maxPriority(policy) : fail(EINVAL);
    }

    /**
     * The CPU the caller runs on: on the M:N and M:1 models, the CPU of the carrier that runs
     * it at this moment.
     *
     * @return the CPU number; -1 with errno set when the kernel cannot tell
     */
    public static int sched_getcpu() {
        int cpu = org.pthread4j.posix.Posix.sched_getcpu();
        return cpu >= 0 ? cpu : fail(-cpu);
    }

    /**
     * Restricts {@code thread} to the CPUs of the first {@code cpusetsize} bytes of
     * {@code cpuset} (see the section comment: the kernel's mask on {@code native}; stored with
     * no effect on the other models).
     *
     * @param thread the thread
     * @param cpusetsize the bytes of {@code cpuset} to read, at most {@link cpu_set_t#SIZEOF}
     * @param cpuset the CPUs
     * @return 0; EINVAL (no CPU of the set is one the thread may run on; {@code cpusetsize}
     *         negative or above {@link cpu_set_t#SIZEOF} (C would read past the set); null);
     *         ESRCH (as {@link #pthread_setschedparam})
     */
    public static int pthread_setaffinity_np(pthread_t thread, long cpusetsize, cpu_set_t cpuset) {
        Tcb t = liveThread(thread);
        if (t == null || cpuset == null || cpusetsize < 0 || cpusetsize > cpu_set_t.SIZEOF) {
            return t == null ? threadError(thread) : EINVAL;
        }
        return Backends.model().setAffinity(t, cpusetsize, cpuset.bits);
    }

    /**
     * Stores the CPUs {@code thread} may run on in the first {@code cpusetsize} bytes of
     * {@code cpuset}, and clears the rest of those bytes.
     *
     * @param thread the thread
     * @param cpusetsize the bytes of {@code cpuset} to write, at most {@link cpu_set_t#SIZEOF}
     * @param cpuset receives the CPUs
     * @return 0; EINVAL ({@code cpusetsize} not a multiple of 8, smaller than the kernel's
     *         mask, or above {@link cpu_set_t#SIZEOF}; null); ESRCH
     */
    public static int pthread_getaffinity_np(pthread_t thread, long cpusetsize, cpu_set_t cpuset) {
        Tcb t = liveThread(thread);
        if (t == null || cpuset == null || cpusetsize < 0 || cpusetsize > cpu_set_t.SIZEOF) {
            return t == null ? threadError(thread) : EINVAL;
        }
        return Backends.model().getAffinity(t, cpusetsize, cpuset.bits);
    }

    /**
     * Empties {@code set}.
     *
     * @param set the set
     */
    public static void CPU_ZERO(cpu_set_t set) {
        java.util.Arrays.fill(set.bits, 0);
    }

    /**
     * Adds {@code cpu} to {@code set}; nothing for a number outside [0, CPU_SETSIZE), as C's macro.
     *
     * @param cpu the CPU number
     * @param set the set
     */
    public static void CPU_SET(int cpu, cpu_set_t set) {
        if (cpu >= 0 && cpu < CPU_SETSIZE) {
            set.bits[cpu / 64] |= 1L << cpu;
        }
    }

    /**
     * Removes {@code cpu} from {@code set}; nothing for a number outside [0, CPU_SETSIZE).
     *
     * @param cpu the CPU number
     * @param set the set
     */
    public static void CPU_CLR(int cpu, cpu_set_t set) {
        if (cpu >= 0 && cpu < CPU_SETSIZE) {
            set.bits[cpu / 64] &= ~(1L << cpu);
        }
    }

    /**
     * Whether {@code cpu} is in {@code set}; false outside [0, CPU_SETSIZE).
     *
     * @param cpu the CPU number
     * @param set the set
     * @return whether {@code cpu} is in {@code set}
     */
    public static boolean CPU_ISSET(int cpu, cpu_set_t set) {
        return cpu >= 0 && cpu < CPU_SETSIZE && (set.bits[cpu / 64] & 1L << cpu) != 0;
    }

    /**
     * The number of CPUs in {@code set}.
     *
     * @param set the set
     * @return the number of CPUs in {@code set}
     */
    public static int CPU_COUNT(cpu_set_t set) {
        int n = 0;
        for (long w : set.bits) {
            n += Long.bitCount(w);
        }
        return n;
    }

    /**
     * {@link #sched_yield}, under glibc's old name.
     *
     * @return 0
     */
    public static int pthread_yield() {
        return sched_yield();
    }

    /**
     * Stores the id of {@code thread}'s CPU-time clock in {@code clockid[0]}, for
     * {@link #clock_gettime}. {@code native}: the kernel's clock of its kernel thread, the
     * id glibc gives. The other models have no clock of a pthread's own CPU time (the JDK
     * measures none for a virtual thread, and its carrier's clock counts every pthread it
     * ran): ENOENT, Linux's answer where per-thread CPU clocks are not supported.
     *
     * @param thread the thread
     * @param clockid receives the clock id in {@code clockid[0]}
     * @return 0; ENOENT (see above); ESRCH (as {@link #pthread_setschedparam}); EINVAL (null)
     */
    public static int pthread_getcpuclockid(pthread_t thread, int[] clockid) {
        Tcb t = liveThread(thread);
        if (t == null || clockid == null || clockid.length == 0) {
            return t == null ? threadError(thread) : EINVAL;
        }
        return Backends.model().cpuClock(t, clockid);
    }

    // ---- cancellation ---------------------------------------------------------------------

    /**
     * Requests cancellation of {@code thread}; it acts at its next cancellation point
     * ({@code pthread_cond_wait}, {@code pthread_cond_timedwait}, {@code pthread_join},
     * {@code sem_wait}, {@code sem_timedwait}, {@code sleep}, {@code usleep},
     * {@code nanosleep}, {@code sigwait}, {@code sigwaitinfo}, {@code sigtimedwait},
     * {@code pthread_testcancel}) while its cancel state is enabled, and
     * a wait it is blocked in ends for it. Its join then yields {@link #PTHREAD_CANCELED}.
     * A cancelled thread ends as by {@code pthread_exit(PTHREAD_CANCELED)}: a cancelled
     * {@code main} lets the other pthreads finish and the process exits with status 0.
     *
     * @param thread the thread
     * @return 0; ESRCH (joined or never created); EINVAL (null)
     */
    public static int pthread_cancel(pthread_t thread) {
        return Threads.cancel(thread);
    }

    /**
     * Enables or disables cancellation of the calling thread.
     *
     * @param state {@code PTHREAD_CANCEL_ENABLE} or {@code PTHREAD_CANCEL_DISABLE}
     * @param oldstate receives the previous state in {@code oldstate[0]}; may be null
     * @return 0; EINVAL (not PTHREAD_CANCEL_ENABLE/DISABLE)
     */
    public static int pthread_setcancelstate(int state, int[] oldstate) {
        return Threads.setcancelstate(state, oldstate);
    }

    /**
     * Sets the cancel type. ASYNCHRONOUS cannot interrupt Java code at any instruction: it
     * acts at the next call that changes the cancel state or type, at cancellation points, and
     * in every wait of the library, which then ends for the cancel: mutex, rwlock and spin
     * locks (timed or not), barrier waits, and a condition wait's relock of its mutex (which
     * acts once the mutex is held again, as POSIX wants for a cancelled condition wait).
     *
     * @param type {@code PTHREAD_CANCEL_DEFERRED} or {@code PTHREAD_CANCEL_ASYNCHRONOUS}
     * @param oldtype receives the previous type in {@code oldtype[0]}; may be null
     * @return 0; EINVAL (not PTHREAD_CANCEL_DEFERRED/ASYNCHRONOUS)
     */
    public static int pthread_setcanceltype(int type, int[] oldtype) {
        return Threads.setcanceltype(type, oldtype);
    }

    /** A cancellation point and nothing else. */
    public static void pthread_testcancel() {
        Backends.model().preemptPoint();
        Threads.testcancel();
    }

    /**
     * Pushes a cleanup handler, run by pthread_exit, cancellation, or a pop with execute != 0.
     *
     * @param routine the cleanup handler
     * @param arg passed to {@code routine}
     */
    public static void pthread_cleanup_push(Destructor routine, Object arg) {
        if (routine != null) {
            Threads.cleanupPush(routine, arg);
        }
    }

    /**
     * Pops the innermost cleanup handler and runs it if {@code execute} is non-zero.
     *
     * @param execute nonzero to run the handler popped
     */
    public static void pthread_cleanup_pop(int execute) {
        Threads.cleanupPop(execute);
    }

    // ---- thread-specific data -------------------------------------------------------------

    /**
     * Creates a key; {@code destructor} (may be null) gets each thread's last non-null value
     * when the thread ends.
     *
     * @param key receives the new key
     * @param destructor run on a thread's non-null value at its exit; may be null
     * @return 0; EAGAIN (PTHREAD_KEYS_MAX keys exist); EINVAL (null key)
     */
    public static int pthread_key_create(pthread_key_t key, Destructor destructor) {
        return Keys.create(key, destructor);
    }

    /**
     * Deletes a key; the threads' values are dropped and no destructor runs.
     *
     * @param key the key
     * @return 0; EINVAL (not a live key)
     */
    public static int pthread_key_delete(pthread_key_t key) {
        return Keys.delete(key);
    }

    /**
     * The calling thread's value for {@code key}; null when unset or the key is not live.
     *
     * @param key the key
     * @return the calling thread's value, or null when it has none
     */
    public static Object pthread_getspecific(pthread_key_t key) {
        Backends.model().preemptPoint();
        return Keys.get(key);
    }

    /**
     * Sets the calling thread's value for a key.
     *
     * @param key the key
     * @param value the calling thread's new value
     * @return 0; EINVAL (not a live key)
     */
    public static int pthread_setspecific(pthread_key_t key, Object value) {
        Backends.model().preemptPoint();
        return Keys.set(key, value);
    }

    // ---- mutexes --------------------------------------------------------------------------

    /**
     * Initializes mutex attributes to the defaults: normal, stalled.
     *
     * @param attr the attributes object
     * @return 0; EINVAL (null)
     */
    public static int pthread_mutexattr_init(pthread_mutexattr_t attr) {
        if (attr == null) {
            return EINVAL;
        }
        attr.initialized = true;
        attr.pshared = PTHREAD_PROCESS_PRIVATE;
        attr.type = PTHREAD_MUTEX_DEFAULT;
        attr.robust = PTHREAD_MUTEX_STALLED;
        attr.protocol = PTHREAD_PRIO_NONE;
        attr.prioceiling = 0;
        return 0;
    }

    /**
     * Destroys mutex attributes.
     *
     * @param attr the attributes object
     * @return 0; EINVAL
     */
    public static int pthread_mutexattr_destroy(pthread_mutexattr_t attr) {
        if (attr == null || !attr.initialized) {
            return EINVAL;
        }
        attr.initialized = false;
        return 0;
    }

    /**
      * Sets the mutex type.
      *
     * @param attr the attributes object
     * @param type a {@code PTHREAD_MUTEX_*} type
     * @return 0; EINVAL (not a PTHREAD_MUTEX_* type, null, not initialized). 3, glibc's
     *         non-portable PTHREAD_MUTEX_ADAPTIVE_NP, is EINVAL too.
     */
    public static int pthread_mutexattr_settype(pthread_mutexattr_t attr, int type) {
        if (attr == null || !attr.initialized || type < PTHREAD_MUTEX_NORMAL || type > PTHREAD_MUTEX_ERRORCHECK) {
            return EINVAL;
        }
        attr.type = type;
        return 0;
    }

    /**
     * Reads the mutex type.
     *
     * @param attr the attributes object
     * @param type receives the type in {@code type[0]}
     * @return 0; EINVAL
     */
    public static int pthread_mutexattr_gettype(pthread_mutexattr_t attr, int[] type) {
        if (attr == null || !attr.initialized || type == null || type.length == 0) {
            return EINVAL;
        }
        type[0] = attr.type;
        return 0;
    }

    /**
     * Sets the robustness: what the next locker sees when an owner ends holding the mutex.
     *
     * @param attr the attributes object
     * @param robust {@code PTHREAD_MUTEX_STALLED} or {@code PTHREAD_MUTEX_ROBUST}
     * @return 0; EINVAL (not PTHREAD_MUTEX_STALLED/ROBUST, null, not initialized)
     */
    public static int pthread_mutexattr_setrobust(pthread_mutexattr_t attr, int robust) {
        if (attr == null || !attr.initialized || (robust != PTHREAD_MUTEX_STALLED && robust != PTHREAD_MUTEX_ROBUST)) {
            return EINVAL;
        }
        attr.robust = robust;
        return 0;
    }

    /**
     * Reads the robustness.
     *
     * @param attr the attributes object
     * @param robust receives the robustness in {@code robust[0]}
     * @return 0; EINVAL
     */
    public static int pthread_mutexattr_getrobust(pthread_mutexattr_t attr, int[] robust) {
        if (attr == null || !attr.initialized || robust == null || robust.length == 0) {
            return EINVAL;
        }
        robust[0] = attr.robust;
        return 0;
    }

    /**
     * Every {@code *attr_setpshared}, as glibc's: EINVAL for an attributes object that is null
     * or not initialized and for a value that is neither PTHREAD_PROCESS_PRIVATE nor
     * PTHREAD_PROCESS_SHARED, ENOTSUP for PTHREAD_PROCESS_SHARED where the backend cannot share
     * (virtual, green, gmp: their threads wait in this JVM's parking lot, which no other
     * process can wake), else 0 with the attribute set.
     */
    private static int setPshared(SyncAttr attr, int pshared) {
        if (attr == null || !attr.initialized
                || (pshared != PTHREAD_PROCESS_PRIVATE && pshared != PTHREAD_PROCESS_SHARED)) {
            return EINVAL;
        }
        if (pshared == PTHREAD_PROCESS_SHARED && Shared.backend() == null) {
            return ENOTSUP;
        }
        attr.pshared = pshared;
        return 0;
    }

    /** Every {@code *attr_getpshared}: EINVAL for null, uninitialized or no room, else 0. */
    private static int getPshared(SyncAttr attr, int[] pshared) {
        if (attr == null || !attr.initialized || pshared == null || pshared.length == 0) {
            return EINVAL;
        }
        pshared[0] = attr.pshared;
        return 0;
    }

    /**
     * Sets the process-shared attribute. A mutex initialized PTHREAD_PROCESS_SHARED in memory
     * that processes map ({@link pthread_mutex_t#at}) works between them, robust ones
     * included (owner death is the kernel's robust-futex list: a process killed holding it
     * leaves EOWNERDEAD to the next locker); one on the heap is reachable from this process
     * only.
     *
     * @param attr the attributes object
     * @param pshared {@code PTHREAD_PROCESS_PRIVATE} or {@code PTHREAD_PROCESS_SHARED}
     * @return 0; EINVAL (neither PTHREAD_PROCESS_PRIVATE nor PTHREAD_PROCESS_SHARED, null, not
     *         initialized); ENOTSUP (PTHREAD_PROCESS_SHARED on a backend other than native, as
     *         glibc answers where it cannot share)
     */
    public static int pthread_mutexattr_setpshared(pthread_mutexattr_t attr, int pshared) {
        return setPshared(attr, pshared);
    }

    /**
     * Reads the process-shared attribute.
     *
     * @param attr the attributes object
     * @param pshared receives the attribute in {@code pshared[0]}
     * @return 0; EINVAL
     */
    public static int pthread_mutexattr_getpshared(pthread_mutexattr_t attr, int[] pshared) {
        return getPshared(attr, pshared);
    }

    /**
     * Initializes {@code mutex} with {@code attr} (null: defaults); a handle made by
     * {@link pthread_mutex_t#at} is initialized in its memory.
     *
     * @param mutex the mutex
     * @param attr the attributes, or null for the defaults
     * @return 0; EINVAL; ENOTSUP (a robust process-shared mutex on a thread whose robust list
     *         is not glibc's)
     */
    public static int pthread_mutex_init(pthread_mutex_t mutex, pthread_mutexattr_t attr) {
        if (mutex == null || (attr != null && !attr.initialized)) {
            return EINVAL;
        }
        int type = attr == null ? PTHREAD_MUTEX_DEFAULT : attr.type;
        boolean robust = attr != null && attr.robust == PTHREAD_MUTEX_ROBUST;
        int protocol = attr == null ? PTHREAD_PRIO_NONE : attr.protocol;
        if (mutex.place == null) {
            Futex futex = Backends.futex();
            if (protocol == PTHREAD_PRIO_INHERIT && futex instanceof PiFutex pi) {
                mutex.impl = new PiMutex(futex, pi, type, robust);
            } else if (protocol == PTHREAD_PRIO_PROTECT) {
                mutex.impl = new CeilingMutex(futex, type, robust, ceilingOf(attr), PRIORITIES);
            } else {
                mutex.impl = new Mutex(futex, type, robust);
            }
            return 0;
        }
        boolean pshared = attr != null && attr.pshared == PTHREAD_PROCESS_SHARED;
        if (protocol != PTHREAD_PRIO_NONE || (pshared && robust && Shared.backend().robustPending(MemorySegment.NULL) != 0)) {
            return ENOTSUP; // a mutex placed in memory is never priority-inheriting or -protecting
        }
        int kind = Shared.MUTEX | type | (robust ? Shared.ROBUST : 0) | (pshared ? Shared.PSHARED : 0);
        Shared.clear(mutex.place);
        mutex.impl = Shared.publish(mutex.place, Shared.MUTEX_KIND, kind, Shared.newMutex(mutex.place, kind));
        return 0;
    }

    // ---- mutex protocols and priority ceilings ----------------------------------------------
    //
    // PTHREAD_PRIO_INHERIT: on native the mutex word is the kernel's priority-inheriting futex
    // (FUTEX_LOCK_PI), which runs the owner at the priority of its highest waiter. On the
    // user-level models every pthread has the same priority, so there is nothing to inherit:
    // the mutex is an ordinary one. PTHREAD_PRIO_PROTECT: a thread above the ceiling may not
    // lock (EINVAL); on native a real-time thread runs at the ceiling while it holds the
    // mutex (pthread_getschedparam then reports the ceiling, where glibc reports the priority
    // of before); a SCHED_OTHER thread (every pthread of a user-level model) has priority 0,
    // is never above a ceiling and is not raised (glibc 2.36 answers EINVAL to its lock: it
    // tries to raise it within SCHED_OTHER, whose only priority is 0).

    /**
     * Sets the protocol of mutexes initialized with {@code attr} (see the section comment for
     * what each model does with it). A PTHREAD_PRIO_INHERIT mutex on {@code native} is never
     * cancellable, even with asynchronous cancellation, and a condition's broadcast wakes its
     * waiters together instead of moving them onto the mutex.
     *
     * @param attr the attributes object
     * @param protocol {@code PTHREAD_PRIO_NONE}, {@code PTHREAD_PRIO_INHERIT} or
     *         {@code PTHREAD_PRIO_PROTECT}
     * @return 0; EINVAL (not a PTHREAD_PRIO_* value, null, not initialized)
     */
    public static int pthread_mutexattr_setprotocol(pthread_mutexattr_t attr, int protocol) {
        if (attr == null || !attr.initialized || protocol < PTHREAD_PRIO_NONE || protocol > PTHREAD_PRIO_PROTECT) {
            return EINVAL;
        }
        attr.protocol = protocol;
        return 0;
    }

    /**
     * Stores the protocol of {@code attr}.
     *
     * @param attr the attributes object
     * @param protocol receives the protocol in {@code protocol[0]}
     * @return 0; EINVAL
     */
    public static int pthread_mutexattr_getprotocol(pthread_mutexattr_t attr, int[] protocol) {
        if (attr == null || !attr.initialized || protocol == null || protocol.length == 0) {
            return EINVAL;
        }
        protocol[0] = attr.protocol;
        return 0;
    }

    /**
     * Sets the priority ceiling of PTHREAD_PRIO_PROTECT mutexes initialized with {@code attr}.
     *
     * @param attr the attributes object
     * @param prioceiling the ceiling, a SCHED_FIFO priority (1 to 99)
     * @return 0; EINVAL (outside SCHED_FIFO's range, 1 to 99, as glibc; null, not initialized)
     */
    public static int pthread_mutexattr_setprioceiling(pthread_mutexattr_t attr, int prioceiling) {
        if (attr == null || !attr.initialized || !Scheduling.valid(SCHED_FIFO, prioceiling)) {
            return EINVAL;
        }
        attr.prioceiling = prioceiling;
        return 0;
    }

    /**
     * Stores the ceiling; 1, the lowest real-time priority, when never set (glibc's answer).
     *
     * @param attr the attributes object
     * @param prioceiling receives the ceiling in {@code prioceiling[0]}
     * @return 0; EINVAL
     */
    public static int pthread_mutexattr_getprioceiling(pthread_mutexattr_t attr, int[] prioceiling) {
        if (attr == null || !attr.initialized || prioceiling == null || prioceiling.length == 0) {
            return EINVAL;
        }
        prioceiling[0] = ceilingOf(attr);
        return 0;
    }

    private static int ceilingOf(pthread_mutexattr_t attr) {
        return attr.prioceiling == 0 ? Scheduling.minPriority(SCHED_FIFO) : attr.prioceiling;
    }

    /** The caller's real-time priority through the thread model, for PTHREAD_PRIO_PROTECT mutexes. */
    private static final CeilingMutex.Priorities PRIORITIES = new CeilingMutex.Priorities() {
        @Override
        public int current() {
            int[] pp = new int[2];
            return Backends.model().getSched(Tcb.current(), pp) == 0 && Scheduling.realtime(pp[0]) ? pp[1] : 0;
        }

        @Override
        public void set(int priority) {
            int[] pp = new int[2];
            Tcb self = Tcb.current();
            if (Backends.model().getSched(self, pp) == 0 && Scheduling.realtime(pp[0])) {
                Backends.model().setSchedPriority(self, priority);
            }
        }
    };

    /**
     * Stores the priority ceiling of a PTHREAD_PRIO_PROTECT mutex.
     *
     * @param mutex the mutex
     * @param prioceiling receives the ceiling in {@code prioceiling[0]}
     * @return 0; EINVAL (another protocol, as glibc; null or destroyed)
     */
    public static int pthread_mutex_getprioceiling(pthread_mutex_t mutex, int[] prioceiling) {
        Mutex m = mutex == null ? null : mutex.impl;
        if (!(m instanceof CeilingMutex c) || prioceiling == null || prioceiling.length == 0) {
            return EINVAL;
        }
        prioceiling[0] = c.ceiling();
        return 0;
    }

    /**
     * Changes the priority ceiling of a PTHREAD_PRIO_PROTECT mutex: locks it (without the
     * ceiling's check, as POSIX says; a caller that holds it keeps its hold), changes the
     * ceiling, stores the old one in {@code old_ceiling[0]} (may be null) and unlocks it.
     *
     * @param mutex the mutex
     * @param prioceiling the new ceiling, 1 to 99
     * @param old_ceiling receives the old ceiling in {@code old_ceiling[0]}; may be null
     * @return 0; EINVAL (another protocol, a ceiling outside 1 to 99, null or destroyed);
     *         EDEADLK (an ERRORCHECK mutex the caller holds, as glibc); EOWNERDEAD,
     *         ENOTRECOVERABLE (robust, as its lock; the ceiling is then unchanged)
     */
    public static int pthread_mutex_setprioceiling(pthread_mutex_t mutex, int prioceiling, int[] old_ceiling) {
        Mutex m = mutex == null ? null : mutex.impl;
        if (!(m instanceof CeilingMutex c) || !Scheduling.valid(SCHED_FIFO, prioceiling)) {
            return EINVAL;
        }
        return c.setPriorityCeiling(prioceiling, old_ceiling);
    }

    /**
      * Destroys an unlocked mutex; {@code pthread_mutex_init} may initialize it again.
      *
     * @param mutex the mutex
     * @return 0; EBUSY (locked, by anyone; glibc answers 0 for a locked robust mutex, POSIX
     *         recommends EBUSY); EINVAL (null or destroyed; glibc answers 0 to a second destroy)
     */
    public static int pthread_mutex_destroy(pthread_mutex_t mutex) {
        Mutex m = mutex == null ? null : mutex.impl;
        if (m == null) {
            return EINVAL;
        }
        int r = m.checkDestroy();
        if (r == 0) {
            mutex.impl = null;
            if (mutex.place != null) {
                Shared.retire(mutex.place, Shared.MUTEX_KIND);
            }
        }
        return r;
    }

    /**
     * Locks {@code mutex}, waiting as long as it takes.
     *
     * @param mutex the mutex
     * @return 0; EDEADLK (ERRORCHECK, already the owner); EAGAIN (RECURSIVE depth exhausted);
     *         EOWNERDEAD (robust: the previous owner ended; the caller owns it, inconsistent);
     *         ENOTRECOVERABLE (robust, unlocked while inconsistent); EINVAL (null or destroyed)
     */
    public static int pthread_mutex_lock(pthread_mutex_t mutex) {
        Backends.model().preemptPoint();
        Mutex m = mutex == null ? null : mutex.impl;
        return m == null ? EINVAL : m.lock(Threads.CANCELLATION);
    }

    /**
      * Locks the mutex if nobody holds it, without waiting.
      *
     * @param mutex the mutex
     * @return as {@link #pthread_mutex_lock}, and EBUSY where that one would wait or answer
     *         EDEADLK (POSIX: EBUSY whenever the mutex is locked; glibc answers EDEADLK to the
     *         owner of a robust ERRORCHECK mutex)
     */
    public static int pthread_mutex_trylock(pthread_mutex_t mutex) {
        Backends.model().preemptPoint();
        Mutex m = mutex == null ? null : mutex.impl;
        return m == null ? EINVAL : m.trylock();
    }

    /**
     * Locks {@code mutex}, waiting until the absolute CLOCK_REALTIME time {@code abstime}.
     *
     * @param mutex the mutex
     * @param abstime the absolute time at which to give up
     * @return as {@link #pthread_mutex_lock}, and ETIMEDOUT (the time passed); EINVAL
     *         ({@code tv_nsec} outside [0, 1e9) when the call would wait, as in glibc; null
     *         abstime)
     */
    public static int pthread_mutex_timedlock(pthread_mutex_t mutex, timespec abstime) {
        return pthread_mutex_clocklock(mutex, CLOCK_REALTIME, abstime);
    }

    /**
     * {@link #pthread_mutex_timedlock} on {@code clock} (CLOCK_REALTIME or CLOCK_MONOTONIC).
     *
     * @param mutex the mutex
     * @param clock the clock of {@code abstime}: {@code CLOCK_REALTIME} or {@code CLOCK_MONOTONIC}
     * @param abstime the absolute time at which to give up
     * @return as {@link #pthread_mutex_timedlock}
     */
    public static int pthread_mutex_clocklock(pthread_mutex_t mutex, int clock, timespec abstime) {
        Backends.model().preemptPoint();
        Mutex m = mutex == null ? null : mutex.impl;
        if (m == null || abstime == null || !validClock(clock)) {
            return EINVAL;
        }
        return m.timedlock(clock, abstime.tv_sec, abstime.tv_nsec, Threads.CANCELLATION);
    }

    /**
      * Unlocks the mutex, waking one waiter if any.
      *
     * @param mutex the mutex
     * @return 0; EPERM (ERRORCHECK, RECURSIVE or robust mutex not owned by the caller);
     *         EINVAL (null or destroyed)
     */
    public static int pthread_mutex_unlock(pthread_mutex_t mutex) {
        Backends.model().preemptPoint();
        Mutex m = mutex == null ? null : mutex.impl;
        return m == null ? EINVAL : m.unlock();
    }

    /**
     * Marks a robust mutex consistent after EOWNERDEAD.
     *
     * @param mutex the mutex
     * @return 0; EINVAL (not robust, not inconsistent, or the caller is not the owner that got
     *         EOWNERDEAD: glibc lets any thread mark it, pthread4j only that owner)
     */
    public static int pthread_mutex_consistent(pthread_mutex_t mutex) {
        Mutex m = mutex == null ? null : mutex.impl;
        return m == null ? EINVAL : m.consistent();
    }

    // ---- condition variables --------------------------------------------------------------

    /**
     * Initializes condition variable attributes to the defaults: CLOCK_REALTIME.
     *
     * @param attr the attributes object
     * @return 0; EINVAL
     */
    public static int pthread_condattr_init(pthread_condattr_t attr) {
        if (attr == null) {
            return EINVAL;
        }
        attr.initialized = true;
        attr.pshared = PTHREAD_PROCESS_PRIVATE;
        attr.clock = CLOCK_REALTIME;
        return 0;
    }

    /**
     * Destroys condition variable attributes.
     *
     * @param attr the attributes object
     * @return 0; EINVAL
     */
    public static int pthread_condattr_destroy(pthread_condattr_t attr) {
        if (attr == null || !attr.initialized) {
            return EINVAL;
        }
        attr.initialized = false;
        return 0;
    }

    /**
     * Sets the clock of the timed waits.
     *
     * @param attr the attributes object
     * @param clock {@code CLOCK_REALTIME} or {@code CLOCK_MONOTONIC}
     * @return 0; EINVAL (not CLOCK_REALTIME/CLOCK_MONOTONIC, null, not initialized)
     */
    public static int pthread_condattr_setclock(pthread_condattr_t attr, int clock) {
        if (attr == null || !attr.initialized || !validClock(clock)) {
            return EINVAL;
        }
        attr.clock = clock;
        return 0;
    }

    /**
     * Reads the clock of the timed waits.
     *
     * @param attr the attributes object
     * @param clock receives the clock in {@code clock[0]}
     * @return 0; EINVAL
     */
    public static int pthread_condattr_getclock(pthread_condattr_t attr, int[] clock) {
        if (attr == null || !attr.initialized || clock == null || clock.length == 0) {
            return EINVAL;
        }
        clock[0] = attr.clock;
        return 0;
    }

    /**
     * Sets the process-shared attribute (see {@link #pthread_mutexattr_setpshared}).
     *
     * @param attr the attributes object
     * @param pshared {@code PTHREAD_PROCESS_PRIVATE} or {@code PTHREAD_PROCESS_SHARED}
     * @return 0; EINVAL; ENOTSUP (PTHREAD_PROCESS_SHARED on a backend other than native)
     */
    public static int pthread_condattr_setpshared(pthread_condattr_t attr, int pshared) {
        return setPshared(attr, pshared);
    }

    /**
     * Reads the process-shared attribute.
     *
     * @param attr the attributes object
     * @param pshared receives the attribute in {@code pshared[0]}
     * @return 0; EINVAL
     */
    public static int pthread_condattr_getpshared(pthread_condattr_t attr, int[] pshared) {
        return getPshared(attr, pshared);
    }

    /**
     * Initializes a condition variable; a handle made by {@link pthread_cond_t#at} is
     * initialized in its memory. A process-shared condition's broadcast wakes every waiter (it
     * cannot move them onto a mutex other processes use).
     *
     * @param cond the condition variable
     * @param attr the attributes, or null for the defaults
     * @return 0; EINVAL
     */
    public static int pthread_cond_init(pthread_cond_t cond, pthread_condattr_t attr) {
        if (cond == null || (attr != null && !attr.initialized)) {
            return EINVAL;
        }
        int clock = attr == null ? CLOCK_REALTIME : attr.clock;
        if (cond.place == null) {
            cond.impl = new Cond(Backends.futex(), clock);
            return 0;
        }
        int kind = Shared.COND | clock | (attr != null && attr.pshared == PTHREAD_PROCESS_SHARED ? Shared.PSHARED : 0);
        Shared.clear(cond.place);
        cond.impl = Shared.publish(cond.place, Shared.KIND, kind, Shared.newCond(cond.place, kind));
        return 0;
    }

    /**
      * Destroys a condition variable.
      *
     * @param cond the condition variable
     * @return 0; EBUSY (threads wait on it and no signal or broadcast has woken them; glibc's
     *         destroy waits until they are woken); EINVAL (null or destroyed)
     */
    public static int pthread_cond_destroy(pthread_cond_t cond) {
        Cond c = cond == null ? null : cond.impl;
        if (c == null) {
            return EINVAL;
        }
        int r = c.checkDestroy();
        if (r == 0) {
            cond.impl = null;
            if (cond.place != null) {
                Shared.retire(cond.place, Shared.KIND);
            }
        }
        return r;
    }

    /**
     * Atomically releases {@code mutex} and waits for a signal; reacquires {@code mutex}
     * before returning, also when cancelled. A cancellation point. Wake-ups may be spurious.
     *
     * @param cond the condition variable
     * @param mutex the mutex the caller holds; released while waiting, held again on return
     * @return 0; EPERM (ERRORCHECK/RECURSIVE/robust mutex not owned by the caller);
     *         EINVAL (null or destroyed handles, or another mutex used by current waiters: POSIX
     *         leaves that undefined and glibc does not check);
     *         EOWNERDEAD, ENOTRECOVERABLE (robust mutex, on reacquiring)
     */
    public static int pthread_cond_wait(pthread_cond_t cond, pthread_mutex_t mutex) {
        Cond c = cond == null ? null : cond.impl;
        Mutex m = mutex == null ? null : mutex.impl;
        if (c == null || m == null) {
            return EINVAL;
        }
        return c.wait(m, Futex.CLOCK_NONE, 0, 0, Threads.CANCELLATION);
    }

    /**
     * {@link #pthread_cond_wait} until the absolute time {@code abstime} on the condition's clock.
     *
     * @param cond the condition variable
     * @param mutex the mutex the caller holds; released while waiting, held again on return
     * @param abstime the absolute time at which to give up, on the condition's clock
     * @return as pthread_cond_wait, and ETIMEDOUT; EINVAL ({@code tv_nsec} outside [0, 1e9),
     *         checked first; null abstime). EPERM comes before ETIMEDOUT for a time already
     *         past, as in glibc.
     */
    public static int pthread_cond_timedwait(pthread_cond_t cond, pthread_mutex_t mutex, timespec abstime) {
        Cond c = cond == null ? null : cond.impl;
        Mutex m = mutex == null ? null : mutex.impl;
        if (c == null || m == null || abstime == null) {
            return EINVAL;
        }
        return c.wait(m, c.clock(), abstime.tv_sec, abstime.tv_nsec, Threads.CANCELLATION);
    }

    /**
     * {@link #pthread_cond_timedwait} with {@code abstime} on {@code clockid}, whatever clock
     * the condition was initialized with.
     *
     * @param cond the condition variable
     * @param mutex the mutex the caller holds; released while waiting, held again on return
     * @param clockid {@code CLOCK_REALTIME} or {@code CLOCK_MONOTONIC}, the clock of {@code abstime}
     * @param abstime the absolute time at which to give up
     * @return as pthread_cond_timedwait; EINVAL (neither CLOCK_REALTIME nor CLOCK_MONOTONIC,
     *         checked first, as in glibc)
     */
    public static int pthread_cond_clockwait(pthread_cond_t cond, pthread_mutex_t mutex, int clockid, timespec abstime) {
        Cond c = cond == null ? null : cond.impl;
        Mutex m = mutex == null ? null : mutex.impl;
        if (c == null || m == null || abstime == null || !validClock(clockid)) {
            return EINVAL;
        }
        return c.wait(m, clockid, abstime.tv_sec, abstime.tv_nsec, Threads.CANCELLATION);
    }

    /**
     * Wakes at least one waiter, if any.
     *
     * @param cond the condition variable
     * @return 0; EINVAL
     */
    public static int pthread_cond_signal(pthread_cond_t cond) {
        Backends.model().preemptPoint();
        Cond c = cond == null ? null : cond.impl;
        return c == null ? EINVAL : c.signal();
    }

    /**
     * Wakes all waiters (one at a time through the mutex: no thundering herd).
     *
     * @param cond the condition variable
     * @return 0; EINVAL
     */
    public static int pthread_cond_broadcast(pthread_cond_t cond) {
        Backends.model().preemptPoint();
        Cond c = cond == null ? null : cond.impl;
        return c == null ? EINVAL : c.broadcast();
    }

    // ---- readers-writer locks -------------------------------------------------------------

    /**
     * Initializes readers-writer lock attributes.
     *
     * @param attr the attributes object
     * @return 0; EINVAL
     */
    public static int pthread_rwlockattr_init(pthread_rwlockattr_t attr) {
        if (attr == null) {
            return EINVAL;
        }
        attr.initialized = true;
        attr.pshared = PTHREAD_PROCESS_PRIVATE;
        return 0;
    }

    /**
     * Destroys readers-writer lock attributes.
     *
     * @param attr the attributes object
     * @return 0; EINVAL
     */
    public static int pthread_rwlockattr_destroy(pthread_rwlockattr_t attr) {
        if (attr == null || !attr.initialized) {
            return EINVAL;
        }
        attr.initialized = false;
        return 0;
    }

    /**
     * Sets the process-shared attribute (see {@link #pthread_mutexattr_setpshared}).
     *
     * @param attr the attributes object
     * @param pshared {@code PTHREAD_PROCESS_PRIVATE} or {@code PTHREAD_PROCESS_SHARED}
     * @return 0; EINVAL; ENOTSUP (PTHREAD_PROCESS_SHARED on a backend other than native)
     */
    public static int pthread_rwlockattr_setpshared(pthread_rwlockattr_t attr, int pshared) {
        return setPshared(attr, pshared);
    }

    /**
     * Reads the process-shared attribute.
     *
     * @param attr the attributes object
     * @param pshared receives the attribute in {@code pshared[0]}
     * @return 0; EINVAL
     */
    public static int pthread_rwlockattr_getpshared(pthread_rwlockattr_t attr, int[] pshared) {
        return getPshared(attr, pshared);
    }

    /**
     * Initializes a readers-writer lock, unlocked; a handle made by
     * {@link pthread_rwlock_t#at} is initialized in its memory.
     *
     * @param rwlock the readers-writer lock
     * @param attr the attributes, or null for the defaults
     * @return 0; EINVAL
     */
    public static int pthread_rwlock_init(pthread_rwlock_t rwlock, pthread_rwlockattr_t attr) {
        if (rwlock == null || (attr != null && !attr.initialized)) {
            return EINVAL;
        }
        if (rwlock.place == null) {
            rwlock.impl = new RwLock(Backends.futex());
            return 0;
        }
        int kind = Shared.RWLOCK | (attr != null && attr.pshared == PTHREAD_PROCESS_SHARED ? Shared.PSHARED : 0);
        Shared.clear(rwlock.place);
        rwlock.impl = Shared.publish(rwlock.place, Shared.KIND, kind, Shared.newRwLock(rwlock.place, kind));
        return 0;
    }

    /**
     * Destroys an unlocked readers-writer lock.
     *
     * @param rwlock the readers-writer lock
     * @return 0; EBUSY (held; POSIX's recommended answer, glibc does not check); EINVAL
     */
    public static int pthread_rwlock_destroy(pthread_rwlock_t rwlock) {
        RwLock l = rwlock == null ? null : rwlock.impl;
        if (l == null) {
            return EINVAL;
        }
        int r = l.checkDestroy();
        if (r == 0) {
            rwlock.impl = null;
            if (rwlock.place != null) {
                Shared.retire(rwlock.place, Shared.KIND);
            }
        }
        return r;
    }

    /**
     * Takes the lock for reading, waiting while a writer holds it.
     *
     * @param rwlock the readers-writer lock
     * @return 0; EDEADLK (the caller holds the write lock); EAGAIN (too many readers); EINVAL
     */
    public static int pthread_rwlock_rdlock(pthread_rwlock_t rwlock) {
        Backends.model().preemptPoint();
        RwLock l = rwlock == null ? null : rwlock.impl;
        return l == null ? EINVAL : l.rdlock(Futex.CLOCK_NONE, 0, 0, Threads.CANCELLATION);
    }

    /**
     * Takes the lock for reading if no writer holds it, without waiting.
     *
     * @param rwlock the readers-writer lock
     * @return 0; EBUSY (write-locked); EAGAIN; EINVAL
     */
    public static int pthread_rwlock_tryrdlock(pthread_rwlock_t rwlock) {
        Backends.model().preemptPoint();
        RwLock l = rwlock == null ? null : rwlock.impl;
        return l == null ? EINVAL : l.tryrdlock();
    }

    /**
      * Takes the lock for reading, waiting until {@code abstime} (CLOCK_REALTIME) at the latest.
      *
     * @param rwlock the readers-writer lock
     * @param abstime the absolute time at which to give up
     * @return as rdlock, and ETIMEDOUT; EINVAL ({@code tv_nsec} outside [0, 1e9), checked
     *         first even when the lock is free, as in glibc; null abstime)
     */
    public static int pthread_rwlock_timedrdlock(pthread_rwlock_t rwlock, timespec abstime) {
        Backends.model().preemptPoint();
        RwLock l = rwlock == null ? null : rwlock.impl;
        return l == null || abstime == null ? EINVAL : l.rdlock(CLOCK_REALTIME, abstime.tv_sec, abstime.tv_nsec, Threads.CANCELLATION);
    }

    /**
     * {@link #pthread_rwlock_timedrdlock} on {@code clockid}.
     *
     * @param rwlock the readers-writer lock
     * @param clockid {@code CLOCK_REALTIME} or {@code CLOCK_MONOTONIC}, the clock of {@code abstime}
     * @param abstime the absolute time at which to give up
     * @return as timedrdlock; EINVAL (neither CLOCK_REALTIME nor CLOCK_MONOTONIC, even when
     *         the lock is free, as in glibc)
     */
    public static int pthread_rwlock_clockrdlock(pthread_rwlock_t rwlock, int clockid, timespec abstime) {
        Backends.model().preemptPoint();
        RwLock l = rwlock == null ? null : rwlock.impl;
        return l == null || abstime == null || !validClock(clockid) ? EINVAL
                : l.rdlock(clockid, abstime.tv_sec, abstime.tv_nsec, Threads.CANCELLATION);
    }

    /**
     * {@link #pthread_rwlock_timedwrlock} on {@code clockid}.
     *
     * @param rwlock the readers-writer lock
     * @param clockid {@code CLOCK_REALTIME} or {@code CLOCK_MONOTONIC}, the clock of {@code abstime}
     * @param abstime the absolute time at which to give up
     * @return as timedwrlock; EINVAL (neither CLOCK_REALTIME nor CLOCK_MONOTONIC, even when
     *         the lock is free, as in glibc)
     */
    public static int pthread_rwlock_clockwrlock(pthread_rwlock_t rwlock, int clockid, timespec abstime) {
        Backends.model().preemptPoint();
        RwLock l = rwlock == null ? null : rwlock.impl;
        return l == null || abstime == null || !validClock(clockid) ? EINVAL
                : l.wrlock(clockid, abstime.tv_sec, abstime.tv_nsec, Threads.CANCELLATION);
    }

    /**
     * Takes the lock for writing, waiting while anyone holds it.
     *
     * @param rwlock the readers-writer lock
     * @return 0; EDEADLK (the caller holds the write lock); EINVAL
     */
    public static int pthread_rwlock_wrlock(pthread_rwlock_t rwlock) {
        Backends.model().preemptPoint();
        RwLock l = rwlock == null ? null : rwlock.impl;
        return l == null ? EINVAL : l.wrlock(Futex.CLOCK_NONE, 0, 0, Threads.CANCELLATION);
    }

    /**
     * Takes the lock for writing if nobody holds it, without waiting.
     *
     * @param rwlock the readers-writer lock
     * @return 0; EBUSY (held); EINVAL
     */
    public static int pthread_rwlock_trywrlock(pthread_rwlock_t rwlock) {
        Backends.model().preemptPoint();
        RwLock l = rwlock == null ? null : rwlock.impl;
        return l == null ? EINVAL : l.trywrlock();
    }

    /**
     * Takes the lock for writing, waiting until {@code abstime} (CLOCK_REALTIME) at the latest.
     *
     * @param rwlock the readers-writer lock
     * @param abstime the absolute time at which to give up
     * @return as wrlock, and ETIMEDOUT; EINVAL (as {@link #pthread_rwlock_timedrdlock})
     */
    public static int pthread_rwlock_timedwrlock(pthread_rwlock_t rwlock, timespec abstime) {
        Backends.model().preemptPoint();
        RwLock l = rwlock == null ? null : rwlock.impl;
        return l == null || abstime == null ? EINVAL : l.wrlock(CLOCK_REALTIME, abstime.tv_sec, abstime.tv_nsec, Threads.CANCELLATION);
    }

    /**
      * Releases the caller's read or write hold.
      *
     * @param rwlock the readers-writer lock
     * @return 0; EPERM (not locked, or write-locked by another thread: POSIX's recommended
     *         answer; glibc answers 0 and corrupts the lock); EINVAL
     */
    public static int pthread_rwlock_unlock(pthread_rwlock_t rwlock) {
        Backends.model().preemptPoint();
        RwLock l = rwlock == null ? null : rwlock.impl;
        return l == null ? EINVAL : l.unlock();
    }

    // ---- barriers -------------------------------------------------------------------------

    /** glibc's largest barrier count (its round counter needs the values above it). */
    private static final int BARRIER_COUNT_MAX = Integer.MAX_VALUE - 1;

    /**
     * Initializes barrier attributes.
     *
     * @param attr the attributes object
     * @return 0; EINVAL
     */
    public static int pthread_barrierattr_init(pthread_barrierattr_t attr) {
        if (attr == null) {
            return EINVAL;
        }
        attr.initialized = true;
        attr.pshared = PTHREAD_PROCESS_PRIVATE;
        return 0;
    }

    /**
     * Destroys barrier attributes.
     *
     * @param attr the attributes object
     * @return 0; EINVAL
     */
    public static int pthread_barrierattr_destroy(pthread_barrierattr_t attr) {
        if (attr == null || !attr.initialized) {
            return EINVAL;
        }
        attr.initialized = false;
        return 0;
    }

    /**
      * Initializes a barrier for rounds of {@code count} threads.
      *
     * @param barrier the barrier
     * @param attr the attributes, or null for the defaults
     * @param count the number of threads that make a round
     * @return 0; EINVAL ({@code count} is 0, negative (2^31 or more as C's unsigned) or
     *         {@code Integer.MAX_VALUE}, one above glibc's limit; null)
     */
    public static int pthread_barrier_init(pthread_barrier_t barrier, pthread_barrierattr_t attr, int count) {
        if (barrier == null || count <= 0 || count > BARRIER_COUNT_MAX || (attr != null && !attr.initialized)) {
            return EINVAL;
        }
        if (barrier.place == null) {
            barrier.impl = new Barrier(Backends.futex(), count);
            return 0;
        }
        int kind = Shared.BARRIER | (attr != null && attr.pshared == PTHREAD_PROCESS_SHARED ? Shared.PSHARED : 0);
        Shared.clear(barrier.place);
        barrier.place.set(ValueLayout.JAVA_INT, Shared.BARRIER_COUNT, count);
        barrier.impl = Shared.publish(barrier.place, Shared.BARRIER_KIND, kind, Shared.newBarrier(barrier.place, kind));
        return 0;
    }

    /**
     * Sets the process-shared attribute (see {@link #pthread_mutexattr_setpshared}).
     *
     * @param attr the attributes object
     * @param pshared {@code PTHREAD_PROCESS_PRIVATE} or {@code PTHREAD_PROCESS_SHARED}
     * @return 0; EINVAL; ENOTSUP (PTHREAD_PROCESS_SHARED on a backend other than native)
     */
    public static int pthread_barrierattr_setpshared(pthread_barrierattr_t attr, int pshared) {
        return setPshared(attr, pshared);
    }

    /**
     * Reads the process-shared attribute.
     *
     * @param attr the attributes object
     * @param pshared receives the attribute in {@code pshared[0]}
     * @return 0; EINVAL
     */
    public static int pthread_barrierattr_getpshared(pthread_barrierattr_t attr, int[] pshared) {
        return getPshared(attr, pshared);
    }

    /**
      * Destroys a barrier.
      *
     * @param barrier the barrier
     * @return 0; EBUSY (threads wait at it for the round to fill; glibc's destroy waits until
     *         it does); EINVAL
     */
    public static int pthread_barrier_destroy(pthread_barrier_t barrier) {
        Barrier b = barrier == null ? null : barrier.impl;
        if (b == null) {
            return EINVAL;
        }
        int r = b.checkDestroy();
        if (r == 0) {
            barrier.impl = null;
            if (barrier.place != null) {
                Shared.retire(barrier.place, Shared.BARRIER_KIND);
            }
        }
        return r;
    }

    /**
     * Waits until {@code count} threads have called it.
     *
     * @param barrier the barrier
     * @return PTHREAD_BARRIER_SERIAL_THREAD to exactly one thread of each round, 0 to the
     *         others; EINVAL (null, not initialized or destroyed)
     */
    public static int pthread_barrier_wait(pthread_barrier_t barrier) {
        Barrier b = barrier == null ? null : barrier.impl;
        return b == null ? EINVAL : b.await(Threads.CANCELLATION);
    }

    // ---- spin locks -----------------------------------------------------------------------

    /**
     * Initializes a spin lock. {@code pshared} is not checked, as in glibc (POSIX lists no
     * error for it): all pthreads of pthread4j live in one process.
     *
     * @param lock the spin lock
     * @param pshared {@code PTHREAD_PROCESS_PRIVATE} or {@code PTHREAD_PROCESS_SHARED}, the same here
     * @return 0; EINVAL (null)
     */
    public static int pthread_spin_init(pthread_spinlock_t lock, int pshared) {
        if (lock == null) {
            return EINVAL;
        }
        lock.impl = new SpinLock();
        return 0;
    }

    /**
     * Destroys an unlocked spin lock.
     *
     * @param lock the spin lock
     * @return 0; EBUSY (held; POSIX's recommended answer, glibc does not check); EINVAL
     */
    public static int pthread_spin_destroy(pthread_spinlock_t lock) {
        SpinLock s = lock == null ? null : lock.impl;
        if (s == null) {
            return EINVAL;
        }
        int r = s.checkDestroy();
        if (r == 0) {
            lock.impl = null;
        }
        return r;
    }

    /**
     * Locks the spin lock, spinning while another thread holds it.
     *
     * @param lock the spin lock
     * @return 0; EDEADLK (the caller holds it; glibc spins for ever); EINVAL
     */
    public static int pthread_spin_lock(pthread_spinlock_t lock) {
        Backends.model().preemptPoint();
        SpinLock s = lock == null ? null : lock.impl;
        return s == null ? EINVAL : s.lock(Threads.CANCELLATION);
    }

    /**
     * Locks the spin lock if nobody holds it, without spinning.
     *
     * @param lock the spin lock
     * @return 0; EBUSY; EINVAL
     */
    public static int pthread_spin_trylock(pthread_spinlock_t lock) {
        Backends.model().preemptPoint();
        SpinLock s = lock == null ? null : lock.impl;
        return s == null ? EINVAL : s.trylock();
    }

    /**
      * Unlocks the spin lock.
      *
     * @param lock the spin lock
     * @return 0; EPERM (not held by the caller: POSIX's recommended answer; glibc answers 0
     *         and releases it); EINVAL
     */
    public static int pthread_spin_unlock(pthread_spinlock_t lock) {
        Backends.model().preemptPoint();
        SpinLock s = lock == null ? null : lock.impl;
        return s == null ? EINVAL : s.unlock();
    }

    // ---- semaphores (return -1 and set errno) ---------------------------------------------

    /**
     * Initializes an unnamed semaphore to {@code value}. With a non-zero {@code pshared}, one
     * placed in memory that processes map ({@link sem_t#at}) works between them (native
     * backend); one on the heap is reachable from this process only.
     *
     * @param sem the semaphore
     * @param pshared 0: shared by this process's threads only; non-zero: shared between
     *        processes
     * @param value the initial value
     * @return 0; -1 with errno EINVAL (value above SEM_VALUE_MAX or negative, null) or ENOTSUP
     *         (non-zero pshared on a backend other than native, as glibc answers where it
     *         cannot share; POSIX's older issues name ENOSYS)
     */
    public static int sem_init(sem_t sem, int pshared, int value) {
        if (sem == null || value < 0) {
            return fail(EINVAL);
        }
        if (pshared != 0 && Shared.backend() == null) {
            return fail(ENOTSUP);
        }
        if (sem.place == null) {
            sem.impl = new Semaphore(Backends.futex(), value);
            return 0;
        }
        int kind = Shared.SEM | (pshared != 0 ? Shared.PSHARED : 0);
        Shared.clear(sem.place);
        sem.place.set(ValueLayout.JAVA_INT, 0, value);
        sem.impl = Shared.publish(sem.place, Shared.KIND, kind, Shared.newSem(sem.place, kind));
        return 0;
    }

    /**
      * Destroys a semaphore.
      *
     * @param sem the semaphore
     * @return 0; -1 with errno EINVAL (not initialized) or EBUSY (threads wait on it: a POSIX
     *         "may fail"; glibc does not check)
     */
    public static int sem_destroy(sem_t sem) {
        Semaphore s = sem == null ? null : sem.impl;
        if (s == null) {
            return fail(EINVAL);
        }
        int r = s.checkDestroy();
        if (r != 0) {
            return fail(r);
        }
        sem.impl = null;
        if (sem.place != null) {
            Shared.retire(sem.place, Shared.KIND);
        }
        return 0;
    }

    /**
     * Decrements, waiting while the value is 0. A cancellation point.
     *
     * @param sem the semaphore
     * @return 0; -1 with errno EINVAL, or EINTR (a signal handler installed without
     *         SA_RESTART ran during the wait, as on Linux)
     */
    public static int sem_wait(sem_t sem) {
        Semaphore s = sem == null ? null : sem.impl;
        if (s == null) {
            return fail(EINVAL);
        }
        int r = s.wait(false, CLOCK_REALTIME, 0, 0, Threads.CANCELLATION);
        return r == 0 ? 0 : fail(r);
    }

    /**
     * Decrements the semaphore if it is above 0, without waiting.
     *
     * @param sem the semaphore
     * @return 0; -1 with errno EAGAIN (the value is 0) or EINVAL
     */
    public static int sem_trywait(sem_t sem) {
        Backends.model().preemptPoint();
        Semaphore s = sem == null ? null : sem.impl;
        if (s == null) {
            return fail(EINVAL);
        }
        int r = s.trywait();
        return r == 0 ? 0 : fail(r);
    }

    /**
     * {@link #sem_wait} until the absolute CLOCK_REALTIME time {@code abstime}.
     *
     * @param sem the semaphore
     * @param abstime the absolute time at which to give up
     * @return 0; -1 with errno ETIMEDOUT, EINTR (as {@link #sem_wait}), or EINVAL
     *         ({@code tv_nsec} outside [0, 1e9), null)
     */
    public static int sem_timedwait(sem_t sem, timespec abstime) {
        return sem_clockwait(sem, CLOCK_REALTIME, abstime);
    }

    /**
     * {@link #sem_timedwait} on {@code clock}.
     *
     * @param sem the semaphore
     * @param clock the clock of {@code abstime}: {@code CLOCK_REALTIME} or {@code CLOCK_MONOTONIC}
     * @param abstime the absolute time at which to give up
     * @return as {@link #sem_timedwait}
     */
    public static int sem_clockwait(sem_t sem, int clock, timespec abstime) {
        Semaphore s = sem == null ? null : sem.impl;
        if (s == null || abstime == null || !validClock(clock)) {
            return fail(EINVAL);
        }
        int r = s.wait(true, clock, abstime.tv_sec, abstime.tv_nsec, Threads.CANCELLATION);
        return r == 0 ? 0 : fail(r);
    }

    /**
     * Increments the semaphore, waking one waiter if any.
     *
     * @param sem the semaphore
     * @return 0; -1 with errno EOVERFLOW (at SEM_VALUE_MAX) or EINVAL
     */
    public static int sem_post(sem_t sem) {
        Backends.model().preemptPoint();
        Semaphore s = sem == null ? null : sem.impl;
        if (s == null) {
            return fail(EINVAL);
        }
        int r = s.post();
        return r == 0 ? 0 : fail(r);
    }

    /**
     * Stores the value in {@code value[0]}.
     *
     * @param sem the semaphore
     * @param value receives the value in {@code value[0]}
     * @return 0; -1 with errno EINVAL
     */
    public static int sem_getvalue(sem_t sem, int[] value) {
        Backends.model().preemptPoint();
        Semaphore s = sem == null ? null : sem.impl;
        if (s == null || value == null || value.length == 0) {
            return fail(EINVAL);
        }
        value[0] = s.value();
        return 0;
    }

    // ---- named semaphores (return SEM_FAILED or -1 and set errno) --------------------------

    /** What {@link #sem_open} returns when it fails, as C's {@code SEM_FAILED}. */
    public static final sem_t SEM_FAILED = null;

    /**
     * {@link #sem_open(String, int, int, int)} without O_CREAT's mode and value.
     *
     * @param name the name, {@code "/name"}
     * @param oflag 0, or {@code Posix.O_CREAT} with {@code Posix.O_EXCL}
     * @return as {@link #sem_open(String, int, int, int)}
     */
    public static sem_t sem_open(String name, int oflag) {
        return sem_open(name, oflag, 0, 0);
    }

    /**
     * Opens the named semaphore {@code name} ({@code "/name"}), as glibc does: the file
     * {@code /dev/shm/sem.name}, mapped, shared by every process that opens the name (the flags
     * are {@code Posix.O_CREAT} and {@code Posix.O_EXCL}; {@code mode} and {@code value} are
     * used only when it is created). Native backend only.
     *
     * @param name the name, {@code "/name"}
     * @param oflag 0, or {@code Posix.O_CREAT} with {@code Posix.O_EXCL}
     * @param mode the permission bits of a semaphore it creates
     * @param value the initial value of a semaphore it creates
     * @return the semaphore; SEM_FAILED (null) with errno EEXIST (O_CREAT|O_EXCL and it
     *         exists), ENOENT (no O_CREAT and it does not exist), EACCES, EINVAL (a bad name,
     *         value negative, or the file holds no semaphore), ENAMETOOLONG, EMFILE, ENOTSUP
     *         (a backend other than native: its threads cannot wait on memory other
     *         processes share)
     */
    public static sem_t sem_open(String name, int oflag, int mode, int value) {
        return NamedSemaphores.open(name, oflag, mode, value);
    }

    /**
     * Closes a semaphore from {@link #sem_open}: unmaps it from this process (the semaphore
     * lives on until unlinked and closed everywhere).
     *
     * @param sem the semaphore
     * @return 0; -1 with errno EINVAL (not from sem_open, or closed) or EBUSY (a thread of
     *         this process waits on it)
     */
    public static int sem_close(sem_t sem) {
        return NamedSemaphores.close(sem);
    }

    /**
     * Removes the name of a named semaphore; processes that have it open keep using it.
     *
     * @param name the name, {@code "/name"}
     * @return 0; -1 with errno ENOENT, EACCES, EINVAL (a bad name), ENAMETOOLONG
     */
    public static int sem_unlink(String name) {
        return NamedSemaphores.unlink(name);
    }

    // ---- signals (emulated in the process: see the README's "Signals") ----------------------

    /** Hangup. */
    public static final int SIGHUP = 1;
    /** Interrupt. */
    public static final int SIGINT = 2;
    /** Quit. */
    public static final int SIGQUIT = 3;
    /** Illegal instruction. */
    public static final int SIGILL = 4;
    /** Trace or breakpoint trap. */
    public static final int SIGTRAP = 5;
    /** Abort. */
    public static final int SIGABRT = 6;
    /** Bus error. */
    public static final int SIGBUS = 7;
    /** Arithmetic exception. */
    public static final int SIGFPE = 8;
    /** Kill: can be neither caught, blocked nor ignored. */
    public static final int SIGKILL = Signals.SIGKILL;
    /** User-defined signal 1. */
    public static final int SIGUSR1 = 10;
    /** Segmentation fault. */
    public static final int SIGSEGV = 11;
    /** User-defined signal 2. */
    public static final int SIGUSR2 = 12;
    /** Broken pipe. */
    public static final int SIGPIPE = 13;
    /** Alarm clock. */
    public static final int SIGALRM = 14;
    /** Termination. */
    public static final int SIGTERM = 15;
    /** Stack fault. */
    public static final int SIGSTKFLT = 16;
    /** Child stopped or ended. */
    public static final int SIGCHLD = 17;
    /** Continue. */
    public static final int SIGCONT = 18;
    /** Stop: can be neither caught, blocked nor ignored. */
    public static final int SIGSTOP = Signals.SIGSTOP;
    /** Stop typed at the terminal. */
    public static final int SIGTSTP = 20;
    /** Terminal input for a background process. */
    public static final int SIGTTIN = 21;
    /** Terminal output for a background process. */
    public static final int SIGTTOU = 22;
    /** Urgent condition on a socket. */
    public static final int SIGURG = 23;
    /** CPU time limit exceeded. */
    public static final int SIGXCPU = 24;
    /** File size limit exceeded. */
    public static final int SIGXFSZ = 25;
    /** Virtual alarm clock. */
    public static final int SIGVTALRM = 26;
    /** Profiling timer expired. */
    public static final int SIGPROF = 27;
    /** Window resize. */
    public static final int SIGWINCH = 28;
    /** I/O now possible. */
    public static final int SIGIO = 29;
    /** Pollable event: {@link #SIGIO}. */
    public static final int SIGPOLL = SIGIO;
    /** Power failure. */
    public static final int SIGPWR = 30;
    /** Bad system call. */
    public static final int SIGSYS = 31;
    /** The first real-time signal, as glibc's {@code SIGRTMIN} (32 and 33 are glibc's own). */
    public static final int SIGRTMIN = Signals.SIGRTMIN;
    /** The last real-time signal. */
    public static final int SIGRTMAX = 64;
    /** One more than the largest signal number. */
    public static final int NSIG = Signals.NSIG;
    /** {@link #pthread_sigmask}: add the set to the mask. */
    public static final int SIG_BLOCK = 0;
    /** {@link #pthread_sigmask}: remove the set from the mask. */
    public static final int SIG_UNBLOCK = 1;
    /** {@link #pthread_sigmask}: make the set the mask. */
    public static final int SIG_SETMASK = 2;
    /** {@code sa_flags} (Linux's value): no SIGCHLD when a child stops; accepted, no effect here. */
    public static final int SA_NOCLDSTOP = 1;
    /** {@code sa_flags} (Linux's value): children leave no zombies; accepted, no effect here. */
    public static final int SA_NOCLDWAIT = 2;
    /** {@code sa_flags}: the handler is {@code sa_sigaction}, given a {@link siginfo_t}. */
    public static final int SA_SIGINFO = 4;
    /** {@code sa_flags} (Linux's value): run the handler on the alternate stack; accepted, no effect here. */
    public static final int SA_ONSTACK = 0x0800_0000;
    /** {@code sa_flags}: a wait the handler interrupted goes on instead of failing with EINTR. */
    public static final int SA_RESTART = 0x1000_0000;
    /** {@code sa_flags}: the signal is not blocked while its handler runs. */
    public static final int SA_NODEFER = 0x4000_0000;
    /** {@code sa_flags}: the action goes back to {@link #SIG_DFL} when the handler runs. */
    public static final int SA_RESETHAND = 0x8000_0000;
    /** {@code si_code} of a signal sent by {@code kill}. */
    public static final int SI_USER = Signals.SI_USER;
    /** {@code si_code} of a signal sent by {@code pthread_kill} or {@code raise}. */
    public static final int SI_TKILL = Signals.SI_TKILL;

    /** A disposition that is no handler: compared by identity, as C compares the pointers. */
    private record Disposition(String name) implements SignalHandler {
        @Override
        public void handle(int sig) {
            throw new UnsupportedOperationException(name + " is a disposition, not a handler");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The default action of a signal (see {@link #sigaction}). */
    public static final SignalHandler SIG_DFL = new Disposition("SIG_DFL");
    /** Ignore the signal. */
    public static final SignalHandler SIG_IGN = new Disposition("SIG_IGN");
    /** What {@link #signal} returns on error. */
    public static final SignalHandler SIG_ERR = new Disposition("SIG_ERR");

    /**
     * Empties {@code set}.
     *
     * @param set the signal set
     * @return 0; -1 with errno EINVAL (null)
     */
    public static int sigemptyset(sigset_t set) {
        return setBits(set, 0);
    }

    /**
     * Fills {@code set} with every signal but glibc's own 32 and 33, as glibc.
     *
     * @param set the signal set
     * @return 0; -1 with errno EINVAL (null)
     */
    public static int sigfillset(sigset_t set) {
        return setBits(set, Signals.VALID);
    }

    private static int setBits(sigset_t set, long bits) {
        if (set == null) {
            return fail(EINVAL);
        }
        set.bits = bits;
        return 0;
    }

    /**
     * Adds {@code sig} to {@code set}.
     *
     * @param set the signal set
     * @param sig the signal
     * @return 0; -1 with errno EINVAL (not a signal 1..64, glibc's 32 or 33, null)
     */
    public static int sigaddset(sigset_t set, int sig) {
        if (set == null || !Signals.valid(sig)) {
            return fail(EINVAL);
        }
        set.bits |= Signals.bit(sig);
        return 0;
    }

    /**
     * Removes {@code sig} from {@code set}.
     *
     * @param set the signal set
     * @param sig the signal
     * @return 0; -1 with errno EINVAL (as {@link #sigaddset})
     */
    public static int sigdelset(sigset_t set, int sig) {
        if (set == null || !Signals.valid(sig)) {
            return fail(EINVAL);
        }
        set.bits &= ~Signals.bit(sig);
        return 0;
    }

    /**
     * Tells whether {@code sig} is in {@code set}.
     *
     * @param set the signal set
     * @param sig the signal
     * @return 1 if {@code sig} is in {@code set}, else 0; -1 with errno EINVAL (not 1..64, null)
     */
    public static int sigismember(sigset_t set, int sig) {
        if (set == null || sig < 1 || sig >= NSIG) {
            return fail(EINVAL);
        }
        return (set.bits & Signals.bit(sig)) != 0 ? 1 : 0;
    }

    /**
     * Changes the calling thread's signal mask: {@code SIG_BLOCK} adds {@code set},
     * {@code SIG_UNBLOCK} removes it, {@code SIG_SETMASK} replaces the mask with it
     * ({@code set} null: only reads the mask). SIGKILL and SIGSTOP are never blocked. A
     * thread starts with its creator's mask. Pending signals that the call unblocks are
     * delivered before it returns.
     *
     * @param how {@code SIG_BLOCK}, {@code SIG_UNBLOCK} or {@code SIG_SETMASK}
     * @param set the signals, or null to read the mask only
     * @param oldset receives the mask before the call; may be null
     * @return 0; EINVAL ({@code how} not one of the three, when {@code set} is given)
     */
    public static int pthread_sigmask(int how, sigset_t set, sigset_t oldset) {
        return Signals.sigmask(how, set, oldset);
    }

    /**
     * {@link #pthread_sigmask} of the calling thread, as Linux's.
     *
     * @param how {@code SIG_BLOCK}, {@code SIG_UNBLOCK} or {@code SIG_SETMASK}
     * @param set the signals, or null to read the mask only
     * @param oldset receives the mask before the call; may be null
     * @return 0; -1 with errno EINVAL
     */
    public static int sigprocmask(int how, sigset_t set, sigset_t oldset) {
        int r = Signals.sigmask(how, set, oldset);
        return r == 0 ? 0 : fail(r);
    }

    /**
     * Stores the signals pending for the caller (sent to it or to the process).
     *
     * @param set receives the pending signals
     * @return 0; -1 with errno EFAULT (null)
     */
    public static int sigpending(sigset_t set) {
        return set == null ? fail(EFAULT) : setBits(set, Signals.pending());
    }

    /**
     * Installs {@code act} (may be null) as the action of {@code sig} and stores the old one
     * in {@code oact} (may be null). A handler runs in the thread the signal is delivered to,
     * at its next cancellation point or signal call, or inside the interruptible wait it is
     * blocked in (condition wait, join, semaphore wait, sleep, sigwait; with asynchronous
     * cancellation any lock), with {@code sa_mask} and the signal itself blocked
     * ({@code SA_NODEFER}: not the signal); {@code SA_RESETHAND} restores {@code SIG_DFL}
     * first; {@code SA_RESTART} keeps {@code sem_wait} from failing with EINTR. A handler may
     * call any pthread4j function (C allows only async-signal-safe ones); an exception it
     * throws leaves it through the interrupted call. The default action of a signal that ends
     * a C program (SIGTERM, SIGINT, SIGUSR1, SIGABRT… and every real-time signal) ends the
     * process at once with exit status 128 + sig, without shutdown hooks; SIGCHLD, SIGURG,
     * SIGWINCH and SIGCONT do nothing, nor do the stop signals (a JVM cannot be stopped
     * honestly from inside).
     *
     * @param sig the signal
     * @param act the new action; may be null
     * @param oact receives the old action; may be null
     * @return 0; -1 with errno EINVAL (not a signal, glibc's 32 or 33, SIGKILL or SIGSTOP
     *         with {@code act}, a null handler or mask)
     */
    public static int sigaction(int sig, sigaction act, sigaction oact) {
        int r = Signals.action(sig, act, oact);
        return r == 0 ? 0 : fail(r);
    }

    /**
     * Sets the handler of {@code sig} as glibc's {@code signal} does: {@code SA_RESTART}, the
     * signal blocked while its handler runs, the handler kept.
     *
     * @param sig the signal
     * @param handler the handler, {@link #SIG_DFL} or {@link #SIG_IGN}
     * @return the previous handler; {@link #SIG_ERR} with errno EINVAL (as {@link #sigaction})
     */
    public static SignalHandler signal(int sig, SignalHandler handler) {
        sigaction act = new sigaction();
        act.sa_handler = handler;
        act.sa_flags = SA_RESTART;
        sigaction old = new sigaction();
        if (sigaction(sig, act, old) != 0) {
            return SIG_ERR;
        }
        return old.sa_handler;
    }

    /**
     * Sends {@code sig} to {@code thread}; 0 only checks that the thread exists. A signal
     * the thread blocks stays pending for it; if it is the caller, a signal it does not
     * block is delivered before the call returns. A thread that has ended but is not joined
     * yet gets nothing: 0, as glibc 2.34 and later answer.
     *
     * @param thread the thread
     * @param sig the signal, or 0
     * @return 0; EINVAL (not a signal, glibc's 32 or 33, null); ESRCH (joined, or never
     *         created); EAGAIN (a real-time signal while too many are queued)
     */
    public static int pthread_kill(pthread_t thread, int sig) {
        if (thread == null || (sig != 0 && !Signals.valid(sig))) {
            return EINVAL;
        }
        Tcb target = thread.tcb;
        if (target == null || (target.state() & Tcb.STATE_MASK) == Tcb.JOINED) {
            return ESRCH;
        }
        if (sig == 0 || (target.state() & Tcb.ENDED) != 0) {
            return 0;
        }
        int r = Signals.send(target, sig, SI_TKILL, ProcessHandle.current().pid(), null);
        Tcb self = Tcb.current();
        if (target == self && self.hasSignal()) {
            Signals.deliver(self);
        }
        return r;
    }

    /**
     * {@code pthread_kill(pthread_self(), sig)}.
     *
     * @param sig the signal
     * @return 0; -1 with errno EINVAL or EAGAIN
     */
    public static int raise(int sig) {
        int r = pthread_kill(pthread_self(), sig);
        return r == 0 ? 0 : fail(r);
    }

    /**
     * Sends {@code sig} to this process ({@code pid} is this process's id, or 0 for its
     * group): it goes to a thread waiting for it in {@code sigwait}, else the caller, else any
     * thread that does not block it, and stays pending while every thread blocks it. The
     * emulation reaches no other process.
     *
     * @param pid this process's id, or 0
     * @param sig the signal, or 0
     * @return 0; -1 with errno EINVAL (not a signal, glibc's 32 or 33) or EPERM (another
     *         process)
     */
    public static int kill(int pid, int sig) {
        long self = ProcessHandle.current().pid();
        if (sig != 0 && !Signals.valid(sig)) {
            return fail(EINVAL);
        }
        if (pid != 0 && pid != self) {
            return fail(EPERM);
        }
        if (sig != 0) {
            Tcb caller = Tcb.current();
            Signals.send(null, sig, SI_USER, self, caller);
            if (caller.hasSignal()) {
                Signals.deliver(caller); // it was chosen: the handler runs before kill returns
            }
        }
        return 0;
    }

    /**
     * Waits for a signal of {@code set} (which the caller should block in every thread, the
     * Butenhof pattern) and takes it: one pending already, or the next to come. A
     * cancellation point; it never fails with EINTR: handlers of other signals run and it
     * waits on.
     *
     * @param set the signals to wait for
     * @param sig receives the signal in {@code sig[0]}
     * @return 0 with the signal in {@code sig[0]}; EINVAL (null)
     */
    public static int sigwait(sigset_t set, int[] sig) {
        if (set == null || sig == null || sig.length == 0) {
            return EINVAL;
        }
        sig[0] = Signals.await(set.bits, -1, null, false);
        return 0;
    }

    /**
     * As {@link #sigwait}, storing what is known of the signal in {@code info} (may be null).
     *
     * @param set the signals to wait for
     * @param info receives what is known of the signal; may be null
     * @return the signal; -1 with errno EINTR (a handler of another signal ran) or EINVAL (null
     *         set)
     */
    public static int sigwaitinfo(sigset_t set, siginfo_t info) {
        return sigtimedwait(set, info, null);
    }

    /**
     * As {@link #sigwaitinfo}, waiting at most the relative time {@code timeout} (null: no limit).
     *
     * @param set the signals to wait for
     * @param info receives what is known of the signal; may be null
     * @param timeout the longest wait, or null for no limit
     * @return the signal; -1 with errno EAGAIN (none came in time), EINTR, or EINVAL
     *         ({@code tv_nsec} outside [0, 1e9), negative {@code tv_sec}, null set)
     */
    public static int sigtimedwait(sigset_t set, siginfo_t info, timespec timeout) {
        if (set == null) {
            return fail(EINVAL);
        }
        long nanos = -1;
        if (timeout != null) {
            if (timeout.tv_nsec < 0 || timeout.tv_nsec >= 1_000_000_000L || timeout.tv_sec < 0) {
                return fail(EINVAL);
            }
            nanos = saturatedAdd(saturatedMultiply(timeout.tv_sec, 1_000_000_000L), timeout.tv_nsec);
        }
        int r = Signals.await(set.bits, nanos, info, true);
        return r > 0 ? r : fail(-r);
    }

    // ---- clocks and sleeping --------------------------------------------------------------

    private static boolean validClock(int clock) {
        return clock == CLOCK_REALTIME || clock == CLOCK_MONOTONIC;
    }

    /**
     * Reads {@code clock}: CLOCK_REALTIME, CLOCK_MONOTONIC, or a thread's CPU-time clock from
     * {@link #pthread_getcpuclockid}.
     *
     * @param clock {@code CLOCK_REALTIME}, {@code CLOCK_MONOTONIC} or a thread's CPU-time clock
     * @param tp receives the time
     * @return 0; -1 with errno EINVAL (unknown clock, a CPU-time clock whose thread is gone, null)
     */
    public static int clock_gettime(int clock, timespec tp) {
        Backends.model().preemptPoint();
        if (tp != null && clock < 0) {
            long[] t = new long[2];
            int r = Backends.model().cpuClockTime(clock, t);
            if (r != 0) {
                return fail(r);
            }
            tp.tv_sec = t[0];
            tp.tv_nsec = t[1];
            return 0;
        }
        if (tp == null || !validClock(clock)) {
            return fail(EINVAL);
        }
        if (clock == CLOCK_MONOTONIC) {
            long t = System.nanoTime(); // CLOCK_MONOTONIC on Linux
            tp.tv_sec = Math.floorDiv(t, 1_000_000_000L);
            tp.tv_nsec = Math.floorMod(t, 1_000_000_000L);
        } else {
            Instant now = Instant.now();
            tp.tv_sec = now.getEpochSecond();
            tp.tv_nsec = now.getNano();
        }
        return 0;
    }

    /**
     * Sleeps for the relative time {@code req}. A cancellation point. A signal whose handler
     * runs during the sleep ends it early, as on Linux (whatever SA_RESTART says): then
     * {@code rem} (may be null) gets the time left; otherwise it is set to zero.
     *
     * @param req the time to sleep
     * @param rem receives the time left when a handler ended the sleep, else zero; may be null
     * @return 0; -1 with errno EINTR (a handler ran), EINVAL ({@code tv_nsec} outside
     *         [0, 1e9), negative {@code tv_sec}) or EFAULT ({@code req} null, as the kernel
     *         answers NULL)
     */
    public static int nanosleep(timespec req, timespec rem) {
        if (req == null) {
            return fail(EFAULT);
        }
        if (req.tv_nsec < 0 || req.tv_nsec >= 1_000_000_000L || req.tv_sec < 0) {
            return fail(EINVAL);
        }
        long left = sleepNanos(saturatedAdd(saturatedMultiply(req.tv_sec, 1_000_000_000L), req.tv_nsec));
        if (rem != null) {
            rem.tv_sec = left / 1_000_000_000L;
            rem.tv_nsec = left % 1_000_000_000L;
        }
        return left == 0 ? 0 : fail(EINTR);
    }

    /**
     * Sleeps {@code seconds}; a cancellation point.
     *
     * @param seconds the seconds to sleep
     * @return 0, or the unslept seconds (rounded up, as glibc) when a signal handler ran
     */
    public static int sleep(int seconds) {
        long left = sleepNanos(Integer.toUnsignedLong(seconds) * 1_000_000_000L);
        return (int) ((left + 999_999_999L) / 1_000_000_000L);
    }

    /**
     * Sleeps {@code usec} microseconds; a cancellation point.
     *
     * @param usec the microseconds to sleep
     * @return 0; -1 with errno EINTR (a signal handler ran) or EINVAL ({@code usec} negative)
     */
    public static int usleep(long usec) {
        if (usec < 0) {
            return fail(EINVAL);
        }
        return sleepNanos(saturatedMultiply(usec, 1000)) == 0 ? 0 : fail(EINTR);
    }

    /**
     * Gives up the processor to another runnable thread of the model.
     *
     * @return 0
     */
    public static int sched_yield() {
        Backends.model().preemptPoint();
        Thread.yield();
        return 0;
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    private static long saturatedMultiply(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return (hi == 0 && lo >= 0) ? lo : Long.MAX_VALUE;
    }

    /**
     * An interruptible timed wait on the thread's own sleep word, which nobody wakes.
     *
     * @return 0, or the ns left (at least 1) when a signal handler ran
     */
    private static long sleepNanos(long nanos) {
        Cancellation cancellation = Threads.CANCELLATION;
        Tcb self = cancellation.point();
        Tcb tcb = self != null ? self : Tcb.current();
        long deadline = saturatedAdd(System.nanoTime(), nanos);
        for (;;) {
            long now = System.nanoTime();
            if (now - deadline >= 0 && nanos != Long.MAX_VALUE) {
                return 0;
            }
            int r = Backends.futex().wait(tcb.sleepWord(), 0, Futex.CLOCK_MONOTONIC,
                    Math.floorDiv(deadline, 1_000_000_000L), Math.floorMod(deadline, 1_000_000_000L), self);
            if (r == Futex.CANCELED) {
                cancellation.act(self);
            }
            if (r == Futex.INTERRUPTED && cancellation.interrupted(self) != Cancellation.NO_HANDLER) {
                return Math.max(1, nanos == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime());
            }
        }
    }
}
