package org.pthread4j;

import static org.pthread4j.spi.Errno.EAGAIN;
import static org.pthread4j.spi.Errno.EBUSY;
import static org.pthread4j.spi.Errno.EDEADLK;
import static org.pthread4j.spi.Errno.EINVAL;
import static org.pthread4j.spi.Errno.ESRCH;
import static org.pthread4j.spi.Errno.ETIMEDOUT;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.pthread4j.spi.Futex;
import org.pthread4j.spi.Tcb;
import org.pthread4j.spi.ThreadModel;
import org.pthread4j.spi.Words;
import org.pthread4j.sync.Cancellation;
import org.pthread4j.sync.Mutex;

/**
 * The pthread lifecycle, the same on every backend: create, the body around the start
 * routine, exit, join, detach, and cancellation.
 *
 * <h2>Life of a pthread</h2>
 * <ol>
 *   <li>{@code pthread_create} makes a {@link Pthread}, a {@link Tcb} (JOINABLE or DETACHED)
 *       that is also the body, and asks the {@link ThreadModel} to start it.</li>
 *   <li>The body binds the block to the running thread, calls the start routine, and
 *       catches everything: a return or {@code pthread_exit} (an {@link Unwind}) gives the
 *       exit value, a cancel gives {@code PTHREAD_CANCELED}, any other throwable is reported
 *       once on stderr and becomes the exit value. Nothing escapes (on {@code native} the
 *       body is an FFM upcall, and an escaping exception would end the JVM).</li>
 *   <li>{@link #finish} and {@link #end}: remaining cleanup handlers (when unwinding), key
 *       destructors, robust mutexes marked owner-dead, then the exit value is published and
 *       the exit word set to 1 with a release store, and joiners are woken.</li>
 *   <li>Join asks the model to wait for the end (a cancellation point: on the exit word,
 *       or on {@code native} on the kernel's word that says the kernel thread is gone), and
 *       marks the handle JOINED; a detached thread's id is released by whichever
 *       of {@code finish} and {@code pthread_detach} comes second.</li>
 * </ol>
 *
 * <h2>Ending a foreign thread</h2>
 * A thread that {@code pthread_create} did not start (the launcher's main thread, or any
 * Java thread that calls in) has no body to catch the unwind. So {@link #exit}, which both
 * {@code pthread_exit} and acting on a cancel go through (POSIX: a cancelled thread ends as
 * if by {@code pthread_exit(PTHREAD_CANCELED)}), runs its cleanup handlers and key
 * destructors itself. In the main thread it then waits for the last pthread and ends the
 * process with status 0, as C's {@code main} does; in any other foreign thread an
 * {@link Unwind} ends the Java thread (its uncaught-exception handler, or the executor that
 * ran the task, sees it) and the JVM goes on.
 */
final class Threads {

    /** The number of pthreads created and not yet ended; a futex word. */
    private static final MemorySegment LIVE = Words.allocate();
    /**
     * 1 once a main thread waits in {@code pthread_exit} for LIVE to reach 0: only then does
     * the last pthread to end wake LIVE (Dekker: the waiter sets this, then reads LIVE; an
     * ending thread decrements LIVE, then reads this; both sequentially consistent).
     */
    private static final MemorySegment MAIN_WAITS = Words.allocate();

    /** Whether t is the thread the launcher started {@code main} on (named "main" in group "main"). */
    private static boolean isMainThread(Thread t) {
        ThreadGroup g = t.getThreadGroup();
        return !t.isVirtual() && "main".equals(t.getName()) && g != null && "main".equals(g.getName());
    }

    /** The exit value of a cancelled thread. */
    static final Object CANCELED = new Object() {
        @Override
        public String toString() {
            return "PTHREAD_CANCELED";
        }
    };

    /** Unwinds a pthread for {@code pthread_exit} or cancellation. */
    static final class Unwind extends Error {
        private static final long serialVersionUID = 1L;
        final transient Object value;

        Unwind(Object value) {
            super("pthread unwinding (pthread_exit or cancellation)", null, false, false);
            this.value = value;
        }
    }

