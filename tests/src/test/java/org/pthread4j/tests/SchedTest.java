package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.tests.TestSupport.*;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pthread4j.*;

/**
 * Scheduling policies and priorities: the attributes, {@code pthread_setschedparam} and its
 * kin, {@code pthread_create} with {@code PTHREAD_EXPLICIT_SCHED}, inheritance. On
 * {@code native} every answer is glibc's on the same machine (sched.c); on the user-level
 * models the real-time policies are EPERM and the rest is stored, as their Javadoc says.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SchedTest {

    /**
     * The user-level models' answers where they differ from a privileged glibc: no real-time
     * policy (EPERM), so the thread keeps the SCHED_IDLE set just before; null: no such line.
     */
    private static final Map<String, String> USER_LEVEL = Map.ofEntries(
            Map.entry("set.fifo_1", "EPERM"), Map.entry("get.after_fifo", "5 0"),
            Map.entry("prio.2", "EINVAL"), Map.entry("get.after_prio", "5 0"),
            Map.entry("set.rr_3", "EPERM"), Map.entry("get.after_rr", "5 0"),
            Map.entry("explicit.fifo_1", "EPERM"), Map.entry("explicit.rr_2", "EPERM"),
            Map.entry("inherit.self_fifo", "EPERM"), Map.entry("inherit.child", "0 0"));

    private static List<String> withoutAffinity(List<String> lines) {
        return lines.stream().filter(l -> !l.startsWith("aff.")).toList();
    }

    /** Every case of sched.c answers as glibc on native, and as the model's Javadoc says elsewhere. */
    @Test
    void sameAnswersAsGlibc() throws Exception {
        List<String> glibc = withoutAffinity(SchedCases.glibc());
        List<String> expected = onNative() ? glibc : glibc.stream()
                .filter(l -> !l.equals("explicit.fifo_1.child 1 1") && !l.equals("explicit.rr_2.child 2 2"))
                .map(l -> {
                    String c = l.substring(0, l.indexOf(' '));
                    return USER_LEVEL.containsKey(c) ? c + " " + USER_LEVEL.get(c) : l;
                })
                .toList();
        assertEquals(String.join("\n", expected), String.join("\n", withoutAffinity(SchedCases.pthread4j())));
    }

    /** A null handle is EINVAL, a handle never created or already joined ESRCH, a null out-parameter EINVAL. */
    @Test
    void badHandles() {
        sched_param p = new sched_param();
        int[] policy = new int[1];
        assertEquals(EINVAL, pthread_setschedparam(null, SCHED_OTHER, p));
        assertEquals(ESRCH, pthread_setschedparam(new pthread_t(), SCHED_OTHER, p));
        assertEquals(ESRCH, pthread_getschedparam(new pthread_t(), policy, p));
        assertEquals(ESRCH, pthread_setschedprio(new pthread_t(), 0));
        assertEquals(EINVAL, pthread_setschedparam(pthread_self(), SCHED_OTHER, null));
        assertEquals(EINVAL, pthread_getschedparam(pthread_self(), null, p));
        assertEquals(EINVAL, pthread_getschedparam(pthread_self(), policy, null));
        pthread_t t = start(arg -> null);
        join(t);
        assertEquals(ESRCH, pthread_setschedparam(t, SCHED_OTHER, p));
        assertEquals(ESRCH, pthread_getschedparam(t, policy, p));
        assertEquals(ESRCH, pthread_setschedprio(t, 0));
    }

    /** Attribute calls on a null or destroyed attribute object are EINVAL. */
    @Test
    void badAttributes() {
        pthread_attr_t a = new pthread_attr_t();
        int[] v = new int[1];
        sched_param p = new sched_param();
        assertEquals(EINVAL, pthread_attr_setschedpolicy(a, SCHED_OTHER));
        assertEquals(EINVAL, pthread_attr_getschedparam(null, p));
        assertEquals(0, pthread_attr_init(a));
        assertEquals(EINVAL, pthread_attr_setschedparam(a, null));
        assertEquals(EINVAL, pthread_attr_getscope(a, null));
        assertEquals(0, pthread_attr_destroy(a));
        assertEquals(EINVAL, pthread_attr_getinheritsched(a, v));
        assertEquals(EINVAL, pthread_attr_setscope(a, PTHREAD_SCOPE_SYSTEM));
    }

    /** The calling thread, main or pthread, can read and set its own policy through pthread_self. */
    @Test
    void selfFromEveryKindOfThread() {
        int[] policy = {-1};
        sched_param p = new sched_param(-1);
        assertEquals(0, pthread_getschedparam(pthread_self(), policy, p));
        assertEquals(SCHED_OTHER, policy[0]);
        assertEquals(0, pthread_setschedparam(pthread_self(), SCHED_OTHER, new sched_param(0)));
        Object r = join(start(arg -> {
            int[] pol = {-1};
            sched_param q = new sched_param(-1);
            int get = pthread_getschedparam(pthread_self(), pol, q);
            int set = pthread_setschedparam(pthread_self(), SCHED_BATCH, new sched_param(0));
            int get2 = pthread_getschedparam(pthread_self(), pol, q);
            return get + " " + set + " " + get2 + " " + pol[0] + " " + q.sched_priority;
        }));
        assertEquals("0 0 0 " + SCHED_BATCH + " 0", r);
    }

    /** pthread_yield is sched_yield: 0 on every backend. */
    @Test
    void yieldAnswersZero() {
        assertEquals(0, pthread_yield());
    }
}
