package org.pthread4j.lab;

import static org.pthread4j.Pthreads.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.pthread4j.bench.Interleaved;
import org.pthread4j.posix.Posix;
import org.pthread4j.pthread_t;

/**
 * The gmp backend's two hand-off strategies measured side by side: {@code eager} (the P leaves
 * at every system call) and {@code lazy} (Go's: sysmon retakes it after 20 µs). Run without
 * arguments it starts one JVM per strategy (GOMAXPROCS = cores) and prints a table:
 * <ul>
 *   <li>short calls: 4 pthreads each doing 20,000 write+read pairs on a pipe of its own,
 *       calls that never block: ns per call;</li>
 *   <li>blocking call: the lab's "others' progress while one pthread sits in read()", the
 *       median of 11 interleaved rounds with its confidence interval.</li>
 * </ul>
 */
public final class Handoff {

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--probe")) {
            probe();
            return;
        }
        String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
        System.out.println("| gmp hand-off | short syscalls (ns/call) | others' progress during a blocking read() |");
        System.out.println("|---|---:|---:|");
        for (String mode : List.of("lazy", "eager")) {
            Process p = new ProcessBuilder(javaBin, "--enable-native-access=ALL-UNNAMED",
                    "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-Dpthread4j.backend=gmp",
                    "-Dpthread4j.gmp.handoff=" + mode, "-cp", System.getProperty("java.class.path"),
                    Handoff.class.getName(), "--probe").redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            System.out.println("| " + mode + " | " + out.replaceFirst(" ", " | ") + " |");
        }
    }

    static void probe() throws Exception {
        shortCalls(2_000); // warm-up
        double ns = shortCalls(20_000);
        Interleaved.Ratio effect = BlockingRead.rounds(11, 200, new ArrayList<>()).ratio("blocked", "free");
        System.out.printf(Locale.ROOT, "%.0f %.2f [%.2f–%.2f]%n", ns, effect.median(), effect.low(), effect.high());
        System.exit(0);
    }

    static double shortCalls(int pairs) {
        int threads = 4;
        pthread_t[] t = new pthread_t[threads];
        long start = System.nanoTime();
        for (int i = 0; i < threads; i++) {
            t[i] = new pthread_t();
            LabProbe.check(pthread_create(t[i], null, arg -> {
                int[] fds = new int[2];
                Posix.pipe(fds);
                byte[] b = {1};
                for (int k = 0; k < pairs; k++) {
                    Posix.write(fds[1], b, 1);
                    Posix.read(fds[0], b, 1);
                }
                Posix.close(fds[0]);
                Posix.close(fds[1]);
                return null;
            }, null), "pthread_create");
        }
        for (pthread_t x : t) {
            LabProbe.check(pthread_join(x, null), "pthread_join");
        }
        return (double) (System.nanoTime() - start) / (threads * 2L * pairs);
    }
}
