package org.pthread4j.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Interleaved measurement: the contestants take turns in short rounds inside one run, so that
 * whatever else the machine does meanwhile (other processes, a hypervisor's steal, frequency
 * changes) falls on all of them alike, instead of on whichever one ran during the busy minute.
 *
 * <h2>Protocol</h2>
 * <ol>
 *   <li>{@code warmUp} unrecorded rounds, then {@code rounds} recorded ones.</li>
 *   <li>A round runs every contestant once; the order rotates from round to round (round
 *       {@code r} starts with contestant {@code r mod m}), so that no contestant always runs
 *       first, right after another's clean-up.</li>
 *   <li>A contestant's round returns one number (a time per operation, a count of work
 *       done...); the contestant chooses its unit.</li>
 * </ol>
 *
 * <h2>What it reports</h2>
 * <ul>
 *   <li>per contestant, a {@link Spread}: the median of its rounds with their min and max;</li>
 *   <li>for a contestant against a baseline, a {@link Ratio}: the per-round ratios
 *       {@code value(c, r) / value(base, r)}, their median, and a distribution-free
 *       confidence interval for that median from order statistics. With the {@code n} ratios
 *       sorted {@code x(1) ≤ … ≤ x(n)}, the interval {@code [x(k), x(n+1-k)]} contains the
 *       true median with probability {@code 1 - 2·P(B ≤ k-1)}, {@code B ~ Binomial(n, 1/2)},
 *       whatever the distribution of the ratios, as long as rounds are independent (the
 *       sign-test interval: Conover, <i>Practical Nonparametric Statistics</i>, §3.2). The
 *       largest {@code k} whose coverage is at least {@link #CONFIDENCE} is used; with fewer
 *       than 6 rounds none reaches it, and the interval is {@code [min, max]} with its own,
 *       lower coverage {@code 1 - 2^(1-n)}, which {@link Ratio#confidence} reports.</li>
 * </ul>
 * A ratio, not two medians taken apart: a burst of load that slows one round slows both
 * contestants of that round, and its ratio stays near the others.
 *
 * <h2>Warm-up to a quiet JIT</h2>
 * A fixed count of warm-up rounds may end while the JIT still compiles the contestants' loops:
 * the recorded rounds then time a mix of tiers, and the contestant whose code is compiled
 * last looks slower (or, once its compiled code lands, faster) than it is. {@link #warmUp}
 * runs unrecorded rounds until the JVM's compiler time (HotSpot's total, updated as each
 * compilation ends) has not grown for a stretch of wall time, and says whether that happened
 * before its time limit.
 *
 * <h2>Round log</h2>
 * With {@code -Dpthread4j.roundlog=FILE}, every turn is written to {@code FILE} as it ends:
 * {@code run contestant rec|warm start end}, the run counted from 1 per call of {@link #run}
 * or {@link #warmUp} (a line {@code # run n: names} opens each), the times from
 * {@link System#nanoTime} (CLOCK_MONOTONIC on Linux). A profile recorded on the same clock
 * ({@code perf record -k CLOCK_MONOTONIC}) can then be split turn by turn, so that the code
 * both contestants share (the scheduler, the continuation) is charged to the one that ran
 * it: {@link SplitProfile}.
 *
 * <pre>
 *   Interleaved.Results r = Interleaved.run(1, 11, Map.of("pthread4j", () -> java(), "glibc", () -> c()));
 *   r.spread("pthread4j");          // median (min–max) of the rounds
 *   r.ratio("pthread4j", "glibc");  // median [95% CI] of the per-round ratios
 * </pre>
 */
public final class Interleaved {

    /** The coverage sought for a ratio's interval. */
    public static final double CONFIDENCE = 0.95;

    /** One contestant's turn: runs once and returns its figure for the round. */
    @FunctionalInterface
    public interface Round {
        double run() throws Exception;
    }

    /** The median of a contestant's rounds, with their min and max. */
    public record Spread(double median, double min, double max, int rounds) {
        @Override
        public String toString() {
            return format(median) + " (" + format(min) + "–" + format(max) + ")";
        }
    }

    /**
     * The median of per-round ratios, with a confidence interval {@code [low, high]} for it
     * that holds with probability {@code confidence}.
     */
    public record Ratio(double median, double low, double high, double confidence, int rounds) {
        /** Whether the whole interval lies at or below {@code bound}. */
        public boolean atMost(double bound) {
            return high <= bound;
        }

        /** Whether the whole interval lies at or above {@code bound}. */
        public boolean atLeast(double bound) {
            return low >= bound;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s [%s–%s, %.0f%%]", format(median), format(low), format(high),
                    confidence * 100);
        }
    }

    /** The values of every recorded round, per contestant, in round order. */
    public static final class Results {
        private final Map<String, double[]> values;

        Results(Map<String, double[]> values) {
            this.values = values;
        }

        public double[] values(String contestant) {
            double[] v = values.get(contestant);
            if (v == null) {
                throw new IllegalArgumentException("no contestant " + contestant);
            }
            return v.clone();
        }

        public Spread spread(String contestant) {
            return Interleaved.spread(values(contestant));
        }

        public Ratio ratio(String contestant, String baseline) {
            return Interleaved.ratio(values(contestant), values(baseline));
        }
    }

    private Interleaved() {}

    /** The round log's file, or null (see "Round log"). */
    private static final PrintWriter LOG = openLog(System.getProperty("pthread4j.roundlog"));
    private static int logRuns;

    private static PrintWriter openLog(String file) {
        if (file == null) {
            return null;
        }
        try {
            return new PrintWriter(Files.newBufferedWriter(Path.of(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("pthread4j.roundlog: " + file, e);
        }
    }

    /** Opens a run in the round log; its number, or 0 when there is no log. */
    private static synchronized int logRun(List<String> names) {
        if (LOG == null) {
            return 0;
        }
        LOG.println("# run " + ++logRuns + ": " + String.join(",", names));
        return logRuns;
    }

    /**
     * Round {@code r} (negative: a warm-up round of {@link #run}): every contestant once,
     * starting with contestant {@code r mod m}; their figures, by contestant.
     */
    private static double[] round(int r, int run, List<String> names, List<Round> bodies, boolean recorded)
            throws Exception {
        int m = bodies.size();
        double[] x = new double[m];
        for (int j = 0; j < m; j++) {
            int c = Math.floorMod(r + j, m);
            x[c] = turn(run, names.get(c), bodies.get(c), recorded);
        }
        return x;
    }

    /** Runs one turn of {@code body}; logs it in run {@code run} unless that is 0. */
    private static double turn(int run, String name, Round body, boolean recorded) throws Exception {
        if (run == 0) {
            return body.run();
        }
        long start = System.nanoTime();
        double x = body.run();
        long end = System.nanoTime();
        synchronized (Interleaved.class) {
            LOG.println(run + " " + name + " " + (recorded ? "rec " : "warm ") + start + " " + end);
            LOG.flush();
        }
        return x;
    }

    /** What {@link #warmUp} did: the rounds it ran, the time they took, and whether the JIT went quiet. */
    public record WarmUp(int rounds, long nanos, boolean quiet) {
        @Override
        public String toString() {
            return rounds + " warm-up rounds in " + format(nanos / 1e9) + " s, "
                    + (quiet ? "JIT quiet" : "JIT still compiling at the limit");
        }
    }

    /** This JVM's compiler time so far, ms. */
    static final LongSupplier JIT_MILLIS = () -> ManagementFactory.getCompilationMXBean().getTotalCompilationTime();

    /**
     * Unrecorded rounds of the contestants (rotated as {@link #run}'s): at least
     * {@code minRounds}, then until the compiler time has stayed the same for
     * {@code quietNanos}, or until {@code maxNanos} have passed since the start.
     */
    public static WarmUp warmUp(Map<String, Round> contestants, int minRounds, long quietNanos, long maxNanos)
            throws Exception {
        return warmUp(contestants, minRounds, quietNanos, maxNanos, JIT_MILLIS, System::nanoTime);
    }

    static WarmUp warmUp(Map<String, Round> contestants, int minRounds, long quietNanos, long maxNanos,
            LongSupplier jitMillis, LongSupplier clock) throws Exception {
        List<String> names = new ArrayList<>(contestants.keySet());
        List<Round> bodies = new ArrayList<>(contestants.values());
        int run = logRun(names);
        long start = clock.getAsLong();
        long jit = jitMillis.getAsLong();
        long since = start; // when the compiler time last changed
        for (int r = 0; ; r++) {
            round(r, run, names, bodies, false);
            long now = clock.getAsLong();
            long t = jitMillis.getAsLong();
            if (t != jit) {
                jit = t;
                since = now;
            }
            if (r + 1 >= minRounds) {
                boolean quiet = now - since >= quietNanos;
                if (quiet || now - start >= maxNanos) {
                    return new WarmUp(r + 1, now - start, quiet);
                }
            }
        }
    }

    /**
     * Runs {@code warmUp} unrecorded and {@code rounds} recorded rounds of the contestants
     * (in the map's iteration order, rotated each round; use a {@link LinkedHashMap} or
     * {@link Map#of} with one or two entries).
     */
    public static Results run(int warmUp, int rounds, Map<String, Round> contestants) throws Exception {
        if (rounds < 1 || contestants.isEmpty()) {
            throw new IllegalArgumentException("need at least one round and one contestant");
        }
        List<String> names = new ArrayList<>(contestants.keySet());
        List<Round> bodies = new ArrayList<>(contestants.values());
        int m = names.size();
        int run = logRun(names);
        double[][] v = new double[m][rounds];
        for (int r = -warmUp; r < rounds; r++) {
            double[] x = round(r, run, names, bodies, r >= 0);
            if (r >= 0) {
                for (int c = 0; c < m; c++) {
                    v[c][r] = x[c];
                }
            }
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        for (int c = 0; c < m; c++) {
            out.put(names.get(c), v[c]);
        }
        return new Results(out);
    }

    /** The median, min and max of {@code values}. */
    public static Spread spread(double[] values) {
        double[] s = sorted(values);
        return new Spread(median(s), s[0], s[s.length - 1], s.length);
    }

    /** The median of {@code num[r] / den[r]} with its order-statistics interval. */
    public static Ratio ratio(double[] num, double[] den) {
        if (num.length != den.length || num.length == 0) {
            throw new IllegalArgumentException("ratios need paired rounds");
        }
        double[] q = new double[num.length];
        for (int r = 0; r < q.length; r++) {
            q[r] = num[r] / den[r];
        }
        return medianInterval(q);
    }

    /** The median of {@code values} with its distribution-free interval (see the class comment). */
    public static Ratio medianInterval(double[] values) {
        double[] s = sorted(values);
        int n = s.length;
        int k = 1;
        while (k + 1 <= (n + 1) / 2 && coverage(n, k + 1) >= CONFIDENCE) {
            k++;
        }
        return new Ratio(median(s), s[k - 1], s[n - k], coverage(n, k), n);
    }

    /** {@code 1 - 2·P(B ≤ k-1)} for {@code B ~ Binomial(n, 1/2)}: the coverage of {@code [x(k), x(n+1-k)]}. */
    static double coverage(int n, int k) {
        double tail = 0;
        double term = Math.pow(0.5, n); // P(B = 0)
        for (int i = 0; i < k; i++) {
            tail += term;
            term = term * (n - i) / (i + 1);
        }
        return Math.max(0, 1 - 2 * tail);
    }

    private static double[] sorted(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double[] s = values.clone();
        Arrays.sort(s);
        return s;
    }

    private static double median(double[] s) {
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /**
     * A figure for people: whole numbers as such, else three significant digits (none after
     * the point from 100 up); no exponent; "∞" for a ratio over a round whose baseline did
     * nothing, "n/a" for 0/0.
     */
    public static String format(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "∞" : "-∞";
        }
        double a = Math.abs(v);
        if (a >= 100 || v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f", v);
    }
}
