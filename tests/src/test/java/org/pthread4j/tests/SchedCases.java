package org.pthread4j.tests;

import static org.pthread4j.Pthreads.*;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.pthread4j.*;

/**
 * The cases of {@code src/test/c/sched.c}, run through pthread4j in the same order with the
 * same output ({@code case result}), and glibc's lines from the C program; SchedTest and
 * AffinityTest compare the two.
 */
final class SchedCases {

    private final List<String> lines = new ArrayList<>();

    private SchedCases() {}

    /** The lines of sched.c, compiled with gcc into target/c; the test aborts where gcc is missing. */
    static List<String> glibc() throws IOException, InterruptedException {
        return List.of(TestSupport.glibcOutput("sched").split("\n"));
    }

    /** pthread4j's lines for the same cases, on this JVM's backend. */
    static List<String> pthread4j() {
        SchedCases c = new SchedCases();
        c.all();
        return c.lines;
    }

    private static String err(int e) {
        return switch (e) {
            case 0 -> "0";
            case EPERM -> "EPERM";
            case ESRCH -> "ESRCH";
            case EINVAL -> "EINVAL";
            case ENOTSUP -> "ENOTSUP";
            default -> "E?";
        };
    }

    private void out(String c, int r) {
        lines.add(c + " " + err(r));
    }

    private synchronized void print(String line) {
        lines.add(line);
    }

    private void schedOf(String c, pthread_t t) {
        int[] policy = new int[1];
        sched_param p = new sched_param();
        int r = pthread_getschedparam(t, policy, p);
        if (r != 0) {
            out(c, r);
        } else {
            print(c + " " + policy[0] + " " + p.sched_priority);
        }
    }

    private void all() {
        attrs();
        ranges();
        pthread_barrier_t gate = new pthread_barrier_t();
        pthread_barrier_init(gate, null, 2);
        pthread_t t = new pthread_t();
        pthread_create(t, null, arg -> {
            pthread_barrier_wait(gate);
            pthread_barrier_wait(gate);
            return null;
        }, null);
        pthread_barrier_wait(gate);
        setAndGet(t);
        affinity(t);
        pthread_barrier_wait(gate);
        pthread_join(t, null);
        explicit(SCHED_FIFO, 1, "explicit.fifo_1");
        explicit(SCHED_OTHER, 0, "explicit.other_0");
        explicit(SCHED_RR, 2, "explicit.rr_2");
        pthread_create(t, null, arg -> {
            out("inherit.self_fifo", pthread_setschedparam(pthread_self(), SCHED_FIFO, new sched_param(1)));
            pthread_t child = new pthread_t();
            pthread_create(child, null, a -> {
                schedOf("inherit.child", pthread_self());
                return null;
            }, null);
            pthread_join(child, null);
            return null;
        }, null);
        pthread_join(t, null);
    }

    private void attrs() {
        pthread_attr_t a = new pthread_attr_t();
        sched_param p = new sched_param();
        int[] v = new int[1];
        pthread_attr_init(a);
        pthread_attr_getinheritsched(a, v);
        print("attr.default_inherit " + v[0]);
        pthread_attr_getschedpolicy(a, v);
        print("attr.default_policy " + v[0]);
        pthread_attr_getschedparam(a, p);
        print("attr.default_priority " + p.sched_priority);
        pthread_attr_getscope(a, v);
        print("attr.default_scope " + v[0]);
        out("attr.policy_batch", pthread_attr_setschedpolicy(a, SCHED_BATCH));
        out("attr.policy_42", pthread_attr_setschedpolicy(a, 42));
        out("attr.policy_minus1", pthread_attr_setschedpolicy(a, -1));
        p.sched_priority = 50;
        out("attr.param_50_other", pthread_attr_setschedparam(a, p));
        out("attr.policy_fifo", pthread_attr_setschedpolicy(a, SCHED_FIFO));
        out("attr.param_50_fifo", pthread_attr_setschedparam(a, p));
        p.sched_priority = 0;
        out("attr.param_0_fifo", pthread_attr_setschedparam(a, p));
        p.sched_priority = 100;
        out("attr.param_100_fifo", pthread_attr_setschedparam(a, p));
        pthread_attr_getschedparam(a, p);
        print("attr.priority_kept " + p.sched_priority);
        out("attr.inherit_5", pthread_attr_setinheritsched(a, 5));
        out("attr.inherit_explicit", pthread_attr_setinheritsched(a, PTHREAD_EXPLICIT_SCHED));
        out("attr.scope_system", pthread_attr_setscope(a, PTHREAD_SCOPE_SYSTEM));
        out("attr.scope_process", pthread_attr_setscope(a, PTHREAD_SCOPE_PROCESS));
        out("attr.scope_7", pthread_attr_setscope(a, 7));
        pthread_attr_destroy(a);
    }

