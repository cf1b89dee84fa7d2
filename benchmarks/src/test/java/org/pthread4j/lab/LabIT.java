package org.pthread4j.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's main command, end to end: {@code ./pthread4j lab --quick --json --html} from
 * the repository root, on the jar this build has just packaged. Checks the shape of the JSON
 * and of the report, and the verdicts: each is the model's, or "unclear" where the lab itself
 * measured a busy machine; and who finishes the spin row. Never seconds, never the sign of a
 * difference that noise can flip.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class LabIT {

    static final List<String> BACKENDS = List.of("native", "virtual", "green", "gmp");
    /** The seed table's verdicts, per backend: creation, parallelism, blocking read, preemption. */
    static final Map<String, List<String>> EXPECTED = Map.of(
            "native", List.of("kernel", "yes", "blocks-caller", "kernel"),
            "virtual", List.of("user", "yes", "pins-carrier", "none"),
            "green", List.of("user", "no", "freezes-all", "none"),
            "gmp", List.of("user", "yes", "hands-off", "retake"));
    /** The spin row's outcomes that load cannot fake; virtual's depends on the cores and carriers. */
    static final Map<String, String> SPIN = Map.of("native", "finished", "green", "timed-out", "gmp", "finished");
    static final List<String> FIGURES = List.of("tasks.delta", "parallel.cpu_per_wall", "create_join.ns", "pingpong.ns",
            "blocking.free", "blocking.blocked", "slice.callsin.ms", "slice.never.ms", "memory.rss_per_thread",
            "memory.heap_per_thread");
    static final List<String> NATIVE_FIGURES = List.of("c.create_join.ns", "c.clone_join.ns", "c.pingpong.ns",
            "pingpong.nospin.ns");

    static Map<String, Object> lab;
    static String html;

    @BeforeAll
    static void runLab() throws Exception {
        Path repo = Path.of(System.getProperty("pthread4j.repo")).toAbsolutePath().normalize();
        Path out = Files.createTempFile("lab", ".json");
        Path report = Files.createTempFile("lab", ".html");
        Process p = new ProcessBuilder(List.of("bash", repo.resolve("pthread4j").toString(), "lab", "--quick", "--json",
                "--html", report.toString()))
                .directory(repo.toFile()).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(8, TimeUnit.MINUTES), "the lab did not finish");
        String json = Files.readString(out);
        assertEquals(0, p.exitValue(), json);
        lab = object(new Json(json).value());
        html = Files.readString(report);
    }

    /** The JSON has the run's load readings and one object per backend with its figures, ratios and verdicts. */
    @Test
    void jsonHasTheLoadAndEveryBackend() {
        assertEquals(Set.of("seconds", "quick", "load", "backends"), lab.keySet());
        assertLoad(object(lab.get("load")));
        Map<String, Object> backends = object(lab.get("backends"));
        assertEquals(BACKENDS, new ArrayList<>(backends.keySet()));
        for (String b : BACKENDS) {
            Map<String, Object> r = object(backends.get(b));
            assertEquals(Set.of("model", "load", "values", "figures", "ratios", "verdicts", "evidence"), r.keySet(), b);
            assertLoad(object(r.get("load")));
            Map<String, Object> values = object(r.get("values"));
            assertEquals(1000.0, values.get("tasks.alive"), b);
            assertEquals(2000.0, values.get("memory.threads"), b + ": every pthread of the crowd was waiting");
            Map<String, Object> figures = object(r.get("figures"));
            List<String> expected = new ArrayList<>(FIGURES);
            if (b.equals("native")) {
                expected.addAll(NATIVE_FIGURES);
            }
            for (String f : expected) {
                Map<String, Object> s = object(figures.get(f));
                assertNotNull(s, b + " " + f);
                assertOrdered(b + " " + f, s.get("min"), s.get("median"), s.get("max"));
                assertTrue((Double) s.get("rounds") >= 3, b + " " + f + ": a median of several rounds");
            }
            Map<String, Object> ratios = object(r.get("ratios"));
            List<String> expectedRatios = new ArrayList<>(List.of("speedup", "blocking.effect"));
            if (b.equals("native")) {
                expectedRatios.addAll(List.of("create_join.vs_c", "pingpong.vs_c", "pingpong.nospin.vs_c"));
            }
            for (String q : expectedRatios) {
                Map<String, Object> ratio = object(ratios.get(q));
                assertNotNull(ratio, b + " " + q);
                assertOrdered(b + " " + q, ratio.get("low"), ratio.get("median"), ratio.get("high"));
                double confidence = (Double) ratio.get("confidence");
                assertTrue(confidence > 0 && confidence < 1, b + " " + q + " confidence " + confidence);
            }
        }
    }

    /** Each backend's verdicts are the model's, or "unclear" only where the lab measured a busy machine. */
    @Test
    void verdictsAreTheModelsOrUnclearUnderLoad() {
        Map<String, Object> backends = object(lab.get("backends"));
        boolean busyRun = (Boolean) object(lab.get("load")).get("busy");
        for (String b : BACKENDS) {
            Map<String, Object> r = object(backends.get(b));
            boolean busy = busyRun || (Boolean) object(r.get("load")).get("busy");
            Map<String, Object> verdicts = object(r.get("verdicts"));
            assertEquals(Lab.VERDICTS, new ArrayList<>(verdicts.keySet()), b);
            for (int i = 0; i < Lab.VERDICTS.size(); i++) {
                String key = Lab.VERDICTS.get(i);
                String verdict = (String) verdicts.get(key);
                String why = b + " " + key + ": " + object(r.get("evidence")).get(key) + "; load " + r.get("load");
                if (verdict.equals("unclear")) {
                    assertTrue(busy, "unclear on a machine the lab measured as not busy: " + why);
                } else {
                    assertEquals(EXPECTED.get(b).get(i), verdict, why);
                }
            }
        }
    }

    /**
     * The spin row, per backend, behind 1 busy pthread and behind as many as the cores: its
     * outcome and ms; native (the kernel time-slices) and gmp (sysmon retakes the processor)
     * finish, green (one carrier, never given up) times out. Load can only make a finish
     * late, never fake one, and the timeout is a few hundred time slices: no duration is checked.
     */
    @Test
    void spinRowShowsWhoCanTakeAProcessor() {
        Map<String, Object> backends = object(lab.get("backends"));
        for (String b : BACKENDS) {
            Map<String, Object> values = object(object(backends.get(b)).get("values"));
            double timeout = (Double) values.get("spin.timeout.ms");
            assertTrue(timeout > 0, b + " timeout " + timeout);
            assertEquals(1.0, values.get("spin.n1.spinners"), b);
            assertEquals(Math.max(2.0, (Double) values.get("cores")), values.get("spin.ncores.spinners"), b);
            for (String key : List.of("spin.n1", "spin.ncores")) {
                String outcome = (String) values.get(key);
                assertTrue(Set.of("finished", "timed-out").contains(outcome), b + " " + key + ": " + outcome);
                double ms = (Double) values.get(key + ".ms");
                assertTrue(outcome.equals("finished") ? ms >= 0 : ms == timeout, b + " " + key + " " + ms);
                if (SPIN.containsKey(b)) {
                    assertEquals(SPIN.get(b), outcome, b + " " + key);
                }
            }
        }
        assertTrue(html.contains("flag set by a later pthread, behind 1 busy one: finishes?"), "the spin row in the report");
        assertTrue(html.contains("no (timed out after "), "green's hang shown as a timeout");
    }

    /** The HTML report has the table with its verdict rows, the verdict table, and five timelines with legends. */
    @Test
    void reportShowsVerdictsAndEveryTimeline() {
        for (String v : Lab.VERDICTS) {
            assertTrue(html.contains("verdict: " + v.replace('_', ' ')), "table row for " + v);
            assertTrue(html.contains("<tr><th>" + v.replace('_', ' ') + "</th>"), "verdict table row for " + v);
        }
        assertTrue(html.contains("load average"), "the load in the header");
        Matcher pictures = Pattern.compile("<h3>(\\w+) \\([^)]*\\): ([^<]*)</h3><svg viewBox").matcher(html);
        List<String> shown = new ArrayList<>();
        while (pictures.find()) {
            shown.add(pictures.group(1) + (pictures.group(2).contains("colour by P") ? " by P" : ""));
        }
        assertEquals(List.of("native", "virtual", "green", "gmp", "gmp by P"), shown);
        assertEquals(5, count(">in read()</text>"), "a legend in each picture");
        assertEquals(5, count("<p class=\"look\">"), "two sentences under each picture");
    }

    static int count(String part) {
        return html.split(Pattern.quote(part), -1).length - 1;
    }

    static void assertLoad(Map<String, Object> load) {
        assertEquals(Set.of("cpus", "loadavg_before", "loadavg_after", "lab_percent", "others_percent", "steal_percent",
                "busy"), load.keySet());
        assertInstanceOf(Boolean.class, load.get("busy"));
        assertInstanceOf(List.class, load.get("loadavg_before"));
    }

    /** {@code low ≤ median ≤ high}, each a number or null (a ratio over a round in which nothing progressed). */
    static void assertOrdered(String what, Object low, Object median, Object high) {
        if (low instanceof Double l && median instanceof Double m && high instanceof Double h) {
            assertTrue(l <= m && m <= h, what + ": " + l + " ≤ " + m + " ≤ " + h);
        } else {
            assertTrue((low == null || low instanceof Double) && (median == null || median instanceof Double)
                    && (high == null || high instanceof Double), what + " is not a number");
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object o) {
        return o == null ? null : (Map<String, Object>) o;
    }

    /** Just enough JSON: objects (insertion-ordered), arrays, strings, numbers (as Double), booleans, null. */
    static final class Json {
        private final String s;
        private int i;

        Json(String s) {
            this.s = s.trim();
        }

        Object value() {
            skip();
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<>();
                i++;
                skip();
                if (s.charAt(i) == '}') {
                    i++;
                    return m;
                }
                do {
                    skip();
                    String key = string();
                    skip();
                    expect(':');
                    m.put(key, value());
                    skip();
                } while (s.charAt(i++) == ',');
                assertEquals('}', s.charAt(i - 1), "at " + i);
                return m;
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                i++;
                skip();
                if (s.charAt(i) == ']') {
                    i++;
                    return l;
                }
                do {
                    l.add(value());
                    skip();
                } while (s.charAt(i++) == ',');
                assertEquals(']', s.charAt(i - 1), "at " + i);
                return l;
            }
            if (c == '"') {
                return string();
            }
            for (String word : new String[] {"true", "false", "null"}) {
                if (s.startsWith(word, i)) {
                    i += word.length();
                    return word.equals("null") ? null : Boolean.valueOf(word);
                }
            }
            int start = i;
            while (i < s.length() && "+-.eE0123456789".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            return Double.valueOf(s.substring(start, i));
        }

        private String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            for (char c; (c = s.charAt(i++)) != '"'; ) {
                if (c == '\\') {
                    c = s.charAt(i++);
                    if (c == 'u') {
                        c = (char) Integer.parseInt(s.substring(i, i + 4), 16);
                        i += 4;
                    }
                }
                sb.append(c);
            }
            return sb.toString();
        }

        private void expect(char c) {
            assertEquals(c, s.charAt(i++), "at " + (i - 1));
        }

        private void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }
    }
}
