package org.pthread4j.spi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * A thread control block: everything pthread4j keeps per pthread, whatever the backend.
 *
 * <h2>Identity</h2>
 * {@link #id} is the owner tid written into lock words: at most {@code MAX_ID}, unique among
 * living pthreads. Any Java thread that calls into the facade gets a control block on first
 * use ({@link #current()}), as C's main thread is a pthread too; such a <em>foreign</em> block
 * is never joinable and keeps its id.
 *
 * <p>An id comes back only long after its thread is gone. An ERRORCHECK or RECURSIVE mutex
 * (or a rwlock, a spin lock) whose owner ended while holding it names that owner for ever; a
 * new thread given the same id would own it ({@code unlock} → 0 where glibc answers EPERM).
 * glibc's owner is the kernel tid, which the kernel hands out cyclically up to {@code pid_max}
 * (32768 on the project's machines), so C meets the same reuse, after that many thread
 * creations. Here an id is a <em>slot</em> and a <em>generation</em>:
 * {@code id = slot << GEN_BITS | generation}. Released ids wait, oldest first, in the
 * {@link #FREE} ring. A new thread takes a fresh slot while at most {@link #QUARANTINE} ids
 * wait; beyond that (or once every slot has been handed out) it takes the oldest waiting id
 * with its generation bumped. An id therefore returns only after its slot has gone round the
 * ring {@code 2^GEN_BITS} times, each time behind at least {@code QUARANTINE} other thread
 * ends: after more than 16 million thread ends.
 *
 * <p>The other way, one counter cycling through the whole 30-bit space, would bring an id back
 * after a billion creations, but to keep ids unique among living threads once it wraps it needs
 * the set of living ids at all times, whose memory grows with a million live M:N pthreads, or
 * with long-lived threads spread over the id space; the ring holds only released ids, 4 bytes
 * each. The price of the generation is the bound on living pthreads: {@code MAX_SLOT}, 16.7
 * million (a million M:N pthreads fit sixteen times). Lock words reserve the ids above
 * {@code MAX_ID}; the last generation of {@code MAX_SLOT} stays below them.
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
 * <p>The word's higher bits are the thread's own flags, which only the thread itself changes
 * (by CAS, as others change the join state beside them; a transition of the join state keeps
 * them): its cancel state and type, and the cancel it holds (see the interrupt word), which
 * only it reads, and EXITING, which a signal's sender reads too.
 * <pre>
 *   flag              set                                       cleared
 *   CANCEL_DISABLED   pthread_setcancelstate(DISABLE)           pthread_setcancelstate(ENABLE)
 *   CANCEL_ASYNC      pthread_setcanceltype(ASYNCHRONOUS)       pthread_setcanceltype(DEFERRED)
 *   EXITING           the body unwinds (cancel, pthread_exit)   never
 *                     or has returned: no more cancellation
 *   CANCEL_HELD       a cancel taken out of the interrupt word  never (the thread acts on it
 *                     while cancellation is disabled            once it may)
 *   ADOPTED           a foreign thread's first pthread_self     never
 * </pre>
 *
 * <h2>The kernel thread's handle ({@code native})</h2>
 * {@link #handle()} names glibc's thread, whose {@code struct pthread} glibc frees or gives to
 * a new thread once the kernel thread has exited and been joined, or at its exit when it is
 * detached. A call that hands the handle to glibc from another thread
 * ({@code pthread_setname_np}; any such call added later) pins it around the call:
 * <pre>
 *   handleUsers   meaning                                     transitions
 *   n             n pinned calls in flight                    +1 (pinHandle), -1 (unpinHandle)
 *   CLOSED | n    the body has ended; n calls still in flight -1 (unpinHandle; the last unparks)
 * </pre>
 * The thread itself, once its body is over and before its kernel thread can exit, sets
 * HANDLE_CLOSED and parks until no call is in flight ({@link #closeHandle}); a pin fails once
 * HANDLE_CLOSED is set. So every pinned call runs while the kernel thread is alive, and none
 * starts after: join, detach and a detached thread's exit free nothing under it. Without a
 * racing call, closing costs the thread one uncontended atomic.
 *
 * <h2>The interrupt word: cancellation and signals</h2>
 * {@link #interruptWord} is what ends an interruptible futex wait of the thread (see
 * {@link Futex#interrupt}): the kernel's {@code futex_waitv} sleeps while it is 0.
 * <pre>
 *   bit      set by                                   cleared by
 *   CANCEL   pthread_cancel (atomic or)               the thread, while its cancellation is
 *                                                     disabled: moved to CANCEL_HELD (state word)
 *   SIGNAL   a sender, under the signal lock, when    the thread, under the signal lock, when
 *            a signal becomes deliverable to the      it takes its deliverable signals
 *            thread (org.pthread4j.Signals)
 * </pre>
 * A cancel is pending while CANCEL or CANCEL_HELD is set. The thread acts on it at
 * cancellation points and, when its cancel type is asynchronous, in every blocking wait
 * of the library. A cancel that the thread may not act on yet (cancellation disabled) would
 * keep the word non-zero and turn every interruptible wait into a busy loop, so
 * {@link #interruption} moves it out of the word into CANCEL_HELD (a flag of the thread's
 * own in the state word) before the thread sleeps; a later cancel sets the bit again, ends
 * the wait, and is held the same way.
 *
 * <h2>Signal state</h2>
 * {@link #signals()} (the mask, the pending set, the sigwait set) belongs to
 * {@code org.pthread4j.Signals} and is guarded by its lock; it stays null for a thread that
 * never blocks a signal nor gets one. {@link #forEachLive} enumerates the threads a
 * process-directed signal may go to.
 *
 * <h2>Rare fields</h2>
 * A blocked M:N pthread costs its control block, and a million of them may wait at once, so
 * the block keeps only what every pthread uses (identity, join and exit, cancellation).
 * What only some threads use lives in a {@link Rare} block, made on
 * the first write of one of its fields by a CAS on {@link #rare} (any thread may write some of
 * them, e.g. a priority), and read as the field's default while there is none: the kernel
 * thread's handle and tid ({@code native}, where every pthread has one), scheduling set through
 * the facade, creation attributes, signal state, a name set by {@code pthread_setname_np},
 * cleanup handlers, robust mutexes held, the sleep word, a user's uncaught-exception handler,
 * a non-zero errno (set by a call that failed, which most threads never make), and
 * thread-specific values (a thread that sets one makes two arrays of {@code PTHREAD_KEYS_MAX}
 * entries, 8 KB, beside which the rare block is small).
 * The block is also the thread's node in the parking lot's queues ({@link Waiter}: its state
 * word and two links), so that a wait there allocates nothing. A virtual pthread's block,
 * with its body (whose start routine and argument wait in {@link #exitValue}) and the node,
 * is 48 bytes: the header's 12, the node's 20 and 16 of its own (the id, the state word,
 * the exit value and the rare block; the block alone was 128 once, the node a 32-byte
 * object of its own, the block 72 bytes while it held the thread-specific arrays, 64 while
 * it held its words' place, see {@link #SLOT_WORDS}, and 56 while it kept its cancellation
 * flags in bytes of their own and the handle {@code pthread_self} returns); a native one's
 * is 136 bytes with its rare block (48 and 88), beside a kernel thread's stack (the node's
 * 16 bytes unused: its waits are the kernel's).
 */
public class Tcb extends Waiter implements Thread.UncaughtExceptionHandler {

    public static final int JOINABLE = 0;
    public static final int DETACHED = 1;
    public static final int JOINING = 2;
    public static final int JOINED = 3;
    public static final int FOREIGN = 4;
    public static final int STATE_MASK = 7;
    public static final int ENDED = 8;
    // The thread's own flags (see Join state).
    private static final int CANCEL_DISABLED = 1 << 4;
    private static final int CANCEL_ASYNC = 1 << 5;
    private static final int EXITING = 1 << 6;
    private static final int CANCEL_HELD = 1 << 7;
    private static final int ADOPTED = 1 << 8;

    /** The largest owner tid: lock words reserve the ids above it. */
    public static final int MAX_ID = 0x3FFF_FFF0;
    /** The low bits of an id that count its slot's reuses (see Identity above). */
    private static final int GEN_BITS = 6;
    private static final int GEN_MASK = (1 << GEN_BITS) - 1;
    /** The largest slot: its last generation is still at most MAX_ID. */
    private static final int MAX_SLOT = ((MAX_ID + 1) >>> GEN_BITS) - 1;
    /** Released ids that wait before the oldest of them is reused. */
    private static final int QUARANTINE = 1 << 18;

    public static final int CANCEL_ENABLE = 0;
    public static final int CANCEL_DISABLE = 1;
    public static final int CANCEL_DEFERRED = 0;
    public static final int CANCEL_ASYNCHRONOUS = 1;

    /** Released ids, oldest first; with {@link #nextSlot}, guarded by its lock. */
    private static final IdRing FREE = new IdRing();
    /** The first slot never handed out. */
    private static int nextSlot = 1;
    /**
     * The blocks of platform threads (pthreads on {@code native}, and foreign threads) and of
     * foreign virtual threads, which it dies with. A pthread that is a virtual thread (every
     * M:N and M:1 model) finds its block elsewhere, at no cost per thread: the block is its
     * thread's uncaught-exception handler ({@link #bind}), a reference every {@code Thread}
     * has and a pthread never uses (its body catches everything). A thread-local would give
     * each of them a thread-local map (a map, its 16-slot table and an entry: 136 bytes), a
     * concurrent map a node (32 bytes) and a table slot. A pthread that sets a handler of its
     * own replaces its block there: {@link #current} then finds the block by a scan of
     * {@link #created}, keeps the user's handler in {@link #userHandler}, to which the block
     * delegates, and puts the block back (once per replacement).
     */
    private static final ThreadLocal<Tcb> CURRENT = new ThreadLocal<>();
    /**
     * The blocks of foreign threads, for {@link #forEachLive}; a block stays until a scan
     * finds its thread dead.
     */
    private static final java.util.Set<Tcb> LOCAL = ConcurrentHashMap.newKeySet();
    /**
     * The blocks of created pthreads by slot, for {@link #forEachLive}: set when the block is
     * made and cleared when its id is released, both under {@link #FREE}'s lock, as is the
     * growth of the array (doubling); read without it. 4 bytes per slot ever handed out
     * (at most the live pthreads plus {@link #QUARANTINE}).
     */
    private static volatile Tcb[] created = new Tcb[64];
    private static final VarHandle CREATED = MethodHandles.arrayElementVarHandle(Tcb[].class);
    private static final VarHandle STATE;
    private static final VarHandle RARE;
    private static final VarHandle HANDLE_USERS;
    private static final int HANDLE_CLOSED = 0x8000_0000;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Tcb.class, "state", int.class);
            RARE = MethodHandles.lookup().findVarHandle(Tcb.class, "rare", Rare.class);
            HANDLE_USERS = MethodHandles.lookup().findVarHandle(Rare.class, "handleUsers", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The owner tid (see the class comment). */
    public final int id;
    /**
     * Every slot's two words, the exit word and the interrupt word {@link #INTERRUPT_OFFSET}
     * bytes after it, 8 bytes per slot in chunks of {@code 1 << CHUNK_BITS} slots: a block
     * reaches its words through its id and keeps no field for them (a million blocked M:N
     * pthreads, 8 MB), and makes a slice only for a futex call ({@link #exitWord},
     * {@link #interruptWord}). A chunk is made when its first slot is handed out, under
     * {@link #FREE}'s lock, and is never freed: a slot's words are its next thread's, whose
     * block zeroes them. A call that reaches a block after its id was released (a stale
     * {@code pthread_t} after its join) answers from the block's state and touches no word,
     * and the id's slot comes back only after {@link #QUARANTINE} other ids.
     */
    private static final int CHUNK_BITS = 12;
    private static final MemorySegment[] SLOT_WORDS = new MemorySegment[(MAX_SLOT >>> CHUNK_BITS) + 1];
    /** Where the interrupt word sits after the exit word. */
    public static final long INTERRUPT_OFFSET = 4;
    /** Interrupt word: a cancel has been requested. */
    public static final int CANCEL = 1;
    /** Interrupt word: a signal is pending that this thread would take. */
    public static final int SIGNAL = 2;
    public static final int RUNNING = 0;
    public static final int EXITED = 1;
    public static final int RUNNING_JOINER_WAITS = 2;

    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;

    // The Java thread that runs this pthread, set when it starts, is Waiter's thread.
    /**
     * The exit value, published by the exit word's release store; before the thread runs,
     * the facade's body keeps its start routine and argument here.
     */
    public Object exitValue;
    /** What few threads use (see Rare fields); null until one of its fields is written. */
    @SuppressWarnings("unused") // written through RARE
    private volatile Rare rare;

    /** Set once some thread has blocked a signal: only then does pthread_create copy masks. */
    public static volatile boolean masksInUse;

    /** The fields of a control block that few threads use (see Rare fields). */
    private static final class Rare {
        /** The native thread handle on {@code native}. */
        volatile long handle;
        /** Calls in flight on {@link #handle}, and HANDLE_CLOSED (see the class comment). */
        @SuppressWarnings("unused") // accessed through HANDLE_USERS
        volatile int handleUsers;
        /** See {@link Tcb#cached()}. */
        volatile boolean cached;
        /** See {@link Tcb#schedDirty()}. */
        volatile boolean schedDirty;
        /** See {@link Tcb#kernelTid()}. */
        volatile int kernelTid;
        /** The policy and priority set for a user-level thread ({@link Scheduling#pack}). */
        volatile long sched;
        /** The CPU mask set for a user-level thread, as words of 64 CPUs; null: every CPU. */
        volatile long[] affinity;
        /** What {@code pthread_getattr_np} reports: the facade's copy of the creation attributes. */
        volatile Object attributes;
        /**
         * Signals' state of this thread (see Signal state); set under the signal lock, or by
         * {@code pthread_create} before the thread starts.
         */
        Object signals;
        /** The name set by {@code pthread_setname_np}. */
        volatile String name;
        // Owned by the thread itself: plain fields.
        /** A virtual pthread's own uncaught-exception handler, which its block stands in for. */
        Thread.UncaughtExceptionHandler userHandler;
        /** A word nobody wakes, for sleeping as a timed wait. */
        MemorySegment sleepWord;
        /** Cleanup handlers, innermost last. */
        ArrayDeque<Object> cleanup;
        /** Robust mutexes held, released as owner-dead when the thread ends. */
        ArrayList<Object> robustHeld;
        /** Thread-specific values by key slot, and the key generation each was set under. */
        Object[] specific;
        int[] specificGen;
        /** The thread's errno (see {@link Tcb#errno()}). */
        int errno;
    }

    private Tcb(int id, int initialState) {
        this.id = id;
        Words.INT.set(words(), offset(), 0);
        Words.INT.set(words(), offset() + INTERRUPT_OFFSET, 0);
        this.state = initialState;
    }

    /**
     * A control block for a thread about to be created: the facade's subclass, which is also
     * the body the thread runs (no closure object per pthread, and no frame of one on a
     * parked virtual thread's stack).
     *
     * @throws IllegalStateException when every id is in use
     */
    protected Tcb(boolean detached) {
        this(allocateId(), detached ? DETACHED : JOINABLE);
        int slot = slot();
        synchronized (FREE) {
            Tcb[] table = created;
            if (slot >= table.length) {
                created = table = java.util.Arrays.copyOf(table, Math.max(2 * table.length, slot + 1));
            }
            CREATED.setRelease(table, slot, this);
        }
    }

    /** A control block for a thread about to be created that runs no pthread body (tests of the parking lot). */
    public static Tcb create(boolean detached) {
        return new Tcb(detached);
    }

    /** The calling thread's control block, created on first use for a foreign thread. */
    public static Tcb current() {
        Thread t = Thread.currentThread();
        if (t.isVirtual() && t.getUncaughtExceptionHandler() instanceof Tcb self) {
            return self;
        }
        return lookUp(t);
    }

    /**
     * {@link #current} where the thread's handler is not its block: a platform thread (its
     * thread-local), or a virtual thread's first call. Out of line, so that the check above
     * is small enough for the JIT to compile into every caller.
     */
    private static Tcb lookUp(Thread t) {
        Tcb self = CURRENT.get();
        if (self == null && t.isVirtual() && (self = createdFor(t)) != null) {
            Thread.UncaughtExceptionHandler h = t.getUncaughtExceptionHandler();
            if (h != t.getThreadGroup()) {
                self.rare().userHandler = h;
            }
            t.setUncaughtExceptionHandler(self);
            return self;
        }
        if (self == null) {
            self = new Tcb(allocateId(), FOREIGN);
            self.thread = t;
            self.name(self.thread.getName());
            CURRENT.set(self);
            LOCAL.add(self);
        }
        return self;
    }

    /** Makes {@code tcb} the calling thread's block; the first thing a pthread body does. */
    public static void bind(Tcb tcb) {
        Thread t = Thread.currentThread();
        tcb.thread = t;
        if (t.isVirtual()) {
            t.setUncaughtExceptionHandler(tcb);
        } else {
            CURRENT.set(tcb);
        }
    }

    /** Forgets the calling thread's block; the last thing a pthread body does. */
    public static void unbind() {
        Thread t = Thread.currentThread();
        if (t.isVirtual()) {
            t.setUncaughtExceptionHandler(null);
        } else {
            CURRENT.remove();
        }
    }

    /** The running pthread's block whose thread is {@code t}, by a scan of {@link #created}; or null. */
    private static Tcb createdFor(Thread t) {
        Tcb[] table = created;
        for (int slot = 0; slot < table.length; slot++) {
            Tcb b = (Tcb) CREATED.getAcquire(table, slot);
            if (b != null && b.thread == t && (b.state() & ENDED) == 0) {
                return b;
            }
        }
        return null;
    }

    /**
     * A virtual pthread's handler: its block is the handler so that {@link #current} finds it
     * (see {@link #CURRENT}). A pthread's body catches everything, so only a caller that
     * invokes the handler itself gets here: the pthread's own handler, if it set one, or the
     * thread group's.
     */
    @Override
    public void uncaughtException(Thread t, Throwable e) {
        Rare r = rare;
        Thread.UncaughtExceptionHandler h = r == null ? null : r.userHandler;
        if (h != null) {
            h.uncaughtException(t, e);
        } else {
            t.getThreadGroup().uncaughtException(t, e);
        }
    }

    /**
     * Calls {@code action} with the block of every living thread that has one: foreign
     * threads, and pthreads that have started and not yet ended.
     */
    public static void forEachLive(java.util.function.Consumer<Tcb> action) {
        for (Tcb t : LOCAL) {
            Thread thread = t.thread;
            if (thread != null && !thread.isAlive()) {
                LOCAL.remove(t); // a foreign thread that ended
            } else {
                action.accept(t);
            }
        }
        Tcb[] table = created;
        for (int slot = 0; slot < table.length; slot++) {
            Tcb t = (Tcb) CREATED.getAcquire(table, slot);
            if (t != null && t.thread != null && (t.state() & ENDED) == 0) {
                action.accept(t);
            }
        }
    }

    /** This block's rare fields, made on first use (by a CAS: any thread may be first). */
    private Rare rare() {
        Rare r = rare;
        if (r == null) {
            Rare made = new Rare();
            r = (Rare) RARE.compareAndExchange(this, null, made);
            if (r == null) {
                r = made;
            }
        }
        return r;
    }

    /**
     * The thread-specific values by key slot; null until the thread's first
     * {@code pthread_setspecific}. Read and written by the thread itself.
     */
    public Object[] specific() {
        Rare r = rare;
        return r == null ? null : r.specific;
    }

    /** The key generation each of {@link #specific()}'s values was set under; null with it. */
    public int[] specificGen() {
        Rare r = rare;
        return r == null ? null : r.specificGen;
    }

    /** Gives the thread its thread-specific arrays, on its first {@code pthread_setspecific}. */
    public void specific(Object[] values, int[] generations) {
        Rare r = rare();
        r.specificGen = generations;
        r.specific = values;
    }

    /** The thread's errno: 0 until a call sets it; read and written by the thread itself. */
    public int errno() {
        Rare r = rare;
        return r == null ? 0 : r.errno;
    }

    /** Sets the thread's errno; 0 makes no rare block for a thread that has none. */
    public void errno(int value) {
        Rare r = rare;
        if (r != null) {
            r.errno = value;
        } else if (value != 0) {
            rare().errno = value;
        }
    }

    /** The native thread handle on {@code native}; 0 until set, and on the other models. */
    public long handle() {
        Rare r = rare;
        return r == null ? 0 : r.handle;
    }

    public void handle(long handle) {
        rare().handle = handle;
    }

    /**
     * {@code native}: the pthread runs on a kernel thread of the cache, which outlives it, so
     * it is joined on its exit word. Set by the creator before the thread starts.
     */
    public boolean cached() {
        Rare r = rare;
        return r != null && r.cached;
    }

    public void cached(boolean cached) {
        if (cached || rare != null) {
            rare().cached = cached;
        }
    }

    /**
     * Whether this thread's kernel scheduling (policy, priority, CPU affinity) was changed
     * through the facade: on native, a pthread it creates is then a new kernel thread, which
     * inherits them, and a kernel thread of the cache gets the defaults back before its next
     * pthread.
     */
    public boolean schedDirty() {
        Rare r = rare;
        return r != null && r.schedDirty;
    }

    public void schedDirty(boolean dirty) {
        if (dirty || rare != null) {
            rare().schedDirty = dirty;
        }
    }

    /**
     * The kernel tid of the thread on {@code native}: a pthread publishes it as it starts, a
     * foreign thread when it first asks for its handle; 0 until then, and on the other models.
     */
    public int kernelTid() {
        Rare r = rare;
        return r == null ? 0 : r.kernelTid;
    }

    public void kernelTid(int tid) {
        rare().kernelTid = tid;
    }

    /** The policy and priority set for a user-level thread ({@link Scheduling#pack}); 0: the default. */
    public long sched() {
        Rare r = rare;
        return r == null ? 0 : r.sched;
    }

    public void sched(long sched) {
        if (sched != 0 || rare != null) {
            rare().sched = sched;
        }
    }

    /** The CPU mask set for a user-level thread, as words of 64 CPUs; null: every CPU. */
    public long[] affinity() {
        Rare r = rare;
        return r == null ? null : r.affinity;
    }

    public void affinity(long[] mask) {
        if (mask != null || rare != null) {
            rare().affinity = mask;
        }
    }

    /** What {@code pthread_getattr_np} reports: the facade's copy of the creation attributes, or null. */
    public Object attributes() {
        Rare r = rare;
        return r == null ? null : r.attributes;
    }

    public void attributes(Object attributes) {
        if (attributes != null || rare != null) {
            rare().attributes = attributes;
        }
    }

    /** Signals' state of this thread (see Signal state), or null; under the signal lock. */
    public Object signals() {
        Rare r = rare;
        return r == null ? null : r.signals;
    }

    /**
     * Sets the signal state; under the signal lock, or by {@code pthread_create} before the
     * thread starts.
     */
    public void signals(Object state) {
        rare().signals = state;
    }

    /** The name set by {@code pthread_setname_np} (a foreign thread's: its Java name), or null. */
    public String name() {
        Rare r = rare;
        return r == null ? null : r.name;
    }

    public void name(String name) {
        rare().name = name;
    }

    /** This thread's sleep word; only the thread itself may call this. */
    public MemorySegment sleepWord() {
        Rare r = rare();
        if (r.sleepWord == null) {
            r.sleepWord = Words.allocate();
        }
        return r.sleepWord;
    }

    public int state() {
        return (int) STATE.getVolatile(this);
    }

    public boolean casState(int expected, int value) {
        return STATE.compareAndSet(this, expected, value);
    }

    /**
     * Moves the join state from what {@code expected} holds to {@code joinState}, keeping
     * ENDED and the thread's own flags; false if the state word is no longer {@code expected}.
     */
    public boolean casJoinState(int expected, int joinState) {
        return casState(expected, joinState | (expected & ~STATE_MASK));
    }

    private boolean has(int flag) {
        return (state() & flag) != 0;
    }

    /** Sets or clears one of the thread's own flags; only the thread itself may call this. */
    private void flag(int flag, boolean on) {
        for (;;) {
            int s = state();
            int n = on ? s | flag : s & ~flag;
            if (n == s || casState(s, n)) {
                return;
            }
        }
    }

    /** CANCEL_ENABLE or CANCEL_DISABLE. */
    public int cancelState() {
        return has(CANCEL_DISABLED) ? CANCEL_DISABLE : CANCEL_ENABLE;
    }

    /** Sets the cancel state (CANCEL_ENABLE or CANCEL_DISABLE); only the thread itself may call this. */
    public void cancelState(int cancelState) {
        flag(CANCEL_DISABLED, cancelState == CANCEL_DISABLE);
    }

    /** CANCEL_DEFERRED or CANCEL_ASYNCHRONOUS. */
    public int cancelType() {
        return has(CANCEL_ASYNC) ? CANCEL_ASYNCHRONOUS : CANCEL_DEFERRED;
    }

    /** Sets the cancel type (CANCEL_DEFERRED or CANCEL_ASYNCHRONOUS); only the thread itself may call this. */
    public void cancelType(int cancelType) {
        flag(CANCEL_ASYNC, cancelType == CANCEL_ASYNCHRONOUS);
    }

    /** The thread unwinds for a cancel or pthread_exit, or its body has returned: no more cancellation. */
    public boolean exiting() {
        return has(EXITING);
    }

    /** Marks the thread as exiting (see {@link #exiting()}); only the thread itself may call this. */
    public void startExiting() {
        flag(EXITING, true);
    }

    /**
     * True the first time a foreign thread asks for its handle, after which the model adopts
     * it; only the thread itself may call this.
     */
    public boolean firstAdoption() {
        if (has(ADOPTED)) {
            return false;
        }
        flag(ADOPTED, true);
        return true;
    }

    public void pushCleanup(Object handler) {
        Rare r = rare();
        if (r.cleanup == null) {
            r.cleanup = new ArrayDeque<>(4);
        }
        r.cleanup.addLast(handler);
    }

    /** The innermost cleanup handler, removed, or null. */
    public Object popCleanup() {
        Rare r = rare;
        return r == null || r.cleanup == null ? null : r.cleanup.pollLast();
    }

    public boolean hasCleanup() {
        Rare r = rare;
        return r != null && r.cleanup != null && !r.cleanup.isEmpty();
    }

    public void holdRobust(Object mutex) {
        Rare r = rare();
        if (r.robustHeld == null) {
            r.robustHeld = new ArrayList<>(2);
        }
        r.robustHeld.add(mutex);
    }

    public void releaseRobust(Object mutex) {
        Rare r = rare;
        if (r != null && r.robustHeld != null) {
            r.robustHeld.remove(mutex);
        }
    }

    /** The robust mutexes still held, removed from the block. */
    public Object[] takeRobustHeld() {
        Rare r = rare;
        if (r == null || r.robustHeld == null) {
            return new Object[0];
        }
        Object[] held = r.robustHeld.toArray();
        r.robustHeld.clear();
        return held;
    }

    /**
     * Waits until this thread's body has ended (the exit word is {@link #EXITED}): the
     * joiner's half of the exit-word protocol. It announces its sleep with
     * RUNNING → RUNNING_JOINER_WAITS, so that the ending thread, which swaps in EXITED,
     * knows to wake it (both sides are atomic read-modify-writes: no lost wake-up).
     *
     * @param cancelable as for {@link Futex#wait}
     * @return 0 once ended (with the exit value visible), {@link Futex#CANCELED} or
     *         {@link Futex#INTERRUPTED}
     */
    public int awaitExit(Futex futex, Tcb cancelable) {
        return awaitExit(futex, Futex.CLOCK_NONE, 0, 0, cancelable);
    }

    /**
     * {@link #awaitExit(Futex, Tcb)} until the absolute deadline {@code (sec, nsec)} on
     * {@code clock} ({@link Futex#CLOCK_NONE}: none; the caller has checked it).
     *
     * @return 0, {@link Futex#CANCELED}, {@link Futex#INTERRUPTED} or {@link Futex#ETIMEDOUT}
     */
    public int awaitExit(Futex futex, int clock, long sec, long nsec, Tcb cancelable) {
        MemorySegment exitWord = exitWord();
        for (int w; (w = (int) Words.INT.getAcquire(exitWord, 0L)) != EXITED; ) {
            if (w == RUNNING && !Words.cas(exitWord, RUNNING, RUNNING_JOINER_WAITS)) {
                continue;
            }
            int r = futex.wait(exitWord, RUNNING_JOINER_WAITS, clock, sec, nsec, cancelable);
            if (r == Futex.CANCELED || r == Futex.INTERRUPTED || r == Futex.ETIMEDOUT) {
                return r;
            }
        }
        return 0;
    }

    /**
     * The exit word: {@link #RUNNING} while the body runs ({@link #RUNNING_JOINER_WAITS} once
     * a joiner sleeps on it), {@link #EXITED} once the body has ended: the ending thread swaps
     * in EXITED and wakes the word only if a joiner announced itself. A new slice on each
     * call, for a futex call.
     */
    public MemorySegment exitWord() {
        return words().asSlice(offset(), 4);
    }

    /** The interrupt word (see the class comment), as a slice for a futex call (made on each call). */
    public MemorySegment interruptWord() {
        return words().asSlice(offset() + INTERRUPT_OFFSET, 4);
    }

    /** Whether a cancel has been requested; only the thread itself may call this. */
    public boolean isCancelPending() {
        return has(CANCEL_HELD) || (interruptBits() & CANCEL) != 0;
    }

    /**
     * Nothing is pending for the thread: no cancel (held or in the word) and no signal. One
     * read of the interrupt word, for a cancellation point's common case; only the thread
     * itself may call this.
     */
    public boolean isQuiet() {
        return interruptBits() == 0 && !has(CANCEL_HELD);
    }

    /** A cancel is pending and the thread acts on it now; only the thread itself may call this. */
    public boolean isCancelDue() {
        return actsOnCancel() && isCancelPending();
    }

    /** Cancellation is enabled and the thread is not exiting: a cancel, once there, is acted on. */
    private boolean actsOnCancel() {
        return (state() & (CANCEL_DISABLED | EXITING)) == 0;
    }

    /**
     * Cancellation is enabled and asynchronous, and the thread is not exiting: every blocking
     * wait of the library ends for a cancel (one read of the state word).
     */
    public boolean cancelsAsynchronously() {
        return (state() & (CANCEL_DISABLED | EXITING | CANCEL_ASYNC)) == CANCEL_ASYNC;
    }

    /**
     * What ends an interruptible wait of this thread now: {@link Futex#CANCELED} (a cancel it
     * acts on), {@link Futex#INTERRUPTED} (a signal to take), or 0. A cancel it may not act on
     * is moved to CANCEL_HELD, so that the word can be slept on. Only the thread
     * itself may call this.
     */
    public int interruption() {
        int w = interruptBits();
        if ((w & CANCEL) != 0) {
            if (actsOnCancel()) {
                return Futex.CANCELED;
            }
            flag(CANCEL_HELD, true);
            Words.INT.getAndBitwiseAnd(words(), offset() + INTERRUPT_OFFSET, ~CANCEL);
        }
        return (w & SIGNAL) != 0 ? Futex.INTERRUPTED : 0;
    }

    private int interruptBits() {
        return (int) Words.INT.getVolatile(words(), offset() + INTERRUPT_OFFSET);
    }

    /** The slot of this block's id (see Identity in the class comment): its place in the tables by slot. */
    public int slot() {
        return id >>> GEN_BITS;
    }

    /** The chunk of {@link #SLOT_WORDS} that holds this block's words. */
    private MemorySegment words() {
        return SLOT_WORDS[slot() >>> CHUNK_BITS];
    }

    /** The offset of this block's exit word in {@link #words()}. */
    private long offset() {
        return (long) (slot() & ((1 << CHUNK_BITS) - 1)) << 3;
    }

    /** Sets CANCEL; the canceller then wakes the thread ({@link Futex#interrupt}). */
    public void requestCancel() {
        Words.INT.getAndBitwiseOr(words(), offset() + INTERRUPT_OFFSET, CANCEL);
    }

    /** Sets or clears SIGNAL; the caller holds the signal lock. */
    public void signalBit(boolean deliverable) {
        if (deliverable) {
            Words.INT.getAndBitwiseOr(words(), offset() + INTERRUPT_OFFSET, SIGNAL);
        } else {
            Words.INT.getAndBitwiseAnd(words(), offset() + INTERRUPT_OFFSET, ~SIGNAL);
        }
    }

    /** Whether SIGNAL is set: a point delivers only then. */
    public boolean hasSignal() {
        return (interruptBits() & SIGNAL) != 0;
    }

    /**
     * Pins the kernel thread for a call on {@link #handle()} from another thread: true, and
     * then {@link #unpinHandle} after the call, unless the body has ended (false).
     */
    public boolean pinHandle() {
        Rare r = rare();
        for (int users; ((users = (int) HANDLE_USERS.getVolatile(r)) & HANDLE_CLOSED) == 0; ) {
            if (HANDLE_USERS.compareAndSet(r, users, users + 1)) {
                return true;
            }
        }
        return false;
    }

    public void unpinHandle() {
        if ((int) HANDLE_USERS.getAndAdd(rare(), -1) == (HANDLE_CLOSED | 1)) {
            LockSupport.unpark(thread); // the last call a closing thread waited for
        }
    }

    /**
     * Refuses further pins and waits until the calls in flight are done; the thread itself
     * calls this once its body is over, before its kernel thread can exit.
     */
    public void closeHandle() {
        Rare r = rare();
        if ((int) HANDLE_USERS.getAndBitwiseOr(r, HANDLE_CLOSED) != 0) {
            while ((int) HANDLE_USERS.getVolatile(r) != HANDLE_CLOSED) {
                LockSupport.park(this);
            }
        }
    }

    /** Returns the id to the pool; called exactly once, when the handle is dead. */
    public void releaseId() {
        synchronized (FREE) {
            FREE.add(id);
            Tcb[] table = created;
            int slot = slot();
            if (slot < table.length && table[slot] == this) {
                CREATED.setRelease(table, slot, null);
            }
        }
    }

    private static int allocateId() {
        synchronized (FREE) {
            if (FREE.size() > QUARANTINE || (nextSlot > MAX_SLOT && FREE.size() > 0)) {
                int old = FREE.poll();
                return (old & ~GEN_MASK) | ((old + 1) & GEN_MASK);
            }
            if (nextSlot > MAX_SLOT) {
                throw new IllegalStateException("more than " + MAX_SLOT + " live pthreads");
            }
            int slot = nextSlot++;
            if (SLOT_WORDS[slot >>> CHUNK_BITS] == null) {
                SLOT_WORDS[slot >>> CHUNK_BITS] = Arena.global().allocate(8L << CHUNK_BITS, 64);
            }
            return slot << GEN_BITS;
        }
    }

    /** A FIFO of ints in a growing circular array: 4 bytes per released id. */
    private static final class IdRing {
        private int[] ids = new int[64];
        private int head;
        private int size;

        int size() {
            return size;
        }

        void add(int id) {
            if (size == ids.length) {
                int[] grown = new int[ids.length * 2];
                for (int i = 0; i < size; i++) {
                    grown[i] = ids[(head + i) & (ids.length - 1)];
                }
                ids = grown;
                head = 0;
            }
            ids[(head + size++) & (ids.length - 1)] = id;
        }

        int poll() {
            int id = ids[head];
            head = (head + 1) & (ids.length - 1);
            size--;
            return id;
        }
    }
}
