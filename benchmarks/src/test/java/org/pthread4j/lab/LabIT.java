package org.pthread4j.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's main command, end to end: {@code ./pthread4j lab --quick --json} from the
 * repository root, on the jar this build has just packaged. Checks the shape of the JSON and
 * the directions of the figures that define each model.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class LabIT {

    static double figure(String json, String backend, String key) {
        Matcher b = Pattern.compile("\"" + backend + "\": \\{([^}]*)\\}").matcher(json);
        assertTrue(b.find(), "no " + backend + " in " + json);
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\": (-?[0-9.]+)").matcher(b.group(1));
        assertTrue(m.find(), "no " + key + " for " + backend + " in " + b.group(1));
        return Double.parseDouble(m.group(1));
    }

    /** The lab runs every model and its figures point the way each model predicts. */
    @Test
    void quickLabShowsTheModels() throws Exception {
        Path repo = Path.of(System.getProperty("pthread4j.repo")).toAbsolutePath().normalize();
        Path out = Files.createTempFile("lab", ".json");
        Process p = new ProcessBuilder(List.of("bash", repo.resolve("pthread4j").toString(), "lab", "--quick", "--json"))
                .directory(repo.toFile()).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the lab did not finish");
        String json = Files.readString(out);
        assertEquals(0, p.exitValue(), json);
        assertTrue(json.startsWith("{\"seconds\": "), json);
        for (String b : new String[] {"native", "virtual", "green", "gmp"}) {
            assertTrue(figure(json, b, "create_join.ns") > 0, b);
            assertTrue(figure(json, b, "pingpong.ns") > 0, b);
            assertTrue(figure(json, b, "memory.rss_per_thread") > 0, b);
            assertEquals(10_000, figure(json, b, "memory.threads"), b);
        }
        // native measures its ping-pong twice: waiters that spin first, and waiters that sleep at once
        assertTrue(figure(json, "native", "pingpong.nospin.ns") > 0);
        // 1:1 — a kernel task per pthread; a blocking read costs the others nothing
        assertTrue(figure(json, "native", "tasks.delta") >= 1000);
        assertTrue(figure(json, "native", "blocking.effect") > 0.8);
        // M:1 — one carrier: no task per pthread, and a blocking read freezes everyone
        assertTrue(figure(json, "green", "tasks.delta") < 10);
        assertTrue(figure(json, "green", "blocking.effect") < 0.2);
        // M:N — few kernel tasks
        assertTrue(figure(json, "virtual", "tasks.delta") < 100);
        assertTrue(figure(json, "gmp", "tasks.delta") < 100);
        // gmp hands the P off around the blocking read
        assertTrue(figure(json, "gmp", "blocking.effect") > 0.8);
        double seconds = Double.parseDouble(json.replaceAll("^\\{\"seconds\": ([0-9.]+).*$", "$1").trim());
        assertTrue(seconds <= 30, "--quick took " + seconds + " s (the issue allows 30)");
    }
}
