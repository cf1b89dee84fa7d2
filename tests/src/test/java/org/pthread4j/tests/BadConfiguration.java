package org.pthread4j.tests;

import static org.pthread4j.Pthreads.*;

import org.pthread4j.pthread_mutex_t;
import org.pthread4j.pthread_t;

/**
 * A program started with a configuration under test, in a child JVM of
 * {@link ConfigurationTest}: it prints what its first facade call threw, then makes a second
 * call and lets whatever that throws end the program (stderr's first line).
 */
public final class BadConfiguration {

    private BadConfiguration() {}

    public static void main(String[] args) {
        try {
            new pthread_mutex_t();
            System.out.println("first call: returned");
        } catch (Throwable t) {
            System.out.println("first call: " + t);
        }
        System.out.flush();
        pthread_t t = new pthread_t();
        pthread_create(t, null, arg -> null, null);
        pthread_join(t, null);
        System.out.println("second call: returned");
    }
}
