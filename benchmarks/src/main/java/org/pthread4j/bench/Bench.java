package org.pthread4j.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./pthread4j bench [--quick] [--backend a,b] [filter]}: runs the JMH suite once per
 * backend (one JVM per backend, as every figure of pthread4j), with defaults sized for two
 * cores, and writes into {@code results/<time>/} (and {@code results/latest/}): each backend's
 * JSON, {@code results.md} (the table, the targets, the ratios) and one PNG chart per question.
 */
public final class Bench {

    public static void main(String[] args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = null;
        boolean quick = false;
        String filter = ".*";
        List<String> backends = new ArrayList<>(List.of("native", "native/jni", "virtual", "green", "gmp"));
        Path root = Path.of("results");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--java" -> java = args[++i];
                case "--jar" -> jar = args[++i];
                case "--quick" -> quick = true;
                case "--backend" -> backends = List.of(args[++i].split(","));
                case "--out" -> root = Path.of(args[++i]);
                default -> {
                    if (args[i].startsWith("-")) {
                        System.err.println("usage: ./pthread4j bench [--quick] [--backend native,native/jni,virtual,green,gmp] [--out dir] [filter]");
                        System.exit(2);
                    }
                    filter = args[i];
                }
            }
        }
        if (jar == null) {
            jar = Path.of(Bench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        }
        Path dir = root.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(dir);
        List<Path> jsons = new ArrayList<>();
        for (String backend : backends) {
            // "native/jni": the native backend over its JNI binding
            String[] spec = backend.split("/");
            String jvmArgs = "-Dpthread4j.backend=" + spec[0] + (spec.length > 1 ? " -Dpthread4j.binding=" + spec[1] : "");
            String file = backend.replace('/', '-');
            Path json = dir.resolve("jmh-" + file + ".json");
            List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                    "-jar", jar, filter, "-rf", "json", "-rff", json.toString(), "-jvmArgsAppend", jvmArgs));
            cmd.addAll(quick
                    ? List.of("-f", "1", "-wi", "1", "-i", "2", "-w", "300ms", "-r", "300ms")
                    : List.of("-f", "1", "-wi", "3", "-i", "5", "-w", "1s", "-r", "1s"));
            System.err.println("pthread4j bench: " + backend + " ...");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("jmh-" + file + ".log").toFile()).start();
            int code = p.waitFor();
            if (code != 0 || !Files.exists(json)) {
                System.err.println("pthread4j bench: the " + backend + " run failed; see " + dir.resolve("jmh-" + file + ".log"));
                System.exit(1);
            }
            jsons.add(json);
        }
        List<Ratios.Score> scores = new ArrayList<>();
        for (Path j : jsons) {
            scores.addAll(Ratios.read(j));
        }
        Path md = dir.resolve("results.md");
        try (PrintStream out = new PrintStream(Files.newOutputStream(md), true, StandardCharsets.UTF_8)) {
            out.printf(Locale.ROOT, "# pthread4j benchmarks%n%n%s, %d cores, %s %s, JDK %s%n%n", quick ? "--quick" : "full run",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                    System.getProperty("os.version"), System.getProperty("java.version"));
            Ratios.print(scores, out);
            out.println();
            for (String chart : Charts.render(scores, dir)) {
                out.println("![" + chart + "](" + chart + ")");
            }
        }
        Path latest = root.resolve("latest");
        Files.createDirectories(latest);
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.copy(f, latest.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        System.out.print(Files.readString(md));
        System.err.println("pthread4j bench: wrote " + dir + " (and " + latest + ")");
    }
}
