package org.pthread4j.tests;

import static org.pthread4j.Pthreads.*;

import org.pthread4j.pthread_key_t;
import org.pthread4j.pthread_t;

/**
 * The child program of {@link MainThreadTest#cancelledMainEndsLikePthreadExit}: main starts
 * a worker, cancels itself and reaches a cancellation point. As in C, main then ends as by
 * {@code pthread_exit(PTHREAD_CANCELED)}: its cleanup handler and key destructor run, the
 * worker finishes, and the process exits with status 0.
 */
public final class MainCancelsItself {

    private MainCancelsItself() {}

    public static void main(String[] args) {
        pthread_key_t key = new pthread_key_t();
        pthread_key_create(key, v -> say("main: destructor " + v));
        pthread_setspecific(key, "value");
        pthread_t t = new pthread_t();
        pthread_create(t, null, arg -> {
            usleep(300_000);
            say("worker done");
            return null;
        }, null);
        pthread_cleanup_push(v -> say("main: cleanup " + v), "handler");
        pthread_cancel(pthread_self());
        say("main: cancelled");
        pthread_testcancel();
        say("not reached");
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
