package org.pthread4j;

/** C's {@code void *(*start_routine)(void *)}: the body of a pthread. */
@FunctionalInterface
public interface StartRoutine {
    /** Runs the thread; the value returned is its exit value, as {@code pthread_exit(value)}. */
    Object run(Object arg) throws Exception;
}
