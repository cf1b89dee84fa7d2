package org.pthread4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The launcher ({@code ./pthread4j}) and the bench driver answer a wrong command line with
 * what was wrong and the usage, exit status 2: never a shell's "unbound variable" or a Java
 * stack trace. None of these cases builds or runs anything.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LauncherTest {

    static final Path REPO = Path.of(System.getProperty("pthread4j.repo", "..")).toAbsolutePath().normalize();

    record Result(int status, String stdout, String stderr) {}

    static Result run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        // Little output: reading stdout to its end, then stderr, cannot block the child.
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), cmd + " did not end");
        return new Result(p.exitValue(), out, err);
    }

    static Result launcher(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", REPO.resolve("pthread4j").toString()));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    /** The usage names every command, gmp among the backends, and bench's --backend and --publish. */
    @Test
    void helpShowsEveryOption() throws Exception {
        Result r = launcher("help");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.stdout().contains("./pthread4j lab [--quick] [--json] [--backend native|virtual|green|gmp]"), r.toString());
        assertTrue(r.stdout().contains("./pthread4j run [<example> [--backend native|virtual|green|gmp]"), r.toString());
        assertTrue(r.stdout().contains("./pthread4j bench [--quick] [--publish] [--backend native,native/jni,virtual,green,gmp] [filter]"),
                r.toString());
    }

    /** run --backend without a value, and an unknown command: what was wrong, the usage, status 2. */
    @ParameterizedTest
    @ValueSource(strings = {"run hello --backend", "frobnicate"})
    void launcherUsageErrors(String args) throws Exception {
        Result r = launcher(args.split(" "));
        assertEquals(2, r.status(), r.toString());
        String first = r.stderr().lines().findFirst().orElse("");
        assertTrue(first.equals("pthread4j: --backend needs a value") || first.equals("pthread4j: unknown command 'frobnicate'"),
                r.toString());
        assertTrue(r.stderr().contains("usage: ./pthread4j lab"), r.toString());
    }

    /** bench's options without their value, an unknown backend, and --publish of a partial run: one line and the usage, status 2. */
    @ParameterizedTest
    @ValueSource(strings = {"--backend", "--out", "--backend bogus", "--quick --publish", "--publish CondPingPongBench"})
    void benchUsageErrors(String args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Bench.class.getName()));
        cmd.addAll(List.of(args.split(" ")));
        Result r = run(cmd);
        assertEquals(2, r.status(), r.toString());
        List<String> lines = r.stderr().lines().toList();
        assertEquals(2, lines.size(), r.toString());
        assertTrue(lines.get(0).startsWith("pthread4j bench: "), r.toString());
        assertTrue(lines.get(1).startsWith("usage: ./pthread4j bench "), r.toString());
    }
}
