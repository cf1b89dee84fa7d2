package org.pthread4j.bench;

import static org.pthread4j.Pthreads.pthread_create;
import static org.pthread4j.Pthreads.pthread_join;
import static org.pthread4j.Pthreads.strerror;

import org.pthread4j.Pthreads;
import org.pthread4j.StartRoutine;
import org.pthread4j.nativ.NativeLibrary;
import org.pthread4j.pthread_t;

/**
 * What every benchmark class shares: the flags each forked JVM needs, and checks that make a
 * failed call fail the run instead of producing a fast, wrong figure.
 *
 * <h2>Forks and backends</h2>
 * Every class carries {@code @Fork(jvmArgsPrepend = {NATIVE_ACCESS, OPEN_LANG})}. They are
 * <em>prepended</em> on purpose: JMH replaces an annotation's {@code jvmArgsAppend} with the
 * command line's {@code -jvmArgsAppend}, but keeps the prepended ones, so the backend can be
 * chosen at run time in either of two ways without losing the flags:
 * <pre>
 *   java -jar benchmarks.jar -jvmArgsAppend -Dpthread4j.backend=virtual ...
 *   java -Dpthread4j.backend=virtual -jar benchmarks.jar ...   (forks inherit the launcher's flags)
 * </pre>
 * Without either, forks run the default backend, {@code native}. One backend per JVM, as
 * DESIGN.md asks: a run compares one backend with the baselines; run once per backend to
 * compare backends, and give all result files to {@link Ratios}.
 *
 * <h2>Per-invocation counts</h2>
 * The C baselines run a whole loop per call and return its elapsed time; their methods carry
 * {@code @OperationsPerInvocation(n)} so that JMH's ns/op is per iteration of that loop (JMH
 * times the call, so the loop's own set-up is inside the figure, as it is for Java). The
 * Java-side ping-pong and barrier methods run the same {@code n} round trips per invocation:
 * each side starts one thread per invocation (C its pong thread, Java its ping thread), a
 * cost spread over the same {@code n}.
 */
final class Harness {

    /** FFM downcalls and upcalls without a warning. */
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /** The green backend's one-carrier scheduler needs it (DESIGN.md); harmless elsewhere. */
    static final String OPEN_LANG = "--add-opens=java.base/java.lang=ALL-UNNAMED";

    /** Thread create+join loops: iterations per invocation. */
    static final int CREATE_N = 100;
    /** Uncontended and contended lock loops: iterations per invocation. */
    static final int LOCK_N = 1_000_000;
    /** Ping-pong and barrier loops: round trips per invocation. */
    static final int TRIPS_N = 1_000;

    private Harness() {}

    /**
     * Once per trial: loads libpthread4j.so (the C baselines are plain downcalls into it) and
     * creates and joins one pthread, so that a backend that cannot start fails the run here,
     * whichever primitive the class measures.
     */
    static void setUpTrial() {
        NativeLibrary.ensureLoaded();
        Object token = new Object();
        if (inPthread("probe", arg -> token) != token) {
            throw new IllegalStateException("the " + backend() + " backend lost a thread's exit value");
        }
    }

    /** The backend of this JVM, as {@code -Dpthread4j.backend} chose it. */
    static String backend() {
        return Pthreads.backend().id();
    }

    /** A C baseline's result: elapsed ns, or {@code -errno}, which fails the run. */
    static long elapsed(String baseline, long result) {
        if (result < 0) {
            throw new IllegalStateException(baseline + " failed: " + strerror((int) -result)
                    + " (errno " + -result + ")");
        }
        return result;
    }

    /** A pthread call's return code: 0, or an errno value, which fails the run. */
    static void ok(String call, int rc) {
        if (rc != 0) {
            fail(call, null, rc);
        }
    }

    /** Builds the message only on failure: nothing is concatenated on the measured path. */
    private static void fail(String call, String what, int rc) {
        throw new IllegalStateException(call + (what == null ? "" : "(" + what + ")") + " returned "
                + strerror(rc) + " (" + rc + ")");
    }

    /** Starts a pthread running {@code body}. */
    static pthread_t start(String what, StartRoutine body) {
        pthread_t t = new pthread_t();
        int rc = pthread_create(t, null, body, null);
        if (rc != 0) {
            fail("pthread_create", what, rc);
        }
        return t;
    }

    /** Joins {@code t}; an exit value that is a throwable (the body failed) fails the run. */
    static Object join(String what, pthread_t t) {
        Object[] value = new Object[1];
        int rc = pthread_join(t, value);
        if (rc != 0) {
            fail("pthread_join", what, rc);
        }
        if (value[0] instanceof Throwable failure) {
            throw new IllegalStateException(what + " pthread failed", failure);
        }
        return value[0];
    }

    /** Runs {@code body} on a new pthread and waits for it: the side of a loop that is timed. */
    static Object inPthread(String what, StartRoutine body) {
        return join(what, start(what, body));
    }

    /**
     * Runs {@code body} on a new thread from {@code builder} (platform or virtual) and waits
     * for it; its failure fails the run.
     */
    static void inThread(Thread.Builder builder, Runnable body) throws InterruptedException {
        Throwable[] failure = new Throwable[1];
        Thread t = builder.start(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        t.join(); // orders failure[0]
        if (failure[0] != null) {
            throw new IllegalStateException(t.getName() + " failed", failure[0]);
        }
    }

    /** Joins a partner thread at tear-down, boundedly: a hang here is a benchmark bug. */
    static void joinPartner(Thread t) throws InterruptedException {
        t.join(10_000);
        if (t.isAlive()) {
            throw new IllegalStateException(t.getName() + " did not stop");
        }
    }
}
