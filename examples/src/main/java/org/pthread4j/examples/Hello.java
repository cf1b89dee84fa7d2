package org.pthread4j.examples;

import static org.pthread4j.Pthreads.*;

import org.pthread4j.pthread_t;

/**
 * hello: start N threads, hand each one its own argument, join them all. Port of
 * {@code examples/hello/hello.c}.
 *
 * <p>Lesson: pthread_create passes one {@code void *} (here: one {@code Object}) to the
 * start routine; to pass more, pass an object that carries it all.
 */
public final class Hello {

    static final int DEFAULT_THREADS = 8;

    static final String[] greetings = {
        "Hello, world!", "Bonjour, le monde !", "Hallo, Welt!", "Hola, mundo!",
        "Ciao, mondo!", "Ola, mundo!", "Hej, varlden!", "Salve, munde!",
    };
    static final int GREETINGS = greetings.length;

    static final class thread_data {
        int id;
        int n;
        String greeting;
    }

    static void check(int rc, String what) {
        if (rc != 0) {
            System.err.printf("%s: %s%n", what, strerror(rc));
            System.exit(1);
        }
    }

    static Object hello(Object arg) {
        thread_data data = (thread_data) arg;
        System.out.printf("thread %d of %d: %s%n", data.id, data.n, data.greeting);
        return null;
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_THREADS;
        if (n < 1) {
            System.err.printf("usage: hello [threads]%n");
            System.exit(2);
        }
        pthread_t[] threads = new pthread_t[n];
        thread_data[] data = new thread_data[n];

        for (int i = 0; i < n; i++) {
            data[i] = new thread_data();
            data[i].id = i;
            data[i].n = n;
            data[i].greeting = greetings[i % GREETINGS];
            threads[i] = new pthread_t();
            check(pthread_create(threads[i], null, Hello::hello, data[i]), "pthread_create");
        }
        for (int i = 0; i < n; i++) {
            check(pthread_join(threads[i], null), "pthread_join");
        }

        System.out.printf("main: %d threads said hello and were joined%n", n);
    }
}
