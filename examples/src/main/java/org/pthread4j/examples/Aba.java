package org.pthread4j.examples;

import static org.pthread4j.Pthreads.*;
import static org.pthread4j.Stdatomic.*;

import org.pthread4j.atomic_int;
import org.pthread4j.atomic_long;
import org.pthread4j.pthread_t;
import org.pthread4j.sem_t;

/**
 * aba: a Treiber stack (lock-free: push and pop are each one compare-and-swap on the top of
 * the stack) whose nodes are reused, and the ABA problem that reuse causes; then the two
 * classic fixes. Port of {@code examples/aba/aba.c}; C's {@code <stdatomic.h>} is
 * {@code Stdatomic}.
 *
 * <p>pop reads the top node A and A's next node B, then swings the top from A to B with a
 * compare-and-swap. If, in between, other threads pop A, pop B and push A back, the top is A
 * again and the compare-and-swap succeeds: the top becomes B, a node that another thread
 * holds. The stack is corrupted.
 *
 * <p>Each of three stacks runs twice: first a staged interleaving that makes ABA strike for
 * certain (a semaphore stops T1 between its read and its compare-and-swap while main pops A,
 * pops B and pushes a node), then THREADS threads popping two nodes and pushing them back,
 * ROUNDS times each.
 * <ul>
 *   <li>plain: nodes reused, the top is a node: ABA corrupts the stack.</li>
 *   <li>tagged: nodes reused, the top is a node and a counter that every change bumps,
 *       swapped together (one 64-bit word): the A that came back carries another count, and
 *       the stale compare-and-swap fails.</li>
 *   <li>fresh: nodes never reused while anyone may hold them (a push takes a new node; popped
 *       ones are retired): safe reclamation, in its simplest form. Java's garbage collector
 *       gives a stack of references ({@code atomic_ptr}) this for free: a node cannot come
 *       back while a thread still holds a reference to it.</li>
 * </ul>
 * A node is an index into a pool, as in lock-free allocators, so that a counter fits beside
 * it in 64 bits.
 *
 * <p>Lesson: the staged ABA happens on every model, green included — it needs only a thread
 * stopped between its read and its compare-and-swap, here by a semaphore. Left to chance,
 * that stop takes a preemption inside a window of a few nanoseconds: rare on native, never on
 * green, whose one carrier switches threads only where they block.
 */
public final class Aba {

    static final int THREADS = 4;
    static final int NODES = 8;                 // on the stack when the threads start
    static final int NIL = -1;
    static final long MAX_ROUNDS = 1000000;     // fresh's pool grows with the rounds

    static final int PLAIN = 0;
    static final int TAGGED = 1;
    static final int FRESH = 2;

    static final String[] title = {
        "plain: nodes reused, compare-and-swap on the top node",
        "tagged: nodes reused, compare-and-swap on the top node and a change counter",
        "fresh: a push takes a new node, a popped node is never pushed again",
    };

    static final String[] why = {
        "the top was A again, so T1's compare-and-swap from A to B succeeded, though B was gone",
        "the top was A again, but with another count: T1's compare-and-swap failed, and T1 retried",
        "the top was D, not A: T1's compare-and-swap failed, and T1 retried",
    };

    static final class node {
        final atomic_int next = new atomic_int();   // the node below; NIL at the bottom
        final atomic_int held = new atomic_int();   // 1 while popped: popping a held node is the corruption
    }

    static int kind;
    static node[] pool;
    static int pool_size;
    static final atomic_int next_free = new atomic_int();      // the first node never used
    static final atomic_int top = new atomic_int();            // plain, fresh: the top node
    static final atomic_long tagged_top = new atomic_long();   // tagged: count << 32 | top node
    static long rounds;
    static final atomic_long held_pops = new atomic_long();    // pops that got a node another thread held
    static final sem_t t1_stopped = new sem_t();
    static final sem_t t1_resume = new sem_t();

    static void check(int rc, String what) {
        if (rc != 0) {
            System.err.printf("%s: %s%n", what, strerror(rc));
            System.exit(1);
        }
    }

    static long pack(int count, int node) {
        return (long) count << 32 | (node & 0xffffffffL);
    }

    static int node_of(long word) {
        return (int) word;
    }

