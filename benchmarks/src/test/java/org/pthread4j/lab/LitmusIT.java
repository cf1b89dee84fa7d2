package org.pthread4j.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The litmus tests of {@code ./pthread4j lab memory}, quick, once per backend (each in a JVM
 * of its own, as the lab runs them): no outcome that C11 forbids for the order is ever
 * observed, every trial is counted, and green — one carrier — never shows a weak outcome.
 * Nothing here asserts that an allowed weak outcome was seen: that depends on the machine
 * and its load.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class LitmusIT {

    /** One order's object in the JSON: the order, trials, observed map and forbidden count. */
    static final Pattern ORDER = Pattern.compile(
            "\"([a-z_]+)\": \\{\"trials\": (\\d+), \"observed\": \\{([^}]*)\\}, \"forbidden_observed\": (\\d+)");
    static final Pattern TEST = Pattern.compile("\"(SB|MP|LB|IRIW|2\\+2W|CoRR)\": \\{");

    /** A quick run on one backend: no C11-forbidden outcome, all trials counted; none of the weak outcomes on green. */
    @ParameterizedTest
    @ValueSource(strings = {"native", "virtual", "green", "gmp"})
    void noForbiddenOutcome(String backend) throws Exception {
        Path out = Files.createTempFile("litmus", ".json");
        Path err = Files.createTempFile("litmus", ".err");
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Litmus.class.getName(), "--quick", "--json", "--backend", backend))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(8, TimeUnit.MINUTES), "the litmus run did not finish");
        String json = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), json + Files.readString(err, StandardCharsets.UTF_8));
        // native pins its threads to distinct cores where it may use two
        boolean pinned = backend.equals("native") && Runtime.getRuntime().availableProcessors() >= 2;
        assertTrue(json.contains("\"" + backend + "\": {\"pinned\": " + pinned), json);

        // each order's object follows its test's name
        List<MatchResult> tests = TEST.matcher(json).results().toList();
        assertEquals(List.of("SB", "MP", "LB", "IRIW", "2+2W", "CoRR"), tests.stream().map(m -> m.group(1)).toList(), json);
        int runs = 0;
        int weakOnGreen = 0;
        for (Matcher m = ORDER.matcher(json); m.find(); runs++) {
            Litmus.Test test = test(tests.stream().filter(t -> t.start() < m.start()).toList().getLast().group(1));
            String where = test.name() + " " + m.group(1) + " in " + json;
            long trials = Long.parseLong(m.group(2));
            assertEquals(Litmus.QUICK_TRIALS, trials, where);
            assertEquals(0, Long.parseLong(m.group(4)), "C11 forbids an outcome observed: " + where);
            long counted = 0;
            for (String entry : m.group(3).split(", ")) {
                String[] kv = entry.split(": ");
                counted += Long.parseLong(kv[1]);
                if (kv[0].equals("\"" + test.label(test.weakDigits()) + "\"") && backend.equals("green")) {
                    weakOnGreen++;
                }
            }
            assertEquals(trials, counted, "every trial has one outcome: " + where);
        }
        int expected = Litmus.TESTS.stream().mapToInt(t -> t.verdicts().size()).sum();
        assertEquals(expected, runs, json);
        // one carrier runs the threads of a batch one after the other: no reordering can show
        assertEquals(0, weakOnGreen, json);
    }

    static Litmus.Test test(String name) {
        return Litmus.TESTS.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }
}
