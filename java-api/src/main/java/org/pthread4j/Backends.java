package org.pthread4j;

import org.pthread4j.spi.ThreadModel;

/** Chooses the backend once per JVM from {@code -Dpthread4j.backend} (default {@code native}). */
final class Backends {

    static final String PROPERTY = "pthread4j.backend";

    private Backends() {}

    static Backend selected() {
        String id = System.getProperty(PROPERTY, "native");
        Backend b = Backend.of(id);
        if (b == null) {
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + id
                    + ": unknown backend; use native, virtual, green or gmp");
        }
        return b;
    }

    static ThreadModel load() {
        Backend b = selected();
        return switch (b) {
            case NATIVE -> new org.pthread4j.nativ.NativeThreadModel();
            case VIRTUAL -> new org.pthread4j.virtual.VirtualThreadModel();
            case GREEN -> new org.pthread4j.green.GreenThreadModel();
            case GMP -> new org.pthread4j.gmp.GmpThreadModel();
        };
    }
}
