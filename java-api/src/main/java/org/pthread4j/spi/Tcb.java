package org.pthread4j.spi;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentHashMap;
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
 * it (see {@link Futex#wakeForCancel}). The thread acts on it at cancellation points, and,
 * when its cancel type is asynchronous, in every blocking wait of the library too.
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
    /** The blocks of platform threads (pthreads on {@code native}, and foreign threads). */
    private static final ThreadLocal<Tcb> CURRENT = new ThreadLocal<>();
    /**
     * The blocks of running pthreads that are virtual threads (every M:N and M:1 model).
     * A thread-local would give each of them a thread-local map (a map, its 16-slot table
     * and an entry: 136 bytes); a node of this map costs 32 bytes and a table slot. Foreign
     * virtual threads use {@link #CURRENT}, which dies with them.
     */
    private static final ConcurrentHashMap<Thread, Tcb> VIRTUAL = new ConcurrentHashMap<>();
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
     * The exit word: {@link #RUNNING} while the body runs ({@link #RUNNING_JOINER_WAITS} once
     * a joiner sleeps on it), {@link #EXITED} once the body has ended: the ending thread swaps
     * in EXITED and wakes the word only if a joiner announced itself. The segment spans two
     * words: the cancel word follows at {@link #CANCEL_OFFSET} (one segment object per
     * pthread instead of two: at a million pthreads, 40 MB).
     */
    public final MemorySegment exitWord;
    /** Where the cancel word sits in {@link #exitWord}'s segment. */
    public static final long CANCEL_OFFSET = 4;
    public static final int RUNNING = 0;
    public static final int EXITED = 1;
    public static final int RUNNING_JOINER_WAITS = 2;
    /** A word nobody wakes, for sleeping as a timed wait: made on first use, by the thread itself. */
    private MemorySegment sleepWord;

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
        this.exitWord = Words.allocateBlock(2);
        this.state = initialState;
    }

    /** A control block for a thread about to be created. */
    public static Tcb create(boolean detached) {
        return new Tcb(allocateId(), detached ? DETACHED : JOINABLE);
    }

    /** The calling thread's control block, created on first use for a foreign thread. */
    public static Tcb current() {
        Thread t = Thread.currentThread();
        Tcb self = t.isVirtual() ? VIRTUAL.get(t) : null;
        if (self == null && (self = CURRENT.get()) == null) {
            self = new Tcb(allocateId(), FOREIGN);
            self.thread = Thread.currentThread();
            self.name = self.thread.getName();
            CURRENT.set(self);
        }
        return self;
    }

    /** Makes {@code tcb} the calling thread's block; the first thing a pthread body does. */
    public static void bind(Tcb tcb) {
        Thread t = Thread.currentThread();
        tcb.thread = t;
        if (t.isVirtual()) {
            VIRTUAL.put(t, tcb);
        } else {
            CURRENT.set(tcb);
        }
    }

    /** Forgets the calling thread's block; the last thing a pthread body does. */
    public static void unbind() {
        Thread t = Thread.currentThread();
        if (t.isVirtual()) {
            VIRTUAL.remove(t);
        } else {
            CURRENT.remove();
        }
    }

    /** This thread's sleep word; only the thread itself may call this. */
    public MemorySegment sleepWord() {
        if (sleepWord == null) {
            sleepWord = Words.allocate();
        }
        return sleepWord;
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

    /**
     * Waits until this thread's body has ended (the exit word is {@link #EXITED}): the
     * joiner's half of the exit-word protocol. It announces its sleep with
     * RUNNING → RUNNING_JOINER_WAITS, so that the ending thread, which swaps in EXITED,
     * knows to wake it (both sides are atomic read-modify-writes: no lost wake-up).
     *
     * @param cancelable as for {@link Futex#wait}
     * @return 0 once ended (with the exit value visible), or {@link Futex#CANCELED}
     */
    public int awaitExit(Futex futex, Tcb cancelable) {
        for (int w; (w = (int) Words.INT.getAcquire(exitWord, 0L)) != EXITED; ) {
            if (w == RUNNING && !Words.cas(exitWord, RUNNING, RUNNING_JOINER_WAITS)) {
                continue;
            }
            if (futex.wait(exitWord, RUNNING_JOINER_WAITS, Futex.CLOCK_NONE, 0, 0, cancelable) == Futex.CANCELED) {
                return Futex.CANCELED;
            }
        }
        return 0;
    }

    /**
     * The cancel word, 1 once a cancel has been requested, as a segment of its own for a
     * futex call (made on each call: the word lives in {@link #exitWord}'s segment).
     */
    public MemorySegment cancelWord() {
        return exitWord.asSlice(CANCEL_OFFSET, 4);
    }

    public boolean isCancelPending() {
        return (int) Words.INT.getVolatile(exitWord, CANCEL_OFFSET) != 0;
    }

    /** Sets the cancel word; the canceller then wakes the thread ({@link Futex#wakeForCancel}). */
    public void requestCancel() {
        Words.INT.setVolatile(exitWord, CANCEL_OFFSET, 1);
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
