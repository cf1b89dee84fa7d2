package org.pthread4j.green;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.pthread4j.park.ParkingLot;
import org.pthread4j.spi.CustomScheduler;
import org.pthread4j.virtual.VirtualThreadModel;

/**
 * The M:1 model, the historical green threads: every pthread is a virtual thread whose
 * scheduler is exactly one carrier thread. Nothing runs in parallel, a pthread runs until it
 * blocks or yields, and a blocking system call stops every pthread of the program.
 *
 * <p>The scheduler is a single-thread executor installed through {@link CustomScheduler}
 * (which needs {@code --add-opens java.base/java.lang=ALL-UNNAMED}). Locks never spin here:
 * the owner cannot run while a waiter holds the only carrier.
 */
public final class GreenThreadModel extends VirtualThreadModel {

    /** The JVM flag without which this backend cannot start. */
    public static final String REQUIRED_FLAG = CustomScheduler.REQUIRED_FLAG;

    /** The name of the single carrier thread. */
    public static final String CARRIER_NAME = "pthread4j-green-carrier";

    public GreenThreadModel() {
        super("green", oneCarrierBuilder(), new ParkingLot(0, true));
    }

    private static Thread.Builder oneCarrierBuilder() {
        ExecutorService carrier = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, CARRIER_NAME);
            t.setDaemon(true);
            return t;
        });
        try {
            return CustomScheduler.virtualThreads("green", carrier);
        } catch (IllegalStateException e) {
            carrier.shutdown();
            throw e;
        }
    }
}
