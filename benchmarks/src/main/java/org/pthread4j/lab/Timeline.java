package org.pthread4j.lab;

import static org.pthread4j.Pthreads.*;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.pthread4j.posix.Posix;
import org.pthread4j.pthread_t;

/**
 * The scheduling timeline of a small run: {@link #THREADS} pthreads, each doing
 * {@link #BURSTS} bursts of a fixed amount of CPU work separated by short sleeps, recording for
 * each burst the kernel thread ({@code gettid}) that ran it, its P on gmp, its wall extent,
 * and the CPU time that kernel thread got during it (its per-thread CPU clock): a burst whose
 * wall extent is longer than its CPU time waited for a CPU meanwhile. On 1:1 each pthread
 * keeps its own tid; on M:1 all share one; on M:N they hop between carriers.
 *
 * <p>Pthread 0 also calls {@code read()} on an empty pipe once. A platform thread (not a
 * pthread) watches its kernel thread, and once it sees it asleep in that read, waits
 * {@link #READ_MILLIS} and writes the byte that ends it.
 *
 * <p>{@link #main} runs inside a backend's JVM and prints one line per burst.
 */
public final class Timeline {

    static final int THREADS = 8;
    static final int BURSTS = 12;
    static final long BURST_ITERATIONS = 300_000;
    static final long READ_MILLIS = 15;

    /**
     * One burst of one pthread on one kernel thread (and, on gmp, one P; else -1): its wall
     * extent in microseconds from the start, and the CPU time its kernel thread got meanwhile;
     * {@code blocked} marks pthread 0's read() on an empty pipe (no CPU time then).
     */
    public record Segment(int pthread, int tid, int p, long startMicros, long endMicros, long cpuMicros,
            boolean blocked) {}

    /** A backend's recorded timeline. */
    public record Run(String backend, List<Segment> segments) {}

    public static void main(String[] args) throws Exception {
        ConcurrentLinkedQueue<Segment> out = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < 50; i++) { // compile and link what a burst runs first: the picture is about scheduling
            LabProbe.sink += LabProbe.burn(BURST_ITERATIONS) + LabProbe.cpuNanos(LabProbe.kernelThread())
                    + Posix.gettid() + LabProbe.currentP();
        }
        int[] fds = new int[2];
        Posix.pipe(fds);
        Posix.write(fds[1], new byte[] {1}, 1); // link the read and write downcalls now, not during the picture
        Posix.read(fds[0], new byte[1], 1);
        AtomicInteger readerTid = new AtomicInteger();
        long t0 = System.nanoTime();
        pthread_t[] t = new pthread_t[THREADS];
        for (int i = 0; i < THREADS; i++) {
            int me = i;
            t[i] = new pthread_t();
            pthread_create(t[i], null, arg -> {
                for (int b = 0; b < BURSTS; b++) {
                    if (me == 0 && b == BURSTS / 3) {
                        // a blocking system call: who keeps running meanwhile?
                        long s = System.nanoTime();
                        int tid = Posix.gettid();
                        readerTid.set(tid);
                        Posix.read(fds[0], new byte[1], 1);
                        out.add(new Segment(me, tid, -1, (s - t0) / 1000, (System.nanoTime() - t0) / 1000, 0, true));
                    }
                    Thread kernel = LabProbe.kernelThread();
                    long cpu = LabProbe.cpuNanos(kernel);
                    long s = System.nanoTime();
                    int tid = Posix.gettid();
                    int p = LabProbe.currentP();
                    LabProbe.sink += LabProbe.burn(BURST_ITERATIONS);
                    long e = System.nanoTime();
                    cpu = LabProbe.cpuNanos(kernel) - cpu;
                    out.add(new Segment(me, tid, p, (s - t0) / 1000, (e - t0) / 1000, cpu / 1000, false));
                    usleep(300);
                }
                return null;
            }, null);
        }
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                // the read's 15 ms start once its kernel thread is seen asleep in it
                LabProbe.await(() -> readerTid.get() != 0 && Proc.sleepsInRead(readerTid.get(), fds[0]), 5_000);
                Thread.sleep(READ_MILLIS);
            } catch (InterruptedException ignored) {
                // write at once
            }
            Posix.write(fds[1], new byte[] {1}, 1);
        });
        for (pthread_t x : t) {
            pthread_join(x, null);
        }
        writer.join();
        for (Segment s : out) {
            System.out.println("segment " + s.pthread() + " " + s.tid() + " " + s.p() + " " + s.startMicros()
                    + " " + s.endMicros() + " " + s.cpuMicros() + " " + s.blocked());
        }
        System.exit(0);
    }

    /** Runs {@link #main} in a JVM of {@code backend} and reads its segments. */
    static Run record(String java, String backend) throws IOException, InterruptedException {
        List<String> cmd = List.of(java, "--enable-native-access=ALL-UNNAMED",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-Dpthread4j.backend=" + backend,
                "-cp", System.getProperty("java.class.path"), Timeline.class.getName());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<Segment> segments = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.split(" ");
                if (f.length == 8 && f[0].equals("segment")) {
                    segments.add(new Segment(Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                            Long.parseLong(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]), Boolean.parseBoolean(f[7])));
                }
            }
        }
        p.waitFor();
        return new Run(backend, segments);
    }
}
