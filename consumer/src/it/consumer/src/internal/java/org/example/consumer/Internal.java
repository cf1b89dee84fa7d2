package org.example.consumer;

/** Reaches into pthread4j's internals: must not compile against the module (ConsumerIT). */
final class Internal {
    static String message(int errnum) {
        return org.pthread4j.spi.Errno.message(errnum);
    }
}
