package org.pthread4j.tests;

import static org.pthread4j.Pthreads.*;

import org.pthread4j.*;

/**
 * The child program of {@link ThreadLifecycleTest#programEndsWhenMainReturns}: starts a
 * joinable and a detached pthread that sleep forever, then returns from main. As in C, the
 * program must end there, with status 0.
 */
public final class MainReturnsWhilePthreadsRun {

    static final String MARK = "main returns now";

    private MainReturnsWhilePthreadsRun() {}

    public static void main(String[] args) {
        sem_t started = new sem_t();
        if (sem_init(started, 0, 0) != 0) {
            System.exit(3);
        }
        StartRoutine sleepForever = arg -> {
            sem_post(started);
            for (;;) {
                sleep(1000);
            }
        };
        pthread_t joinable = new pthread_t();
        pthread_t detached = new pthread_t();
        pthread_attr_t attr = new pthread_attr_t();
        pthread_attr_init(attr);
        pthread_attr_setdetachstate(attr, PTHREAD_CREATE_DETACHED);
        if (pthread_create(joinable, null, sleepForever, null) != 0
                || pthread_create(detached, attr, sleepForever, null) != 0) {
            System.exit(4);
        }
        timespec deadline = new timespec();
        clock_gettime(CLOCK_REALTIME, deadline);
        deadline.tv_sec += 60; // bounded, so that a child whose pthreads never start ends by itself
        for (int i = 0; i < 2; i++) {
            if (sem_timedwait(started, deadline) != 0) {
                System.exit(5);
            }
        }
        System.out.println("pthreads running: 2");
        System.out.println(MARK);
    }
}