    /** Cancellation and signals as the lock algorithms see them. */
    static final Cancellation CANCELLATION = new Cancellation() {
        @Override
        public Tcb point() {
            Tcb self = Tcb.current();
            if (self.exiting()) {
                return null;
            }
            if (!self.isQuiet()) {
                if (self.hasSignal()) {
                    Signals.deliver(self);
                }
                if (self.isCancelDue()) {
                    act(self);
                }
            }
            return self;
        }

        @Override
        public Tcb asynchronous() {
            Tcb self = Tcb.current();
            if (!self.cancelsAsynchronously()) {
                return null;
            }
            if (self.isCancelPending()) {
                act(self);
            }
            return self;
        }

        @Override
        public void act(Tcb self) {
            exit(self, CANCELED);
        }

        @Override
        public int interrupted(Tcb self) {
            return Signals.deliver(self);
        }
    };

    /** A cleanup handler pushed by {@code pthread_cleanup_push}. */
    record Cleanup(Destructor routine, Object arg) {}

    private Threads() {}

    static int create(pthread_t thread, pthread_attr_t attr, StartRoutine start, Object arg) {
        ThreadModel model = Backends.model();
        if (thread == null || start == null || (attr != null && !attr.initialized)) {
            return EINVAL;
        }
        boolean detached = attr != null && attr.detachstate == Pthreads.PTHREAD_CREATE_DETACHED;
        Pthread tcb;
        try {
            tcb = new Pthread(detached, start, arg);
        } catch (IllegalStateException | OutOfMemoryError e) {
            return EAGAIN;
        }
        long stack = attr == null ? 0 : attr.stacksize;
        long guard = attr == null ? -1 : attr.guardsize;
        Tcb creator = Tcb.current();
        tcb.sched(creator.sched()); // what a user-level model inherits (the kernel does it on native)
        tcb.affinity(creator.affinity());
        tcb.attributes(attr == null ? null : attr.copy());
        thread.tcb = tcb;
        if (Tcb.masksInUse) {
            Signals.inherit(tcb, Tcb.current()); // the creator's signal mask (pthread_create(3p))
        }
        Words.getAndAdd(LIVE, 1);
        int r;
        if (attr != null && attr.inheritsched == Pthreads.PTHREAD_EXPLICIT_SCHED) {
            r = startExplicit(model, tcb, attr.schedpolicy, attr.schedpriority, stack, guard, detached);
        } else {
            r = model.start(tcb, tcb, stack, guard, detached, null);
        }
        if (r != 0) {
            thread.tcb = null;
            tcb.releaseId();
            threadGone();
        }
        return r;
    }

    /**
     * Starts a pthread with an explicit policy and priority, which, as in glibc, are in
     * force before it runs anything, and whose refusal fails {@code pthread_create}. glibc
     * sets them from the creator on the new kernel thread before letting it go; here the new
     * pthread sets them on itself as its first step, publishes the result in a word the
     * creator sleeps on, and on refusal ends at once, without running {@code start}: the
     * creator joins it (unless it is detached) and returns the model's answer.
     */
    private static int startExplicit(ThreadModel model, Pthread tcb, int policy, int priority, long stack,
            long guard, boolean detached) {
        MemorySegment gate = Words.allocate(); // 0 pending, then 1 + errno
        int r = model.start(tcb, () -> {
            Tcb.bind(tcb);
            int set = model.setSched(tcb, policy, priority);
            if (set != 0) {
                Words.INT.setRelease(tcb.exitWord(), 0L, Tcb.EXITED); // nobody waits on it yet
                Tcb.unbind();
            }
            Words.set(gate, 1 + set);
            Backends.futex().wake(gate, 1);
            if (set == 0) {
                tcb.run();
            }
        }, stack, guard, detached, null);
        if (r != 0) {
            return r;
        }
        int set;
        while ((set = Words.get(gate) - 1) < 0) {
            Backends.futex().wait(gate, 0, Futex.CLOCK_NONE, 0, 0, null);
        }
        if (set != 0 && !detached) {
            model.join(tcb, null);
        }
        return set;
    }

    /**
     * A pthread's control block that is also the body its thread runs (step 2 of "Life of a
     * pthread"): one object per pthread instead of a block and a closure, and one frame
     * instead of three between the thread's entry and the start routine, which a parked
     * virtual thread's stack keeps.
     */
    static final class Pthread extends Tcb implements Runnable {
        /**
         * The start routine and its argument wait in {@link #exitValue}, which holds the exit
         * value only once the body has ended, so that the block has no field for them: the
         * routine alone when the argument is null, else a {@link Start} (which nothing but
         * this class makes, so no argument is taken for one). The body takes them as it
         * starts.
         */
        Pthread(boolean detached, StartRoutine start, Object arg) {
            super(detached);
            this.exitValue = arg == null ? start : new Start(start, arg);
        }