    private void ranges() {
        for (int policy : new int[] {SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_IDLE, 42}) {
            errno(0);
            int lo = sched_get_priority_min(policy);
            int elo = errno();
            int hi = sched_get_priority_max(policy);
            print("range." + policy + " " + lo + " " + err(elo) + " " + hi);
        }
    }

    private void setAndGet(pthread_t t) {
        sched_param p = new sched_param();
        p.sched_priority = 0;
        out("set.other_0", pthread_setschedparam(t, SCHED_OTHER, p));
        schedOf("get.after_other", t);
        p.sched_priority = 5;
        out("set.other_5", pthread_setschedparam(t, SCHED_OTHER, p));
        out("prio.other_5", pthread_setschedprio(t, 5));
        out("prio.other_0", pthread_setschedprio(t, 0));
        p.sched_priority = 0;
        out("set.fifo_0", pthread_setschedparam(t, SCHED_FIFO, p));
        p.sched_priority = 100;
        out("set.rr_100", pthread_setschedparam(t, SCHED_RR, p));
        p.sched_priority = 0;
        out("set.policy_42", pthread_setschedparam(t, 42, p));
        out("set.batch_0", pthread_setschedparam(t, SCHED_BATCH, p));
        schedOf("get.after_batch", t);
        out("set.idle_0", pthread_setschedparam(t, SCHED_IDLE, p));
        schedOf("get.after_idle", t);
        p.sched_priority = 1;
        out("set.fifo_1", pthread_setschedparam(t, SCHED_FIFO, p));
        schedOf("get.after_fifo", t);
        out("prio.2", pthread_setschedprio(t, 2));
        schedOf("get.after_prio", t);
        p.sched_priority = 3;
        out("set.rr_3", pthread_setschedparam(t, SCHED_RR, p));
        schedOf("get.after_rr", t);
        p.sched_priority = 0;
        out("set.back_to_other", pthread_setschedparam(t, SCHED_OTHER, p));
        schedOf("get.end", t);
    }

    private void explicit(int policy, int priority, String c) {
        pthread_attr_t a = new pthread_attr_t();
        pthread_attr_init(a);
        pthread_attr_setinheritsched(a, PTHREAD_EXPLICIT_SCHED);
        pthread_attr_setschedpolicy(a, policy);
        pthread_attr_setschedparam(a, new sched_param(priority));
        pthread_t t = new pthread_t();
        String[] line = new String[1];
        int r = pthread_create(t, a, arg -> {
            int[] pol = new int[1];
            sched_param p = new sched_param();
            pthread_getschedparam(pthread_self(), pol, p);
            line[0] = c + ".child " + pol[0] + " " + p.sched_priority;
            return null;
        }, null);
        out(c, r);
        if (r == 0) {
            pthread_join(t, null);
            print(line[0]);
        }
        pthread_attr_destroy(a);
    }

    private void affinity(pthread_t t) {
        cpu_set_t s = new cpu_set_t();
        cpu_set_t got = new cpu_set_t();
        int n = CPU_SETSIZE;
        CPU_ZERO(s);
        out("aff.get", pthread_getaffinity_np(t, cpu_set_t.SIZEOF, s));
        print("aff.count_all " + CPU_COUNT(s));
        CPU_ZERO(s);
        out("aff.set_empty", pthread_setaffinity_np(t, cpu_set_t.SIZEOF, s));
        CPU_SET(n - 1, s);
        out("aff.set_absent_cpu", pthread_setaffinity_np(t, cpu_set_t.SIZEOF, s));
        CPU_ZERO(s);
        CPU_SET(0, s);
        CPU_SET(n - 1, s);
        out("aff.set_0_and_absent", pthread_setaffinity_np(t, cpu_set_t.SIZEOF, s));
        CPU_ZERO(got);
        pthread_getaffinity_np(t, cpu_set_t.SIZEOF, got);
        print("aff.after_0 " + CPU_COUNT(got) + " " + (CPU_ISSET(0, got) ? 1 : 0));
        out("aff.set_size_0", pthread_setaffinity_np(t, 0, s));
        out("aff.set_size_3", pthread_setaffinity_np(t, 3, s));
        out("aff.get_size_4", pthread_getaffinity_np(t, 4, got));
        out("aff.get_size_12", pthread_getaffinity_np(t, 12, got));
        out("aff.get_size_0", pthread_getaffinity_np(t, 0, got));
        for (int cpu = 0; cpu < n; cpu++) {
            CPU_SET(cpu, got);
        }
        out("aff.get_size_64", pthread_getaffinity_np(t, 64, got));
        print("aff.get_size_64_count " + CPU_COUNT(got));
        pthread_getaffinity_np(pthread_self(), cpu_set_t.SIZEOF, s);
        out("aff.restore", pthread_setaffinity_np(t, cpu_set_t.SIZEOF, s));
    }
}
