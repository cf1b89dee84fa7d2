package org.pthread4j.bench;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Two builds of the library under the same JMH benchmarks, interleaved: did a change make
 * them slower? Each round runs one JMH fork per build, the builds taking turns
 * ({@link Interleaved} rotates which goes first), and the answer is the median of the
 * per-round ratios {@code after / before} with its distribution-free interval, so a burst of
 * load from other processes falls on both builds of a round alike.
 *
 * <p>The benchmark classes are this jar's; only the library under them changes. A build is a
 * java-api jar ({@code java-api/target/pthread4j-*.jar} of a checkout), put before this jar
 * on the class path of the JMH runner and hence of its fork, so the fork loads that build's
 * classes and its {@code libpthread4j.so}. The benchmarks may use only what both builds
 * have.
 *
 * <pre>
 *   git worktree add /tmp/before &lt;commit&gt; &amp;&amp; (cd /tmp/before &amp;&amp; mvn -q -pl java-api -am package -DskipTests)
 *   java -cp benchmarks/target/benchmarks.jar org.pthread4j.bench.JmhBuilds \
 *       --before /tmp/before/java-api/target/pthread4j-0.1.0-SNAPSHOT.jar \
 *       --after java-api/target/pthread4j-0.1.0-SNAPSHOT.jar \
 *       [--backend gmp] [--rounds 21] [--jmh "-wi 2 -i 3 -w 1s -r 1s"] \
 *       'CreateJoinBench.pthread4j$' 'CondPingPongBench.pthread4j$'
 * </pre>
 * One interleaved run per benchmark pattern (each must select one benchmark); each prints the
 * two builds' medians (min–max) and the ratio, and the load average before and after.
 */
public final class JmhBuilds {

    private static final String USAGE = "usage: JmhBuilds --before <jar> --after <jar> [--backend b] [--rounds n] "
            + "[--jmh \"<JMH options>\"] <benchmark pattern>...";

    private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private final String benchmarks = System.getProperty("java.class.path");
    private final String backend;
    private final List<String> jmh;

    private JmhBuilds(String backend, List<String> jmh) {
        this.backend = backend;
        this.jmh = jmh;
    }

    public static void main(String[] args) throws Exception {
        String before = null;
        String after = null;
        String backend = "gmp";
        int rounds = 21;
        List<String> jmh = List.of("-wi", "2", "-i", "3", "-w", "1s", "-r", "1s");
        List<String> patterns = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            boolean takesValue = args[i].startsWith("--");
            if (takesValue && i + 1 == args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value; " + USAGE);
            }
            switch (args[i]) {
                case "--before" -> before = args[++i];
                case "--after" -> after = args[++i];
                case "--backend" -> backend = args[++i];
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--jmh" -> jmh = List.of(args[++i].trim().split("\\s+"));
                default -> {
                    if (takesValue) {
                        throw new IllegalArgumentException("unknown option " + args[i] + "; " + USAGE);
                    }
                    patterns.add(args[i]);
                }
            }
        }
        if (before == null || after == null || patterns.isEmpty()) {
            throw new IllegalArgumentException(USAGE);
        }
        JmhBuilds b = new JmhBuilds(backend, jmh);
        double load0 = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        System.out.printf(Locale.ROOT, "%s, %d rounds of one JMH fork per build (%s), builds interleaved%n"
                + "before: %s%nafter:  %s%n", backend, rounds, String.join(" ", jmh), before, after);
        for (String pattern : patterns) {
            Map<String, Interleaved.Round> builds = new LinkedHashMap<>();
            String jarBefore = before;
            String jarAfter = after;
            builds.put("before", () -> b.score(jarBefore, pattern));
            builds.put("after", () -> b.score(jarAfter, pattern));
            Interleaved.Results r = Interleaved.run(0, rounds, builds);
            System.out.printf(Locale.ROOT, "%s: before %s, after %s; after / before %s%n", pattern,
                    r.spread("before"), r.spread("after"), r.ratio("after", "before"));
        }
        System.out.printf(Locale.ROOT, "load average %.2f → %.2f on %d CPUs%n", load0,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
    }

    /** One JMH fork of the benchmark {@code pattern} on the build {@code jar}: its score. */
    private double score(String jar, String pattern) throws Exception {
        Path result = Files.createTempFile("builds", ".json");
        try {
            List<String> cmd = new ArrayList<>(List.of(java, Harness.NATIVE_ACCESS, "-Djmh.ignoreLock=true",
                    "-cp", jar + File.pathSeparator + benchmarks, "org.openjdk.jmh.Main", pattern, "-f", "1"));
            cmd.addAll(jmh);
            cmd.addAll(List.of("-jvmArgsAppend", "-Dpthread4j.backend=" + backend, "-rf", "json",
                    "-rff", result.toString()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            int code = p.waitFor();
            List<Ratios.Score> scores = code == 0 ? Ratios.read(result) : List.of();
            if (scores.size() != 1) {
                throw new IllegalStateException("JMH on " + jar + " for '" + pattern + "' exited " + code + " with "
                        + scores.size() + " scores (needs exactly one): " + String.join(" ", cmd));
            }
            return scores.get(0).score();
        } finally {
            Files.deleteIfExists(result);
        }
    }
}
