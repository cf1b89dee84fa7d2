package org.pthread4j.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.pthread4j.bench.Interleaved;

/**
 * The lab's HTML report: the load, the table, the verdicts with their evidence, bar charts of
 * the figures with their spread, and the timelines, as inline SVG that scales to the window.
 */
final class Report {

    private static final String[] COLORS = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948",
            "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
    private static final String BLOCKED = "#999999";

    private Report() {}

    static String html(Map<String, Lab.Result> results, Load load, List<Timeline.Run> timelines, String table) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>pthread4j lab</title>")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<style>body{font-family:sans-serif;margin:2em;max-width:1400px}pre{background:#f4f4f4;padding:1em;")
                .append("overflow-x:auto}h2{margin-top:2em}.chart{display:inline-block;width:470px;max-width:100%;")
                .append("margin:0 1em 1em 0;vertical-align:top}.warn{background:#fff3cd;padding:.5em}")
                .append("table.v{border-collapse:collapse}table.v td,table.v th{border:1px solid #ccc;padding:.3em .6em}")
                .append("td.unclear{color:#888}.caption,.look{max-width:60em}.look{margin-top:0}</style>")
                .append("</head><body><h1>pthread4j lab: the thread models on this machine</h1>");
        if (load.warning() != null) {
            sb.append("<p class=\"warn\">").append(escape(load.warning())).append("</p>");
        }
        sb.append("<p>").append(escape(load.summary())).append("</p>");
        sb.append("<pre>").append(escape(table)).append("</pre>");
        sb.append(verdicts(results));
        sb.append("<h2>Figures</h2><p>Bars: medians; whiskers: min–max of the rounds, or for a ratio its "
                + "confidence interval.</p>");
        sb.append(bars(results, "create+join per thread (µs, lower is better)", "create_join.ns", 1e-3));
        sb.append(bars(results, "cond ping-pong round trip (µs)", "pingpong.ns", 1e-3));
        sb.append(bars(results, "parallel speedup on all cores (×)", "speedup", 1));
        sb.append(bars(results, "cores in use by computing pthreads", "parallel.cpu_per_wall", 1));
        sb.append(bars(results, "others' progress during a blocking read() (of free)", "blocking.effect", 1));
        sb.append(bars(results, "kernel tasks with 1,000 pthreads alive", "tasks.delta", 1));
        sb.append(bars(results, "memory per thread (KiB RSS)", "memory.rss_per_thread", 1.0 / 1024));
        sb.append(bars(results, "memory per thread (KiB heap)", "memory.heap_per_thread", 1.0 / 1024));
        sb.append(bars(results, "wait behind busy pthreads that call in (ms; the limit: never ran)", "slice.callsin.ms", 1));
        sb.append("<h2>Who ran what: the scheduling timeline</h2><p class=\"caption\">").append(Timeline.THREADS)
                .append(" pthreads, ").append(Timeline.BURSTS).append(" bursts of the same CPU work each, with short "
                        + "sleeps between. One row per pthread; each burst is coloured by the kernel thread (tid) that "
                        + "ran it. Pale: the wall time the burst spanned; solid: the CPU time its kernel thread got "
                        + "meanwhile (the rest it waited for a CPU). Grey: pthread 0 sits in <code>read()</code> on an "
                        + "empty pipe until ").append(Timeline.READ_MILLIS).append(" ms after its kernel thread was "
                        + "seen asleep in it.</p>");
        for (Timeline.Run run : timelines) {
            sb.append(timeline(run, false));
            if (run.segments().stream().anyMatch(seg -> seg.p() >= 0)) {
                sb.append(timeline(run, true));
            }
        }
        return sb.append("</body></html>\n").toString();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static String verdicts(Map<String, Lab.Result> results) {
        StringBuilder sb = new StringBuilder("<h2>Verdicts</h2><p>From kernel tasks, per-thread CPU clocks, thread "
                + "states in <code>/proc</code> and the scheduler's counters, never from timings; hover for the evidence, "
                + "or read it below.</p><table class=\"v\"><tr><th></th>");
        for (String b : results.keySet()) {
            sb.append("<th>").append(b).append(" (").append(Lab.MODEL.get(b)).append(")</th>");
        }
        sb.append("</tr>");
        for (String v : Lab.VERDICTS) {
            sb.append("<tr><th>").append(v.replace('_', ' ')).append("</th>");
            for (Lab.Result r : results.values()) {
                String value = r.verdicts.getOrDefault(v, LabProbe.UNCLEAR);
                sb.append("<td class=\"").append(value).append("\" title=\"").append(escape(r.evidence.getOrDefault(v, "")))
                        .append("\">").append(value).append("</td>");
            }
            sb.append("</tr>");
        }
        sb.append("</table><ul>");
        for (var e : results.entrySet()) {
            for (String v : Lab.VERDICTS) {
                String evidence = e.getValue().evidence.get(v);
                if (evidence != null && !evidence.isEmpty()) {
                    sb.append("<li>").append(e.getKey()).append(", ").append(v.replace('_', ' ')).append(": ")
                            .append(escape(evidence)).append("</li>");
                }
            }
        }
        return sb.append("</ul>").toString();
    }

    /** A bar per backend: the median, with a whisker over min–max (figures) or the interval (ratios). */
    static String bars(Map<String, Lab.Result> results, String title, String key, double scale) {
        List<String> names = new ArrayList<>();
        List<double[]> values = new ArrayList<>(); // median, low, high
        for (var e : results.entrySet()) {
            Interleaved.Spread s = e.getValue().figures.get(key);
            Interleaved.Ratio r = e.getValue().ratios.get(key);
            if (s != null) {
                values.add(new double[] {s.median() * scale, s.min() * scale, s.max() * scale});
            } else if (r != null) {
                values.add(new double[] {r.median() * scale, r.low() * scale, r.high() * scale});
            } else {
                continue;
            }
            names.add(e.getKey());
        }
        return bars(title, names, values);
    }

    /** A bar per name: {@code values} hold median, low, high; the whisker spans low–high. */
    static String bars(String title, List<String> names, List<double[]> values) {
        double max = values.stream().mapToDouble(v -> Double.isFinite(v[2]) ? v[2] : 0).max().orElse(1);
        if (max <= 0) {
            max = 1;
        }
        int w = 300;
        int rowH = 26;
        int h = 30 + rowH * names.size();
        StringBuilder sb = new StringBuilder("<div class=\"chart\"><svg viewBox=\"0 0 " + (w + 170) + " " + h
                + "\" width=\"100%\">");
        sb.append("<text x=\"0\" y=\"16\" font-size=\"13\" font-weight=\"bold\">").append(escape(title)).append("</text>");
        for (int i = 0; i < names.size(); i++) {
            int y = 28 + i * rowH;
            double[] v = values.get(i);
            double len = x(v[0], max, w);
            sb.append("<text x=\"0\" y=\"").append(y + 15).append("\" font-size=\"12\">").append(names.get(i)).append("</text>");
            sb.append(String.format(Locale.ROOT, "<rect x=\"60\" y=\"%d\" width=\"%.1f\" height=\"20\" fill=\"%s\"/>",
                    y, Math.max(len, 1), COLORS[i % COLORS.length]));
            double lo = 60 + x(v[1], max, w);
            double hi = 60 + x(v[2], max, w);
            sb.append(String.format(Locale.ROOT, "<path d=\"M%.1f %d v8 M%.1f %d H%.1f M%.1f %d v8\" stroke=\"#333\" "
                    + "fill=\"none\"/>", lo, y + 6, lo, y + 10, hi, hi, y + 6));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\">%s</text>",
                    66 + Math.max(len, x(v[2], max, w)), y + 15, Interleaved.format(v[0])));
        }
        return sb.append("</svg></div>").toString();
    }

    private static double x(double value, double max, int w) {
        return Double.isFinite(value) ? Math.max(0, value) / max * w : 0;
    }

    /** One timeline picture: bursts coloured by kernel thread, or by P. */
    static String timeline(Timeline.Run run, boolean byP) {
        List<Timeline.Segment> segs = run.segments();
        long begin = segs.stream().mapToLong(Timeline.Segment::startMicros).min().orElse(0);
        long span = Math.max(1, segs.stream().mapToLong(Timeline.Segment::endMicros).max().orElse(1) - begin);
        Map<Integer, Integer> colorOf = new TreeMap<>();
        for (Timeline.Segment s : segs) {
            if (!s.blocked()) {
                colorOf.put(byP ? s.p() : s.tid(), 0);
            }
        }
        int next = 0;
        for (var e : colorOf.entrySet()) {
            e.setValue(next++);
        }
        int left = 70;
        int w = 900;
        int rowH = 18;
        int top = 10;
        int axis = top + rowH * Timeline.THREADS;
        int legendY = axis + 34;
        int h = legendY + 20;
        String what = byP ? colorOf.size() + " P(s) ran " + Timeline.THREADS + " pthreads; colour by P"
                : colorOf.size() + " kernel thread(s) ran " + Timeline.THREADS + " pthreads; colour by tid";
        StringBuilder sb = new StringBuilder("<h3>" + run.backend() + " (" + Lab.MODEL.get(run.backend()) + "): " + what
                + "</h3><svg viewBox=\"0 0 " + (left + w + 20) + " " + h + "\" width=\"100%\" style=\"max-width:"
                + (left + w + 20) * 1.25 + "px\" font-size=\"11\">");
        for (int p = 0; p < Timeline.THREADS; p++) {
            sb.append("<text x=\"0\" y=\"").append(top + p * rowH + 13).append("\">pthread ").append(p).append("</text>");
        }
        // time axis: 1-2-5 ticks, about eight of them
        double spanMs = span / 1000.0;
        double step = Math.pow(10, Math.floor(Math.log10(spanMs / 8)));
        step = spanMs / step > 40 ? step * 5 : spanMs / step > 16 ? step * 2 : step;
        for (double ms = 0; ms <= spanMs + 1e-9; ms += step) {
            double x = left + ms / spanMs * w;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", x, x, top, axis + 4, x, axis + 16,
                    Interleaved.format(ms)));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">ms</text>", left - 8, axis + 16));
        for (Timeline.Segment s : segs) {
            double x = left + (double) (s.startMicros() - begin) / span * w;
            double wall = s.endMicros() - s.startMicros();
            double width = Math.max(1.5, wall / span * w);
            int y = top + s.pthread() * rowH + 2;
            if (s.blocked()) {
                sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
                        + "<title>read() blocked, tid %d, %.1f ms</title></rect>", x, y, width, rowH - 4, BLOCKED,
                        s.tid(), wall / 1000));
                continue;
            }
            String fill = COLORS[colorOf.get(byP ? s.p() : s.tid()) % COLORS.length];
            double cpuWidth = Math.max(1.5, Math.min(wall, s.cpuMicros()) / span * w);
            sb.append(String.format(Locale.ROOT, "<g><title>tid %d%s: %.2f ms wall, %.2f ms CPU</title>"
                    + "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\" fill-opacity=\"0.3\"/>"
                    + "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/></g>",
                    s.tid(), s.p() >= 0 ? ", P " + s.p() : "", wall / 1000, s.cpuMicros() / 1000.0,
                    x, y, width, rowH - 4, fill, x, y, cpuWidth, rowH - 4, fill));
        }
        // legend: one swatch per colour, then the read
        double lx = left;
        for (var e : colorOf.entrySet()) {
            String label = (byP ? "P " : "tid ") + e.getKey();
            sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                    + "<text x=\"%.1f\" y=\"%d\">%s</text>", lx, legendY, COLORS[e.getValue() % COLORS.length], lx + 16,
                    legendY + 10, label));
            lx += 24 + 7 * label.length();
        }
        sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                + "<text x=\"%.1f\" y=\"%d\">in read()</text>", lx, legendY, BLOCKED, lx + 16, legendY + 10));
        sb.append("</svg><p class=\"look\">").append(caption(run.backend(), byP)).append("</p>");
        return sb.toString();
    }

    /** Two sentences: what to look at in this model's picture. */
    static String caption(String backend, boolean byP) {
        return switch (backend) {
            case "native" -> "Each row keeps one colour: every pthread is a kernel thread of its own, and the kernel "
                    + "runs them side by side, preempting them as it likes. While pthread 0 sits in read() (grey), "
                    + "the other rows go on: only the caller is blocked.";
            case "green" -> "One colour everywhere and never two solid bars at the same moment: one kernel thread "
                    + "runs every pthread, one at a time. While pthread 0 sits in read() (grey), no row moves: the "
                    + "read blocks the only carrier.";
            case "virtual" -> "Colours change within a row as pthreads move between the carriers, never more bars "
                    + "at once than carriers. While pthread 0 sits in read() (grey), its carrier is pinned in the "
                    + "kernel, so the other rows go on with one carrier fewer.";
            default -> byP
                    ? "Coloured by P: never more solid bars at once than Ps, whichever kernel thread holds them. "
                            + "While pthread 0 sits in read() (grey), look for its P's colour on other rows: sysmon "
                            + "handed that P to another kernel thread, so the others keep every P."
                    : "Colours change within a row as pthreads move between Ms (kernel threads). While pthread 0 "
                            + "sits in read() (grey), its M stays in the kernel, and the others go on on other Ms: "
                            + "the picture coloured by P below shows why.";
        };
    }
}