        /** A start routine and its argument, from {@code pthread_create} until the body starts. */
        private record Start(StartRoutine routine, Object arg) {}

        /**
         * {@link StartRoutine#run}, held where the JIT cannot take it for a constant (a static
         * field that is not final): {@link #run} calls the start routine through it, so that
         * the routine is never compiled into the thread's entry (see {@link #run}).
         */
        private static MethodHandle startRoutine;

        static {
            try {
                startRoutine = MethodHandles.publicLookup().findVirtual(StartRoutine.class, "run",
                        MethodType.methodType(Object.class, Object.class));
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /**
         * The body. A blocked virtual pthread keeps this frame on its stack as long as it
         * waits, so it holds the call and little else: binding the block and taking the
         * routine and its argument are small methods the JIT inlines, and everything after
         * the return is one method of its own ({@link #finish}), which the JIT's first tier
         * does not inline (with the failure report's string concatenation inlined, its frame
         * was 30 words instead of 12).
         *
         * <p>The routine is called through a method handle that is not a constant, which the
         * JIT does not compile into its caller: the thread's entry (the JDK's continuation
         * entry, the virtual thread's run and this body) then compiles to one small frame
         * that nothing in the routine invalidates. With the routine compiled into the entry,
         * the routine's first trap (a branch it had not taken yet) sent the entry back to the
         * interpreter, the JDK's methods between the entry and the routine got compiled code
         * of their own with the routine in it, too large to be taken back in, and a blocked
         * pthread kept up to four frames there; half the memory figure's JVMs did, by the
         * order in which the JIT met the methods. The call is made once per thread (gmp's
         * create+join, 0.59 µs in the README's run, is no slower with it).
         */
        @Override
        public void run() {
            Object value = null;
            Throwable thrown = null;
            try {
                Object start = begin();
                value = (Object) startRoutine.invokeExact(routine(start), argument(start));
            } catch (Throwable t) {
                thrown = t;
            }
            finish(this, value, thrown);
        }

        /** Binds the block to the running thread and takes what {@link #exitValue} kept for the start. */
        private Object begin() {
            Tcb.bind(this);
            Object start = exitValue;
            exitValue = null;
            return start;
        }

        private static StartRoutine routine(Object start) {
            return start instanceof Start s ? s.routine() : (StartRoutine) start;
        }

        private static Object argument(Object start) {
            return start instanceof Start s ? s.arg() : null;
        }
    }

    private static void report(Tcb tcb, Throwable t) {
        try {
            System.err.println("pthread4j: thread " + tcb.id + " ended by " + t);
            t.printStackTrace();
        } catch (Throwable ignored) {
            // stderr is gone; the exit value still carries the throwable
        }
    }

    /**
     * Step 3 of the life of a pthread, on the ending thread, after its start routine returned
     * {@code value} or threw {@code thrown} (an {@link Unwind} carries the exit value; any
     * other throwable is reported and becomes it). Lets nothing escape.
     */
    private static void finish(Tcb tcb, Object value, Throwable thrown) {
        try {
            if (thrown instanceof Unwind u) {
                value = u.value;
            } else if (thrown != null) {
                value = thrown;
                report(tcb, thrown);
            }
            end(tcb, value);
        } catch (Throwable t) {
            report(tcb, t);
        }
    }

    /**
     * The end proper: cleanup handlers, key destructors, robust mutexes marked owner-dead,
     * the exit value published and joiners woken.
     */
    private static void end(Tcb tcb, Object value) {
        tcb.startExiting();
        if (value == CANCELED || tcb.hasCleanup()) {
            runCleanup(tcb);
        }
        Keys.runDestructors(tcb);
        for (Object m : tcb.takeRobustHeld()) {
            ((Mutex) m).ownerDied(tcb.id);
        }
        tcb.exitValue = value;
        MemorySegment exitWord = tcb.exitWord();
        if (Words.getAndSet(exitWord, Tcb.EXITED) == Tcb.RUNNING_JOINER_WAITS) {
            Backends.futex().wake(exitWord, Integer.MAX_VALUE); // only a sleeping joiner needs a wake
        }
        for (;;) {
            int s = tcb.state();
            if (tcb.casState(s, s | Tcb.ENDED)) {
                if ((s & Tcb.STATE_MASK) == Tcb.DETACHED) {
                    tcb.releaseId();
                }
                break;
            }
        }
        Tcb.unbind();
        if (tcb.hasSignal()) {
            // Out of Tcb.forEachLive since ENDED: signals sent to the process and meant for
            // this thread go to another one (a sender that saw it set the bit before ENDED).
            Signals.passOn(tcb);
        }
        threadGone();
    }

    /** One pthread fewer: wakes a main thread waiting in pthread_exit for the last one. */
    private static void threadGone() {
        if (Words.getAndAdd(LIVE, -1) == 1 && Words.get(MAIN_WAITS) != 0) {
            Backends.futex().wake(LIVE, Integer.MAX_VALUE);
        }
    }

    private static void runCleanup(Tcb tcb) {
        while (tcb.hasCleanup()) {
            Cleanup c = (Cleanup) tcb.popCleanup();
            try {
                c.routine().destroy(c.arg());
            } catch (Unwind nested) {
                // pthread_exit inside a cleanup handler: the thread is already ending
            } catch (Throwable t) {
                report(tcb, t);
            }
        }
    }

    static int join(pthread_t thread, Object[] retval) {
        return join(thread, retval, Futex.CLOCK_NONE, 0, 0);
    }

    /** {@code pthread_tryjoin_np}: EBUSY while the thread runs (glibc's first check), else a join. */
    static int tryjoin(pthread_t thread, Object[] retval) {
        Tcb target = thread == null ? null : thread.tcb;
        int s = target == null ? Tcb.ENDED : target.state();
        return (s & Tcb.ENDED) == 0 && (s & Tcb.STATE_MASK) != Tcb.JOINED ? EBUSY : join(thread, retval);
    }

    /**
     * {@code pthread_join} and its timed forms: the deadline {@code (sec, nsec)} on
     * {@code clock} ({@link Futex#CLOCK_NONE}: none) bounds the wait for the end of the body;
     * a join that times out leaves the thread joinable.
     */
    static int join(pthread_t thread, Object[] retval, int clock, long sec, long nsec) {
        if (thread == null) {
            return EINVAL;
        }
        Tcb target = thread.tcb;
        if (target == null) {
            return ESRCH;
        }
        Tcb self = Tcb.current();
        if (target == self) {
            return EDEADLK;
        }
        Tcb cancelable = CANCELLATION.point();
        int r;
        do {
            int taken = takeJoinable(target, Tcb.JOINING);
            if (taken < 0) {
                return -taken;
            }
            r = 0;
            if (clock != Futex.CLOCK_NONE && (taken & Tcb.ENDED) == 0) {
                r = nsec < 0 || nsec >= 1_000_000_000L ? EINVAL
                        : sec < 0 ? ETIMEDOUT
                        : target.awaitExit(Backends.futex(), clock, sec, nsec, cancelable);
            }
            if (r == 0) {
                r = Backends.model().join(target, cancelable);
            }
            if (r != 0) {
                setJoinState(target, Tcb.JOINABLE);
                if (r == Futex.CANCELED) {
                    CANCELLATION.act(self);
                }
                if (r == Futex.INTERRUPTED) {
                    CANCELLATION.interrupted(self); // the handlers ran: join again
                } else {
                    return r;
                }
            }
        } while (r != 0);
        if (retval != null && retval.length > 0) {
            retval[0] = target.exitValue;
        }
        setJoinState(target, Tcb.JOINED);
        target.releaseId();
        return 0;
    }

    private static void setJoinState(Tcb target, int state) {
        for (;;) {
            int s = target.state();
            if (target.casJoinState(s, state)) {
                return;
            }
        }
    }

    static int detach(pthread_t thread) {
        if (thread == null) {
            return EINVAL;
        }
        Tcb target = thread.tcb;
        if (target == null) {
            return ESRCH;
        }
        int taken = takeJoinable(target, Tcb.DETACHED);
        if (taken < 0) {
            return -taken;
        }
        Backends.model().detach(target);
        if ((taken & Tcb.ENDED) != 0) {
            target.releaseId();
        }
        return 0;
    }

    /**
     * Moves a JOINABLE thread to {@code state} (JOINING or DETACHED), keeping its ENDED flag
     * and its own.
     * Returns the state it replaced, or -ESRCH (already joined) or -EINVAL (detached, foreign,
     * or being joined by another thread).
     */
    private static int takeJoinable(Tcb target, int state) {
        for (;;) {
            int s = target.state();
            switch (s & Tcb.STATE_MASK) {
                case Tcb.JOINED:
                    return -ESRCH;
                case Tcb.JOINABLE:
                    if (target.casJoinState(s, state)) {
                        return s;
                    }
                    break;
                default:
                    return -EINVAL;
            }
        }
    }

    static void exit(Object value) {
        exit(Tcb.current(), value);
    }

    /**
     * Ends the calling pthread {@code self} with {@code value}: {@code pthread_exit}, and
     * acting on a cancel ({@code value} is {@link #CANCELED}), which POSIX defines as the
     * same end. Never returns.
     */
    private static void exit(Tcb self, Object value) {
        self.startExiting();
        if ((self.state() & Tcb.STATE_MASK) == Tcb.FOREIGN) {
            // Not started by pthread_create: there is no body to catch the unwind, so run
            // what pthread_exit promises now.
            runCleanup(self);
            Keys.runDestructors(self);
            if (isMainThread(self.thread)) {
                // C's main thread: the process goes on until the last pthread ends, then
                // exits with status 0 (pthread_exit(3p)).
                Words.set(MAIN_WAITS, 1);
                for (int live; (live = Words.get(LIVE)) > 0; ) {
                    Backends.futex().wait(LIVE, live, Futex.CLOCK_NONE, 0, 0, null);
                }
                System.exit(0);
            }
            // Any other Java thread: the unwind ends it, through whatever catches errors
            // there (the thread's uncaught-exception handler, an executor's task).
        }
        throw new Unwind(value);
    }

    /**
     * {@code pthread_self}: a new handle each call, as C's is a value ({@code pthread_equal}
     * compares them); the block keeps none. A foreign thread's first call adopts it.
     */
    static pthread_t self() {
        Tcb self = Tcb.current();
        if ((self.state() & Tcb.STATE_MASK) == Tcb.FOREIGN && self.firstAdoption()) {
            Backends.model().adopt(self);
        }
        return new pthread_t(self);
    }

    static int cancel(pthread_t thread) {
        if (thread == null) {
            return EINVAL;
        }
        Tcb target = thread.tcb;
        int state = target == null ? Tcb.JOINED : target.state();
        if ((state & Tcb.STATE_MASK) == Tcb.JOINED) {
            return ESRCH;
        }
        if ((state & Tcb.ENDED) != 0) {
            return 0; // as glibc for a thread that has ended; its id may be released, its words another's
        }
        target.requestCancel();
        Backends.futex().interrupt(target);
        return 0;
    }

    static int setcancelstate(int state, int[] oldstate) {
        return setCancel(false, state, oldstate);
    }

    static int setcanceltype(int type, int[] oldtype) {
        return setCancel(true, type, oldtype);
    }

    /**
     * The cancel state (ENABLE 0 / DISABLE 1) or type (DEFERRED 0 / ASYNCHRONOUS 1) of the
     * caller; both take exactly two values.
     */
    private static int setCancel(boolean type, int value, int[] old) {
        if (value != 0 && value != 1) {
            return EINVAL;
        }
        Tcb self = Tcb.current();
        if (old != null && old.length > 0) {
            old[0] = type ? self.cancelType() : self.cancelState();
        }
        if (type) {
            self.cancelType(value);
        } else {
            self.cancelState(value);
        }
        // Asynchronous cancellation cannot stop Java code at an arbitrary instruction; it
        // acts here, when the type or state changes, at every cancellation point, and in
        // every blocking wait of the library (Cancellation.asynchronous).
        CANCELLATION.asynchronous();
        return 0;
    }

    static void testcancel() {
        CANCELLATION.point();
    }

    static void cleanupPush(Destructor routine, Object arg) {
        Tcb.current().pushCleanup(new Cleanup(routine, arg));
    }

    static void cleanupPop(int execute) {
        Tcb self = Tcb.current();
        Cleanup c = (Cleanup) self.popCleanup();
        if (c != null && execute != 0) {
            c.routine().destroy(c.arg());
        }
    }
}
