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
 * median of each named row, and the ratio new/old is the median of the per-round ratios with
 * its interval. Where the row's note has the process's CPU time per operation (gmp's rows),
 * its ratio is given too: a figure that waiting for a CPU on a loaded machine does not
 * inflate. Both jars must carry this version of {@link Versus} (build the old sources with
 * it).
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar org.pthread4j.bench.Builds --old old.jar --new new.jar \
 *       --backend gmp --figure "create+join (in scheduler)" --figure "cond ping-pong (in scheduler)" \
 *       [--only create,cond] [--rounds 9] [--child-rounds 11] [--jvm-arg -Dpthread4j.condspin=0...]
 * </pre>
 * Each {@code --jvm-arg} goes to both builds' child JVMs, before the class name.
 */
public final class Builds {

    private Builds() {}

    public static void main(String[] args) throws Exception {
        String oldJar = null;
        String newJar = null;
        String backend = "gmp";
        String only = "";
        List<String> figures = new ArrayList<>();
        int rounds = 9;
        String childRounds = "11";
        List<String> jvmArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--old" -> oldJar = args[++i];
                case "--new" -> newJar = args[++i];
                case "--backend" -> backend = args[++i];
                case "--only" -> only = args[++i];
                case "--figure" -> figures.add(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--child-rounds" -> childRounds = args[++i];
                case "--jvm-arg" -> jvmArgs.add(args[++i]);
                default -> throw new IllegalArgumentException(usage());
            }
        }
        if (oldJar == null || newJar == null || figures.isEmpty()) {
            throw new IllegalArgumentException(usage());
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Map<String, Interleaved.Round> c = new LinkedHashMap<>();
        // The child JVMs' outputs by build, in round order: every figure is read from them.
        Map<String, List<String>> outputs = new LinkedHashMap<>();
        for (String[] build : new String[][] {{"new", newJar}, {"old", oldJar}}) {
            List<String> cmd = new ArrayList<>(List.of(java, Harness.NATIVE_ACCESS, Harness.OPEN_LANG,
                    "-Dpthread4j.backend=" + backend));
            cmd.addAll(jvmArgs);
            cmd.addAll(List.of("-cp", build[1], Versus.class.getName(), "--json", "--rounds", childRounds));
            if (!only.isEmpty()) {
                cmd.addAll(List.of("--only", only));
            }
            List<String> out = outputs.computeIfAbsent(build[0], k -> new ArrayList<>());
            c.put(build[0], () -> {
                String json = run(cmd);
                out.add(json);
                return median(json, figures.get(0));
            });
        }
        Interleaved.run(0, rounds, c);
        System.out.println(String.format("backend %s%s, %d child JVMs of each build, interleaved", backend,
                jvmArgs.isEmpty() ? "" : " " + String.join(" ", jvmArgs), rounds));
        for (String figure : figures) {
            double[] wallNew = outputs.get("new").stream().mapToDouble(j -> median(j, figure)).toArray();
            double[] wallOld = outputs.get("old").stream().mapToDouble(j -> median(j, figure)).toArray();
            System.out.println(figure + ": new " + Interleaved.spread(wallNew) + " µs; old "
                    + Interleaved.spread(wallOld) + " µs (medians of each JVM); new / old: "
                    + Interleaved.ratio(wallNew, wallOld));
            if (cpu(outputs.get("new").get(0), figure) != null) {
                double[] cpuNew = outputs.get("new").stream().mapToDouble(j -> cpu(j, figure)).toArray();
                double[] cpuOld = outputs.get("old").stream().mapToDouble(j -> cpu(j, figure)).toArray();
                System.out.println("  CPU per operation: new " + Interleaved.spread(cpuNew) + " µs; old "
                        + Interleaved.spread(cpuOld) + " µs; new / old: " + Interleaved.ratio(cpuNew, cpuOld));
            }
        }
    }

    private static String usage() {
        return "usage: Builds --old old.jar --new new.jar --figure name [--figure name...] [--backend gmp] [--only create]"
                + " [--rounds n] [--child-rounds n] [--jvm-arg arg...]";
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
        Matcher m = Pattern.compile("\"pthread4j\":\\{\"median\":([0-9.Ee+-]+)").matcher(row(json, figure));
        if (!m.find()) {
            throw new IllegalStateException("no pthread4j figure in the row \"" + figure + "\" of " + json);
        }
        return Double.parseDouble(m.group(1));
    }

    /** The median CPU time per operation that the row's note gives for pthread4j, µs, or null. */
    static Double cpu(String json, String figure) {
        Matcher m = Pattern.compile("pthread4j CPU ([0-9.]+) µs/").matcher(row(json, figure));
        return m.find() ? Double.valueOf(m.group(1)) : null;
    }

    /** The JSON object of the row named {@code figure}. */
    private static String row(String json, String figure) {
        int start = json.indexOf("{\"figure\":\"" + figure + "\"");
        if (start < 0) {
            throw new IllegalStateException("no row \"" + figure + "\" in " + json);
        }
        int end = json.indexOf("\"note\":", start);
        end = json.indexOf('}', end < 0 ? start : end);
        return json.substring(start, end < 0 ? json.length() : end);
    }
}
