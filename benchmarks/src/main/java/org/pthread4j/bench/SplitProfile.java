package org.pthread4j.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a sampling profile between the contestants of an interleaved run: each sample is
 * charged to the turn that was running when it was taken (the {@link Interleaved} round log),
 * so that code both contestants run (the JDK's scheduler and continuations, the GC) is split
 * too, which a profile of the whole run cannot do.
 *
 * <pre>
 *   perf record -k CLOCK_MONOTONIC -F 10000 -e cpu-clock -o perf.data -- java -XX:+UnlockDiagnosticVMOptions \
 *       -XX:+DumpPerfMapAtExit -Dpthread4j.roundlog=rounds.log ... org.pthread4j.bench.Versus --only cond
 *   perf script -i perf.data -F comm,tid,time,ip,sym --ns \
 *       | java -cp benchmarks/target/benchmarks.jar org.pthread4j.bench.SplitProfile rounds.log [--threads REGEX] [--top N] [--warm]
 * </pre>
 * For each run of the log, and each contestant: its turns, then samples per turn in all,
 * then per symbol, the symbols whose samples per turn differ most between the contestants
 * first. Only recorded turns count unless {@code --warm}; {@code --threads} keeps the samples
 * of threads whose name matches (the carriers: {@code ForkJoinPool.*}).
 */
public final class SplitProfile {

    /** One turn of the log. */
    record Turn(int run, String contestant, long start, long end) {}

    /** One sample of {@code perf script -F comm,tid,time,ip,sym --ns}. */
    record Sample(String thread, long time, String symbol) {}

    private static final Pattern SAMPLE = Pattern.compile("^\\s*(.+?)\\s+\\d+\\s+(\\d+)\\.(\\d{9}):\\s+[0-9a-f]+\\s*(.*)$");

    /** Per run, per contestant: turns, and samples per symbol. */
    static final class Split {
        final Map<Integer, String> runs = new TreeMap<>();
        final Map<Integer, Map<String, int[]>> turns = new TreeMap<>();
        final Map<Integer, Map<String, Map<String, Integer>>> symbols = new TreeMap<>();

        int turns(int run, String contestant) {
            return turns.getOrDefault(run, Map.of()).getOrDefault(contestant, new int[1])[0];
        }

        int samples(int run, String contestant) {
            return symbols.getOrDefault(run, Map.of()).getOrDefault(contestant, Map.of()).values().stream()
                    .mapToInt(Integer::intValue).sum();
        }

        int samples(int run, String contestant, String symbol) {
            return symbols.getOrDefault(run, Map.of()).getOrDefault(contestant, Map.of()).getOrDefault(symbol, 0);
        }
    }

    private static final String USAGE =
            "usage: perf script -F comm,tid,time,ip,sym --ns | SplitProfile ROUNDLOG [--threads REGEX] [--top N] [--warm]";

    private SplitProfile() {}

    /** The log's turns (recorded only, unless {@code warm}) and the names of its runs. */
    static List<Turn> readLog(List<String> lines, boolean warm, Map<Integer, String> runs) {
        List<Turn> out = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("# run ")) {
                int colon = line.indexOf(':');
                runs.put(Integer.parseInt(line.substring(6, colon)), line.substring(colon + 1).trim());
                continue;
            }
            String[] f = line.trim().split("\\s+");
            if (f.length != 5) {
                continue;
            }
            if (warm || f[2].equals("rec")) {
                out.add(new Turn(Integer.parseInt(f[0]), f[1], Long.parseLong(f[3]), Long.parseLong(f[4])));
            }
        }
        out.sort(Comparator.comparingLong(Turn::start));
        return out;
    }

    /** A sample line, or null for a line that is none (a header, a blank). */
    static Sample parse(String line) {
        Matcher m = SAMPLE.matcher(line);
        if (!m.matches()) {
            return null;
        }
        long time = Long.parseLong(m.group(2)) * 1_000_000_000L + Long.parseLong(m.group(3));
        String symbol = m.group(4).isBlank() ? "[unknown]" : m.group(4).trim();
        return new Sample(m.group(1).trim(), time, symbol);
    }

    /** Charges each sample of a thread matching {@code threads} (null: any) to the turn it fell in. */
    static Split split(List<Turn> turns, Map<Integer, String> runs, BufferedReader perf, Pattern threads)
            throws IOException {
        Split s = new Split();
        s.runs.putAll(runs);
        long[] starts = new long[turns.size()];
        for (int i = 0; i < starts.length; i++) {
            Turn t = turns.get(i);
            starts[i] = t.start();
            s.turns.computeIfAbsent(t.run(), k -> new LinkedHashMap<>()).computeIfAbsent(t.contestant(), k -> new int[1])[0]++;
        }
        for (String line; (line = perf.readLine()) != null; ) {
            Sample x = parse(line);
            if (x == null || threads != null && !threads.matcher(x.thread()).matches()) {
                continue;
            }
            int i = Arrays.binarySearch(starts, x.time());
            i = i >= 0 ? i : -i - 2; // the last turn that started at or before the sample
            if (i < 0 || x.time() > turns.get(i).end()) {
                continue; // between turns, or outside the log
            }
            Turn t = turns.get(i);
            s.symbols.computeIfAbsent(t.run(), k -> new HashMap<>()).computeIfAbsent(t.contestant(), k -> new HashMap<>())
                    .merge(x.symbol(), 1, Integer::sum);
        }
        return s;
    }

    /** The table of each run: samples per turn, in all and per symbol, the widest differences first. */
    static void print(Split s, int top, PrintStream out) {
        for (Map.Entry<Integer, Map<String, int[]>> e : s.turns.entrySet()) {
            int run = e.getKey();
            List<String> names = new ArrayList<>(e.getValue().keySet());
            out.println("run " + run + " (" + s.runs.getOrDefault(run, String.join(",", names)) + "), samples per turn:");
            StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "  %-10s", ""));
            StringBuilder turnsRow = new StringBuilder(String.format(Locale.ROOT, "  %-10s", "turns"));
            StringBuilder all = new StringBuilder(String.format(Locale.ROOT, "  %-10s", "all"));
            for (String n : names) {
                head.append(String.format(Locale.ROOT, " %14s", n));
                turnsRow.append(String.format(Locale.ROOT, " %14d", s.turns(run, n)));
                all.append(String.format(Locale.ROOT, " %14.3f", perTurn(s.samples(run, n), s.turns(run, n))));
            }
            out.println(head);
            out.println(turnsRow);
            out.println(all);
            Map<String, Double> spread = new HashMap<>();
            for (String n : names) {
                for (String sym : s.symbols.getOrDefault(run, Map.of()).getOrDefault(n, Map.of()).keySet()) {
                    spread.computeIfAbsent(sym, k -> {
                        double lo = Double.MAX_VALUE;
                        double hi = -Double.MAX_VALUE;
                        for (String c : names) {
                            double v = perTurn(s.samples(run, c, k), s.turns(run, c));
                            lo = Math.min(lo, v);
                            hi = Math.max(hi, v);
                        }
                        return hi - lo;
                    });
                }
            }
            spread.entrySet().stream()
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .limit(top)
                    .forEach(x -> {
                        StringBuilder row = new StringBuilder("  ");
                        for (String n : names) {
                            row.append(String.format(Locale.ROOT, "%10.3f ", perTurn(s.samples(run, n, x.getKey()), s.turns(run, n))));
                        }
                        out.println(row + " " + x.getKey());
                    });
        }
    }

    private static double perTurn(int samples, int turns) {
        return turns == 0 ? 0 : (double) samples / turns;
    }

    public static void main(String[] args) throws IOException {
        String log = null;
        Pattern threads = null;
        int top = 30;
        boolean warm = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = Pattern.compile(args[++i]);
                case "--top" -> top = Integer.parseInt(args[++i]);
                case "--warm" -> warm = true;
                default -> {
                    if (log != null || args[i].startsWith("--")) {
                        throw new IllegalArgumentException(USAGE);
                    }
                    log = args[i];
                }
            }
        }
        if (log == null) {
            throw new IllegalArgumentException(USAGE);
        }
        Map<Integer, String> runs = new TreeMap<>();
        List<Turn> turns = readLog(Files.readAllLines(Path.of(log)), warm, runs);
        try (Reader in = new InputStreamReader(System.in, StandardCharsets.UTF_8);
                BufferedReader perf = new BufferedReader(in, 1 << 16)) {
            print(split(turns, runs, perf, threads), top, System.out);
        }
    }
}
