package org.pthread4j.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * pthread4j as a user gets it: a separate Maven project ({@code src/it/consumer}) that depends
 * on {@code org.pthread4j:pthread4j}, is a module that {@code requires org.pthread4j}, and runs
 * on the module path with the JVM flags README gives, on every backend.
 *
 * <p>The nested Maven runs offline ({@code -o}) on a private repository,
 * {@code target/consumer-repo}, made anew for each run: this build's pthread4j jar, pom and
 * parent pom (copied from the reactor in pre-integration-test) are installed there in the
 * repository layout, and everything else in it (Maven's plugins, jnr-posix) is a symbolic link
 * into the local repository of the build that runs this test, which resolved the same plugins.
 * So the consumer resolves exactly this build's artifact, never a pthread4j left in ~/.m2 by
 * an earlier build, and needs no network. A nested Maven, not javac alone, so that the
 * coordinates README gives and the pom's dependencies (jnr-posix optional) are what is tested.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ConsumerIT {

    private static final Path PROJECT = Paths.get(System.getProperty("consumer.project"));
    private static final Path WORK = Paths.get(System.getProperty("consumer.work"), "consumer");
    private static final Path ARTIFACTS = Paths.get(System.getProperty("consumer.artifacts"));
    private static final Path REPO = Paths.get(System.getProperty("consumer.repo"));
    private static final Path OUTER_REPO = Paths.get(System.getProperty("outer.repo"));
    private static final String VERSION = System.getProperty("pthread4j.version");
    private static final Path JAVA_HOME = Paths.get(System.getProperty("java.home"));

    /** What Maven resolved for the consumer: without jnr-posix, and with it (-Pjnr). */
    private static List<Path> plainPath;
    private static List<Path> jnrPath;

    @BeforeAll
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    static void buildConsumer() throws Exception {
        deleteTree(REPO);
        install("pthread4j", "jar");
        install("pthread4j", "pom");
        install("pthread4j-parent", "pom");
        linkMissing(OUTER_REPO, REPO, REPO.resolve("org/pthread4j"));
        deleteTree(WORK);
        copyTree(PROJECT, WORK);
        plainPath = mavenCompile("plain");
        jnrPath = mavenCompile("jnr", "-Pjnr");
    }

    /** A FFM user's module path is the pthread4j jar alone, from the private repository. */
    @Test
    void modulePathIsPthread4jAlone() {
        assertFalse(Files.isSymbolicLink(REPO.resolve("org")) || Files.isSymbolicLink(REPO.resolve("org/pthread4j")));
        assertEquals(List.of(REPO.resolve("org/pthread4j/pthread4j/" + VERSION + "/pthread4j-" + VERSION + ".jar")),
                plainPath);
        assertTrue(jnrPath.size() > 1 && jnrPath.containsAll(plainPath), "-Pjnr adds jnr-posix: " + jnrPath);
    }

    /** Code that names an internal package does not compile against the module. */
    @Test
    void internalPackageDoesNotCompile() throws IOException {
        Path out = Files.createTempDirectory(WORK.resolve("target"), "internal");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = ToolProvider.findFirst("javac").orElseThrow().run(
                new PrintWriter(System.out, true), new PrintWriter(err, true),
                "-d", out.toString(), "--module-path", join(plainPath),
                WORK.resolve("src/main/java/module-info.java").toString(),
                WORK.resolve("src/internal/java/org/example/consumer/Internal.java").toString());
        String message = err.toString(StandardCharsets.UTF_8);
        assertNotEquals(0, rc, message);
        assertTrue(message.contains("package org.pthread4j.spi is not visible"), message);
    }

    /**
     * The consumer runs on each backend with README's flags for the module path: the counter is
     * right, pthread4j is the named module org.pthread4j, its internals refuse a reflective call,
     * and the JVM prints no warning (the flags are enough).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "native ffm | -Dpthread4j.backend=native --enable-native-access=org.pthread4j",
        "native jni | -Dpthread4j.backend=native -Dpthread4j.binding=jni --enable-native-access=org.pthread4j,org.jnrproject.jffi --add-modules ALL-MODULE-PATH --sun-misc-unsafe-memory-access=allow",
        "virtual    | -Dpthread4j.backend=virtual --enable-native-access=org.pthread4j",
        "green      | -Dpthread4j.backend=green --enable-native-access=org.pthread4j --add-opens java.base/java.lang=org.pthread4j",
        "gmp        | -Dpthread4j.backend=gmp --enable-native-access=org.pthread4j --add-opens java.base/java.lang=org.pthread4j"})
    void runsOnTheModulePath(String config, String flags) throws Exception {
        boolean jni = config.endsWith("jni");
        String backend = config.split(" ")[0];
        Run r = runConsumer(Arrays.asList(flags.split(" ")), jni ? jnrPath : plainPath, jni ? "jnr" : null);
        assertEquals(0, r.exit, r.toString());
        List<String> expected = new ArrayList<>(List.of("backend " + backend + ", counter 4000", "module org.pthread4j"));
        if (jni) {
            expected.add("jnr-posix getpid ok");
        }
        expected.add("org.pthread4j.spi not accessible");
        assertEquals(expected, r.stdout.lines().toList(), r.toString());
        assertFalse(r.stderr.contains("WARNING"), r.toString());
    }

    /** green without --add-opens fails at its first call, naming the flag for the module path. */
    @Test
    void greenWithoutAddOpensNamesTheModuleFlag() throws Exception {
        Run r = runConsumer(List.of("-Dpthread4j.backend=green", "--enable-native-access=org.pthread4j"), plainPath, null);
        assertNotEquals(0, r.exit, r.toString());
        assertTrue(r.stderr.contains("needs the JVM flag --add-opens java.base/java.lang=org.pthread4j"), r.toString());
    }

    /**
     * An executable jar whose manifest has {@code Add-Opens: java.base/java.lang} and
     * {@code Enable-Native-Access: ALL-UNNAMED} runs green and native with no JVM flag and no
     * warning; without the two attributes green fails naming the flag.
     */
    @Test
    void executableJarManifestGrantsTheFlags() throws Exception {
        Path classes = WORK.resolve("target/jar-classes");
        copyTree(WORK.resolve("target/classes/org"), classes.resolve("org"));
        String manifest = "Main-Class: org.example.consumer.Main\nClass-Path: " + plainPath.get(0).toUri() + "\n";
        Path with = executableJar("with", manifest + "Add-Opens: java.base/java.lang\nEnable-Native-Access: ALL-UNNAMED\n", classes);
        Path without = executableJar("without", manifest, classes);
        for (String backend : List.of("native", "green")) {
            Run r = run(List.of(javaLauncher(), "-Dpthread4j.backend=" + backend, "-jar", with.toString()));
            assertEquals(0, r.exit, r.toString());
            assertEquals("backend " + backend + ", counter 4000", r.stdout.lines().findFirst().orElse(""), r.toString());
            assertFalse(r.stderr.contains("WARNING"), r.toString());
        }
        Run r = run(List.of(javaLauncher(), "-Dpthread4j.backend=green", "-jar", without.toString()));
        assertNotEquals(0, r.exit, r.toString());
        assertTrue(r.stderr.contains("needs the JVM flag --add-opens java.base/java.lang=ALL-UNNAMED"), r.toString());
    }

    private static Path executableJar(String name, String manifest, Path classes) throws IOException {
        Path mf = WORK.resolve("target/" + name + ".mf");
        Files.writeString(mf, manifest);
        Path jar = WORK.resolve("target/" + name + ".jar");
        int rc = ToolProvider.findFirst("jar").orElseThrow().run(System.out, System.err,
                "--create", "--file", jar.toString(), "--manifest", mf.toString(), "-C", classes.toString(), ".");
        assertEquals(0, rc, "jar --create " + jar);
        return jar;
    }

    private record Run(int exit, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private static Run runConsumer(List<String> flags, List<Path> path, String arg) throws Exception {
        List<Path> modulePath = new ArrayList<>(path);
        modulePath.add(0, WORK.resolve("target/classes"));
        List<String> cmd = new ArrayList<>(List.of(javaLauncher()));
        cmd.addAll(flags);
        cmd.addAll(List.of("--module-path", join(modulePath), "-m", "org.example.consumer/org.example.consumer.Main"));
        if (arg != null) {
            cmd.add(arg);
        }
        return run(cmd);
    }

    private static String javaLauncher() {
        return JAVA_HOME.resolve("bin/java").toString();
    }

    private static Run run(List<String> cmd) throws Exception {
        Path out = Files.createTempFile(WORK.resolve("target"), "run", ".out");
        Path err = Files.createTempFile(WORK.resolve("target"), "run", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the consumer did not end in 3 minutes: " + cmd);
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** {@code mvn -o compile} of the consumer; returns the module path Maven resolved. */
    private static List<Path> mavenCompile(String name, String... args) throws Exception {
        Path log = WORK.resolve("mvn-" + name + ".log");
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("maven.home"), "bin", "mvn").toString(),
                "-o", "-B", "-Dmaven.repo.local=" + REPO, "-Dpthread4j.version=" + VERSION, "compile"));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(WORK.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("JAVA_HOME", JAVA_HOME.toString()); // the JDK 23+ that runs this test
        Process p = pb.start();
        if (!p.waitFor(8, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the consumer's build did not end in 8 minutes; see " + log);
        }
        assertEquals(0, p.exitValue(), "the consumer's build failed:\n" + Files.readString(log));
        String path = Files.readString(WORK.resolve("target/module-path.txt")).strip();
        return Stream.of(path.split(":")).map(Paths::get).toList();
    }

    /** Puts {@code org.pthread4j:<artifactId>:<version>:<type>} where Maven's local repository layout has it. */
    private static void install(String artifactId, String type) throws IOException {
        String file = artifactId + "-" + VERSION + "." + type;
        Path dir = Files.createDirectories(REPO.resolve("org/pthread4j/" + artifactId + "/" + VERSION));
        Files.copy(ARTIFACTS.resolve(file), dir.resolve(file));
    }

    /** Links every entry of {@code from} missing in {@code to}, descending into directories both have, except {@code skip}. */
    private static void linkMissing(Path from, Path to, Path skip) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> entries = Files.list(from)) {
            for (Path e : entries.toList()) {
                Path t = to.resolve(e.getFileName().toString());
                if (t.equals(skip)) {
                    continue;
                }
                if (!Files.exists(t, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(t, e);
                } else if (Files.isDirectory(t, LinkOption.NOFOLLOW_LINKS) && Files.isDirectory(e)) {
                    linkMissing(e, t, skip);
                }
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    private static String join(List<Path> path) {
        return String.join(":", path.stream().map(Path::toString).toList());
    }
}
