package org.pthread4j.lab;

import static org.pthread4j.Pthreads.pthread_create;
import static org.pthread4j.Pthreads.pthread_join;
import static org.pthread4j.Pthreads.strerror;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.pthread4j.Pthreads;
import org.pthread4j.pthread_t;

/**
 * A pthread waiting on a flag set by a later one, behind N busy ones: N pthreads busy-wait on
 * a flag (C's {@code while (!flag);}: no facade call, no block), and a pthread created after
 * them sets it. The program finishes only if something lets the setter run: a free processor,
 * the kernel's time-slicing (native), or gmp's retake of the processor of a pthread that runs
 * past its time slice. On green one spinner keeps the only carrier, and on virtual N spinners
 * keep N carriers: with N at least the number of cores, neither finishes.
 *
 * <p>{@code java -Dpthread4j.backend=<b> -cp benchmarks.jar org.pthread4j.lab.SpinProbe [N...]}
 * (with the launcher's JVM flags) prints one line per N (default 1, 2, 4, 8, 16).
 */
public final class SpinProbe {

    /** Without a figure on the command line: how long {@link #main} waits for each N. */
    static final long TIMEOUT_MILLIS = 2_000;

    private SpinProbe() {}

    /**
     * What {@link #run} saw: whether every pthread ended within the timeout, and when. The
     * {@code millis} are from the first pthread_create to the end of the last pthread, or the
     * timeout when they did not all end; {@code setterMillis} are from the setter's
     * pthread_create to its start (what the busy pthreads cost it), or -1 when they did not
     * all end.
     */
    public record Result(int spinners, boolean finished, long millis, long setterMillis) {
        @Override
        public String toString() {
            return finished ? "finishes, " + millis + " ms (the setter waited " + setterMillis + " ms)"
                    : "hangs (not within " + millis + " ms)";
        }
    }

    /**
     * Starts {@code spinners} pthreads that spin until a flag is set, then one pthread that
     * sets it, and waits up to {@code timeoutMillis} for all of them to end. On timeout it sets
     * the flag itself and joins every pthread before it returns, so none is left spinning
     * (on green and virtual the setter then runs once the spinners have ended).
     *
     * <p>Call it from a thread outside the model, such as the JVM's main thread: a pthread of
     * the green model would share the one carrier with the spinners and never see the timeout.
     *
     * @throws IllegalStateException if pthread_create or pthread_join fails
     */
    public static Result run(int spinners, long timeoutMillis) throws InterruptedException {
        AtomicInteger flag = new AtomicInteger();
        AtomicInteger ended = new AtomicInteger();
        AtomicLong lastEnd = new AtomicLong();
        AtomicLong setterStart = new AtomicLong();
        long[] setterCreated = new long[1];
        int all = spinners + 1;
        pthread_t[] t = new pthread_t[all];
        long start = System.nanoTime();
        for (int i = 0; i < all; i++) {
            boolean setter = i == spinners;
            t[i] = new pthread_t();
            if (setter) {
                setterCreated[0] = System.nanoTime();
            }
            check(pthread_create(t[i], null, arg -> {
                if (setter) {
                    setterStart.set(System.nanoTime());
                    flag.set(1);
                } else {
                    while (flag.get() == 0) {
                        // busy-wait, as C's while (!flag);
                    }
                }
                lastEnd.accumulateAndGet(System.nanoTime(), Math::max);
                ended.incrementAndGet(); // after the end time: whoever sees the count sees it
                return null;
            }, null), "pthread_create");
        }
        long deadline = start + timeoutMillis * 1_000_000;
        while (ended.get() < all && System.nanoTime() - deadline < 0) {
            Thread.sleep(1);
        }
        boolean finished = ended.get() == all;
        flag.set(1); // on a timeout the spinners end now
        for (pthread_t x : t) {
            check(pthread_join(x, null), "pthread_join");
        }
        return new Result(spinners, finished, finished ? (lastEnd.get() - start) / 1_000_000 : timeoutMillis,
                finished ? (setterStart.get() - setterCreated[0]) / 1_000_000 : -1);
    }

    private static void check(int r, String what) {
        if (r != 0) {
            throw new IllegalStateException(what + ": " + strerror(r));
        }
    }

    public static void main(String[] args) throws InterruptedException {
        int[] ns = args.length == 0 ? new int[] {1, 2, 4, 8, 16} : new int[args.length];
        for (int i = 0; i < args.length; i++) {
            ns[i] = Integer.parseInt(args[i]);
        }
        System.out.printf("%s, %d cores: N pthreads spin on a flag that a pthread created after them sets%n",
                Pthreads.backend().id(), Runtime.getRuntime().availableProcessors());
        for (int n : ns) {
            System.out.printf("N = %2d: %s%n", n, run(n, TIMEOUT_MILLIS));
        }
        System.exit(0);
    }
}
