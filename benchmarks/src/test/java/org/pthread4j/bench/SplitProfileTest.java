package org.pthread4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The profile split: each sample goes to the turn it fell in, by thread, recorded turns only unless asked. */
class SplitProfileTest {

    private static final List<String> LOG = List.of(
            "# run 1: a,b",
            "1 a warm 500 900",
            "1 a rec 1000 2000",
            "1 b rec 2000 3000",
            "1 b rec 3100 4000");

    private static final String PERF = String.join("\n",
            "# a header line",
            " ForkJoinPool-1-  77 0.000000600:      7f00 void X.f()",   // in a's warm-up turn
            " ForkJoinPool-1-  77 0.000001500:      7f00 void X.f()",   // a
            " ForkJoinPool-1-  77 0.000002500:      7f00 void X.g()",   // b
            " C2 CompilerThre  78 0.000002600:      7f01 Compile::Code_Gen()", // b, not a carrier
            " ForkJoinPool-1-  77 0.000003050:      7f00 void X.f()",   // between turns
            " ForkJoinPool-1-  77 0.000003500:      7f00 ",             // b, no symbol
            " ForkJoinPool-1-  77 0.000009000:      7f00 void X.f()");  // after the log

    private static SplitProfile.Split split(boolean warm, Pattern threads) throws Exception {
        Map<Integer, String> runs = new TreeMap<>();
        List<SplitProfile.Turn> turns = SplitProfile.readLog(LOG, warm, runs);
        return SplitProfile.split(turns, runs, new BufferedReader(new StringReader(PERF)), threads);
    }

    @Test
    void eachSampleGoesToItsTurnAndThreadsFilter() throws Exception {
        SplitProfile.Split all = split(false, null);
        assertEquals(1, all.turns(1, "a"));
        assertEquals(2, all.turns(1, "b"));
        assertEquals(1, all.samples(1, "a"));
        assertEquals(3, all.samples(1, "b"));
        assertEquals(1, all.samples(1, "b", "void X.g()"));
        assertEquals(1, all.samples(1, "b", "[unknown]"));

        SplitProfile.Split carriers = split(false, Pattern.compile("ForkJoinPool.*"));
        assertEquals(2, carriers.samples(1, "b"));
        assertEquals(0, carriers.samples(1, "b", "Compile::Code_Gen()"));

        SplitProfile.Split warm = split(true, null);
        assertEquals(2, warm.turns(1, "a"));
        assertEquals(2, warm.samples(1, "a"));
    }

    @Test
    void timesAreReadToTheNanosecond() {
        SplitProfile.Sample s = SplitProfile.parse(" ForkJoinPool-1- 4470 81434.088257466:      7fc2 int P.w(C, M)");
        assertEquals(81_434_088_257_466L, s.time());
        assertEquals("ForkJoinPool-1-", s.thread());
        assertEquals("int P.w(C, M)", s.symbol());
        assertNull(SplitProfile.parse(""));
    }

    @Test
    void theTableGivesSamplesPerTurn() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SplitProfile.print(split(false, Pattern.compile("ForkJoinPool.*")), 10, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("run 1 (a,b)"), out);
        assertTrue(out.matches("(?s).*\\n  all +1\\.000 +1\\.000\\n.*"), out); // a: 1 sample in 1 turn, b: 2 in 2
        assertTrue(out.contains("void X.f()"), out);
    }
}
