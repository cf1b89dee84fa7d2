package org.pthread4j.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The lab's HTML report: the table, bar charts of the figures, and the timelines, as inline SVG. */
final class Report {

    private static final String[] COLORS = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948",
            "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};

    private Report() {}

    static String html(Map<String, Map<String, String>> results, List<Timeline.Run> timelines, String table) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>pthread4j lab</title>")
                .append("<style>body{font-family:sans-serif;margin:2em;max-width:1250px}pre{background:#f4f4f4;padding:1em}")
                .append("h2{margin-top:2em}.chart{display:inline-block;margin:0 1em 1em 0;vertical-align:top}</style>")
                .append("</head><body><h1>pthread4j lab: the thread models on this machine</h1>")
                .append("<pre>").append(escape(table)).append("</pre><h2>Figures</h2>");
        sb.append(bars(results, "create+join per thread (µs, lower is better)", "create_join.ns", 1e-3));
        sb.append(bars(results, "cond ping-pong round trip (µs)", "pingpong.ns", 1e-3));
        sb.append(bars(results, "parallel speedup on all cores (×)", "speedup", 1));
        sb.append(bars(results, "others' progress during a blocking read()", "blocking.effect", 1));
        sb.append(bars(results, "kernel tasks with 1,000 pthreads alive", "tasks.delta", 1));
        sb.append(bars(results, "memory per thread, 10,000 alive (KiB RSS)", "memory.rss_per_thread", 1.0 / 1024));
        sb.append(bars(results, "memory per thread, 10,000 alive (KiB heap)", "memory.heap_per_thread", 1.0 / 1024));
        sb.append(bars(results, "wait behind busy pthreads that call in (ms)", "slice.callsin.ms", 1));
        sb.append("<h2>Who ran what: the scheduling timeline</h2><p>8 pthreads, 12 short CPU bursts each. "
                + "One row per pthread; each burst is colored by the kernel thread (tid) that ran it. "
                + "1:1: one color per row. M:1: one color everywhere, never two bursts at once. "
                + "M:N: colors change within a row as pthreads hop between carriers.</p>");
        sb.append("<p>Grey: pthread 0 sits in <code>read()</code> on an empty pipe for 15 ms. On M:1 every "
                + "row stops meanwhile; on gmp the P of the blocked kernel thread moves to another M, "
                + "which the second gmp picture (coloured by P) shows.</p>");
        for (Timeline.Run run : timelines) {
            sb.append(timeline(run, false));
            if (run.segments().stream().anyMatch(seg -> seg.p() >= 0)) {
                sb.append(timeline(run, true));
            }
        }
        return sb.append("</body></html>\n").toString();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static String bars(Map<String, Map<String, String>> results, String title, String key, double scale) {
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (var e : results.entrySet()) {
            String v = e.getValue().get(key);
            if (v != null) {
                names.add(e.getKey());
                values.add(Math.max(0, Double.parseDouble(v) * scale)); // RSS deltas can be negative
            }
        }
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        if (max <= 0) {
            max = 1;
        }
        int w = 300;
        int rowH = 26;
        int h = 30 + rowH * names.size();
        StringBuilder sb = new StringBuilder("<div class=\"chart\"><svg width=\"" + (w + 170) + "\" height=\"" + h + "\">");
        sb.append("<text x=\"0\" y=\"16\" font-size=\"13\" font-weight=\"bold\">").append(escape(title)).append("</text>");
        for (int i = 0; i < names.size(); i++) {
            int y = 28 + i * rowH;
            int len = (int) Math.round(values.get(i) / max * w);
            sb.append("<text x=\"0\" y=\"").append(y + 15).append("\" font-size=\"12\">").append(names.get(i)).append("</text>");
            sb.append("<rect x=\"60\" y=\"").append(y).append("\" width=\"").append(Math.max(len, 1))
                    .append("\" height=\"20\" fill=\"").append(COLORS[i % COLORS.length]).append("\"/>");
            sb.append("<text x=\"").append(66 + len).append("\" y=\"").append(y + 15).append("\" font-size=\"12\">")
                    .append(String.format(Locale.ROOT, "%.2f", values.get(i))).append("</text>");
        }
        return sb.append("</svg></div>").toString();
    }

    static String timeline(Timeline.Run run, boolean byP) {
        long begin = run.segments().stream().mapToLong(Timeline.Segment::startMicros).min().orElse(0);
        long end = Math.max(1, run.segments().stream().mapToLong(Timeline.Segment::endMicros).max().orElse(1) - begin);
        Map<Integer, Integer> colorOfTid = new TreeMap<>();
        for (Timeline.Segment s : run.segments()) {
            if (!s.blocked()) {
                colorOfTid.putIfAbsent(byP ? s.p() : s.tid(), colorOfTid.size());
            }
        }
        int w = 800;
        int rowH = 18;
        int h = 40 + rowH * Timeline.THREADS;
        StringBuilder sb = new StringBuilder("<h3>" + run.backend() + " (" + Lab.MODEL.get(run.backend()) + "): "
                + (byP ? colorOfTid.size() + " P(s), colour by P" : colorOfTid.size() + " kernel thread(s) ran 8 pthreads")
                + "</h3><svg width=\"" + (w + 80) + "\" height=\"" + h + "\">");
        for (int p = 0; p < Timeline.THREADS; p++) {
            sb.append("<text x=\"0\" y=\"").append(p * rowH + 14).append("\" font-size=\"11\">pthread ").append(p).append("</text>");
        }
        for (Timeline.Segment s : run.segments()) {
            double x = 70 + (double) (s.startMicros() - begin) / end * w;
            double width = Math.max(1.5, (double) (s.endMicros() - s.startMicros()) / end * w);
            String fill = s.blocked() ? "#bbbbbb" : COLORS[colorOfTid.get(byP ? s.p() : s.tid()) % COLORS.length];
            String title = s.blocked() ? "read() blocked, tid " + s.tid() : "tid " + s.tid() + (s.p() >= 0 ? ", P " + s.p() : "");
            sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s</title></rect>",
                    x, s.pthread() * rowH + 2, width, rowH - 4, fill, title));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"70\" y=\"%d\" font-size=\"11\">0</text><text x=\"%d\" y=\"%d\" font-size=\"11\">%.1f ms</text>",
                h - 8, w + 20, h - 8, end / 1000.0));
        return sb.append("</svg>").toString();
    }
}
