package org.pthread4j.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pthread4j.bench.Interleaved;

/**
 * {@code ./pthread4j lab}: the thread-model table, measured live. Starts one JVM per backend
 * running {@link LabProbe}, shows a progress bar, and prints the table (or JSON, or an HTML
 * report with charts and a scheduling timeline).
 *
 * <p>The table has two parts. Figures: medians of several rounds with their spread (min–max,
 * or for ratios a confidence interval, see {@link Interleaved}); on a busy machine they are
 * noisy, and the header says how busy it was. Verdicts: the model's four qualitative cells
 * (creation, parallelism, blocking read, preemption), each derived from evidence that load
 * cannot fake (see {@link LabProbe}), or "unclear".
 */
public final class Lab {

    static final String[] ALL = {"native", "virtual", "green", "gmp"};
    static final Map<String, String> MODEL = Map.of("native", "1:1", "virtual", "M:N", "green", "M:1", "gmp", "M:N");
    /** The verdicts' keys, in table order. */
    static final List<String> VERDICTS = List.of("creation", "parallelism", "blocking_read", "preemption");
    static final String USAGE = "usage: ./pthread4j lab [--quick] [--json] [--backend native|virtual|green|gmp[,...]] "
            + "[--html report.html]";

    /** What one backend's probe reported. */
    static final class Result {
        final Map<String, String> values = new LinkedHashMap<>();
        final Map<String, Interleaved.Spread> figures = new LinkedHashMap<>();
        final Map<String, Interleaved.Ratio> ratios = new LinkedHashMap<>();
        final Map<String, String> verdicts = new LinkedHashMap<>();
        final Map<String, String> evidence = new LinkedHashMap<>();
        Load load;

        String value(String key) {
            return values.get(key);
        }

        /** Takes another probe's figures and ratios under new names ({@code from → to}). */
        void adopt(Result other, Map<String, String> renames) {
            renames.forEach((from, to) -> {
                if (other.figures.containsKey(from)) {
                    figures.put(to, other.figures.get(from));
                }
                if (other.ratios.containsKey(from)) {
                    ratios.put(to, other.ratios.get(from));
                }
            });
        }
    }

    public static void main(String[] args) throws Exception {
        List<String> argList = List.of(args);
        if (argList.contains("memory")) { // ./pthread4j lab memory: the litmus tests
            List<String> rest = new ArrayList<>(argList);
            rest.remove("memory");
            Litmus.main(rest.toArray(String[]::new));
            return;
        }
        if (argList.contains("c10k")) { // ./pthread4j lab c10k: connections held per model
            List<String> rest = new ArrayList<>(argList);
            rest.remove("c10k");
            C10k.main(rest.toArray(String[]::new));
            return;
        }
        boolean quick = false;
        boolean json = false;
        String html = null;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> backends = new ArrayList<>(List.of(ALL));
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            boolean takesValue = option.equals("--html") || option.equals("--java") || option.equals("--backend");
            if (takesValue && i + 1 == args.length) {
                usage(option + " needs a value");
            }
            switch (option) {
                case "--quick" -> quick = true;
                case "--json" -> json = true;
                case "--html" -> html = args[++i];
                case "--java" -> java = args[++i];
                case "--backend" -> backends = List.of(args[++i].split(","));
                default -> usage("unknown option '" + option + "'");
            }
        }
        for (String b : backends) {
            if (!MODEL.containsKey(b)) {
                usage("unknown backend '" + b + "'");
            }
        }
        long start = System.nanoTime();
        Load.Mark first = Load.mark();
        Map<String, Result> results = new LinkedHashMap<>();
        int index = 0;
        for (String b : backends) {
            Load.Mark before = Load.mark();
            Result r = probe(java, b, quick, index++, backends.size(), List.of());
            if (b.equals("native")) {
                // The kernel's context switch: native condition waiters spin up to 20 µs before
                // they sleep, so the ping-pong above rarely sleeps; measure it again without.
                Result sleeping = probe(java, b, quick, index - 1, backends.size(),
                        List.of("-Dpthread4j.condspin=0", "--pingpong-only"));
                r.adopt(sleeping, Map.of("pingpong.ns", "pingpong.nospin.ns", "pingpong.vs_c", "pingpong.nospin.vs_c"));
            }
            r.load = Load.between(before, Load.mark());
            results.put(b, r);
        }
        Load load = Load.between(first, Load.mark());
        if (!json) {
            System.err.print("\r" + " ".repeat(78) + "\r");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String table = table(results, load);
        if (json) {
            System.out.println(toJson(results, load, seconds, quick));
        } else {
            System.out.print(table);
            System.out.printf(Locale.ROOT, "measured in %.0f s, one JVM per backend (%s)%n", seconds,
                    quick ? "--quick" : "full run");
        }
        if (html != null) {
            List<Timeline.Run> timelines = new ArrayList<>();
            for (String b : backends) {
                timelines.add(Timeline.record(java, b));
            }
            Files.writeString(Path.of(html), Report.html(results, load, timelines, table), StandardCharsets.UTF_8);
            System.err.println("pthread4j lab: wrote " + html);
        }
    }

