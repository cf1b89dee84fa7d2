package org.pthread4j.tests;

import static org.pthread4j.Libc.*;
import static org.pthread4j.Pthreads.*;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import org.pthread4j.pthread_t;

/**
 * What {@link LibcTest} must run in a process of its own, as the C side does in
 * {@code src/test/c/libc.c}: {@code rand N} (the generator as the process starts),
 * {@code exit STATUS} (from a thread, while main waits in pthread_join, with stdout
 * buffered), {@code assert X}.
 */
public final class LibcChild {

    private LibcChild() {}

    public static void main(String[] args) {
        switch (args[0]) {
            case "rand" -> {
                for (int i = atoi(args[1]); i > 0; i--) {
                    printf("%d\n", rand());
                }
            }
            case "exit" -> {
                // stdout fully buffered, as C's is on a pipe: only exit's flush gets the text out
                System.setOut(new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)), false));
                int status = atoi(args[1]);
                pthread_t t = new pthread_t();
                pthread_create(t, null, arg -> {
                    printf("exit from a thread, unflushed");
                    exit(status);
                    return null;
                }, null);
                pthread_join(t, null);
            }
            case "assert" -> {
                int x = atoi(args[1]);
                assert_(x == 1, "x == 1");
                printf("x is 1\n");
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
