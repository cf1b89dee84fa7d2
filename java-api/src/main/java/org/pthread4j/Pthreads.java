package org.pthread4j;

import java.time.Instant;
import org.pthread4j.spi.Errno;
import org.pthread4j.spi.Futex;
import org.pthread4j.spi.Tcb;
import org.pthread4j.sync.Barrier;
import org.pthread4j.sync.Cancellation;
import org.pthread4j.sync.Cond;
import org.pthread4j.sync.Mutex;
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
    /** errno EFAULT: Bad address. */
    public static final int EFAULT = Errno.EFAULT;
    /** errno EBUSY: Device or resource busy. */
    public static final int EBUSY = Errno.EBUSY;
    /** errno EINVAL: Invalid argument. */
    public static final int EINVAL = Errno.EINVAL;
    /** errno ERANGE: Numerical result out of range. */
    public static final int ERANGE = Errno.ERANGE;
    /** errno EDEADLK: Resource deadlock avoided. */
    public static final int EDEADLK = Errno.EDEADLK;
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
    /** Process-shared attribute: shared between processes; accepted, and the same as private here. */
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
        return Tcb.current().errno;
    }

    /**
     * Sets the calling thread's errno.
     *
     * @param value the new errno
     */
    public static void errno(int value) {
        Tcb.current().errno = value;
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
        Tcb.current().errno = errnum;
        return -1;
    }

    // ---- threads --------------------------------------------------------------------------

    /**
     * Starts a thread that runs {@code start.run(arg)}; stores its handle in {@code thread}.
     *
     * @param thread receives the new thread's handle
     * @param attr the attributes, or null for the defaults
     * @param start the thread's body
     * @param arg passed to {@code start}
     * @return 0; EAGAIN (no resources for another thread); EINVAL ({@code thread} or
     *         {@code start} null, {@code attr} not initialized); EPERM
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
        if (t == Tcb.current() || (t.handle != 0 && (state & Tcb.ENDED) == 0)) {
            r = Backends.model().setName(t, name);
        }
        if (r == 0) {
            t.name = name;
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
        String n = t.name != null ? t.name : (t.thread != null ? t.thread.getName() : "");
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

    // ---- cancellation ---------------------------------------------------------------------

    /**
     * Requests cancellation of {@code thread}; it acts at its next cancellation point
     * ({@code pthread_cond_wait}, {@code pthread_cond_timedwait}, {@code pthread_join},
     * {@code sem_wait}, {@code sem_timedwait}, {@code sleep}, {@code usleep},
     * {@code nanosleep}, {@code pthread_testcancel}) while its cancel state is enabled, and
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
        attr.type = PTHREAD_MUTEX_DEFAULT;
        attr.robust = PTHREAD_MUTEX_STALLED;
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
     * Initializes {@code mutex} with {@code attr} (null: defaults).
     *
     * @param mutex the mutex
     * @param attr the attributes, or null for the defaults
     * @return 0; EINVAL
     */
    public static int pthread_mutex_init(pthread_mutex_t mutex, pthread_mutexattr_t attr) {
        if (mutex == null || (attr != null && !attr.initialized)) {
            return EINVAL;
        }
        mutex.impl = attr == null
                ? new Mutex(Backends.futex(), Mutex.NORMAL, false)
                : new Mutex(Backends.futex(), attr.type, attr.robust == PTHREAD_MUTEX_ROBUST);
        return 0;
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
     * Initializes a condition variable.
     *
     * @param cond the condition variable
     * @param attr the attributes, or null for the defaults
     * @return 0; EINVAL
     */
    public static int pthread_cond_init(pthread_cond_t cond, pthread_condattr_t attr) {
        if (cond == null || (attr != null && !attr.initialized)) {
            return EINVAL;
        }
        cond.impl = new Cond(Backends.futex(), attr == null ? CLOCK_REALTIME : attr.clock);
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
        return c.wait(m, false, 0, 0, Threads.CANCELLATION);
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
        return c.wait(m, true, abstime.tv_sec, abstime.tv_nsec, Threads.CANCELLATION);
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
     * Initializes a readers-writer lock, unlocked.
     *
     * @param rwlock the readers-writer lock
     * @param attr the attributes, or null for the defaults
     * @return 0; EINVAL
     */
    public static int pthread_rwlock_init(pthread_rwlock_t rwlock, pthread_rwlockattr_t attr) {
        if (rwlock == null || (attr != null && !attr.initialized)) {
            return EINVAL;
        }
        rwlock.impl = new RwLock(Backends.futex());
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
        barrier.impl = new Barrier(Backends.futex(), count);
        return 0;
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
     * Initializes an unnamed semaphore to {@code value}. {@code pshared} is accepted (all
     * pthreads of pthread4j live in one process).
     *
     * @param sem the semaphore
     * @param pshared {@code PTHREAD_PROCESS_PRIVATE} or {@code PTHREAD_PROCESS_SHARED}, the same here
     * @param value the initial value
     * @return 0; -1 with errno EINVAL (value above SEM_VALUE_MAX or negative, null)
     */
    public static int sem_init(sem_t sem, int pshared, int value) {
        if (sem == null || value < 0) {
            return fail(EINVAL);
        }
        sem.impl = new Semaphore(Backends.futex(), value);
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
        return 0;
    }

    /**
     * Decrements, waiting while the value is 0. A cancellation point.
     *
     * @param sem the semaphore
     * @return 0; -1 with errno EINVAL
     */
    public static int sem_wait(sem_t sem) {
        Semaphore s = sem == null ? null : sem.impl;
        if (s == null) {
            return fail(EINVAL);
        }
        return s.wait(false, CLOCK_REALTIME, 0, 0, Threads.CANCELLATION) == 0 ? 0 : fail(EINVAL);
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
     * @return 0; -1 with errno ETIMEDOUT, or EINVAL ({@code tv_nsec} outside [0, 1e9), null)
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

    // ---- clocks and sleeping --------------------------------------------------------------

    private static boolean validClock(int clock) {
        return clock == CLOCK_REALTIME || clock == CLOCK_MONOTONIC;
    }

    /**
     * Reads a clock.
     *
     * @param clock {@code CLOCK_REALTIME} or {@code CLOCK_MONOTONIC}
     * @param tp receives the time
     * @return 0; -1 with errno EINVAL (unknown clock, null)
     */
    public static int clock_gettime(int clock, timespec tp) {
        Backends.model().preemptPoint();
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
     * Sleeps for the relative time {@code req}. A cancellation point; never ends early
     * (pthread4j delivers no signals), so {@code rem} (may be null) is set to zero.
     *
     * @param req the time to sleep
     * @param rem set to zero (nothing interrupts the sleep); may be null
     * @return 0; -1 with errno EINVAL ({@code tv_nsec} outside [0, 1e9), negative
     *         {@code tv_sec}) or EFAULT ({@code req} null, as the kernel answers NULL)
     */
    public static int nanosleep(timespec req, timespec rem) {
        if (req == null) {
            return fail(EFAULT);
        }
        if (req.tv_nsec < 0 || req.tv_nsec >= 1_000_000_000L || req.tv_sec < 0) {
            return fail(EINVAL);
        }
        sleepNanos(saturatedAdd(saturatedMultiply(req.tv_sec, 1_000_000_000L), req.tv_nsec));
        if (rem != null) {
            rem.tv_sec = 0;
            rem.tv_nsec = 0;
        }
        return 0;
    }

    /**
     * Sleeps {@code seconds}; a cancellation point.
     *
     * @param seconds the seconds to sleep
     * @return 0 (the unslept seconds: none)
     */
    public static int sleep(int seconds) {
        sleepNanos(Integer.toUnsignedLong(seconds) * 1_000_000_000L);
        return 0;
    }

    /**
     * Sleeps {@code usec} microseconds; a cancellation point.
     *
     * @param usec the microseconds to sleep
     * @return 0; -1 with errno EINVAL ({@code usec} negative)
     */
    public static int usleep(long usec) {
        if (usec < 0) {
            return fail(EINVAL);
        }
        sleepNanos(saturatedMultiply(usec, 1000));
        return 0;
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

    /** A cancellable timed wait on the thread's own sleep word, which nobody wakes. */
    private static void sleepNanos(long nanos) {
        Cancellation cancellation = Threads.CANCELLATION;
        Tcb self = cancellation.point();
        Tcb tcb = self != null ? self : Tcb.current();
        long deadline = saturatedAdd(System.nanoTime(), nanos);
        for (;;) {
            long now = System.nanoTime();
            if (now - deadline >= 0 && nanos != Long.MAX_VALUE) {
                return;
            }
            int r = Backends.futex().wait(tcb.sleepWord(), 0, Futex.CLOCK_MONOTONIC,
                    Math.floorDiv(deadline, 1_000_000_000L), Math.floorMod(deadline, 1_000_000_000L), self);
            if (r == Futex.CANCELED) {
                cancellation.act(self);
            }
        }
    }
}
