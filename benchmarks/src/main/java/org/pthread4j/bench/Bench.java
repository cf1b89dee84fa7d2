package org.pthread4j.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./pthread4j bench [--quick] [--publish] [--backend a,b] [filter]}: runs the JMH suite
 * once per backend (one JVM per backend, as every figure of pthread4j), with defaults sized
 * for two cores.
 *
 * <p>Each run writes a directory of its own, {@code results/<time>/}: each backend's JSON and
 * log, {@code results.md} (the table, the targets, the ratios) and one PNG chart per question;
 * {@code results/latest} is a symbolic link to the last one. Git ignores both, so a run never
 * dirties the repository. The figures README quotes live in {@code results/published/}, which
 * is committed and which only {@code --publish}, on a full run of the whole suite, rewrites.
 */
public final class Bench {

    static final List<String> BACKENDS = List.of("native", "native/jni", "virtual", "green", "gmp");

    private static final String USAGE =
            "usage: ./pthread4j bench [--quick] [--publish] [--backend native,native/jni,virtual,green,gmp] [filter]";

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--versus")) {
            Versus.launch(args);
            return;
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = null;
        boolean quick = false;
        boolean publish = false;
        String filter = ".*";
        List<String> backends = BACKENDS;
        Path root = Path.of("results");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--java" -> java = value(args, ++i);
                case "--jar" -> jar = value(args, ++i);
                case "--quick" -> quick = true;
                case "--publish" -> publish = true;
                case "--backend" -> backends = List.of(value(args, ++i).split(","));
                case "--out" -> root = Path.of(value(args, ++i));
                default -> {
                    if (args[i].startsWith("-")) {
                        usage("unknown option " + args[i]);
                    }
                    filter = args[i];
                }
            }
        }
        for (String b : backends) {
            if (!BACKENDS.contains(b)) {
                usage("unknown backend '" + b + "'; use " + String.join(",", BACKENDS));
            }
        }
        if (publish && (quick || !filter.equals(".*") || !backends.equals(BACKENDS))) {
            usage("--publish publishes a full run of the whole suite on every backend: drop --quick, --backend and the filter");
        }
        if (jar == null) {
            jar = Path.of(Bench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        }
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Files.createDirectories(root);
        Path latest = root.resolve("latest");
        if (Files.isDirectory(latest, LinkOption.NOFOLLOW_LINKS)) {
            // a results/latest/ directory left by an older version: keep it, out of the way
            Path aside = root.resolve("latest-before-" + stamp);
            Files.move(latest, aside);
            System.err.println("pthread4j bench: moved the old " + latest + " directory to " + aside);
        }
        Path dir = Files.createDirectory(root.resolve(stamp));
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
                    ? List.of("-f", "1", "-wi", "1", "-i", "1", "-w", "300ms", "-r", "300ms")
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
            out.printf(Locale.ROOT, "# pthread4j benchmarks%n%n%s (run %s), %d cores, %s %s, JDK %s%n%n",
                    quick ? "--quick: one iteration per benchmark, targets not judged" : "full run", stamp,
                    Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                    System.getProperty("os.version"), System.getProperty("java.version"));
            Ratios.print(scores, out);
            out.println();
            for (String chart : Charts.render(scores, dir)) {
                out.println("![" + chart + "](" + chart + ")");
            }
        }
        Path link = root.resolve("latest.new");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, dir.getFileName());
        Files.move(link, latest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        System.out.print(Files.readString(md));
        System.err.println("pthread4j bench: wrote " + dir + " (" + latest + " points to it)");
        if (publish) {
            Path published = Files.createDirectories(root.resolve("published"));
            try (var old = Files.list(published)) {
                for (Path f : old.toList()) {
                    Files.delete(f);
                }
            }
            try (var files = Files.list(dir)) {
                for (Path f : files.filter(f -> !f.getFileName().toString().endsWith(".log")).toList()) {
                    Files.copy(f, published.resolve(f.getFileName()));
                }
            }
            System.err.println("pthread4j bench: published it in " + published + " (README quotes these; commit them)");
        }
    }

    /** The value after an option ({@code args[i]}); usage when there is none. */
    private static String value(String[] args, int i) {
        if (i >= args.length) {
            usage(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static void usage(String problem) {
        System.err.println("pthread4j bench: " + problem);
        System.err.println(USAGE);
        System.exit(2);
    }
}
