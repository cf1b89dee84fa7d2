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

/**
 * {@code ./pthread4j lab}: the thread-model table, measured live. Starts one JVM per backend
 * running {@link LabProbe}, shows a progress bar, and prints the table (or JSON, or an HTML
 * report with charts and a scheduling timeline).
 */
public final class Lab {

    static final String[] ALL = {"native", "virtual", "green", "gmp"};
    static final Map<String, String> MODEL = Map.of("native", "1:1", "virtual", "M:N", "green", "M:1", "gmp", "M:N");

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        boolean json = false;
        String html = null;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> backends = new ArrayList<>(List.of(ALL));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--json" -> json = true;
                case "--html" -> html = args[++i];
                case "--java" -> java = args[++i];
                case "--backend" -> backends = List.of(args[++i].split(","));
                default -> {
                    System.err.println("usage: ./pthread4j lab [--quick] [--json] [--backend native|virtual|green] [--html report.html]");
                    System.exit(2);
                }
            }
        }
        for (String b : backends) {
            if (!MODEL.containsKey(b)) {
                System.err.println("pthread4j lab: unknown backend '" + b + "'");
                System.exit(2);
            }
        }
        long start = System.nanoTime();
        Map<String, Map<String, String>> results = new LinkedHashMap<>();
        int index = 0;
        for (String b : backends) {
            results.put(b, probe(java, b, quick, index++, backends.size(), List.of()));
            if (b.equals("native")) {
                // The kernel's context switch: native condition waiters spin up to 20 µs before
                // they sleep, so the ping-pong above rarely sleeps; measure it again without.
                Map<String, String> sleeping = probe(java, b, quick, index - 1, backends.size(),
                        List.of("-Dpthread4j.condspin=0", "--pingpong-only"));
                if (sleeping.get("pingpong.ns") != null) {
                    results.get(b).put("pingpong.nospin.ns", sleeping.get("pingpong.ns"));
                }
            }
        }
        if (!json) {
            System.err.print("\r" + " ".repeat(78) + "\r");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (json) {
            System.out.println(toJson(results, seconds));
        } else {
            System.out.print(table(results));
            System.out.printf(Locale.ROOT, "%nmeasured in %.0f s, one JVM per backend (%s)%n", seconds,
                    quick ? "--quick" : "full run");
        }
        if (html != null) {
            List<Timeline.Run> timelines = new ArrayList<>();
            for (String b : backends) {
                timelines.add(Timeline.record(java, b));
            }
            Files.writeString(Path.of(html), Report.html(results, timelines, table(results)), StandardCharsets.UTF_8);
            System.err.println("pthread4j lab: wrote " + html);
        }
    }

    /** Runs LabProbe for one backend; {@code extra}: JVM properties (-D...) and probe flags (--...). */
    static Map<String, String> probe(String java, String backend, boolean quick, int index, int count, List<String> extra)
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
        Map<String, String> out = new LinkedHashMap<>();
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
                if (line.startsWith("result ")) {
                    String[] f = line.split(" ", 3);
                    out.put(f[1], f[2]);
                }
            }
        }
        int code = p.waitFor();
        stderr.join();
        if (code != 0) {
            System.err.println("\npthread4j lab: the " + backend + " probe failed (exit " + code + "):\n" + errors);
            out.put("error", "exit " + code);
        }
        return out;
    }

    static void bar(double done, String label) {
        int width = 30;
        int filled = (int) Math.round(done * width);
        String text = String.format(Locale.ROOT, "\r[%s%s] %3.0f%% %-36s", "#".repeat(filled), ".".repeat(width - filled),
                done * 100, label.length() > 36 ? label.substring(0, 36) : label);
        System.err.print(text);
        System.err.flush();
    }

    static String get(Map<String, String> r, String key) {
        return r == null ? null : r.get(key);
    }

    static String micros(String ns) {
        if (ns == null) {
            return "-";
        }
        double us = Long.parseLong(ns) / 1000.0;
        return us >= 100 ? String.format(Locale.ROOT, "%.0f µs", us) : String.format(Locale.ROOT, "%.1f µs", us);
    }

    static String kib(String bytes) {
        if (bytes == null) {
            return "-";
        }
        double k = Long.parseLong(bytes) / 1024.0;
        return k >= 100 ? String.format(Locale.ROOT, "%.0f KiB", k) : String.format(Locale.ROOT, "%.1f KiB", k);
    }

    static String table(Map<String, Map<String, String>> results) {
        List<String> cols = new ArrayList<>(results.keySet());
        List<String[]> rows = new ArrayList<>();
        rows.add(row(cols, "model", b -> MODEL.get(b)));
        rows.add(row(cols, "kernel tasks, 1,000 pthreads alive", b -> get(results.get(b), "tasks.delta")));
        rows.add(row(cols, "parallel speedup on all cores", b -> {
            String s = get(results.get(b), "speedup");
            return s == null ? "-" : String.format(Locale.ROOT, "%.2f× (%s)", Double.parseDouble(s),
                    get(results.get(b), "speedup.threads") + " cores");
        }));
        rows.add(row(cols, "create+join per thread", b -> micros(get(results.get(b), "create_join.ns"))));
        rows.add(row(cols, "  C pthread_create+join", b -> micros(get(results.get(b), "c.create_join.ns"))));
        rows.add(row(cols, "  raw clone(2)+futex join", b -> micros(get(results.get(b), "c.clone_join.ns"))));
        rows.add(row(cols, "cond ping-pong round trip", b -> micros(get(results.get(b), "pingpong.ns"))));
        rows.add(row(cols, "  waiters that sleep at once (condspin=0)", b -> micros(get(results.get(b), "pingpong.nospin.ns"))));
        rows.add(row(cols, "  C pthread_cond ping-pong", b -> micros(get(results.get(b), "c.pingpong.ns"))));
        rows.add(row(cols, "blocking read(): others' progress", b -> {
            String s = get(results.get(b), "blocking.effect");
            return s == null ? "-" : String.format(Locale.ROOT, "%.2f of free", Double.parseDouble(s));
        }));
        rows.add(row(cols, "wait behind busy pthreads: calling in / never", b -> {
            String in = get(results.get(b), "slice.callsin.ms");
            String never = get(results.get(b), "slice.never.ms");
            return in == null ? "-" : in + " / " + never + " ms";
        }));
        rows.add(row(cols, "memory per thread, 10,000 alive: RSS / heap", b -> {
            String rss = get(results.get(b), "memory.rss_per_thread");
            String heap = get(results.get(b), "memory.heap_per_thread");
            // RSS can even shrink while threads are created (the GC returns pages): show 0
            return rss == null ? "-" : kib(String.valueOf(Math.max(0, Long.parseLong(rss)))) + " / " + kib(heap);
        }));
        int[] width = new int[cols.size() + 1];
        String[] header = new String[cols.size() + 1];
        header[0] = "";
        for (int i = 0; i < cols.size(); i++) {
            header[i + 1] = cols.get(i);
        }
        rows.add(0, header);
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < rows.size(); k++) {
            String[] r = rows.get(k);
            sb.append(String.format("%-" + width[0] + "s", r[0]));
            for (int i = 1; i < r.length; i++) {
                sb.append(" | ").append(String.format("%" + width[i] + "s", r[i]));
            }
            sb.append('\n');
            if (k == 0) {
                sb.append("-".repeat(width[0]));
                for (int i = 1; i < r.length; i++) {
                    sb.append("-|-").append("-".repeat(width[i]));
                }
                sb.append('\n');
            }
        }
        return sb.toString();
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

    static String toJson(Map<String, Map<String, String>> results, double seconds) {
        StringBuilder sb = new StringBuilder("{\"seconds\": ").append(String.format(Locale.ROOT, "%.1f", seconds))
                .append(", \"backends\": {");
        boolean firstB = true;
        for (var e : results.entrySet()) {
            sb.append(firstB ? "" : ", ").append('"').append(e.getKey()).append("\": {");
            firstB = false;
            boolean first = true;
            for (var kv : e.getValue().entrySet()) {
                sb.append(first ? "" : ", ").append('"').append(kv.getKey()).append("\": ");
                first = false;
                String v = kv.getValue();
                sb.append(v.matches("-?[0-9]+(\\.[0-9]+)?") ? v : "\"" + v.replace("\"", "\\\"") + "\"");
            }
            sb.append('}');
        }
        return sb.append("}}").toString();
    }
}
