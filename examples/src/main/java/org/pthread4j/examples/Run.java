package org.pthread4j.examples;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.pthread4j.Pthreads;

/**
 * The examples' launcher: {@code Run} lists them, {@code Run <name> [args]} runs one on the
 * backend chosen with {@code -Dpthread4j.backend} ({@code ./pthread4j run <name> --backend
 * green} passes it). Each example is the Java port of {@code examples/<name>/<name>.c}.
 */
public final class Run {

    /** One example: its name (as the C file's), one line on what it shows, and its main. */
    record Example(String name, String summary, Consumer<String[]> main) {}

    static final List<Example> EXAMPLES = List.of(
            new Example("hello", "N threads, each handed its own argument; join them all", Hello::main),
            new Example("join-sum", "partial sums returned through return, pthread_exit and pthread_join", JoinSum::main),
            new Example("detached", "detached workers; main waits on a condition variable, joins nobody", Detached::main),
            new Example("dotprod", "dot product: slices in parallel, a mutex-protected global sum", DotProd::main),
            new Example("watch-count", "a watcher waits on a condition until a count passes a threshold", WatchCount::main),
            new Example("bounded-buffer", "producers/consumers on a ring buffer, two condition variables", BoundedBuffer::main),
            new Example("philosophers", "dining philosophers: ordered locking, and a naive deadlock caught by timedlock", Philosophers::main),
            new Example("readers-writers", "a table under a rwlock: readers together, writers alone, no torn reads", ReadersWriters::main),
            new Example("life", "Game of Life, one band of rows per thread, barrier-separated generations", Life::main),
            new Example("thread-pool", "fixed workers on a bounded work queue count primes in parallel", ThreadPool::main),
            new Example("tls", "pthread keys with destructors, and a C __thread counter: one per kernel thread", Tls::main),
            new Example("race", "unsynchronized counter vs mutex vs atomic: lost updates made visible", Race::main),
            new Example("sem-rendezvous", "semaphores: rendezvous, a reusable barrier, a multiplex", SemRendezvous::main),
            new Example("cancel", "deferred cancellation, cleanup handlers, cancellation disabled then tested", Cancel::main),
            new Example("sigwait", "a signal thread sigwaits for SIGINT/SIGUSR1 blocked everywhere (Butenhof)", Sigwait::main),
            new Example("blocking", "one thread blocks in read() on a pipe: do the others keep counting?", Blocking::main),
            new Example("spin", "busy threads spin on a flag that a thread created after them sets: does it ever run?", Spin::main),
            new Example("aba", "a Treiber stack reusing nodes: ABA corrupts it; a tagged top and fresh nodes fix it", Aba::main),
            new Example("robust-mutex", "two processes share a robust mutex; one is killed holding it, the other recovers", RobustMutex::main),
            new Example("echo-server", "a TCP echo server, one pthread per connection; stdin's end stops it", EchoServer::main));

    private Run() {}

    static Example find(String name) {
        for (Example e : EXAMPLES) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        return null;
    }

    static void list() {
        System.out.println("usage: ./pthread4j run <example> [--backend native|virtual|green|gmp] [args...]");
        System.out.println("examples (each a Java port of examples/<example>/<example>.c):");
        for (Example e : EXAMPLES) {
            System.out.printf("  %-16s %s%n", e.name(), e.summary());
        }
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            list();
            return;
        }
        Example example = find(args[0]);
        if (example == null) {
            System.err.printf("pthread4j: no example named '%s'%n", args[0]);
            list();
            System.exit(2);
        }
        // C programs run in the "C" locale unless they call setlocale: %.2f prints a dot.
        Locale.setDefault(Locale.ROOT);
        try {
            System.err.printf("[%s on the %s backend]%n", example.name(), Pthreads.backend().id());
        } catch (IllegalStateException e) { // an unknown --backend: one line, not a stack trace
            System.err.printf("pthread4j: %s%n", e.getMessage());
            System.exit(2);
        }
        try {
            example.main().accept(Arrays.copyOfRange(args, 1, args.length));
        } catch (NumberFormatException e) {
            // C's atoi would quietly give 0; say what was wrong instead of a stack trace.
            System.err.printf("%s: not a number: %s%n", example.name(), e.getMessage());
            System.exit(2);
        }
        // As in C, returning from main ends the program, whatever threads are still running.
        System.out.flush();
        System.exit(0);
    }
}
