package org.pthread4j.tests;

import static org.pthread4j.Pthreads.*;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.pthread4j.pthread_attr_t;
import org.pthread4j.pthread_t;

/**
 * The child program of {@link StackOverflowTest}: in one JVM, pthreads of many stack and guard
 * sizes, one after the other, recurse until their stack overflows (each may get a stack that
 * glibc cached from an earlier one). Prints one line per pthread; exits 1 unless each one's join
 * yielded a StackOverflowError, or the pthread_create was refused with EINVAL.
 */
public final class StackOverflowCombos {

    static final String DONE = "stack combinations done";

    private static final long K = 1024;
    /** 0: the default; 16 KiB is raised to the floor on native; one size is not a page multiple. */
    private static final long[] STACKS = {0, 16 * K, 256 * K, 300 * K, 300 * K + 100, 1024 * K};
    /** -1: never set; 5000 is not a page multiple. */
    private static final long[] GUARDS = {-1, 0, 4 * K, 5000, 280 * K, 1024 * K, 16 * 1024 * K};

    private StackOverflowCombos() {}

    private static int depth;

    private static void recurse() {
        depth++;
        recurse();
    }

    public static void main(String[] args) throws InterruptedException {
        // Each StackOverflowError escapes its start routine and is reported on stderr with 1024
        // frames: the join yields it, which is what this program checks.
        System.setErr(new PrintStream(OutputStream.nullOutputStream()));
        List<long[]> order = new ArrayList<>();
        order.add(new long[] {16 * K, 1024 * K, 0});   // the sequence of the report: this one ends
        order.add(new long[] {300 * K, 280 * K, 1});   // without recursing, this one recurses
        for (long stack : STACKS) {
            for (long guard : GUARDS) {
                order.add(new long[] {stack, guard, 1});
            }
        }
        for (int i = order.size() - 1; i >= 2; i--) {
            order.add(order.get(i));
        }
        boolean ok = true;
        for (long[] c : order) {
            ok &= run(c[0], c[1], c[2] != 0);
        }
        // A java.lang.Thread may get the cached stack of a pthread that had a large guard.
        ok &= runJavaThread(256 * K, 1024 * K, 1024 * K);
        System.out.println(DONE);
        System.exit(ok ? 0 : 1);
    }

    private static boolean run(long stack, long guard, boolean overflow) {
        String what = "stack " + stack + ", guard " + guard + (overflow ? ", recursing" : "") + ": ";
        pthread_attr_t attr = new pthread_attr_t();
        pthread_attr_init(attr);
        if ((stack != 0 && pthread_attr_setstacksize(attr, stack) != 0)
                || (guard >= 0 && pthread_attr_setguardsize(attr, guard) != 0)) {
            System.out.println(what + "attribute refused");
            return false;
        }
        pthread_t t = new pthread_t();
        int r = pthread_create(t, attr, arg -> {
            if (overflow) {
                recurse();
            }
            return "returned";
        }, null);
        if (r != 0) {
            System.out.println(what + "pthread_create: " + strerror(r));
            return r == EINVAL;
        }
        Object[] ret = new Object[1];
        r = pthread_join(t, ret);
        System.out.println(what + "pthread_join " + r + ", " + ret[0]);
        return r == 0 && (overflow ? ret[0] instanceof StackOverflowError : "returned".equals(ret[0]));
    }

    private static boolean runJavaThread(long stack, long guard, long javaStack) throws InterruptedException {
        run(stack, guard, false);
        Object[] ret = new Object[1];
        Thread t = new Thread(null, () -> {
            try {
                recurse();
            } catch (StackOverflowError e) {
                ret[0] = e;
            }
        }, "recursing java thread", javaStack);
        t.start();
        t.join();
        System.out.println("java.lang.Thread with stack " + javaStack + ", recursing: " + ret[0]);
        return ret[0] instanceof StackOverflowError;
    }
}
