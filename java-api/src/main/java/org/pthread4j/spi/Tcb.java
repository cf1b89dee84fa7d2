package org.pthread4j.spi;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thread control block: everything pthread4j keeps per pthread, whatever the backend.
 *
 * <h2>Identity</h2>
 * {@link #id} is the owner tid written into lock words: {@code 1 .. MAX_ID}, unique among
 * living pthreads, recycled after a thread is joined or its detached body ends. Any Java
 * thread that calls into the facade gets a control block on first use ({@link #current()}),
 * as C's main thread is a pthread too; such a <em>foreign</em> block is never joinable.
 *
 * <h2>Join state ({@link #state})</h2>
 * <pre>
 *   value            meaning                                  transitions
 *   JOINABLE         running or ended, nobody joined yet      -> DETACHED (detach), -> JOINING (join)
 *   DETACHED         nobody will join                         final
 *   JOINING          one joiner waits for the end             -> JOINED (after the end)
 *   JOINED           joined; the handle is dead (ESRCH)       final
 *   FOREIGN          not created by pthread_create            final
 *   | ENDED (flag)   the body has ended (exit word is 1)      set once, by the thread itself
 * </pre>
 * Whoever makes the state both DETACHED and ENDED releases the id: the thread at its end if
 * it was detached before, or {@code pthread_detach} if the thread had already ended.
 *
 * <h2>Cancellation</h2>
 * {@link #cancelWord} becomes 1 when a cancel is requested; a cancellable futex wait ends on
 * it (see {@link Futex#wakeForCancel}). The thread acts on it at cancellation points only.
 */
public final class Tcb {

    public static final int JOINABLE = 0;
    public static final int DETACHED = 1;
    public static final int JOINING = 2;
    public static final int JOINED = 3;
    public static final int FOREIGN = 4;
    public static final int STATE_MASK = 7;
    public static final int ENDED = 8;

    /** The largest owner tid: lock words reserve the ids above it. */
    public static final int MAX_ID = 0x3FFF_FFF0;

    public static final int CANCEL_ENABLE = 0;
    public static final int CANCEL_DISABLE = 1;
    public static final int CANCEL_DEFERRED = 0;
    public static final int CANCEL_ASYNCHRONOUS = 1;

    private static final AtomicInteger NEXT_ID = new AtomicInteger(1);
    private static final ConcurrentLinkedQueue<Integer> FREE_IDS = new ConcurrentLinkedQueue<>();
    private static final ThreadLocal<Tcb> CURRENT = new ThreadLocal<>();
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Tcb.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The owner tid (see the class comment). */
    public final int id;
    /**
     * {@link #RUNNING} while the body runs ({@link #RUNNING_JOINER_WAITS} once a joiner sleeps
     * on it), {@link #EXITED} once the body has ended: the ending thread swaps in EXITED and
     * wakes the word only if a joiner announced itself.
     */
    public final MemorySegment exitWord;
    public static final int RUNNING = 0;
    public static final int EXITED = 1;
    public static final int RUNNING_JOINER_WAITS = 2;
    /** 1 once a cancel has been requested. */
    public final MemorySegment cancelWord;
    /** A word nobody wakes: sleeping is a timed wait on it. */
    public final MemorySegment sleepWord;

    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;

    /** The Java thread that runs this pthread; set when it starts. */
    public volatile Thread thread;
    /** Backend data: the native thread handle on {@code native}. */
    public volatile long handle;
    /** The exit value, published by the exit word's release store. */
    public Object exitValue;
    public volatile String name;
    /** The facade's handle object for this thread, made on the first pthread_self. */
    public Object handleObject;

    // Owned by the thread itself: plain fields.
    public int errno;
    public int cancelState = CANCEL_ENABLE;
    public int cancelType = CANCEL_DEFERRED;
    /** True while the thread unwinds for a cancel or pthread_exit: no more cancellation. */
    public boolean exiting;
    /** Cleanup handlers, innermost last; made on the first push. */
    private ArrayDeque<Object> cleanup;
    /** Thread-specific values by key slot, and the key generation each was set under. */
    public Object[] specific;
    public int[] specificGen;
    /** Robust mutexes held, released as owner-dead when the thread ends; made on first use. */
    private ArrayList<Object> robustHeld;

    private Tcb(int id, int initialState) {
        this.id = id;
        MemorySegment[] words = Words.allocate(3);
        this.exitWord = words[0];
        this.cancelWord = words[1];
        this.sleepWord = words[2];
        this.state = initialState;
    }

    /** A control block for a thread about to be created. */
    public static Tcb create(boolean detached) {
        return new Tcb(allocateId(), detached ? DETACHED : JOINABLE);
    }

    /** The calling thread's control block, created on first use for a foreign thread. */
    public static Tcb current() {
        Tcb self = CURRENT.get();
        if (self == null) {
            self = new Tcb(allocateId(), FOREIGN);
            self.thread = Thread.currentThread();
            self.name = self.thread.getName();
            CURRENT.set(self);
        }
        return self;
    }

    /** Makes {@code tcb} the calling thread's block; the first thing a pthread body does. */
    public static void bind(Tcb tcb) {
        tcb.thread = Thread.currentThread();
        CURRENT.set(tcb);
    }

    /** Forgets the calling thread's block; the last thing a pthread body does. */
    public static void unbind() {
        CURRENT.remove();
    }

    public int state() {
        return (int) STATE.getVolatile(this);
    }

    public boolean casState(int expected, int value) {
        return STATE.compareAndSet(this, expected, value);
    }

    public void pushCleanup(Object handler) {
        if (cleanup == null) {
            cleanup = new ArrayDeque<>(4);
        }
        cleanup.addLast(handler);
    }

    /** The innermost cleanup handler, removed, or null. */
    public Object popCleanup() {
        return cleanup == null ? null : cleanup.pollLast();
    }

    public boolean hasCleanup() {
        return cleanup != null && !cleanup.isEmpty();
    }

    public void holdRobust(Object mutex) {
        if (robustHeld == null) {
            robustHeld = new ArrayList<>(2);
        }
        robustHeld.add(mutex);
    }

    public void releaseRobust(Object mutex) {
        if (robustHeld != null) {
            robustHeld.remove(mutex);
        }
    }

    /** The robust mutexes still held, removed from the block. */
    public Object[] takeRobustHeld() {
        if (robustHeld == null) {
            return new Object[0];
        }
        Object[] held = robustHeld.toArray();
        robustHeld.clear();
        return held;
    }

    public boolean isCancelPending() {
        return Words.get(cancelWord) != 0;
    }

    /** Returns the id to the pool; called exactly once, when the handle is dead. */
    public void releaseId() {
        FREE_IDS.offer(id);
    }

    private static int allocateId() {
        Integer recycled = FREE_IDS.poll();
        if (recycled != null) {
            return recycled;
        }
        int id = NEXT_ID.getAndIncrement();
        if (id > MAX_ID) {
            throw new IllegalStateException("more than " + MAX_ID + " live pthreads");
        }
        return id;
    }
}
