package org.pthread4j.lab;

import static org.pthread4j.Pthreads.*;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.pthread4j.pthread_t;

/**
 * The scheduling timeline of a small run: 8 pthreads, each doing short CPU bursts separated
 * by short sleeps, recording for each burst the kernel thread ({@code gettid}) that ran it.
 * On 1:1 each pthread keeps its own tid; on M:1 all share one; on M:N they hop between
 * carriers. {@link #main} runs inside a backend's JVM and prints one line per burst.
 */
public final class Timeline {

    static final int THREADS = 8;
    static final int BURSTS = 12;

    /**
     * One burst of one pthread on one kernel thread (and, on gmp, one P; else -1), in
     * microseconds from the start; {@code blocked} marks pthread 0's read() on an empty pipe.
     */
    public record Segment(int pthread, int tid, int p, long startMicros, long endMicros, boolean blocked) {}

    /** A backend's recorded timeline. */
    public record Run(String backend, List<Segment> segments) {}

    public static void main(String[] args) {
        ConcurrentLinkedQueue<Segment> out = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < 50; i++) { // compile the burst first: the picture is about scheduling
            LabProbe.sink += LabProbe.burn(300_000);
        }
        long t0 = System.nanoTime();
        org.pthread4j.gmp.Sched sched = org.pthread4j.gmp.GmpThreadModel.instance();
        java.util.function.IntSupplier currentP = () -> sched == null ? -1 : sched.currentP();
        int[] fds = new int[2];
        org.pthread4j.posix.Posix.pipe(fds);
        pthread_t[] t = new pthread_t[THREADS];
        for (int i = 0; i < THREADS; i++) {
            int me = i;
            t[i] = new pthread_t();
            pthread_create(t[i], null, arg -> {
                for (int b = 0; b < BURSTS; b++) {
                    if (me == 0 && b == BURSTS / 3) {
                        // a blocking system call: who keeps running meanwhile?
                        long s = System.nanoTime();
                        int tid = gettid();
                        org.pthread4j.posix.Posix.read(fds[0], new byte[1], 1);
                        out.add(new Segment(me, tid, -1, (s - t0) / 1000, (System.nanoTime() - t0) / 1000, true));
                    }
                    long s = System.nanoTime();
                    int tid = gettid();
                    int p = currentP.getAsInt();
                    LabProbe.sink += LabProbe.burn(300_000);
                    out.add(new Segment(me, tid, p, (s - t0) / 1000, (System.nanoTime() - t0) / 1000, false));
                    usleep(300);
                }
                return null;
            }, null);
        }
        // the writer is not a pthread: it wakes the reader after 15 ms whatever the model does
        Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(15);
            } catch (InterruptedException ignored) {
                // write at once
            }
            org.pthread4j.posix.Posix.write(fds[1], new byte[] {1}, 1);
        });
        for (pthread_t x : t) {
            pthread_join(x, null);
        }
        for (Segment s : out) {
            System.out.println("segment " + s.pthread() + " " + s.tid() + " " + s.p() + " " + s.startMicros()
                    + " " + s.endMicros() + " " + s.blocked());
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
                if (f.length == 7 && f[0].equals("segment")) {
                    segments.add(new Segment(Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                            Long.parseLong(f[4]), Long.parseLong(f[5]), Boolean.parseBoolean(f[6])));
                }
            }
        }
        p.waitFor();
        return new Run(backend, segments);
    }
}
