package org.pthread4j;

import org.pthread4j.spi.Futex;
import org.pthread4j.spi.ThreadModel;

/**
 * Chooses the backend once per JVM from {@code -Dpthread4j.backend} (default {@code native})
 * and loads it at the first call that needs it.
 *
 * <p>A configuration that cannot start (an unknown backend or binding, green or gmp without
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED}, no C layer for this platform) is
 * remembered, and every call that needs the backend throws a fresh
 * {@link IllegalStateException} whose message names the fix — never an
 * {@code ExceptionInInitializerError} and, on later calls, a {@code NoClassDefFoundError}, as a
 * failing static initializer would give. The fast path reads two static finals of an
 * initialized class, which the JIT folds to constants.
 */
final class Backends {

    static final String PROPERTY = "pthread4j.backend";

    private Backends() {}

    /**
     * The backend named by {@code -Dpthread4j.backend}.
     *
     * @throws IllegalStateException when the property names no backend
     */
    static Backend selected() {
        String id = System.getProperty(PROPERTY, "native");
        Backend b = Backend.of(id);
        if (b == null) {
            throw new IllegalStateException("-D" + PROPERTY + "=" + id
                    + ": unknown backend; use native, virtual, green or gmp");
        }
        return b;
    }

    /**
     * This JVM's thread model.
     *
     * @throws IllegalStateException on every call, when the backend could not start
     */
    static ThreadModel model() {
        ThreadModel m = Loaded.MODEL;
        if (m == null) {
            throw Loaded.failure();
        }
        return m;
    }

    /**
     * The futex of this JVM's thread model.
     *
     * @throws IllegalStateException on every call, when the backend could not start
     */
    static Futex futex() {
        Futex f = Loaded.FUTEX;
        if (f == null) {
            throw Loaded.failure();
        }
        return f;
    }

    /** The loaded model, or why it could not load; the JVM initializes this holder once. */
    private static final class Loaded {
        static final ThreadModel MODEL;
        static final Futex FUTEX;
        private static final Throwable CAUSE;

        static {
            ThreadModel model = null;
            Futex futex = null;
            Throwable cause = null;
            try {
                model = load(selected());
                futex = model.futex();
            } catch (RuntimeException | LinkageError e) {
                model = null;
                cause = e;
            }
            MODEL = model;
            FUTEX = futex;
            CAUSE = cause;
        }

        /** A fresh exception per call, so that each caller's stack trace is its own. */
        static IllegalStateException failure() {
            return new IllegalStateException("pthread4j cannot start: " + CAUSE.getMessage(), CAUSE);
        }

        private static ThreadModel load(Backend b) {
            return switch (b) {
                case NATIVE -> new org.pthread4j.nativ.NativeThreadModel();
                case VIRTUAL -> new org.pthread4j.virtual.VirtualThreadModel();
                case GREEN -> new org.pthread4j.green.GreenThreadModel();
                case GMP -> new org.pthread4j.gmp.GmpThreadModel();
            };
        }
    }
}
