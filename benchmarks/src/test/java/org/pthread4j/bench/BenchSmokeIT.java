package org.pthread4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A smoke run of the whole JMH suite on the packaged jar, so that the suite cannot rot: every
 * benchmark runs once for a moment (its checks fail the run on a wrong result), and the
 * result file names every class. The run takes what the machine gives it (one JVM per
 * benchmark: minutes when other processes load the CPUs), so it is not timed: it fails only
 * when it prints nothing for {@link #SILENCE_MINUTES}, a hang.
 */
@Timeout(value = 40, unit = TimeUnit.MINUTES)
class BenchSmokeIT {

    static final long SILENCE_MINUTES = 5;

    /** Every benchmark of benchmarks.jar runs and reports a score. */
    @Test
    void everyBenchmarkRuns() throws Exception {
        Path repo = Path.of(System.getProperty("pthread4j.repo")).toAbsolutePath().normalize();
        Path jar = repo.resolve("benchmarks/target/benchmarks.jar");
        Path json = Files.createTempFile("smoke", ".json");
        Path log = Files.createTempFile("smoke", ".log");
        // jmh.ignoreLock: JMH allows one run per machine (/tmp/jmh.lock) so that runs do not skew
        // each other's figures; a smoke run's figures do not matter, and another build may hold it.
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Djmh.ignoreLock=true", "-jar", jar.toString(),
                "-f", "1", "-wi", "0", "-i", "1", "-r", "100ms", "-foe", "true",
                "-rf", "json", "-rff", json.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long printed = -1;
            long lastOutput = System.nanoTime();
            while (!p.waitFor(5, TimeUnit.SECONDS)) {
                if (Files.size(log) != printed) {
                    printed = Files.size(log);
                    lastOutput = System.nanoTime();
                } else if (System.nanoTime() - lastOutput > TimeUnit.MINUTES.toNanos(SILENCE_MINUTES)) {
                    fail("the smoke run printed nothing for " + SILENCE_MINUTES + " minutes:\n" + Files.readString(log));
                }
            }
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly); // JMH's forked JVM, on a failure
            p.destroyForcibly();
        }
        assertEquals(0, p.exitValue(), Files.readString(log));
        // JMH's JSON: one "benchmark" entry per run, each with a primary "score"
        String text = Files.readString(json);
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("\"benchmark\"\\s*:\\s*\"org\\.pthread4j\\.bench\\.([A-Za-z0-9]+)\\.[A-Za-z0-9]+\"").matcher(text);
        java.util.Set<String> classes = new java.util.HashSet<>();
        int runs = 0;
        while (m.find()) {
            classes.add(m.group(1));
            runs++;
        }
        assertEquals(java.util.Set.of("CreateJoinBench", "MutexBench", "CondPingPongBench", "SemPingPongBench",
                "BarrierBench", "TlsBench", "BindingBench"), classes, text.length() + " bytes of JSON");
        assertTrue(runs >= 30, runs + " benchmark runs");
    }
}
