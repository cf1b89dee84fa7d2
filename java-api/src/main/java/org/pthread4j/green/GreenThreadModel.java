package org.pthread4j.green;

import java.lang.reflect.Constructor;
import java.lang.reflect.InaccessibleObjectException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.pthread4j.park.ParkingLot;
import org.pthread4j.virtual.VirtualThreadModel;

/**
 * The M:1 model, the historical green threads: every pthread is a virtual thread whose
 * scheduler is exactly one carrier thread. Nothing runs in parallel, a pthread runs until it
 * blocks or yields, and a blocking system call stops every pthread of the program.
 *
 * <p>The JDK has no public API for a virtual-thread scheduler yet; the package-private
 * constructor {@code java.lang.ThreadBuilders$VirtualThreadBuilder(Executor)} gives one, which
 * needs {@code --add-opens java.base/java.lang=ALL-UNNAMED}. Locks never spin here: the
 * owner cannot run while a waiter holds the only carrier.
 */
public final class GreenThreadModel extends VirtualThreadModel {

    /** The JVM flag without which this backend cannot start. */
    public static final String REQUIRED_FLAG = "--add-opens java.base/java.lang=ALL-UNNAMED";

    /** The name of the single carrier thread. */
    public static final String CARRIER_NAME = "pthread4j-green-carrier";

    public GreenThreadModel() {
        super("green", oneCarrierBuilder(), new ParkingLot(0));
    }

    private static Thread.Builder oneCarrierBuilder() {
        ExecutorService carrier = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, CARRIER_NAME);
            t.setDaemon(true);
            return t;
        });
        try {
            Class<?> c = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            Constructor<?> ctor = c.getDeclaredConstructor(Executor.class);
            ctor.setAccessible(true);
            return (Thread.Builder) ctor.newInstance(carrier);
        } catch (InaccessibleObjectException e) {
            carrier.shutdown();
            throw new IllegalStateException("the green backend needs the JVM flag " + REQUIRED_FLAG
                    + " (it gives virtual threads a single carrier through a JDK-internal constructor)", e);
        } catch (ReflectiveOperationException e) {
            carrier.shutdown();
            throw new IllegalStateException("the green backend needs a JDK whose "
                    + "java.lang.ThreadBuilders$VirtualThreadBuilder has an (Executor) constructor (JDK 21-25)", e);
        }
    }
}
