package org.pthread4j.spi;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.InaccessibleObjectException;
import java.util.concurrent.Executor;

/**
 * Virtual threads on a scheduler of pthread4j's own. The JDK has no public API for it yet
 * (JDK 21-25); the package-private constructor
 * {@code java.lang.ThreadBuilders$VirtualThreadBuilder(Executor)} gives one, and the
 * package-private {@code Thread.currentCarrierThread()} tells a scheduler which of its carriers
 * runs the caller. Both need {@link #REQUIRED_FLAG}; without it the backend fails at start with
 * a message naming the flag.
 */
public final class CustomScheduler {

    /**
     * The JVM flag without which a custom scheduler cannot be installed: java.lang opened to
     * pthread4j's module on the module path, to every unnamed module on the class path.
     */
    public static final String REQUIRED_FLAG = "--add-opens java.base/java.lang="
            + (CustomScheduler.class.getModule().isNamed() ? CustomScheduler.class.getModule().getName() : "ALL-UNNAMED");

    private CustomScheduler() {}

    /** A builder of virtual threads whose continuations {@code scheduler} runs. */
    public static Thread.Builder.OfVirtual virtualThreads(String backend, Executor scheduler) {
        try {
            Class<?> c = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            Constructor<?> ctor = c.getDeclaredConstructor(Executor.class);
            ctor.setAccessible(true);
            return (Thread.Builder.OfVirtual) ctor.newInstance(scheduler);
        } catch (InaccessibleObjectException e) {
            throw new IllegalStateException("the " + backend + " backend needs the JVM flag " + REQUIRED_FLAG
                    + " (it schedules virtual threads itself through a JDK-internal constructor)", e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the " + backend + " backend needs a JDK whose "
                    + "java.lang.ThreadBuilders$VirtualThreadBuilder has an (Executor) constructor (JDK 21-25)", e);
        }
    }

    /** A handle on {@code Thread.currentCarrierThread()}: {@code () -> Thread}. */
    public static MethodHandle currentCarrierThread(String backend) {
        try {
            return MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup())
                    .findStatic(Thread.class, "currentCarrierThread", MethodType.methodType(Thread.class));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("the " + backend + " backend needs the JVM flag " + REQUIRED_FLAG, e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the " + backend + " backend needs Thread.currentCarrierThread()", e);
        }
    }
}
