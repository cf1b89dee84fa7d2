package org.pthread4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Markdown that Ratios prints from JMH result files, for a quick run and for a full one. */
class RatiosTest {

    @TempDir
    Path dir;

    /**
     * A JMH result file of two native create+join scores, pthread4j twice glibc's (the
     * target allows 1.5×), each from {@code iterations} measurement iterations; JMH writes
     * the error as the string "NaN" when it has fewer than three.
     */
    Path result(int iterations) throws Exception {
        String error = iterations < 3 ? "\"NaN\"" : "1.5";
        String run = """
                {"benchmark": "org.pthread4j.bench.CreateJoinBench.%s", "forks": 1, "measurementIterations": %d,
                 "jvmArgs": ["-Dpthread4j.backend=native"],
                 "primaryMetric": {"score": %s, "scoreError": %s, "scoreUnit": "us/op"}}""";
        Path file = dir.resolve("jmh-" + iterations + ".json");
        Files.writeString(file, "[" + String.format(Locale.ROOT, run, "pthread4j", iterations, "60.0", error) + ",\n"
                + String.format(Locale.ROOT, run, "glibc", iterations, "30.0", error) + "]");
        return file;
    }

    static String print(Path file, int[] failed) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        failed[0] = Ratios.print(Ratios.read(file), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** A quick run (one iteration) shows no "± NaN" and judges no target: "not judged (quick run)", never FAIL. */
    @Test
    void quickRunJudgesNothing() throws Exception {
        int[] failed = {-1};
        String out = print(result(1), failed);
        assertTrue(out.contains("| CreateJoinBench.pthread4j | native | 60.00 | one iteration: no error bar | us/op |"), out);
        assertTrue(out.contains("| create+join: pthread4j vs C | native | 2.00× | ≤ 1.5× | not judged (quick run) |"), out);
        assertFalse(out.contains("NaN") || out.contains("FAIL"), out);
        assertEquals(0, failed[0]);
    }

    /** A full run (five iterations) shows the error bar and judges the target: here it fails. */
    @Test
    void fullRunJudgesTargets() throws Exception {
        int[] failed = {-1};
        String out = print(result(5), failed);
        assertTrue(out.contains("| CreateJoinBench.pthread4j | native | 60.00 | ± 1.50 | us/op |"), out);
        assertTrue(out.contains("| create+join: pthread4j vs C | native | 2.00× | ≤ 1.5× | **FAIL** |"), out);
        assertEquals(1, failed[0]);
    }
}
