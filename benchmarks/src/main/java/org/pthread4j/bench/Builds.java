package org.pthread4j.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two builds of pthread4j against each other, for a before/after figure: a child JVM of each
 * build's benchmarks jar per round, the two builds taking turns ({@link Interleaved}), each
 * running {@link Versus} {@code --json} on one backend; a round's figure is the pthread4j
 * median of the named row, and the ratio new/old is the median of the per-round ratios with
 * its interval. Both jars must carry this version of {@link Versus} (build the old sources
 * with it).
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar org.pthread4j.bench.Builds --old old.jar --new new.jar \
 *       --backend gmp --only create --figure "create+join (in scheduler)" [--rounds 9] [--child-rounds 11]
 * </pre>
 */
public final class Builds {

    private Builds() {}

    public static void main(String[] args) throws Exception {
        String oldJar = null;
        String newJar = null;
        String backend = "gmp";
        String only = "";
        String figure = null;
        int rounds = 9;
        String childRounds = "11";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--old" -> oldJar = args[++i];
                case "--new" -> newJar = args[++i];
                case "--backend" -> backend = args[++i];
                case "--only" -> only = args[++i];
                case "--figure" -> figure = args[++i];
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--child-rounds" -> childRounds = args[++i];
                default -> throw new IllegalArgumentException(usage());
            }
        }
        if (oldJar == null || newJar == null || figure == null) {
            throw new IllegalArgumentException(usage());
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Map<String, Interleaved.Round> c = new LinkedHashMap<>();
        for (String[] build : new String[][] {{"new", newJar}, {"old", oldJar}}) {
            List<String> cmd = new ArrayList<>(List.of(java, Harness.NATIVE_ACCESS, Harness.OPEN_LANG,
                    "-Dpthread4j.backend=" + backend, "-cp", build[1], Versus.class.getName(), "--json",
                    "--rounds", childRounds));
            if (!only.isEmpty()) {
                cmd.addAll(List.of("--only", only));
            }
            String row = figure;
            c.put(build[0], () -> median(run(cmd), row));
        }
        Interleaved.Results r = Interleaved.run(0, rounds, c);
        System.out.println(String.format("%s, backend %s, %d child JVMs of each build, interleaved", figure, backend,
                rounds));
        System.out.println("new: " + r.spread("new") + " µs; old: " + r.spread("old") + " µs (medians of each JVM)");
        System.out.println("new / old: " + r.ratio("new", "old"));
    }

    private static String usage() {
        return "usage: Builds --old old.jar --new new.jar --figure name [--backend gmp] [--only create]"
                + " [--rounds n] [--child-rounds n]";
    }

    private static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    /** The pthread4j median of the row named {@code figure} in Versus's JSON. */
    static double median(String json, String figure) {
        Matcher m = Pattern.compile("\"figure\":\"" + Pattern.quote(figure)
                + "\",\"unit\":\"[^\"]*\",\"pthread4j\":\\{\"median\":([0-9.Ee+-]+)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no row \"" + figure + "\" in " + json);
        }
        return Double.parseDouble(m.group(1));
    }
}