    private static void usage(String problem) {
        System.err.println("pthread4j lab: " + problem);
        System.err.println(USAGE);
        System.exit(2);
    }

    /** Runs LabProbe for one backend; {@code extra}: JVM properties (-D...) and probe flags (--...). */
    static Result probe(String java, String backend, boolean quick, int index, int count, List<String> extra)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-Xss1m", "-Dpthread4j.backend=" + backend));
        extra.stream().filter(a -> a.startsWith("-D")).forEach(cmd::add);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), LabProbe.class.getName()));
        extra.stream().filter(a -> a.startsWith("--")).forEach(cmd::add);
        if (quick) {
            cmd.add("--quick");
        }
        Process p = new ProcessBuilder(cmd).start();
        Result out = new Result();
        StringBuilder errors = new StringBuilder();
        Thread stderr = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("progress ")) {
                        String[] f = line.split(" ", 4);
                        double done = (index + Double.parseDouble(f[1]) / Double.parseDouble(f[2])) / count;
                        bar(done, backend + ": " + f[3]);
                    } else {
                        errors.append(line).append('\n');
                    }
                }
            } catch (IOException ignored) {
                // the probe ended
            }
        });
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                parse(line, out);
            }
        }
        int code = p.waitFor();
        stderr.join();
        if (code != 0) {
            System.err.println("\npthread4j lab: the " + backend + " probe failed (exit " + code + "):\n" + errors);
            out.values.put("error", "exit " + code);
        }
        return out;
    }

    /** One line of {@link LabProbe}'s protocol. */
    static void parse(String line, Result out) {
        String[] f = line.split(" ");
        switch (f[0]) {
            case "result" -> out.values.put(f[1], line.split(" ", 3)[2]);
            case "figure" -> out.figures.put(f[1], new Interleaved.Spread(Double.parseDouble(f[2]),
                    Double.parseDouble(f[3]), Double.parseDouble(f[4]), Integer.parseInt(f[5])));
            case "ratio" -> out.ratios.put(f[1], new Interleaved.Ratio(Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                    Double.parseDouble(f[4]), Double.parseDouble(f[5]), Integer.parseInt(f[6])));
            case "verdict" -> {
                out.verdicts.put(f[1], f[2]);
                String[] v = line.split(" ", 4);
                out.evidence.put(f[1], v.length > 3 ? v[3] : "");
            }
            default -> {
                // not protocol: ignore
            }
        }
    }

    static void bar(double done, String label) {
        int width = 30;
        int filled = (int) Math.round(done * width);
        String text = String.format(Locale.ROOT, "\r[%s%s] %3.0f%% %-36s", "#".repeat(filled), ".".repeat(width - filled),
                done * 100, label.length() > 36 ? label.substring(0, 36) : label);
        System.err.print(text);
        System.err.flush();
    }

    // ---- the table ------------------------------------------------------------------------

    static String num(double v) {
        return Interleaved.format(v);
    }

    /** A spread in a unit ({@code scale} times the figure): "55.4 (48.1–61.0) µs". */
    static String spread(Interleaved.Spread s, double scale, String unit) {
        if (s == null) {
            return null;
        }
        String median = num(s.median() * scale);
        String range = s.min() == s.max() ? "" : " (" + num(s.min() * scale) + "–" + num(s.max() * scale) + ")";
        return median + range + unit;
    }

    /** A figure in ns, shown in µs. */
    static String micros(Result r, String key) {
        return spread(r.figures.get(key), 1e-3, " µs");
    }

    /** A ratio with its interval: "1.93× [1.85–1.97]", or "0.98 [0.95–1.01] of free". */
    static String ratio(Interleaved.Ratio r, String times, String suffix) {
        return r == null ? null : num(r.median()) + times + " [" + num(r.low()) + "–" + num(r.high()) + "]" + suffix;
    }

    /** A wait behind busy pthreads in ms, "&gt;250" when the pthread did not run while they computed. */
    static String waited(Result r, String key) {
        Interleaved.Spread s = r.figures.get(key);
        String limit = r.value("slice.limit.ms");
        if (s == null || limit == null) {
            return null;
        }
        double l = Double.parseDouble(limit);
        java.util.function.DoubleFunction<String> ms = v -> v >= l ? ">" + num(l) : num(v);
        String range = s.min() == s.max() ? "" : " (" + ms.apply(s.min()) + "–" + ms.apply(s.max()) + ")";
        return ms.apply(s.median()) + range + " ms";
    }

    /** A busy-wait's outcome: "yes (12 ms)", or "no (timed out after 4000 ms)". */
    static String finishes(Result r, String key) {
        String outcome = r.value(key);
        if (outcome == null) {
            return null;
        }
        String ms = r.value(key + ".ms");
        return outcome.equals("finished") ? "yes (" + ms + " ms)" : "no (timed out after " + ms + " ms)";
    }

    static String table(Map<String, Result> results, Load load) {
        List<String> cols = new ArrayList<>(results.keySet());
        Result any = results.values().iterator().next();
        List<String[]> rows = new ArrayList<>();
        rows.add(row(cols, "model", b -> MODEL.get(b)));
        rows.add(row(cols, "kernel tasks, " + count(any.value("tasks.alive")) + " pthreads alive",
                b -> spread(results.get(b).figures.get("tasks.delta"), 1, "")));
        rows.add(row(cols, "cores in use by " + count(any.value("parallel.threads")) + " computing pthreads",
                b -> spread(results.get(b).figures.get("parallel.cpu_per_wall"), 1, "")));
        rows.add(row(cols, "parallel speedup on all cores",
                b -> ratio(results.get(b).ratios.get("speedup"), "×", "")));
        rows.add(row(cols, "create+join per thread", b -> micros(results.get(b), "create_join.ns")));
        rows.add(row(cols, "  C pthread_create+join", b -> micros(results.get(b), "c.create_join.ns")));
        rows.add(row(cols, "  raw clone(2)+futex join", b -> micros(results.get(b), "c.clone_join.ns")));
        rows.add(row(cols, "  pthread4j ÷ C", b -> ratio(results.get(b).ratios.get("create_join.vs_c"), "×", "")));
        rows.add(row(cols, "cond ping-pong round trip", b -> micros(results.get(b), "pingpong.ns")));
        rows.add(row(cols, "  waiters that sleep at once (condspin=0)", b -> micros(results.get(b), "pingpong.nospin.ns")));
        rows.add(row(cols, "  C pthread_cond ping-pong", b -> micros(results.get(b), "c.pingpong.ns")));
        rows.add(row(cols, "  waiters that sleep at once ÷ C",
                b -> ratio(results.get(b).ratios.get("pingpong.nospin.vs_c"), "×", "")));
        rows.add(row(cols, "blocking read(): others' progress",
                b -> ratio(results.get(b).ratios.get("blocking.effect"), "", " of free")));
        rows.add(row(cols, "wait behind busy pthreads that call in", b -> waited(results.get(b), "slice.callsin.ms")));
        rows.add(row(cols, "  behind ones that never call in", b -> waited(results.get(b), "slice.never.ms")));
        rows.add(row(cols, "flag set by a later pthread, behind 1 busy one: finishes?",
                b -> finishes(results.get(b), "spin.n1")));
        String spinners = any.value("spin.ncores.spinners");
        rows.add(row(cols, "  behind " + (spinners == null ? "N" : spinners) + " busy ones"
                + (String.valueOf(any.value("cores")).equals(spinners) ? " (= cores)" : ""),
                b -> finishes(results.get(b), "spin.ncores")));
        rows.add(row(cols, "memory per thread, " + count(any.value("memory.threads")) + " alive: RSS",
                b -> spread(results.get(b).figures.get("memory.rss_per_thread"), 1.0 / 1024, " KiB")));
        rows.add(row(cols, "  heap",
                b -> spread(results.get(b).figures.get("memory.heap_per_thread"), 1.0 / 1024, " KiB")));
        int verdictRow = rows.size();
        for (String v : VERDICTS) {
            rows.add(row(cols, "verdict: " + v.replace('_', ' '), b -> results.get(b).verdicts.get(v)));
        }
        StringBuilder sb = new StringBuilder();
        if (load.warning() != null) {
            sb.append(load.warning()).append('\n');
        }
        sb.append(load.summary()).append('\n');
        String[] header = new String[cols.size() + 1];
        header[0] = "";
        for (int i = 0; i < cols.size(); i++) {
            header[i + 1] = cols.get(i);
        }
        rows.add(0, header);
        int[] width = new int[cols.size() + 1];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (int k = 0; k < rows.size(); k++) {
            if (k == 1 || k == verdictRow + 1) {
                sb.append(rule(width));
            }
            String[] r = rows.get(k);
            sb.append(String.format("%-" + width[0] + "s", r[0]));
            for (int i = 1; i < r.length; i++) {
                sb.append(" | ").append(String.format("%" + width[i] + "s", r[i]));
            }
            sb.append('\n');
        }
        sb.append(legend(any));
        return sb.toString();
    }

    private static String rule(int[] width) {
        StringBuilder sb = new StringBuilder("-".repeat(width[0]));
        for (int i = 1; i < width.length; i++) {
            sb.append("-|-").append("-".repeat(width[i]));
        }
        return sb.append('\n').toString();
    }

    private static String legend(Result any) {
        Interleaved.Ratio r = any.ratios.get("speedup");
        String rounds = any.value("rounds");
        String interleaved = rounds == null ? "" : ", " + rounds + " for interleaved ones";
        String confidence = r == null ? "" : String.format(Locale.ROOT, "%.0f%% ", r.confidence() * 100);
        return "figures: median (min–max) of the rounds" + interleaved + "; ratios: median [" + confidence
                + "confidence interval] of per-round ratios, contestants interleaved\n"
                + "verdicts: from kernel tasks, per-thread CPU clocks, thread states in /proc and the scheduler's "
                + "counters, never from timings; \"unclear\" when the evidence is missing\n";
    }

    private static String count(String n) {
        return n == null ? "N" : String.format(Locale.ROOT, "%,d", Long.parseLong(n));
    }

    interface Cell {
        String of(String backend);
    }

    static String[] row(List<String> cols, String label, Cell cell) {
        String[] r = new String[cols.size() + 1];
        r[0] = label;
        for (int i = 0; i < cols.size(); i++) {
            String v = cell.of(cols.get(i));
            r[i + 1] = v == null ? "-" : v;
        }
        return r;
    }

    // ---- JSON -----------------------------------------------------------------------------

    static String toJson(Map<String, Result> results, Load load, double seconds, boolean quick) {
        StringBuilder sb = new StringBuilder("{\"seconds\": ").append(String.format(Locale.ROOT, "%.1f", seconds))
                .append(", \"quick\": ").append(quick).append(", \"load\": ").append(load.json())
                .append(", \"backends\": {");
        String sep = "";
        for (var e : results.entrySet()) {
            Result r = e.getValue();
            sb.append(sep).append(quote(e.getKey())).append(": {\"model\": ").append(quote(MODEL.get(e.getKey())));
            sep = ", ";
            sb.append(", \"load\": ").append(r.load.json());
            sb.append(", \"values\": ").append(object(r.values, Lab::scalar));
            sb.append(", \"figures\": ").append(object(r.figures, s -> "{\"median\": " + number(s.median())
                    + ", \"min\": " + number(s.min()) + ", \"max\": " + number(s.max())
                    + ", \"rounds\": " + s.rounds() + "}"));
            sb.append(", \"ratios\": ").append(object(r.ratios, q -> "{\"median\": " + number(q.median())
                    + ", \"low\": " + number(q.low()) + ", \"high\": " + number(q.high())
                    + ", \"confidence\": " + number(q.confidence()) + ", \"rounds\": " + q.rounds() + "}"));
            Map<String, String> verdicts = new LinkedHashMap<>();
            for (String v : VERDICTS) {
                verdicts.put(v, r.verdicts.getOrDefault(v, LabProbe.UNCLEAR));
            }
            sb.append(", \"verdicts\": ").append(object(verdicts, Lab::quote));
            sb.append(", \"evidence\": ").append(object(r.evidence, Lab::quote)).append('}');
        }
        return sb.append("}}").toString();
    }

    private static <T> String object(Map<String, T> m, java.util.function.Function<T, String> value) {
        StringBuilder sb = new StringBuilder("{");
        String sep = "";
        for (var e : m.entrySet()) {
            sb.append(sep).append(quote(e.getKey())).append(": ").append(value.apply(e.getValue()));
            sep = ", ";
        }
        return sb.append('}').toString();
    }

    /** A JSON number; null for NaN or an infinity (a ratio over a round that did nothing). */
    private static String number(double v) {
        return Double.isFinite(v)
                ? new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString()
                : "null";
    }

    private static String scalar(String v) {
        return v.matches("-?[0-9]+(\\.[0-9]+)?") ? v : quote(v);
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