    static int count_of(long word) {
        return (int) (word >>> 32);
    }

    static void push(int n) {
        int[] old = {atomic_load(top)};
        do {
            atomic_store_explicit(pool[n].next, old[0], memory_order_relaxed);
        } while (!atomic_compare_exchange_weak(top, old, n));
    }

    /**
     * The top node, or NIL. stop, if not null, runs once between the read of the top node's
     * next and the compare-and-swap: where ABA strikes.
     */
    static int pop(Runnable stop) {
        int[] old = {atomic_load(top)};
        for (;;) {
            if (old[0] == NIL) {
                return NIL;
            }
            int next = atomic_load_explicit(pool[old[0]].next, memory_order_relaxed);
            if (stop != null) {
                stop.run();
                stop = null;
            }
            if (atomic_compare_exchange_weak(top, old, next)) {
                return old[0];
            }
        }
    }

    static void push_tagged(int n) {
        long[] old = {atomic_load(tagged_top)};
        do {
            atomic_store_explicit(pool[n].next, node_of(old[0]), memory_order_relaxed);
        } while (!atomic_compare_exchange_weak(tagged_top, old, pack(count_of(old[0]) + 1, n)));
    }

    static int pop_tagged(Runnable stop) {
        long[] old = {atomic_load(tagged_top)};
        for (;;) {
            int n = node_of(old[0]);
            if (n == NIL) {
                return NIL;
            }
            int next = atomic_load_explicit(pool[n].next, memory_order_relaxed);
            if (stop != null) {
                stop.run();
                stop = null;
            }
            if (atomic_compare_exchange_weak(tagged_top, old, pack(count_of(old[0]) + 1, next))) {
                return n;
            }
        }
    }

    static int take(Runnable stop) {            // pop, and mark the node held
        int n = kind == TAGGED ? pop_tagged(stop) : pop(stop);
        if (n != NIL && atomic_exchange(pool[n].held, 1) != 0) {
            atomic_fetch_add(held_pops, 1);
        }
        return n;
    }

    static int give(int n) {                    // push back a node taken (fresh: a new one); returns the node pushed
        if (kind == FRESH) {
            n = atomic_fetch_add(next_free, 1);
        } else {
            atomic_store(pool[n].held, 0);
        }
        if (kind == TAGGED) {
            push_tagged(n);
        } else {
            push(n);
        }
        return n;
    }

    static void reset(int count) {              // nodes 0..count-1 on the stack, node 0 on top
        for (int i = 0; i < pool_size; i++) {
            atomic_init(pool[i].next, NIL);
            atomic_init(pool[i].held, 0);
        }
        atomic_store(top, NIL);
        atomic_store(tagged_top, pack(0, NIL));
        atomic_store(held_pops, 0L);
        for (int i = count - 1; i >= 0; i--) {
            if (kind == TAGGED) {
                push_tagged(i);
            } else {
                push(i);
            }
        }
        atomic_store(next_free, count);
    }

    /**
     * The stack from the top as letters ("A C") into out; returns the number of nodes, or -1
     * for a cycle; held[0]: how many of them a thread holds.
     */
    static int walk(StringBuilder out, int[] held) {
        int n = kind == TAGGED ? node_of(atomic_load(tagged_top)) : atomic_load(top);
        int count = 0;
        held[0] = 0;
        if (out != null) {
            out.setLength(0);
        }
        for (; n != NIL; n = atomic_load(pool[n].next)) {
            if (++count > pool_size) {
                return -1;
            }
            held[0] += atomic_load(pool[n].held);
            if (out != null) {
                out.append(out.isEmpty() ? "" : " ").append((char) ('A' + n));
            }
        }
        return count;
    }

    static void stop_t1() {
        if (sem_post(t1_stopped) != 0 || sem_wait(t1_resume) != 0) {
            System.err.printf("sem: %s%n", strerror(errno()));
            System.exit(1);
        }
    }

    static Object slow_popper(Object arg) {     // T1 of the staged run
        return take(Aba::stop_t1);
    }

