package org.pthread4j.tests;

import static org.pthread4j.Pthreads.*;

import org.pthread4j.pthread_t;
import org.pthread4j.posix.Posix;

/**
 * The child program of {@link PosixTest#jnrPosixIsOptional}, run with jnr-posix off the class
 * path: pthreads and the FFM system calls work, and {@code Posix.jnr()} says what is missing.
 */
public final class PosixWithoutJnr {

    private PosixWithoutJnr() {}

    public static void main(String[] args) {
        pthread_t t = new pthread_t();
        Object[] ret = new Object[1];
        int created = pthread_create(t, null, arg -> Posix.getpid(), null);
        int joined = pthread_join(t, ret);
        System.out.println("pthread " + created + " " + joined + " " + ret[0].equals((int) ProcessHandle.current().pid()));
        try {
            Posix.jnr();
            System.out.println("jnr: no failure");
        } catch (IllegalStateException e) {
            System.out.println("jnr: " + e.getMessage());
        }
    }
}
