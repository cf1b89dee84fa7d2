package org.pthread4j.tests;

import static org.pthread4j.Pthreads.*;

import java.util.concurrent.atomic.AtomicInteger;
import org.pthread4j.gmp.GmpThreadModel;
import org.pthread4j.gmp.Sched;
import org.pthread4j.pthread_t;
import org.pthread4j.spi.Netpoll;

/**
 * Runs in a child JVM on {@code gmp} with GOMAXPROCS=1 (see {@link NetpollTest}) and prints
 * {@code key value} lines: sysmon polls when no M does; with a reader parked on a pipe, the one M blocks in netpoll; a
 * pthread created then runs, and the netpollBreaks and Ms that took. The reader awaits
 * without a read(2), whose system call sysmon could hand off to a new M.
 */
public final class NetpollProbe {

    public static void main(String[] args) throws InterruptedException {
        System.setProperty("pthread4j.gomaxprocs", "1"); // read when the backend loads, just below
        Sched s = NetpollTest.sched();
        Netpoll np = NetpollTest.netpoll();
        sysmonPolls(s, np);
        NetpollTest.Pipe p = NetpollTest.Pipe.open();
        // Warm up await's code on main, which runs on no M: a slow first call on the M would
        // lose it its P to sysmon, and the hand-off would start a second M.
        np.await(p.read(), Netpoll.READ, System.nanoTime() - 1);
        AtomicInteger got = new AtomicInteger(-1000);
        pthread_t reader = TestSupport.start(arg -> {
            got.set(np.await(p.read(), Netpoll.READ, Long.MAX_VALUE));
            return null;
        });
        NetpollTest.awaitParked(s, 1);
        TestSupport.await(s::netpollBlocked, "the M blocks in netpoll");
        int ms = s.mcount();
        long breaks = s.netpollBreaks();
        AtomicInteger ran = new AtomicInteger();
        AtomicInteger msWhenRan = new AtomicInteger();
        TestSupport.join(TestSupport.start(arg -> {
            msWhenRan.set(s.mcount());
            ran.incrementAndGet();
            return null;
        }));
        System.out.println("gomaxprocs " + s.gomaxprocs());
        System.out.println("msBefore " + ms);
        System.out.println("msWhenRan " + msWhenRan.get());
        System.out.println("breaks " + (s.netpollBreaks() - breaks));
        System.out.println("ran " + ran.get());
        p.write(5);
        TestSupport.join(reader);
        System.out.println("awaited " + got.get());
        p.close();
        System.out.flush();
        System.exit(0);
    }

    /**
     * Before any pthread runs, so that no M exists: a platform thread parks in await, and a
     * byte for it can only be seen by sysmon's netpoll(0).
     */
    static void sysmonPolls(Sched s, Netpoll np) throws InterruptedException {
        NetpollTest.Pipe p = NetpollTest.Pipe.open();
        AtomicInteger got = new AtomicInteger(-1000);
        Thread waiter = new Thread(() -> got.set(np.await(p.read(), Netpoll.READ, Long.MAX_VALUE)));
        waiter.start();
        NetpollTest.awaitParked(s, 1);
        long wakeups = s.netpollWakeups();
        p.write(1);
        waiter.join(TestSupport.WAIT_SECONDS * 1000);
        System.out.println("sysmonAwaited " + got.get());
        System.out.println("sysmonWakeups " + (s.netpollWakeups() - wakeups));
        System.out.println("msWhileSysmonPolled " + s.mcount());
        p.close();
    }
}
