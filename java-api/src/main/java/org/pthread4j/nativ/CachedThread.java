package org.pthread4j.nativ;

import java.lang.reflect.Field;

/**
 * The {@link Thread} of a kernel thread of the cache, made to look new to each pthread it
 * runs (see {@link NativeThreadModel}). The JVM adopts a kernel thread once and keeps its
 * {@code Thread} for as long as the kernel thread lives, so whatever one pthread left in it
 * would reach the next: before each pthread but the first, {@link #enter} puts back the name,
 * priority, context class loader and uncaught-exception handler the thread had when the JVM
 * adopted it, clears its interrupt status, and drops its {@link ThreadLocal} and
 * {@link InheritableThreadLocal} values, as a new thread has none.
 *
 * <p>Dropping thread-locals needs write access to {@code Thread}'s two fields, which
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED} gives ({@code =org.pthread4j} on the
 * module path; the green and gmp backends need
 * it too, and the launcher passes it); without it {@link #available} is false and the native
 * backend keeps no cache. The JDK's own terminating thread-locals (NIO's per-thread buffer
 * caches) dropped here are freed by their cleaners instead of at the thread's exit.
 */
final class CachedThread {

    /** How the thread was when the JVM adopted it; set by its first pthread, kept across resets. */
    private record Initial(String name, int priority, ClassLoader loader, Thread.UncaughtExceptionHandler handler) {}

    private static final ThreadLocal<Initial> INITIAL = new ThreadLocal<>();
    /** {@code Thread.threadLocals} and {@code Thread.inheritableThreadLocals}, or null when closed to us. */
    private static final Field LOCALS;
    private static final Field INHERITABLE;

    static {
        Field locals = null;
        Field inheritable = null;
        try {
            locals = Thread.class.getDeclaredField("threadLocals");
            inheritable = Thread.class.getDeclaredField("inheritableThreadLocals");
            locals.setAccessible(true);
            inheritable.setAccessible(true);
        } catch (NoSuchFieldException | RuntimeException e) {
            locals = null; // java.lang is not open to us, or a JDK without these fields
            inheritable = null;
        }
        LOCALS = locals;
        INHERITABLE = inheritable;
    }

    private CachedThread() {}

    /** Whether a kernel thread can be handed from one pthread to the next. */
    static boolean available() {
        return LOCALS != null;
    }

    /** Called on the kernel thread before each pthread it runs. */
    static void enter() {
        Thread t = Thread.currentThread();
        Initial initial = INITIAL.get();
        if (initial == null) {
            INITIAL.set(new Initial(t.getName(), t.getPriority(), t.getContextClassLoader(),
                    t.getUncaughtExceptionHandler() == t.getThreadGroup() ? null : t.getUncaughtExceptionHandler()));
            return;
        }
        Thread.interrupted();
        t.setName(initial.name());
        t.setPriority(initial.priority());
        t.setContextClassLoader(initial.loader());
        t.setUncaughtExceptionHandler(initial.handler());
        try {
            LOCALS.set(t, null);
            INHERITABLE.set(t, null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e); // setAccessible succeeded: cannot happen
        }
        INITIAL.set(initial);
    }
}
