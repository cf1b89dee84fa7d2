package org.example.consumer;

import static org.pthread4j.Pthreads.*;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.pthread4j.StartRoutine;
import org.pthread4j.posix.Posix;
import org.pthread4j.pthread_mutex_t;
import org.pthread4j.pthread_t;

/**
 * Four pthreads count to 4,000 under a mutex; then the facts ConsumerIT checks: the backend,
 * the module pthread4j runs in, jnr-posix's getpid (argument "jnr"), and that an internal
 * package stays closed to a reflective call.
 */
public final class Main {
    public static void main(String[] args) throws Exception {
        pthread_mutex_t lock = new pthread_mutex_t();
        long[] counter = {0};
        StartRoutine worker = arg -> {
            for (int i = 0; i < 1000; i++) {
                pthread_mutex_lock(lock);
                counter[0]++;
                pthread_mutex_unlock(lock);
            }
            return null;
        };
        pthread_t[] t = pthread_t.array(4);
        for (pthread_t x : t) {
            int rc = pthread_create(x, null, worker, null);
            if (rc != 0) {
                throw new AssertionError("pthread_create: " + strerror(rc));
            }
        }
        for (pthread_t x : t) {
            pthread_join(x, null);
        }
        System.out.println("backend " + backend().id() + ", counter " + counter[0]);
        System.out.println("module " + pthread_t.class.getModule().getName());
        if (args.length > 0 && args[0].equals("jnr")) {
            System.out.println("jnr-posix getpid " + (Posix.jnr().getpid() == ProcessHandle.current().pid() ? "ok" : "wrong"));
        }
        try {
            MethodHandles.publicLookup().findStatic(Class.forName("org.pthread4j.spi.Errno"), "message",
                    MethodType.methodType(String.class, int.class));
            System.out.println("org.pthread4j.spi accessible");
        } catch (IllegalAccessException e) {
            System.out.println("org.pthread4j.spi not accessible");
        }
    }
}
