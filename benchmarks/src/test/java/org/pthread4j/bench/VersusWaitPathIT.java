package org.pthread4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The virtual ping-pong taken apart ({@code Versus --only waitpath}), run as the README's
 * command runs it, on one carrier: each of its three rows is written with the contestant and
 * the baseline it names, and a ratio of every round. No figure is asserted. The run keeps a
 * round log ({@code -Dpthread4j.roundlog}): a warm-up run and a recorded one, every turn of
 * each contestant in it, one after another.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class VersusWaitPathIT {

    static final int ROUNDS = 3;

    @Test
    void everyRowIsWritten() throws Exception {
        Path out = Files.createTempFile("waitpath", ".json");
        Path err = Files.createTempFile("waitpath", ".err");
        Path log = Files.createTempFile("waitpath", ".rounds");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                Harness.NATIVE_ACCESS, Harness.OPEN_LANG, "-Dpthread4j.backend=virtual", "-Dpthread4j.roundlog=" + log,
                "-Djdk.virtualThreadScheduler.parallelism=1", "-cp", System.getProperty("java.class.path"),
                Versus.class.getName(), "--rounds", Integer.toString(ROUNDS), "--only", "waitpath", "--json");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(8, TimeUnit.MINUTES), "the run did not finish");
        String json = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), json + Files.readString(err, StandardCharsets.UTF_8));
        String[] baselines = {"ReentrantLock", "ReentrantLock", "core"};
        for (int i = 0; i < Versus.WAIT_PATH_ROWS.length; i++) {
            Matcher m = Pattern.compile("\\{\"figure\":\"" + Pattern.quote(Versus.WAIT_PATH_ROWS[i])
                    + "\".*?\"baseline\":\"([^\"]+)\".*?\"rounds\":(\\d+)").matcher(json);
            assertTrue(m.find(), Versus.WAIT_PATH_ROWS[i] + " in " + json);
            assertEquals(baselines[i], m.group(1), json);
            assertEquals(ROUNDS, Integer.parseInt(m.group(2)), json);
        }
        roundLogHasEveryTurn(Files.readAllLines(log));
    }

    private static void roundLogHasEveryTurn(List<String> lines) {
        assertEquals(List.of("# run 1: pthread4j,core,ReentrantLock", "# run 2: pthread4j,core,ReentrantLock"),
                lines.stream().filter(l -> l.startsWith("#")).toList(), String.join("\n", lines));
        Map<String, Integer> recorded = new HashMap<>();
        long last = 0;
        int warm = 0;
        for (String l : lines.stream().filter(l -> !l.startsWith("#")).toList()) {
            String[] f = l.split(" ");
            long start = Long.parseLong(f[3]);
            long end = Long.parseLong(f[4]);
            assertTrue(last <= start && start < end, "turns one after another: " + l);
            last = end;
            if (f[2].equals("rec")) {
                assertEquals("2", f[0], l);
                recorded.merge(f[1], 1, Integer::sum);
            } else {
                assertEquals("1", f[0], l);
                warm++;
            }
        }
        assertEquals(Map.of("pthread4j", ROUNDS, "core", ROUNDS, "ReentrantLock", ROUNDS), recorded);
        assertTrue(warm >= 3 * 100, "the warm-up's 100 rounds at least: " + warm);
    }
}