    static boolean staged() {                   // true if the stack ends corrupted
        StringBuilder stack = new StringBuilder();
        int[] held = new int[1];
        reset(3);                               // A B C
        pthread_t t1 = new pthread_t();
        check(pthread_create(t1, null, Aba::slow_popper, null), "pthread_create");
        if (sem_wait(t1_stopped) != 0) {
            System.err.printf("sem_wait: %s%n", strerror(errno()));
            System.exit(1);
        }
        System.out.printf("  staged: T1 reads the top A and its next B, and stops before its compare-and-swap%n");
        int a = take(null);
        int b = take(null);
        int pushed = give(a);
        walk(stack, held);
        System.out.printf("  staged: main pops %c, pops %c, pushes %c; stack: %s%n", 'A' + a, 'A' + b, 'A' + pushed, stack);
        if (sem_post(t1_resume) != 0) {
            System.err.printf("sem_post: %s%n", strerror(errno()));
            System.exit(1);
        }
        Object[] ret = new Object[1];
        check(pthread_join(t1, ret), "pthread_join");
        int count = walk(stack, held);
        System.out.printf("  staged: T1 resumes and pops %c; stack: %s%n", 'A' + (Integer) ret[0], stack);
        if (count < 0 || held[0] > 0) {
            System.out.printf("  staged: CORRUPTED: the stack holds %c, which main has popped (ABA)%n", 'A' + b);
        } else {
            System.out.printf("  staged: correct: no node in the stack is held by a thread%n");
        }
        System.out.printf("  why: %s%n", why[kind]);
        return count < 0 || held[0] > 0;
    }

    static Object worker(Object arg) {
        for (long i = 0; i < rounds; i++) {
            int a = take(null);
            int b = take(null);
            if (a != NIL) {
                give(a);
            }
            if (b != NIL) {
                give(b);
            }
        }
        return null;
    }

    static boolean threads() {                  // true if the stack ends corrupted
        int[] held = new int[1];
        reset(NODES);
        pthread_t[] t = new pthread_t[THREADS];
        for (int i = 0; i < THREADS; i++) {
            t[i] = new pthread_t();
            check(pthread_create(t[i], null, Aba::worker, null), "pthread_create");
        }
        for (int i = 0; i < THREADS; i++) {
            check(pthread_join(t[i], null), "pthread_join");
        }
        int count = walk(null, held);
        long bad = atomic_load(held_pops);
        boolean corrupted = bad > 0 || count != NODES || held[0] > 0;
        if (count < 0) {
            System.out.printf("  threads: %d pops got a node another thread held; the stack ends in a cycle: CORRUPTED%n", bad);
        } else {
            System.out.printf("  threads: %d pops got a node another thread held; stack at the end: %d nodes of %d: %s%n",
                    bad, count, NODES, corrupted ? "CORRUPTED" : "ok");
        }
        if (kind == PLAIN && !corrupted) {
            System.out.printf("  no ABA this run: the window between the read and the compare-and-swap is a few ns;%n"
                    + "  more rounds find it (./aba 1000000), except on an M:1 model, where no thread stops inside it%n");
        }
        return corrupted;
    }

    public static void main(String[] args) {
        rounds = args.length > 0 ? Long.parseLong(args[0]) : 50000;
        if (rounds < 1 || rounds > MAX_ROUNDS) {
            System.err.printf("usage: aba [rounds-per-thread (1 to %d)]%n", MAX_ROUNDS);
            System.exit(2);
        }
        pool_size = (int) (NODES + 2 * THREADS * rounds);   // fresh takes a new node for every push
        pool = new node[pool_size];
        for (int i = 0; i < pool_size; i++) {
            pool[i] = new node();
        }
        if (sem_init(t1_stopped, 0, 0) != 0 || sem_init(t1_resume, 0, 0) != 0) {
            System.err.printf("sem_init: %s%n", strerror(errno()));
            System.exit(1);
        }
        System.out.printf("aba: a Treiber stack, staged, then %d threads x %d rounds of pop, pop, push, push%n", THREADS, rounds);
        boolean wrong = false;
        for (kind = PLAIN; kind <= FRESH; kind++) {
            System.out.printf("%s%n", title[kind]);
            boolean staged_corrupted = staged();
            boolean threads_corrupted = threads();
            wrong |= kind == PLAIN ? !staged_corrupted : staged_corrupted || threads_corrupted;
        }
        if (wrong) {
            System.exit(1);
        }
    }
}
