package org.pthread4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The virtual ping-pong taken apart ({@code Versus --only waitpath}), run as the README's
 * command runs it, on one carrier: each of its three rows is written with the contestant and
 * the baseline it names, and a ratio of every round. No figure is asserted.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class VersusWaitPathIT {

    static final int ROUNDS = 3;

    @Test
    void everyRowIsWritten() throws Exception {
        Path out = Files.createTempFile("waitpath", ".json");
        Path err = Files.createTempFile("waitpath", ".err");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                Harness.NATIVE_ACCESS, Harness.OPEN_LANG, "-Dpthread4j.backend=virtual",
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
    }
}
