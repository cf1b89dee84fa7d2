package org.pthread4j.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The interleaved harness: turn order, what it records, and the order-statistics interval. */
class InterleavedTest {

    /** Rounds rotate the contestants' order, warm-up rounds run but are not recorded. */
    @Test
    void roundsRotateAndWarmUpIsNotRecorded() throws Exception {
        List<String> order = new ArrayList<>();
        int[] calls = {0, 0};
        Map<String, Interleaved.Round> c = new LinkedHashMap<>();
        c.put("a", () -> {
            order.add("a");
            return ++calls[0];
        });
        c.put("b", () -> {
            order.add("b");
            return 10 * ++calls[1];
        });
        Interleaved.Results r = Interleaved.run(1, 3, c);
        assertEquals(List.of("b", "a", "a", "b", "b", "a", "a", "b"), order);
        assertArrayEquals(new double[] {2, 3, 4}, r.values("a"));
        assertArrayEquals(new double[] {20, 30, 40}, r.values("b"));
    }

    /**
     * The warm-up runs until the compiler time has stood still for the quiet stretch (here
     * the clock moves 1 ms per turn, two turns a round, and compilations end in each of
     * the first five rounds), and no fewer rounds than asked.
     */
    @Test
    void warmUpEndsOnceTheJitHasBeenQuietForTheStretch() throws Exception {
        long[] now = {0};
        int[] rounds = {0};
        Map<String, Interleaved.Round> c = new LinkedHashMap<>();
        c.put("a", () -> {
            now[0] += 1_000_000;
            return 0;
        });
        c.put("b", () -> {
            now[0] += 1_000_000;
            rounds[0]++;
            return 0;
        });
        // compiler time grows after each of rounds 1..5, then stays
        Interleaved.WarmUp w = Interleaved.warmUp(c, 2, 6_000_000, 1_000_000_000L,
                () -> Math.min(rounds[0], 5), () -> now[0]);
        assertTrue(w.quiet());
        assertEquals(8, w.rounds()); // last change after round 5 (t = 10 ms), quiet from t = 16 ms
        assertEquals(8, rounds[0]);
        assertEquals(16_000_000, w.nanos());

        Interleaved.WarmUp atOnce = Interleaved.warmUp(c, 4, 0, 1_000_000_000L, () -> 7, () -> now[0]);
        assertTrue(atOnce.quiet());
        assertEquals(4, atOnce.rounds());
    }

    /** A JIT that never goes quiet ends the warm-up at the time limit, which it reports. */
    @Test
    void warmUpStopsAtItsLimitAndSaysTheJitWasNotQuiet() throws Exception {
        long[] now = {0};
        Map<String, Interleaved.Round> c = Map.of("a", () -> {
            now[0] += 1_000_000;
            return 0;
        });
        Interleaved.WarmUp w = Interleaved.warmUp(c, 1, 5_000_000, 20_000_000, () -> now[0], () -> now[0]);
        assertFalse(w.quiet());
        assertEquals(20, w.rounds());
        assertTrue(w.toString().contains("JIT still compiling"), w.toString());
    }

    /** A ratio pairs the contestants' values round by round: the median of a/b, not a ratio of medians. */
    @Test
    void ratioIsTheMedianOfPerRoundRatios() {
        Interleaved.Ratio q = Interleaved.ratio(new double[] {10, 40, 90}, new double[] {5, 10, 100});
        assertEquals(2, q.median());
        assertEquals(0.9, q.low());
        assertEquals(4, q.high());
    }

    /** A target is met only when the whole interval meets it. */
    @Test
    void targetsAreJudgedOnTheWholeInterval() {
        Interleaved.Ratio q = new Interleaved.Ratio(1.2, 1.1, 1.4, 0.95, 11);
        assertTrue(q.atMost(1.4));
        assertFalse(q.atMost(1.3));
        assertTrue(q.atLeast(1.1));
        assertFalse(q.atLeast(1.2));
    }

    /** The sign-test interval's coverage: 1 - 2 P(B ≤ k-1), B ~ Binomial(n, 1/2). */
    @Test
    void coverageIsTheBinomialTail() {
        assertEquals(1 - 2.0 / 32, Interleaved.coverage(5, 1), 1e-12);
        assertEquals(1 - 2.0 / 64, Interleaved.coverage(6, 1), 1e-12);
        assertEquals(1 - 2.0 * (1 + 11) / 2048, Interleaved.coverage(11, 2), 1e-12);
        assertEquals(1 - 2.0 * (1 + 11 + 55) / 2048, Interleaved.coverage(11, 3), 1e-12);
    }

    /** The interval: the order statistics that reach 95%, or min–max with its own coverage when none do. */
    @Test
    void intervalUsesTheOrderStatisticsThatReachTheConfidence() {
        Interleaved.Ratio eleven = Interleaved.medianInterval(new double[] {11, 1, 10, 2, 9, 3, 8, 4, 7, 5, 6});
        assertEquals(6, eleven.median());
        assertEquals(2, eleven.low());
        assertEquals(10, eleven.high());
        assertEquals(1 - 2.0 * 12 / 2048, eleven.confidence(), 1e-12);
        Interleaved.Ratio five = Interleaved.medianInterval(new double[] {5, 4, 3, 2, 1});
        assertEquals(3, five.median());
        assertEquals(1, five.low());
        assertEquals(5, five.high());
        assertEquals(0.9375, five.confidence(), 1e-12);
        Interleaved.Spread even = Interleaved.spread(new double[] {4, 1, 3, 2});
        assertEquals(new Interleaved.Spread(2.5, 1, 4, 4), even);
    }
}
