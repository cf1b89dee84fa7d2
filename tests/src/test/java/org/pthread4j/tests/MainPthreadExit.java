package org.pthread4j.tests;

import static org.pthread4j.Pthreads.*;

import org.pthread4j.pthread_t;

/**
 * A C program's classic ending, in a child JVM of {@link MainThreadTest}: main calls
 * {@code pthread_exit(NULL)} while a worker still runs; the worker finishes, then the process
 * exits with status 0.
 */
public final class MainPthreadExit {

    private MainPthreadExit() {}

    public static void main(String[] args) {
        pthread_t t = new pthread_t();
        pthread_create(t, null, arg -> {
            usleep(300_000);
            System.out.println("worker done");
            System.out.flush();
            return null;
        }, null);
        System.out.println("main: pthread_exit");
        System.out.flush();
        pthread_exit(null);
        System.out.println("not reached");
    }
}
