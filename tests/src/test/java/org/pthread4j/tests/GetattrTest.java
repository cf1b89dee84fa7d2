package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.tests.TestSupport.*;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pthread4j.*;

/** {@code pthread_getattr_np}: a thread's detach state now, its policy now, and what it was created with. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GetattrTest {

    private static String describe(pthread_attr_t a) {
        int[] v = new int[1];
        long[] l = new long[1];
        sched_param p = new sched_param();
        StringBuilder b = new StringBuilder();
        pthread_attr_getdetachstate(a, v);
        b.append("detach=").append(v[0]);
        pthread_attr_getstacksize(a, l);
        b.append(" stack=").append(l[0]);
        pthread_attr_getinheritsched(a, v);
        b.append(" inherit=").append(v[0]);
        pthread_attr_getschedpolicy(a, v);
        pthread_attr_getschedparam(a, p);
        b.append(" sched=").append(v[0]).append('/').append(p.sched_priority);
        pthread_attr_getscope(a, v);
        b.append(" scope=").append(v[0]);
        return b.toString();
    }

    /** A created thread reports its creation stack size, its current policy, and a detach made after the start. */
    @Test
    void reportsCreationAndCurrentState() {
        pthread_attr_t a = new pthread_attr_t();
        pthread_attr_init(a);
        pthread_attr_setstacksize(a, 1 << 20);
        sem_t go = semaphore(0);
        sem_t done = semaphore(0);
        pthread_t t = start(a, arg -> {
            pthread_setschedparam(pthread_self(), SCHED_BATCH, new sched_param(0));
            sem_post(done);
            sem_wait(go);
            return null;
        }, null);
        awaitPost(done, "the thread set its policy");
        pthread_attr_t got = new pthread_attr_t();
        assertEquals(0, pthread_getattr_np(t, got));
        assertEquals("detach=0 stack=1048576 inherit=0 sched=" + SCHED_BATCH + "/0 scope=0", describe(got));
        assertEquals(0, pthread_detach(t));
        assertEquals(0, pthread_getattr_np(t, got));
        assertEquals("detach=1 stack=1048576 inherit=0 sched=" + SCHED_BATCH + "/0 scope=0", describe(got));
        sem_post(go);
        assertEquals(0, pthread_attr_destroy(got));
    }

    /** The caller, created or not, can read its own attributes; bad handles answer EINVAL or ESRCH. */
    @Test
    void selfAndBadInput() {
        pthread_attr_t got = new pthread_attr_t();
        assertEquals(0, pthread_getattr_np(pthread_self(), got));
        assertEquals("detach=0 stack=" + (8 << 20) + " inherit=0 sched=0/0 scope=0", describe(got));
        assertEquals(EINVAL, pthread_getattr_np(null, got));
        assertEquals(EINVAL, pthread_getattr_np(pthread_self(), null));
        assertEquals(ESRCH, pthread_getattr_np(new pthread_t(), got));
        pthread_t t = start(arg -> null);
        join(t);
        assertEquals(ESRCH, pthread_getattr_np(t, got));
    }
}
