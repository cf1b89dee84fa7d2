package org.pthread4j;

/** C's {@code void *(*start_routine)(void *)}: the body of a pthread. */
@FunctionalInterface
public interface StartRoutine {
    /**
     * Runs the thread; the value returned is its exit value, as {@code pthread_exit(value)}.
     *
     * @param arg the argument given to {@code pthread_create}
     * @return the thread's exit value
     * @throws Exception ends the thread as an uncaught exception does
     */
    Object run(Object arg) throws Exception;
}
